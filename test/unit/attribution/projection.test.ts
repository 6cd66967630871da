import { afterAll, describe, expect, it } from 'vitest';
import { Gemm } from '../../../src/engine/attribution/gemm';
import { CHUNK_ROWS, Projector } from '../../../src/engine/attribution/projection';
import { LetheError } from '../../../src/engine/util/errors';
import { Rng } from '../../../src/engine/util/rng';

const gemm = new Gemm({ threads: 1 });
afterAll(() => gemm.release());

const P = 1000; // not a multiple of the chunk or block size, on purpose
const count = 5;
const rng = new Rng(1);
const grads = Float32Array.from({ length: count * P }, () => rng.normal());

describe('random projection', () => {
  for (const kind of ['rademacher', 'gaussian'] as const) {
    it(`${kind}: is a function of the seed only, whatever the block size`, async () => {
      const a = await new Projector(P, { dim: 64, kind, seed: 7 }, gemm, { blockRows: 256 }).project(grads, count);
      const b = await new Projector(P, { dim: 64, kind, seed: 7 }, gemm, { blockRows: 4096, cacheBytes: 0 }).project(grads, count);
      const c = await new Projector(P, { dim: 64, kind, seed: 8 }, gemm).project(grads, count);
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 4);
      let differ = 0;
      for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - c[i]) > 1e-3) differ++;
      expect(differ).toBeGreaterThan(a.length * 0.9);
    });

    it(`${kind}: equals the explicit product with the matrix it generates, scaled by 1/√k`, async () => {
      const k = 32;
      const proj = new Projector(P, { dim: k, kind, seed: 3 }, gemm, { blockRows: 300 });
      const rows = Math.ceil(P / CHUNK_ROWS) * CHUNK_ROWS;
      const m = proj.rows(0, rows);
      if (kind === 'rademacher') for (const v of m) expect(Math.abs(v)).toBeCloseTo(1 / Math.sqrt(k), 7);
      else {
        let s = 0;
        for (let i = 0; i < P * k; i++) s += m[i] * m[i];
        expect((s / (P * k)) * k).toBeCloseTo(1, 1); // variance 1/k
      }
      const out = await proj.project(grads, count);
      for (let c = 0; c < count; c++) for (let j = 0; j < k; j++) {
        let s = 0;
        for (let p = 0; p < P; p++) s += grads[c * P + p] * m[p * k + j];
        expect(out[c * k + j]).toBeCloseTo(s, 3);
      }
    });
  }

  it('preserves squared norms on average (Johnson–Lindenstrauss: E = 1, sd ≈ √(2/k))', async () => {
    const n = 40;
    const g40 = Float32Array.from({ length: n * P }, () => rng.normal());
    const out = await new Projector(P, { dim: 512, kind: 'rademacher', seed: 1 }, gemm).project(g40, n);
    let mean = 0;
    for (let c = 0; c < n; c++) {
      let g = 0;
      let f = 0;
      for (let p = 0; p < P; p++) g += g40[c * P + p] ** 2;
      for (let j = 0; j < 512; j++) f += out[c * 512 + j] ** 2;
      expect(f / g).toBeGreaterThan(0.7);
      expect(f / g).toBeLessThan(1.3);
      mean += f / g / n;
    }
    expect(mean).toBeGreaterThan(0.96);
    expect(mean).toBeLessThan(1.04);
  });

  it('rejects bad specifications with the cause', () => {
    expect(() => new Projector(0, { dim: 8, kind: 'rademacher', seed: 0 }, gemm)).toThrow(LetheError);
    expect(() => new Projector(10, { dim: 0, kind: 'rademacher', seed: 0 }, gemm)).toThrow(/projection dimension 0/);
    expect(() => new Projector(10, { dim: 8, kind: 'uniform' as never, seed: 0 }, gemm)).toThrow(/kind "uniform"/);
  });
});
