/** Merging shards' partial files (docs/calibration.md, "Sharding"): the same file as one run over the same trials, and refusals. */
import { describe, expect, it } from 'vitest';
import { mergeParts } from '../../../src/engine/calibrate/file';
import { summarise } from '../../../src/engine/calibrate/select';
import type { CalibrationFile, Trial } from '../../../src/engine/contracts/calibration';
import { trial } from './trials';

const planned = ['a/0', 'b/0', 'a/1', 'b/1', 'a/2'];
const results: Trial[] = [
  trial('a/0', { gapBands: 2 }),
  trial('b/0', { forgetting: 'forgot', gapBands: 0.4 }),
  trial('a/1', { forgetting: 'forgot', gapBands: 0.1 }),
  trial('b/1', { utility: 'lost', gapBands: 0 }),
  trial('a/2', { error: 'diverged', forgetting: undefined, gapBands: undefined }),
];

function file(trials: Trial[], shard?: CalibrationFile['shard'], seconds = 10): CalibrationFile {
  return {
    version: 1, kind: 'lethe-calibration',
    model: { file: 'm.onnx', sha256: 'a'.repeat(64) }, data: { path: 'data', sha256: 'b'.repeat(64) },
    proxy: { kind: 'random', forgetSize: 10, size: 10, sha256: 'c'.repeat(64) },
    seed: 0, recipe: { epochs: 5 }, reference: { seconds: 3, forgetAccuracy: 0.8, testAccuracy: 0.8 },
    methods: ['a', 'b'], planned, skipped: planned.filter((id) => !trials.some((t) => t.id === id)),
    ...(shard ? { shard } : {}), trials, ...summarise(trials, ['a', 'b']), seconds,
  };
}

/** Shard i of n holds the planned trials i mod n. */
const part = (i: number, n: number, seconds = 10) => ({ path: `cal.json.part-${i}-of-${n}`, file: file(results.filter((_, j) => j % n === i), { index: i, count: n }, seconds) });

describe('mergeParts', () => {
  it('equals the unsharded file over the same trials, whatever order the parts come in', () => {
    const whole = file(results, undefined, 12);
    expect(mergeParts([part(2, 3, 12), part(0, 3, 7), part(1, 3, 9)])).toEqual(whole);
    expect(mergeParts([part(1, 2, 12), part(0, 2)])).toEqual(whole);
    expect(whole.recommended).toBe('a');
  });

  it('refuses a missing shard, naming it', () => {
    expect(() => mergeParts([part(0, 3), part(2, 3)])).toThrow(/shard 1 of 3 missing: run `lethe calibrate --shard i\/3` for it first/);
  });

  it('refuses a part of another calibration, naming the key that differs', () => {
    const other = part(1, 2);
    other.file = { ...other.file, model: { file: 'other.onnx', sha256: 'd'.repeat(64) } };
    expect(() => mergeParts([part(0, 2), other])).toThrow(/cal\.json\.part-1-of-2: belongs to another calibration than cal\.json\.part-0-of-2: their "model" differ/);
  });

  it('refuses a shard given twice and a whole file', () => {
    expect(() => mergeParts([part(0, 2), part(0, 2), part(1, 2)])).toThrow(/is shard 0 of 2 again/);
    expect(() => mergeParts([{ path: 'cal.json', file: file(results) }])).toThrow(/cal\.json: is not a shard's partial file/);
  });
});
