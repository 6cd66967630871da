import { readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parameterRoles } from '../../../src/engine/train/init';
import { loadTfjsModel } from '../../../src/engine/tfjs/load';
import { maxAbsDiff, predictWithTf, randomInput, randomizeWeights, runOnnx, saveToDir, tempDir, tf } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Converts `model`, runs it on onnxruntime and checks it against TF.js's own prediction. */
async function expectSameOutputs(model: tf.LayersModel, inputShape: number[], shards = 1, inputScale = 1): Promise<void> {
  randomizeWeights(model, 11);
  const file = await saveToDir(model, await tempDir(), shards);
  const ir = await loadTfjsModel(file);
  const input = randomInput(inputShape, 5).map((v) => v * inputScale);
  const expected = predictWithTf(model, input, inputShape);
  const got = await runOnnx(ir, input, inputShape);
  expect(got.dims).toEqual((model.outputs[0].shape as number[]).map((d, i) => (i === 0 ? inputShape[0] : d)));
  expect(maxAbsDiff(got.data, expected)).toBeLessThan(1e-4);
}

describe('loadTfjsModel matches TF.js predictions on onnxruntime', () => {
  it('a Sequential CNN: conv same/valid/strided/dilated, batch norm, max and average pooling, flatten, dropout, dense softmax', async () => {
    const m = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [11, 9, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.batchNormalization(),
        tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
        tf.layers.conv2d({ filters: 5, kernelSize: [2, 3], strides: [2, 1], padding: 'same', activation: 'tanh' }),
        tf.layers.conv2d({ filters: 3, kernelSize: 2, dilationRate: 2, padding: 'same', useBias: false }),
        tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
        tf.layers.conv2d({ filters: 2, kernelSize: 2, padding: 'valid', activation: 'sigmoid' }),
        tf.layers.flatten(),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.dense({ units: 6, activation: 'relu' }),
        tf.layers.dense({ units: 4, activation: 'softmax' }),
      ],
    });
    await expectSameOutputs(m, [3, 11, 9, 3], 3);
    const ir = await loadTfjsModel(await saveToDir(m, await tempDir()));
    const dropout = ir.graph.nodes.find((n) => n.opType === 'Dropout')!;
    expect(Array.from(ir.graph.initializers.get(dropout.inputs[1])!.data as Float32Array)).toEqual([0.5]);
  });

  it('records softmax outputs as probabilities and keeps the input NHWC, named as TF.js names it', async () => {
    const m = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, name: 'c' }), tf.layers.flatten(), tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' })] });
    const ir = await loadTfjsModel(await saveToDir(m, await tempDir()));
    expect(ir.metadata['lethe.outputKind']).toBe('probabilities');
    expect(ir.graph.inputs).toEqual([{ name: 'c_input', elemType: 1, shape: ['batch', 4, 4, 1] }]);
    expect(ir.graph.outputs).toEqual([{ name: 'out', elemType: 1, shape: ['batch', 3] }]);
    expect(ir.graph.initializers.get('c/kernel')!.dims).toEqual([2, 1, 3, 3]);
    expect(ir.file).toMatch(/model\.json$/);
  });

  it('a Sequential MLP without an InputLayer, with Activation and ReLU layers, gives logits', async () => {
    const m = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [5], units: 7 }), tf.layers.activation({ activation: 'sigmoid' }), tf.layers.dense({ units: 4 }), tf.layers.reLU(), tf.layers.dense({ units: 3 })],
    });
    await expectSameOutputs(m, [4, 5]);
    const ir = await loadTfjsModel(await saveToDir(m, await tempDir()));
    expect(ir.metadata['lethe.outputKind']).toBe('logits');
    expect(ir.graph.nodes.map((n) => n.opType)).toEqual(['Gemm', 'Sigmoid', 'Gemm', 'Relu', 'Gemm']);
  });

  it('a functional residual CNN: shared input, Add, Concatenate on channels, batch norm, global average pooling', async () => {
    const input = tf.input({ shape: [6, 7, 2] });
    const a = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization().apply(a) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 3, kernelSize: 1, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([bn, b]) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate().apply([sum, a, input]) as tf.SymbolicTensor;
    const relu = tf.layers.reLU().apply(cat) as tf.SymbolicTensor;
    const gap = tf.layers.globalAveragePooling2d({}).apply(relu) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 5 }).apply(gap) as tf.SymbolicTensor;
    await expectSameOutputs(tf.model({ inputs: input, outputs: out }), [2, 6, 7, 2]);
  });

  it('a functional model whose output stays spatial (NHWC out), with Concatenate on the height axis', async () => {
    const input = tf.input({ shape: [5, 5, 2] });
    const a = tf.layers.conv2d({ filters: 3, kernelSize: 2, padding: 'same' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }).apply(a) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate({ axis: 1 }).apply([a, b]) as tf.SymbolicTensor;
    const soft = tf.layers.activation({ activation: 'softmax' }).apply(cat) as tf.SymbolicTensor;
    await expectSameOutputs(tf.model({ inputs: input, outputs: soft }), [2, 5, 5, 2]);
  });

  it('dense layers with Add, Concatenate and batch norm on rank-2 tensors', async () => {
    const input = tf.input({ shape: [4] });
    const a = tf.layers.dense({ units: 3, activation: 'tanh' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 3, useBias: false }).apply(input) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
    const norm = tf.layers.batchNormalization({ epsilon: 0.01 }).apply(sum) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate().apply([norm, input]) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 2, activation: 'sigmoid' }).apply(cat) as tf.SymbolicTensor;
    await expectSameOutputs(tf.model({ inputs: input, outputs: out }), [3, 4]);
  });

  it('unknown spatial sizes: "same" padding becomes SAME_UPPER and still matches TF.js at a concrete size', async () => {
    const m = tf.sequential({
      layers: [
        tf.layers.inputLayer({ batchInputShape: [null, null, null, 2] }),
        tf.layers.conv2d({ filters: 3, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 2 }),
      ],
    });
    await expectSameOutputs(m, [2, 9, 7, 2]);
    const ir = await loadTfjsModel(await saveToDir(m, await tempDir()));
    expect(ir.graph.nodes.find((n) => n.opType === 'Conv')!.attrs.auto_pad).toEqual({ type: 'string', value: 'SAME_UPPER' });
    expect(ir.graph.inputs[0].shape).toEqual(['batch', expect.any(String), expect.any(String), 2]);
  });

  it('Dense on a spatial tensor acts on channels (MatMul + Add), and a shared layer applied twice reuses its weights', async () => {
    const input = tf.input({ shape: [3, 4, 2] });
    const conv = tf.layers.conv2d({ filters: 3, kernelSize: 2, padding: 'same' }).apply(input) as tf.SymbolicTensor;
    const perPixel = tf.layers.dense({ units: 5, activation: 'tanh' }).apply(conv) as tf.SymbolicTensor;
    const flat = tf.layers.flatten().apply(perPixel) as tf.SymbolicTensor;
    const shared = tf.layers.dense({ units: 60 });
    const twice = shared.apply(shared.apply(flat)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: twice });
    await expectSameOutputs(model, [2, 3, 4, 2]);
    const ir = await loadTfjsModel(await saveToDir(model, await tempDir()));
    expect(ir.graph.nodes.filter((n) => n.opType === 'Gemm').map((n) => n.inputs[1])).toEqual([`${shared.name}/kernel`, `${shared.name}/kernel`]);
    expect(ir.graph.nodes.some((n) => n.opType === 'MatMul')).toBe(true);
  });

  it('every TF.js weight becomes a parameter the initialiser recognises, with TF.js fans', async () => {
    const m = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [5, 5, 2], filters: 3, kernelSize: 3, name: 'c' }),
        tf.layers.batchNormalization({ name: 'bn' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4, name: 'd' }),
      ],
    });
    const file = await saveToDir(m, await tempDir());
    const roles = parameterRoles(await loadTfjsModel(file));
    expect([...roles.keys()].sort()).toEqual(m.weights.map((w) => w.originalName).sort());
    expect(roles.get('c/kernel')).toEqual({ kind: 'weight', fanIn: 2 * 9, fanOut: 3 * 9 });
    expect(roles.get('d/kernel')).toEqual({ kind: 'weight', fanIn: 27, fanOut: 4 });
  });

  it('reads the Keras-converter form (topology under model_config, class "Functional") the same way', async () => {
    const input = tf.input({ shape: [4, 4, 1] });
    const c = tf.layers.conv2d({ filters: 2, kernelSize: 2 }).apply(input) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 3 }).apply(tf.layers.flatten().apply(c) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    randomizeWeights(model, 2);
    const file = await saveToDir(model, await tempDir());
    const json = JSON.parse(await readFile(file, 'utf8'));
    const topology = json.modelTopology;
    topology.class_name = 'Functional';
    json.modelTopology = { keras_version: '2.15.0', backend: 'tensorflow', model_config: topology };
    await writeFile(file, JSON.stringify(json));
    const input1 = randomInput([1, 4, 4, 1], 3);
    const got = await runOnnx(await loadTfjsModel(file), input1, [1, 4, 4, 1]);
    expect(maxAbsDiff(got.data, predictWithTf(model, input1, [1, 4, 4, 1]))).toBeLessThan(1e-4);
  });

  it('zero padding, ReLU6 (layer and activation), LeakyReLU and a Softmax layer', async () => {
    const m = tf.sequential({
      layers: [
        tf.layers.zeroPadding2d({ inputShape: [5, 4, 2], padding: [[1, 2], [0, 1]] }),
        tf.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu6' }),
        tf.layers.zeroPadding2d({ padding: 1 }),
        tf.layers.conv2d({ filters: 3, kernelSize: 2 }),
        tf.layers.reLU({ maxValue: 6 }),
        tf.layers.conv2d({ filters: 2, kernelSize: 2 }),
        tf.layers.leakyReLU({ alpha: 0.2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3 }),
        tf.layers.softmax(),
      ],
    });
    // Inputs up to 40 so the ReLU6 caps are reached.
    await expectSameOutputs(m, [2, 5, 4, 2], 1, 40);
    const ir = await loadTfjsModel(await saveToDir(m, await tempDir()));
    expect(ir.graph.nodes.filter((n) => n.opType === 'Clip')).toHaveLength(2);
    expect(ir.metadata['lethe.outputKind']).toBe('probabilities');
  });
});
