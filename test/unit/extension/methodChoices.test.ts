import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrainingRecipe } from '../../../src/engine/contracts/recipe';
import { describeMethods, type MethodDescription } from '../../../src/engine/methods/registry';
import { BENCH_AVG_GAP, estimateCost, methodPickEntries, oneLine, preselectedMethod, recommend, type PickEntry, type RecipeInfo } from '../../../src/extension/methods/methodChoices';

const methods = describeMethods();
const byName = (name: string) => methods.find((m) => m.name === name)!;
const recipe = (epochs: number, source: RecipeInfo['source'] = 'model'): RecipeInfo => ({ recipe: TrainingRecipe.parse({ epochs }), source });
const methodEntries = (entries: PickEntry[]) => entries.flatMap((e) => (e.kind === 'method' ? [e] : []));

/** avg gap per method and scenario at the setting a job runs by default (the recipe's budget), read from the bench's tables. */
function benchGaps(): Map<string, number[]> {
  const text = readFileSync(join(__dirname, '../../../bench/results/methods.md'), 'utf8');
  const gaps = new Map<string, number[]>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const gap = /^([\d.]+)( ±|$)/.exec(cells[8] ?? '');
    const byDefault = /^(recipe|reference = recipe \(nothing derived\))/.test(cells[1] ?? '');
    if (cells.length === 11 && byDefault && gap) gaps.set(cells[0], [...(gaps.get(cells[0]) ?? []), Number(gap[1])]);
  }
  return gaps;
}

