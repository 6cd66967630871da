import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeHalf, encodeHalf, fromHalfBits, toHalfBits } from '../../../src/engine/attribution/float16';
import { ScoreFileReader, ScoreFileWriter, writeScoreFile } from '../../../src/engine/attribution/scoreFile';
import { LetheError } from '../../../src/engine/util/errors';
import { Rng } from '../../../src/engine/util/rng';

const dir = await mkdtemp(join(tmpdir(), 'lethe-scores-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('float16', () => {
  it('encodes exactly representable values and the special cases', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(65520)).toBe(0x7c00); // rounds up to Infinity, as numpy does
    expect(toHalfBits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(toHalfBits(2 ** -26)).toBe(0x0000); // below half the smallest subnormal
    expect(toHalfBits(-0)).toBe(0x8000);
    expect(toHalfBits(Infinity)).toBe(0x7c00);
    expect(Number.isNaN(fromHalfBits(toHalfBits(NaN)))).toBe(true);
    expect(fromHalfBits(0x3555)).toBeCloseTo(0.333251953125, 12);
  });

  it('rounds to nearest, ties to even', () => {
    // 1 + 2^-11 is exactly between 1 and 1 + 2^-10: tie goes to the even mantissa (1).
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00);
    // 1 + 3·2^-11 is between 1 + 2^-10 (odd) and 1 + 2^-9 (even): goes up.
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it('round-trips every finite half value and keeps relative error below 2^-11 for random values', () => {
    for (let h = 0; h < 0x7c00; h++) {
      expect(toHalfBits(fromHalfBits(h))).toBe(h);
      expect(toHalfBits(fromHalfBits(h | 0x8000))).toBe(h | 0x8000);
    }
    const rng = new Rng(3);
    const v = Float32Array.from({ length: 10000 }, () => (rng.uniform() - 0.5) * 200);
    const back = decodeHalf(encodeHalf(v));
    for (let i = 0; i < v.length; i++) if (Math.abs(v[i]) > 1e-4) expect(Math.abs(back[i] - v[i]) / Math.abs(v[i])).toBeLessThanOrEqual(2 ** -11);
  });
});

describe('score files', () => {
  const rows = 37;
  const cols = 23;
  const rng = new Rng(11);
  const values = Float32Array.from({ length: rows * cols }, () => rng.normal() * 3);

  for (const dtype of ['float32', 'float16'] as const) {
    it(`round-trips ${dtype} with block and scattered reads`, async () => {
      const path = join(dir, `m-${dtype}.scores`);
      const w = await ScoreFileWriter.create(path, { rows, cols, dtype, meta: { rows: 'train', note: 'ünïcode' } });
      // Uneven blocks, as TRAK writes them.
      await w.writeRows(values.subarray(0, 10 * cols), 10);
      await w.writeRows(values.subarray(10 * cols, 11 * cols), 1);
      await w.writeRows(values.subarray(11 * cols), rows - 11);
      await w.close();

      const r = await ScoreFileReader.open(path);
      try {
        expect(r.header).toMatchObject({ rows, cols, dtype, meta: { rows: 'train', note: 'ünïcode' } });
        const tol = dtype === 'float32' ? 0 : 2 ** -11;
        const seen = new Float32Array(rows * cols);
        let blocks = 0;
        for await (const b of r.blocks(8)) {
          expect(b.count).toBeLessThanOrEqual(8);
          seen.set(b.values, b.start * cols);
          blocks++;
        }
        expect(blocks).toBe(Math.ceil(rows / 8));
        for (let i = 0; i < values.length; i++) expect(Math.abs(seen[i] - values[i])).toBeLessThanOrEqual(tol * Math.abs(values[i]) + 1e-7);
        const picked = await r.readRowsAt([36, 0, 17, 17]);
        [36, 0, 17, 17].forEach((row, j) => {
          for (let c = 0; c < cols; c++) expect(picked[j * cols + c]).toBe(seen[row * cols + c]);
        });
        await expect(r.readRows(30, 8)).rejects.toThrow(LetheError);
      } finally {
        await r.close();
      }
    });
  }

  it('refuses a writer closed before every row was written, leaving no file', async () => {
    const path = join(dir, 'partial.scores');
    const w = await ScoreFileWriter.create(path, { rows: 4, cols: 2, dtype: 'float32', meta: {} });
    await w.writeRows(new Float32Array(4), 2);
    await expect(w.writeRows(new Float32Array(6), 3)).rejects.toThrow(/exceed the 4 rows/);
    await expect(w.close()).rejects.toThrow(/only 2 of 4 rows/);
    await expect(ScoreFileReader.open(path)).rejects.toThrow(LetheError);
  });

  it('names the cause for truncated and foreign files', async () => {
    const path = join(dir, 'trunc.scores');
    await writeScoreFile(path, values, { rows, cols, dtype: 'float16', meta: {} });
    await truncate(path, 200);
    await expect(ScoreFileReader.open(path)).rejects.toThrow(/truncated or corrupt/);
    const foreign = join(dir, 'foreign.scores');
    await writeFile(foreign, Buffer.alloc(64, 1));
    await expect(ScoreFileReader.open(foreign)).rejects.toThrow(/not a Lethe score file/);
    await expect(ScoreFileWriter.create(join(dir, 'x.scores'), { rows: 0, cols: 1, dtype: 'float32', meta: {} })).rejects.toThrow(/rows = 0/);
  });
});
