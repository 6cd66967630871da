import { describe, expect, it } from 'vitest';
import { createOptimizer, type OptimizerSpec } from '../../../src/engine/train/optim';
import { LetheError } from '../../../src/engine/util/errors';
import { Rng } from '../../../src/engine/util/rng';

const close = (actual: Float32Array, expected: number[], tol = 1e-6): void => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i], -Math.log10(tol)));
};

/** Runs `steps` optimiser steps on one tensor and returns its live value. */
function run(spec: OptimizerSpec, init: number[], grads: number[][], lrs: number[]): Float32Array {
  const opt = createOptimizer(spec, new Map([['w', Float32Array.from(init)]]));
  grads.forEach((g, k) => opt.step(new Map([['w', Float32Array.from(g)]]), lrs[k]));
  return opt.params.get('w')!;
}

describe('SGD (torch.optim.SGD semantics)', () => {
  it('plain SGD with L2 weight decay', () => {
    // θ1 = θ0 − lr(g + λθ0): 1 − 0.1(0.5 + 0.1·1) = 0.94; −2 − 0.1(−1 + 0.1·−2) = −1.88
    const w = run({ kind: 'sgd', weightDecay: 0.1 }, [1, -2], [[0.5, -1]], [0.1]);
    close(w, [0.94, -1.88]);
  });

  it('momentum: buffer starts at the first gradient, then b = μb + g', () => {
    // μ = 0.9, lr = 0.1, θ0 = 1; g1 = 1, g2 = 2, g3 = −1
    // b1 = 1;            θ1 = 1 − 0.1·1 = 0.9
    // b2 = 0.9 + 2 = 2.9; θ2 = 0.9 − 0.29 = 0.61
    // b3 = 2.61 − 1 = 1.61; θ3 = 0.61 − 0.161 = 0.449
    const w = run({ kind: 'sgd', momentum: 0.9 }, [1], [[1], [2], [-1]], [0.1, 0.1, 0.1]);
    close(w, [0.449]);
  });

  it('Nesterov with weight decay and a changing lr', () => {
    // μ = 0.5, λ = 0.1, θ0 = 2; g1 = 1 (d1 = 1.2), g2 = −1
    // b1 = 1.2; update = 1.2 + 0.5·1.2 = 1.8; θ1 = 2 − 0.1·1.8 = 1.82
    // d2 = −1 + 0.182 = −0.818; b2 = 0.6 − 0.818 = −0.218; update = −0.818 − 0.109 = −0.927; θ2 = 1.82 + 0.05·0.927 = 1.86635
    const w = run({ kind: 'sgd', momentum: 0.5, nesterov: true, weightDecay: 0.1 }, [2], [[1], [-1]], [0.1, 0.05]);
    close(w, [1.86635]);
  });

  it('rejects Nesterov without momentum', () => {
    expect(() => createOptimizer({ kind: 'sgd', nesterov: true }, new Map())).toThrow(LetheError);
  });
});

