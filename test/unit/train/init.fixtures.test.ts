import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readModelFile } from '../../../src/engine/onnx/read';
import { parameterRoles, reinitialize } from '../../../src/engine/train/init';
import { Rng } from '../../../src/engine/util/rng';

import { FIXTURES } from '../../fixtures/paths';

describe('init on models exported by PyTorch', () => {
  for (const name of ['fmnist-mlp', 'fmnist-cnn', 'fmnist-resnet-bn']) {
    it(`${name}: the parameters found are exactly PyTorch's, with PyTorch's fans`, async () => {
      const model = await readModelFile(`${FIXTURES}/${name}.onnx`);
      const expected = JSON.parse(await readFile(`${FIXTURES}/${name}.expected.json`, 'utf8'));
      const roles = parameterRoles(model);
      const learnable = [...roles.keys()].filter((k) => !/running_(mean|var)$/.test(k));
      expect(learnable).toEqual(Object.keys(expected.grads_eval_mode));

      const before = new Map([...model.graph.initializers].map(([k, t]) => [k, (t.data as Float32Array).slice()]));
      reinitialize(model, new Rng(0));
      for (const [k, role] of roles) {
        const data = model.graph.initializers.get(k)!.data as Float32Array;
        if (role.kind === 'fill') {
          expect(data.every((v) => v === role.value)).toBe(true);
        } else {
          const bound = 1 / Math.sqrt(role.fanIn);
          expect(data.every((v) => Math.abs(v) <= bound)).toBe(true);
          expect(data).not.toEqual(before.get(k));
        }
      }
    });
  }

  it('fmnist-cnn fans follow the Conv [out, in, kh, kw] and Gemm transB layouts', async () => {
    const roles = parameterRoles(await readModelFile(`${FIXTURES}/fmnist-cnn.onnx`));
    expect(roles.get('f.0.weight')).toEqual({ kind: 'weight', fanIn: 9, fanOut: 32 * 9 });
    expect(roles.get('f.3.weight')).toEqual({ kind: 'weight', fanIn: 32 * 9, fanOut: 64 * 9 });
    expect(roles.get('h.1.weight')).toEqual({ kind: 'weight', fanIn: 3136, fanOut: 128 });
    expect(roles.get('h.3.bias')).toEqual({ kind: 'bias', fanIn: 128 });
  });
});