describe('the method picker', () => {
  it("BENCH_AVG_GAP is the bench's average gap over both scenarios, for every method measured in both", () => {
    const expected = Object.fromEntries(
      [...benchGaps()]
        .filter(([name, g]) => g.length === 2 && methods.some((m) => m.name === name) && name !== 'retrain')
        .map(([name, g]) => [name, Math.round(((g[0] + g[1]) / 2) * 1e4) / 1e4]),
    );
    expect(BENCH_AVG_GAP).toEqual(expected);
  });

  it('recommends the smallest bench gap among model-producing, oracle-free methods faster than this retrain', () => {
    // A 40-epoch recipe: DEL (30 epochs at its reference default) is faster than the retrain and closest to it.
    const long = recommend(methods, recipe(40));
    expect(long?.method).toBe('del');
    expect(long?.reason).toMatch(/average gap 0\.0385 .*bench\/results\/methods\.md/);
    // Oracle matching needs the retrain itself; DM-Direct yields no model: never recommended.
    expect(BENCH_AVG_GAP['oracle-matching']).toBeLessThan(BENCH_AVG_GAP.fisher);
    // A 4-epoch recipe: DEL would take longer than retraining, so the next best fast method (UNSIR) is recommended.
    expect(recommend(methods, recipe(4))?.method).toBe('unsir');
    // Nothing is faster than a 1-epoch retrain: no recommendation.
    expect(recommend(methods, recipe(1))).toBeUndefined();
  });

  it('a calibrated method wins over the bench (the hook for calibration files)', () => {
    expect(recommend(methods, recipe(40), { method: 'lotus', reason: 'Recommended: best calibrated' })).toEqual({ method: 'lotus', reason: 'Recommended: best calibrated' });
    expect(recommend(methods, recipe(40), { method: 'not-a-method', reason: 'x' })?.method).toBe('del');
  });

  it('estimates the cost from the epochs against the recipe, with the work outside epochs', () => {
    expect(estimateCost(byName('finetune'), recipe(5))).toEqual({ ratio: 2, text: '≈ 2× a retrain, longer than retraining' });
    expect(estimateCost(byName('finetune'), recipe(40)).text).toBe('≈ 0.3× a retrain');
    expect(estimateCost(byName('retrain'), recipe(4))).toEqual({ ratio: 1, text: '= a retrain' });
    expect(estimateCost(byName('mnemonic'), recipe(4))).toEqual({ text: 'seconds (no training)' });
    expect(estimateCost(byName('fisher'), recipe(40)).ratio).toBeCloseTo(10.5 / 40);
    expect(estimateCost(byName('gradient-ascent'), recipe(10)).text).toBe('≤ 0.5× a retrain, passes over the forget set only');
    expect(estimateCost(byName('oracle-matching'), recipe(100)).text).toMatch(/plus the retrain it matches$/);
    expect(estimateCost(byName('del'), recipe(4)).text).toBe('≈ 7.5× a retrain, longer than retraining');
  });

  it('orders recommended, source papers, baselines, each under a separator, with every method once', () => {
    const entries = methodPickEntries(methods, { recipe: recipe(40), recommendation: recommend(methods, recipe(40)), hasMnemonicCodes: false });
    expect(entries.filter((e) => e.kind === 'separator').map((e) => e.label)).toEqual(['Recommended', 'Source papers', 'Baselines']);
    const names = methodEntries(entries).map((e) => e.method.name);
    expect(names.slice(0, 6)).toEqual(['del', 'lotus', 'mnemonic', 'dmm', 'oracle-matching', 'dm-direct']);
    expect(names.slice(6)[0]).toBe('retrain');
    expect([...names].sort()).toEqual(methods.map((m) => m.name).sort());
    expect(entries[0]).toEqual({ kind: 'separator', label: 'Recommended' });
  });

  it('marks the recommended method and gives its reason in the detail; labels needs, costs and the citation', () => {
    const entries = methodEntries(methodPickEntries(methods, { recipe: recipe(40), recommendation: recommend(methods, recipe(40)), hasMnemonicCodes: false }));
    const [first] = entries;
    expect(first.recommended).toBe(true);
    expect(first.label).toBe(`$(star-full) ${byName('del').title}`);
    expect(first.description).toMatch(/^recommended · del · ≈ 0\.8× a retrain$/);
    expect(first.detail).toMatch(/^Recommended: closest to a retrain/);
    expect(first.detail.endsWith(byName('del').citation)).toBe(true);
    expect(entries.filter((e) => e.recommended)).toHaveLength(1);

    const of = (name: string) => entries.find((e) => e.method.name === name)!;
    expect(of('oracle-matching').description).toMatch(/needs oracles: uses the reference retrain/);
    expect(of('dm-direct').description).toMatch(/no model: predicts the outputs only/);
    expect(of('mnemonic').description).toMatch(/needs a model trained with mnemonic codes/);
    expect(of('lotus').label).toBe('LoTUS');
    expect(of('lotus').detail).toBe(`${oneLine(byName('lotus').summary)} — ${byName('lotus').citation}`);

    const withCodes = methodEntries(methodPickEntries(methods, { recipe: recipe(40), hasMnemonicCodes: true }));
    expect(withCodes.find((e) => e.method.name === 'mnemonic')!.description).not.toMatch(/mnemonic codes/);
  });

  it('says when the recipe is unknown and the estimate assumes the default epochs', () => {
    const entries = methodEntries(methodPickEntries(methods, { recipe: recipe(5, 'default'), hasMnemonicCodes: false }));
    expect(entries.find((e) => e.method.name === 'finetune')!.description).toContain('(recipe unknown: assuming 5 epochs)');
  });

  it('without a recommendation there is no Recommended group', () => {
    const entries = methodPickEntries(methods, { recipe: recipe(1), recommendation: recommend(methods, recipe(1)), hasMnemonicCodes: false });
    expect(entries[0]).toEqual({ kind: 'separator', label: 'Source papers' });
    expect(methodEntries(entries).some((e) => e.recommended)).toBe(false);
  });

  it('pre-selects the lethe.defaultMethod setting, else the recommended method, else the first', () => {
    const withRecommendation = methodPickEntries(methods, { recipe: recipe(40), recommendation: recommend(methods, recipe(40)), hasMnemonicCodes: false });
    expect(preselectedMethod(withRecommendation, '')).toBe('del');
    expect(preselectedMethod(withRecommendation, ' scrub ')).toBe('scrub');
    expect(preselectedMethod(withRecommendation, 'no-such-method')).toBe('del');
    expect(preselectedMethod(methodPickEntries(methods, { recipe: recipe(1), hasMnemonicCodes: false }), '')).toBe('lotus');
  });

  it('one line of a summary is its first sentence', () => {
    expect(oneLine('Does a. Then b.')).toBe('Does a.');
    expect(oneLine('No full stop')).toBe('No full stop');
    for (const m of methods as MethodDescription[]) expect(oneLine(m.summary).length).toBeGreaterThan(10);
  });
});