describe('Adam / AdamW (torch.optim semantics)', () => {
  it('first Adam step moves every entry by lr·g/(|g| + ε) (bias corrections cancel)', () => {
    const w = run({ kind: 'adam' }, [1, 1, 1], [[0.3, -2, 1e-3]], [0.01]);
    close(w, [0.99, 1.01, 1 - 0.01 * (1e-3 / (1e-3 + 1e-8))], 1e-7);
  });

  it('Adam, two steps with L2 weight decay', () => {
    // β1 = 0.9, β2 = 0.99, ε = 1e-8, λ = 0.5, lr = 0.1, θ0 = 1
    // step 1: d = 1 + 0.5 = 1.5; m = 0.15; v = 0.0225; m̂ = 1.5, v̂ = 2.25 → θ1 = 1 − 0.1·1.5/1.5 = 0.9
    // step 2: d = −2 + 0.45 = −1.55; m = 0.135 − 0.155 = −0.02; v = 0.022275 + 0.024025 = 0.0463
    //   m̂ = −0.02/0.19 = −0.105263158; v̂ = 0.0463/0.0199 = 2.326633166; √v̂ = 1.525330510
    //   θ2 = 0.9 + 0.1·0.105263158/1.525330510 = 0.906901013
    const w = run({ kind: 'adam', beta1: 0.9, beta2: 0.99, weightDecay: 0.5 }, [1], [[1], [-2]], [0.1, 0.1]);
    close(w, [0.906901013]);
  });

  it('AdamW decays the weight before the Adam step and keeps decay out of the moments', () => {
    // β1 = 0.9, β2 = 0.99, λ = 0.5, lr = 0.1, θ0 = 1
    // step 1: θ ← 1·(1 − 0.05) = 0.95; m = 0.1, v = 0.01; m̂ = 1, v̂ = 1 → θ1 = 0.95 − 0.1 = 0.85
    // step 2: θ ← 0.85·0.95 = 0.8075; m = 0.09 − 0.2 = −0.11; v = 0.0099 + 0.04 = 0.0499
    //   m̂ = −0.11/0.19 = −0.578947368; v̂ = 0.0499/0.0199 = 2.507537688; √v̂ = 1.583520662
    //   θ2 = 0.8075 + 0.1·0.578947368/1.583520662 = 0.844060403
    const w = run({ kind: 'adamw', beta1: 0.9, beta2: 0.99, weightDecay: 0.5 }, [1], [[1], [-2]], [0.1, 0.1]);
    close(w, [0.844060403]);
  });

  it('counts steps per parameter: a parameter without a gradient is skipped, like p.grad None', () => {
    const opt = createOptimizer({ kind: 'adam' }, new Map([['a', Float32Array.of(1)], ['b', Float32Array.of(1)]]));
    opt.step(new Map([['a', Float32Array.of(1)]]), 0.1);
    opt.step(new Map([['a', Float32Array.of(1)], ['b', Float32Array.of(1)]]), 0.1);
    // What torch.optim.Adam gives here, bit for bit (PyTorch 1.13): b's first step, with t = 1 for b.
    expect(opt.params.get('b')![0]).toBe(0.9000000357627869);
    expect(opt.state().get('a')!.step).toBe(2);
    expect(opt.state().get('b')!.step).toBe(1);
  });

  it('returns copies of its state', () => {
    const opt = createOptimizer({ kind: 'adam' }, new Map([['w', Float32Array.of(1)]]));
    opt.step(new Map([['w', Float32Array.of(1)]]), 0.1);
    const s = opt.state().get('w')!;
    s.firstMoment![0] = 42;
    expect(opt.state().get('w')!.firstMoment![0]).toBeCloseTo(0.1, 7);
  });
});

describe('parameters and gradient buffers', () => {
  it('trains copies of the initial values, and a gradient written into its buffer equals one passed in', () => {
    const init = Float32Array.of(1, 2, 3, 4, 5);
    const g = Float32Array.of(0.5, -1, 2, 0, 3);
    const viaBuffer = createOptimizer({ kind: 'sgd', momentum: 0.9 }, new Map([['w', init]]));
    const viaCopy = createOptimizer({ kind: 'sgd', momentum: 0.9 }, new Map([['w', init]]));
    for (let k = 0; k < 3; k++) {
      viaBuffer.gradientBuffers.get('w')!.set(g);
      viaBuffer.step(viaBuffer.gradientBuffers, 0.1);
      viaCopy.step(new Map([['w', g]]), 0.1);
    }
    expect(Array.from(init)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(viaBuffer.params.get('w')!)).toEqual(Array.from(viaCopy.params.get('w')!));
    expect(viaBuffer.params.get('w')![0]).not.toBe(1);
  });
});

