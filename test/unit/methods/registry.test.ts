import { describe, expect, it } from 'vitest';
import { describeMethods, getMethod, METHODS, resolveParams } from '../../../src/engine/methods/registry';
import { LetheError } from '../../../src/engine/util/errors';

describe('registry', () => {
  it('lists unique methods with citations, summaries and valid defaults', () => {
    const names = METHODS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['retrain', 'finetune', 'gradient-ascent', 'neggrad-plus', 'random-label', 'bad-teacher', 'scrub', 'ssd', 'salun', 'fisher', 'l1-sparse', 'unsir', 'lotus', 'mnemonic', 'del', 'dmm', 'oracle-matching', 'dm-direct']) {
      expect(names).toContain(name);
    }
    for (const m of METHODS) {
      expect(m.citation.length, m.name).toBeGreaterThan(10);
      expect(m.summary.length, m.name).toBeGreaterThan(40);
      // Every default passes the method's own checks.
      const resolved = resolveParams(m, {});
      for (const [key, spec] of Object.entries(m.params)) {
        expect(resolved[key], `${m.name}.${key}`).toBe(spec.default);
        expect(spec.description.length, `${m.name}.${key}`).toBeGreaterThan(10);
      }
    }
  });

  it('getMethod names the available methods for an unknown name', () => {
    expect(getMethod('scrub').name).toBe('scrub');
    expect(() => getMethod('forget-everything')).toThrow(LetheError);
    expect(() => getMethod('forget-everything')).toThrow(/forget-everything.*available methods: .*lotus.*scrub/);
  });

  it('resolveParams fills defaults and keeps given values', () => {
    const p = resolveParams(getMethod('scrub'), { lr: 0.01, reference: 'lotus-noop' });
    expect(p.lr).toBe(0.01);
    expect(p.reference).toBe('lotus-noop');
    expect(p.temperature).toBe(4);
    expect(p.maxSteps).toBe(2);
  });

  it('rejects unknown keys, naming them and the known ones', () => {
    expect(() => resolveParams(getMethod('ssd'), { alpha: 5, lamda: 1, foo: 2 })).toThrow(/unknown parameters "lamda", "foo".*known parameters: alpha, lambda, repeats, importance, batchSize/);
  });

  it('rejects wrong types and out-of-range values, naming the parameter and the cause', () => {
    const ssd = getMethod('ssd');
    expect(() => resolveParams(ssd, { alpha: '10' })).toThrow(/parameter "alpha" must be a finite number, got "10"/);
    expect(() => resolveParams(ssd, { alpha: -1 })).toThrow(/parameter "alpha" must be ≥ 0, got -1/);
    expect(() => resolveParams(ssd, { batchSize: 1.5 })).toThrow(/parameter "batchSize" must be an integer, got 1.5/);
    expect(() => resolveParams(ssd, { alpha: Number.NaN })).toThrow(/"alpha" must be a finite number/);
    expect(() => resolveParams(getMethod('del'), { threshold: 1.5 })).toThrow(/parameter "threshold" must be ≤ 1, got 1.5/);
    expect(() => resolveParams(getMethod('scrub'), { reference: 'buggy' })).toThrow(/parameter "reference" must be one of "correct", "lotus-noop", got "buggy"/);
    expect(() => resolveParams(getMethod('lotus'), { mode: 3 })).toThrow(LetheError);
  });

  it('every numeric bound of every method is enforced', () => {
    for (const m of METHODS) {
      for (const [key, spec] of Object.entries(m.params)) {
        if (spec.type !== 'number' && spec.type !== 'integer') continue;
        if (spec.min !== undefined) expect(() => resolveParams(m, { [key]: spec.min! - 1 }), `${m.name}.${key}`).toThrow(new RegExp(`"${key}" must be ≥`));
        if (spec.max !== undefined) expect(() => resolveParams(m, { [key]: spec.max! + 1 }), `${m.name}.${key}`).toThrow(new RegExp(`"${key}" must be ≤`));
      }
    }
  });

  it('describeMethods is JSON-able and complete', () => {
    const d = describeMethods();
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    const lotus = d.find((m) => m.name === 'lotus')!;
    expect(lotus.needs).toEqual(['forget', 'retain', 'validation']);
    const alpha = lotus.params.find((p) => p.name === 'alpha')!;
    expect(alpha).toMatchObject({ type: 'number', default: 8, min: 0 });
    expect(d.find((m) => m.name === 'mnemonic')!.needs).toContain('mnemonic');
    expect(d.find((m) => m.name === 'dm-direct')!.producesModel).toBe(false);
    expect(d.filter((m) => !m.producesModel).map((m) => m.name)).toEqual(['dm-direct']);
  });
});
