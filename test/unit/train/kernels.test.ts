/** The committed kernel bytes are the compiled .wat source, and the kernels keep padding lanes at zero. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations
import { KERNELS, compileKernel } from '../../../scripts/build-wasm.mjs';
import { OptimKernels } from '../../../src/engine/train/kernels/optimKernels';

describe('WebAssembly kernels', () => {
  for (const k of KERNELS as { source: string; output: string }[]) {
    it(`${k.output} is compiled from ${k.source} (run node scripts/build-wasm.mjs after editing it)`, async () => {
      expect(readFileSync(k.output, 'utf8')).toBe(await compileKernel(k));
    });
  }

  it('stages a tensor shorter than its slot with zeroed padding, and copies exactly its entries back', () => {
    const kernels = new OptimKernels([], 9);
    kernels.stage(Float32Array.from({ length: 9 }, (_, i) => i + 1), new Float32Array(9).fill(1));
    const [p, g] = kernels.stage(Float32Array.of(1, 2, 3, 4, 5), Float32Array.of(1, 1, 1, 1, 1));
    expect(p.bytes).toBe(32);
    expect(Array.from(new Float32Array(p.view.buffer, p.ptr, 8))).toEqual([1, 2, 3, 4, 5, 0, 0, 0]);
    expect(Array.from(new Float32Array(g.view.buffer, g.ptr, 8))).toEqual([1, 1, 1, 1, 1, 0, 0, 0]);
    kernels.run.sgd(p.ptr, g.ptr, p.bytes, 0.5, 0);
    const out = new Float32Array(5);
    kernels.unstage(out);
    expect(Array.from(out)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5]);
  });
});
