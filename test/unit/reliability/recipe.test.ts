/**
 * The original's recipe, resolved once per job (job/recipe.ts): the job's `training` keys, then the checkpoint's
 * `lethe.recipe` metadata, then Lethe's defaults, with a log line that says which; malformed metadata is one
 * error line naming the model file.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE } from '../../../src/engine/contracts/recipe';
import { JobSpec } from '../../../src/engine/contracts/jobSpec';
import { resolveRecipe } from '../../../src/engine/job/recipe';
import { isLetheError } from '../../../src/engine/util/errors';

const MODEL = '/models/a.onnx';
const JOB = '/jobs/x.lethe.yaml';
const RECORDED = { 'lethe.recipe': JSON.stringify({ epochs: 60, batchSize: 64, optimizer: 'adam', lr: 0.002, momentum: 0.9, weightDecay: 0, schedule: 'cosine' }) };

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(isLetheError(e), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('resolveRecipe', () => {
  it('a job without `training` keeps it undefined, so "given" and "defaulted" stay apart', () => {
    const spec = JobSpec.parse({ model: 'a.onnx', data: 'd' });
    expect(spec.training).toBeUndefined();
    expect(spec.budget).toBe('recipe');
    expect(JobSpec.parse({ model: 'a.onnx', data: 'd', training: { epochs: 3 } }).training).toEqual({ epochs: 3 });
  });

  it("without `training`, the checkpoint's metadata", () => {
    const r = resolveRecipe(undefined, RECORDED, MODEL, JOB);
    expect(r.recipe).toEqual({ epochs: 60, batchSize: 64, optimizer: 'adam', lr: 0.002, momentum: 0.9, weightDecay: 0, schedule: 'cosine' });
    expect(r.line).toBe("recipe: from the checkpoint's metadata (adam, lr 0.002, 60 epochs, batch 64, cosine)");
    expect(r.level).toBe('info');
  });

  it('the keys the job gives win, the rest comes from the metadata', () => {
    const r = resolveRecipe({ epochs: 3, lr: 0.01 }, RECORDED, MODEL, JOB);
    expect(r.recipe).toMatchObject({ epochs: 3, lr: 0.01, optimizer: 'adam', batchSize: 64 });
    expect(r.line).toBe("recipe: from the job (epochs, lr), the rest from the checkpoint's metadata (adam, lr 0.01, 3 epochs, batch 64, cosine)");
  });

  it('neither job nor metadata: the documented defaults, with a warning', () => {
    const r = resolveRecipe(undefined, {}, MODEL, JOB);
    expect(r.recipe).toEqual(DEFAULT_RECIPE);
    expect(r.level).toBe('warn');
    expect(r.line).toMatch(/^recipe: Lethe's defaults: neither the job's `training` nor the checkpoint's metadata says how the original was trained \(sgd, lr 0.05, 5 epochs, batch 128, cosine\)$/);
    expect(resolveRecipe({ epochs: 2 }, {}, MODEL, JOB).line).toMatch(/^recipe: from the job \(epochs\), the rest from Lethe's defaults/);
  });

  it('a job that gives every key needs no metadata', () => {
    const whole = { epochs: 2, batchSize: 32, optimizer: 'sgd', lr: 0.1, momentum: 0.5, weightDecay: 0, schedule: 'constant' } as const;
    const r = resolveRecipe(whole, { 'lethe.recipe': 'not json' }, MODEL, JOB);
    expect(r.recipe).toEqual(whole);
    expect(r.line).toMatch(/^recipe: from the job \(/);
  });

  it('malformed metadata is one line naming the model file', () => {
    for (const text of ['{"epochs": 60', JSON.stringify({ epochs: 'sixty' }), JSON.stringify({ epochs: 60, learningRate: 1 }), '[]']) {
      const message = refusal(() => resolveRecipe(undefined, { 'lethe.recipe': text }, MODEL, JOB));
      expect(message.startsWith(`${MODEL}: metadata "lethe.recipe" is not a training recipe (`), message).toBe(true);
      expect(message).not.toContain('\n');
    }
  });

  it('a job key that contradicts the recorded recipe names the job file and the key', () => {
    const message = refusal(() => resolveRecipe({ nesterov: true }, RECORDED, MODEL, JOB));
    expect(message).toMatch(/^\/jobs\/x\.lethe\.yaml: training\.nesterov: Nesterov momentum applies to the sgd optimizer only/);
  });
});
