/** The localised and one-shot methods on real PyTorch-exported checkpoints (Conv layouts, BatchNormalization). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../fixtures/paths';
import { readModelFile } from '../../../src/engine/onnx/read';
import { forEachUnit, unitLayouts } from '../../../src/engine/methods/common/select';
import { del, delPrepare } from '../../../src/engine/methods/del';
import { ssd } from '../../../src/engine/methods/ssd';
import { complement, context, fixtureData, params, snapshot, tenPercent, differing } from './helpers';

describe('methods on the fixture checkpoints', () => {
  it('DEL on the CNN selects whole conv output channels and freezes everything else', async () => {
    const model = await readModelFile(join(FIXTURES, 'fmnist-cnn.onnx'));
    const { train, test } = await fixtureData(150, 20);
    const forget = tenPercent(train);
    const retain = complement(train.n, forget);
    const p = { threshold: 0.2, channelScore: 'reference', scoreBatchSize: 64, epochs: 1, batchSize: 64, lr: 0.01, weightDecay: 5e-4 };
    const prep = await delPrepare(context({ model, train, test, forget, retain, params: p }), p);
    const layouts = unitLayouts(model);
    const convs = [...layouts].filter(([, l]) => l.dims.length === 4);
    expect(convs.length).toBe(2);
    let mixed = 0;
    for (const [name, layout] of layouts) {
      expect(layout.axis).toBe(0); // PyTorch layouts: Conv [out, …], Gemm transB = 1 [out, in]
      forEachUnit(layout, (_u, entries) => {
        if (new Set([...entries].map((i) => prep.selected.get(name)![i])).size > 1) mixed++;
      });
    }
    expect(mixed).toBeLessThanOrEqual(1);
    const before = snapshot(model);
    const r = await del.run(context({ model, train, test, forget, retain, params: p }));
    expect(differing(snapshot(model), before)).toEqual([]);
    const head = new Set(r.notes![0].match(/classifier head \((.*)\)/)![1].split(', '));
    expect(head.size).toBe(2);
    let frozen = 0;
    const changed: string[] = [];
    for (const [name, v0] of before) {
      if (head.has(name) || !prep.selected.has(name)) continue;
      const sel = prep.selected.get(name)!;
      const v1 = params(r.model).get(name)!;
      for (let i = 0; i < v0.length; i++) {
        if (!sel[i]) {
          frozen++;
          if (!Object.is(v1[i], v0[i])) changed.push(`${name}[${i}]`);
        }
      }
    }
    expect(frozen).toBeGreaterThan(100000);
    expect(changed).toEqual([]);
  });

  it('SSD on the BatchNormalization ResNet only shrinks, including norm scales and biases', async () => {
    const model = await readModelFile(join(FIXTURES, 'fmnist-resnet-bn.onnx'));
    const { train, test } = await fixtureData(200, 50);
    const forget = Int32Array.from([...Array(train.n).keys()].filter((i) => train.y[i] === 0));
    const r = await ssd.run(context({ model, train, test, forget, retain: complement(train.n, forget), params: { alpha: 2, batchSize: 50 } }));
    let changed = 0;
    for (const [name, v0] of params(model)) {
      const v1 = params(r.model).get(name)!;
      const grown: number[] = [];
      for (let i = 0; i < v0.length; i++) {
        if (Math.abs(v1[i]) > Math.abs(v0[i])) grown.push(i);
        if (v1[i] !== v0[i]) changed++;
      }
      expect(grown, name).toEqual([]);
    }
    expect(changed).toBeGreaterThan(0);
  });
});