describe('masks freeze entries bit for bit', () => {
  const specs: OptimizerSpec[] = [
    { kind: 'sgd', weightDecay: 0.1 },
    { kind: 'sgd', momentum: 0.9, weightDecay: 0.05 },
    { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.05 },
    { kind: 'adam', weightDecay: 0.01 },
    { kind: 'adamw', weightDecay: 0.1 },
  ];
  for (const spec of specs) {
    it(`${JSON.stringify(spec)}`, () => {
      const rng = new Rng(7);
      const n = 1000;
      const before = Float32Array.from({ length: n }, () => rng.normal());
      const mask = Uint8Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 0 : 1));
      const opt = createOptimizer(spec, new Map([['w', before]]), new Map([['w', mask]]));
      const w = opt.params.get('w')!;
      for (let k = 0; k < 5; k++) opt.step(new Map([['w', Float32Array.from({ length: n }, () => rng.normal())]]), 0.1);
      const bitsBefore = new Uint32Array(before.buffer);
      const bitsAfter = new Uint32Array(w.buffer, w.byteOffset, n);
      const state = opt.state().get('w')!;
      for (let i = 0; i < n; i++) {
        if (mask[i] === 0) {
          expect(bitsAfter[i]).toBe(bitsBefore[i]);
          if (state.firstMoment) expect(state.firstMoment[i]).toBe(0);
          if (state.secondMoment) expect(state.secondMoment[i]).toBe(0);
        } else {
          expect(w[i]).not.toBe(before[i]);
        }
      }
    });
  }

  it('a frozen entry stays exact even when its gradient is not finite', () => {
    for (const spec of specs) {
      const opt = createOptimizer(spec, new Map([['w', Float32Array.of(0.1, 0.2)]]), new Map([['w', Uint8Array.of(0, 1)]]));
      const w = opt.params.get('w')!;
      opt.step(new Map([['w', Float32Array.of(Number.NaN, 1)]]), 0.1);
      opt.step(new Map([['w', Float32Array.of(Number.POSITIVE_INFINITY, 1)]]), 0.1);
      expect(w[0]).toBe(Math.fround(0.1));
      expect(Number.isFinite(w[1])).toBe(true);
      expect(opt.state().get('w')!.firstMoment?.[0] ?? 0).toBe(0);
    }
  });

  it('a Float32Array 0/1 mask freezes like a byte mask; other values are rejected', () => {
    const w = Float32Array.of(1, 2);
    const opt = createOptimizer({ kind: 'sgd', momentum: 0.9 }, new Map([['w', w]]), new Map([['w', Float32Array.of(0, 1)]]));
    opt.step(new Map([['w', Float32Array.of(1, 1)]]), 0.5);
    expect(Array.from(opt.params.get('w')!)).toEqual([1, 1.5]);
    expect(() => createOptimizer({ kind: 'sgd' }, new Map([['w', w]]), new Map([['w', Float32Array.of(0.5, 1)]]))).toThrow(/index 0/);
  });
});

describe('bad input', () => {
  const params = new Map([['w', new Float32Array(3)]]);
  it('names the parameter on a gradient of the wrong length or an unknown name', () => {
    const opt = createOptimizer({ kind: 'sgd' }, params);
    expect(() => opt.step(new Map([['w', new Float32Array(2)]]), 0.1)).toThrow(/"w" has 2 entries/);
    expect(() => opt.step(new Map([['v', new Float32Array(3)]]), 0.1)).toThrow(/"v"/);
    expect(() => opt.step(new Map([['w', new Float32Array(3)]]), Number.NaN)).toThrow(LetheError);
  });
  it('rejects masks that do not fit and out-of-range hyper-parameters', () => {
    expect(() => createOptimizer({ kind: 'sgd' }, params, new Map([['w', new Uint8Array(2)]]))).toThrow(/mask for "w"/);
    expect(() => createOptimizer({ kind: 'adam', beta2: 1 }, params)).toThrow(/beta2/);
    expect(() => createOptimizer({ kind: 'sgd', momentum: -0.1 }, params)).toThrow(/momentum/);
  });
});
