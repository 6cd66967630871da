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

  it('lays out arrays in whole lanes whose padding starts at zero and stays zero through an update', () => {
    const kernels = new OptimKernels([5, 5, 5]);
    const [p, g, b] = kernels.slots;
    expect(kernels.slots.map((s) => [s.ptr, s.bytes, s.view.length])).toEqual([[0, 32, 5], [32, 32, 5], [64, 32, 5]]);
    p.view.set([1, 2, 3, 4, 5]);
    g.view.fill(1);
    kernels.run.sgdMomentum(p.ptr, g.ptr, b.ptr, p.bytes, 0.5, 0.9, 0.1, 0);
    expect(Array.from(p.view)).toEqual([1, 2, 3, 4, 5].map((v) => Math.fround(v - Math.fround(0.5 * Math.fround(1 + Math.fround(Math.fround(0.1) * v))))));
    const lanes = (s: typeof p): number[] => Array.from(new Float32Array(s.view.buffer, s.ptr, s.bytes / 4)).slice(5);
    expect([lanes(p), lanes(g), lanes(b)]).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  });
});
