/** The grids (docs/calibration.md, "Grids"): a few values of lr, epochs and one knob around the base setting, base first. */
import { describe, expect, it } from 'vitest';
import { axesOf, interleave, methodTrials } from '../../../src/engine/calibrate/grids';
import { checkMethods, defaultMethods } from '../../../src/engine/calibrate/calibrate';
import { DEFAULT_RECIPE } from '../../../src/engine/contracts/recipe';
import { getMethod } from '../../../src/engine/methods/registry';

const recipe = { ...DEFAULT_RECIPE, epochs: 60 };

describe('methodTrials', () => {
  it('at most 3 × 2 × 3 per default method, ids stable, the base setting first', () => {
    for (const name of defaultMethods()) {
      const m = getMethod(name);
      const trials = methodTrials(m, recipe);
      expect(trials.length, name).toBeLessThanOrEqual(18);
      expect(trials.map((t) => t.id)).toEqual(trials.map((_, i) => `${name}/${i}`));
      const base = m.resolveParams({}, recipe);
      for (const [key, value] of Object.entries(trials[0].settings)) expect(value, `${name} ${key}`).toBeCloseTo(base[key] as number, 6);
      expect(new Set(trials.map((t) => JSON.stringify(t.settings))).size, name).toBe(trials.length);
    }
  });

  it('DEL searches lr, epochs and its threshold', () => {
    expect(axesOf(getMethod('del')).map((a) => a.key)).toEqual(['lr', 'epochs', 'threshold']);
    const thresholds = new Set(methodTrials(getMethod('del'), recipe).map((t) => t.settings.threshold));
    expect([...thresholds].sort()).toEqual([0.3, 0.6, 0.9]);
  });

  it('never doubles epochs past the original’s', () => {
    const short = { ...DEFAULT_RECIPE, epochs: 5 };
    for (const name of ['finetune', 'salun', 'l1-sparse']) {
      const m = getMethod(name);
      const base = m.resolveParams({}, short).epochs as number;
      const epochs = new Set(methodTrials(m, short).map((t) => t.settings.epochs));
      expect(Math.max(...epochs), name).toBe(Math.max(base, Math.min(2 * base, short.epochs)));
    }
  });

  it('SSD has no lr or epochs: only its selection threshold, toward more dampening', () => {
    expect(methodTrials(getMethod('ssd'), recipe).map((t) => t.settings)).toEqual([{ alpha: 10 }, { alpha: 3.33333 }, { alpha: 1 }]);
  });
});

describe('interleave', () => {
  it('takes each method’s first trial, then each one’s second, …', () => {
    const t = (id: string) => ({ id, method: id[0], settings: {}, params: {} });
    expect(interleave([[t('a0'), t('a1'), t('a2')], [t('b0')], [t('c0'), t('c1')]]).map((x) => x.id)).toEqual(['a0', 'b0', 'c0', 'a1', 'c1', 'a2']);
  });
});

describe('methods', () => {
  it('by default: those that produce a model from forget, retain and validation alone, not retrain', () => {
    const names = defaultMethods();
    expect(names).toContain('del');
    expect(names).toContain('lotus');
    for (const excluded of ['retrain', 'oracle-matching', 'dm-direct', 'dmm', 'mnemonic']) expect(names).not.toContain(excluded);
  });

  it('refuses what cannot be calibrated, saying why', () => {
    expect(() => checkMethods(['oracle-matching'])).toThrow(/"oracle-matching" cannot be calibrated: it needs a retrain without the forget set/);
    expect(() => checkMethods(['dm-direct'])).toThrow(/it produces no model/);
    expect(() => checkMethods(['retrain'])).toThrow(/it is the reference itself/);
    expect(() => checkMethods(['nope'])).toThrow(/unknown method "nope"/);
  });
});
