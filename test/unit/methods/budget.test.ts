/**
 * Budgets derived from the original's recipe (docs/methods.md §2.7): explicit parameters win, each derived key
 * names its rule in `lethe methods --json`, the rules give back the reference defaults on the paper's own
 * original, and the cost a method estimates before it starts is the cost it reports after.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE, type TrainingRecipe } from '../../../src/engine/contracts/recipe';
import { costLine } from '../../../src/engine/job/methodBudget';
import { describeMethods, getMethod, getModelMethod, METHODS, resolveParams } from '../../../src/engine/methods/registry';
import type { CostInput } from '../../../src/engine/methods/types';
import { context, smallForgetSetting } from './helpers';

/** The memorising example: an MLP trained with Adam at lr 0.002, batch 64, 60 epochs, cosine. */
const ADAM_60: TrainingRecipe = { epochs: 60, batchSize: 64, optimizer: 'adam', lr: 0.002, momentum: 0.9, weightDecay: 0, schedule: 'cosine' };

describe('budgets derived from the recipe', () => {
  it('finetune follows SalUn: 10/182 of the epochs, a tenth of the lr, the original optimiser and batch', () => {
    const p = resolveParams(getMethod('finetune'), {}, ADAM_60);
    expect(p).toMatchObject({ epochs: 3, optimizer: 'adam', batchSize: 64, weightDecay: 0, schedule: 'constant' });
    expect(p.lr).toBeCloseTo(2e-4, 12);
  });

  it('explicit parameters always win over derived ones', () => {
    const p = resolveParams(getMethod('finetune'), { epochs: 7, optimizer: 'sgd' }, ADAM_60);
    expect(p.epochs).toBe(7);
    expect(p.optimizer).toBe('sgd');
    expect(p.lr).toBeCloseTo(2e-4, 12); // still derived
    expect(getMethod('finetune').derivedParams({ epochs: 7 }, ADAM_60)).not.toHaveProperty('epochs');
  });

  it('without a recipe, resolveParams gives the reference defaults', () => {
    for (const m of METHODS) {
      const resolved = resolveParams(m, {});
      for (const [key, spec] of Object.entries(m.params)) expect(resolved[key], `${m.name}.${key}`).toBe(spec.default);
    }
  });

  it("on the paper's own original, each rule gives back the reference default", () => {
    const originals: [string, TrainingRecipe][] = [
      ['finetune', { epochs: 182, batchSize: 256, optimizer: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 5e-4, schedule: 'step' }],
      ['random-label', { epochs: 182, batchSize: 256, optimizer: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 5e-4, schedule: 'step' }],
      ['l1-sparse', { epochs: 182, batchSize: 256, optimizer: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 5e-4, schedule: 'step' }],
      ['gradient-ascent', { epochs: 182, batchSize: 256, optimizer: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 5e-4, schedule: 'step' }],
      ['del', { epochs: 30, batchSize: 128, optimizer: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0, schedule: 'constant' }],
      ['lotus', { epochs: 150, batchSize: 512, optimizer: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 5e-4, schedule: 'linear' }],
    ];
    for (const [name, recipe] of originals) {
      const m = getMethod(name);
      const derived = m.derivedParams({}, recipe);
      expect(Object.keys(derived).length, name).toBeGreaterThan(0);
      for (const [key, d] of Object.entries(derived)) {
        const reference = m.params[key].default;
        if (typeof reference === 'number') expect(d.value as number, `${name}.${key}`).toBeCloseTo(reference, 12);
        else expect(d.value, `${name}.${key}`).toBe(reference);
      }
    }
  });

  it('DEL fine-tunes as long as its original trained, at 0.15 of its lr', () => {
    expect(resolveParams(getMethod('del'), {}, ADAM_60)).toMatchObject({ epochs: 60, optimizer: 'adam', batchSize: 64, weightDecay: 0 });
    expect(resolveParams(getMethod('del'), {}, ADAM_60).lr).toBeCloseTo(3e-4, 12);
  });

  it('methods --json keeps the reference defaults and states every derivation', () => {
    const finetune = describeMethods().find((m) => m.name === 'finetune')!;
    const epochs = finetune.params.find((p) => p.name === 'epochs')!;
    expect(epochs.default).toBe(10);
    expect(epochs.derivation).toMatch(/max\(1, round\(E₀ × 10\/182\)\).*SalUn/);
    expect(finetune.params.find((p) => p.name === 'schedule')!.derivation).toBeUndefined();
    // A method that relates nothing to the original's training says nothing.
    expect(describeMethods().find((m) => m.name === 'ssd')!.params.every((p) => p.derivation === undefined)).toBe(true);
  });
});

describe('cost estimates', () => {
  it('match the example-gradients the method reports', async () => {
    const s = await smallForgetSetting();
    const input: CostInput = { forget: s.forget.length, retain: s.retain.length, train: s.train.n, test: s.test.n, classes: 10, recipe: DEFAULT_RECIPE };
    const cases: [string, Record<string, unknown>][] = [
      ['finetune', { epochs: 2 }],
      ['gradient-ascent', { epochs: 2 }],
      ['neggrad-plus', { epochs: 1 }],
      ['l1-sparse', { epochs: 1 }],
      ['scrub', { epochs: 3, maxSteps: 2 }],
      ['del', { epochs: 2 }],
      ['random-label', { epochs: 1 }],
      ['salun', { epochs: 1 }],
    ];
    for (const [name, raw] of cases) {
      const method = getModelMethod(name);
      const params = resolveParams(method, raw);
      const { exampleGradients } = await method.run(context({ ...s, params }));
      expect(method.estimateCost(params, input), name).toBe(exampleGradients);
    }
  });

  it('retraining costs what a retrain costs', () => {
    const input: CostInput = { forget: 100, retain: 900, train: 1000, test: 200, classes: 10, recipe: ADAM_60 };
    expect(getMethod('retrain').estimateCost(resolveParams(getMethod('retrain'), {}), input)).toBe(60 * 900);
  });
});

describe('the cost line before the method starts', () => {
  const input: CostInput = { forget: 1000, retain: 9000, train: 10000, test: 2000, classes: 10, recipe: ADAM_60 };
  const line = (name: string, raw: Record<string, unknown>) => costLine(getMethod(name), resolveParams(getMethod(name), raw), input);

  it('is information when the method is clearly cheaper than a retrain', () => {
    expect(line('finetune', { epochs: 3 })).toEqual({ level: 'info', message: 'Finetune: about 27000 example-gradients, 0.05× a retrain (a retrain on the retain set costs 60 epochs × 9000 = 540000)' });
  });

  it('warns when the method costs more than a retrain, or about as much', () => {
    expect(line('finetune', { epochs: 61 })).toEqual({
      level: 'warn',
      message: 'Finetune will cost about 549000 example-gradients, 1.02× a retrain (a retrain on the retain set costs 60 epochs × 9000 = 540000): it runs longer than retraining would',
    });
    expect(line('finetune', { epochs: 58 })?.message).toMatch(/0\.97× a retrain .*: about as long as retraining, or longer$/);
    expect(line('finetune', { epochs: 58 })?.level).toBe('warn');
  });
});
