import { readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTfjsModel } from '../../../src/engine/tfjs/load';
import { LetheError } from '../../../src/engine/util/errors';
import { saveToDir, tempDir, tf } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function savedModel(): Promise<string> {
  const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, name: 'fc' })] });
  return saveToDir(m, await tempDir());
}

/** Rewrites a saved model.json through `edit` and returns the error loading it raises. */
async function errorAfter(edit: (json: any) => void, file?: string): Promise<LetheError> {
  const path = file ?? (await savedModel());
  const json = JSON.parse(await readFile(path, 'utf8'));
  edit(json);
  await writeFile(path, JSON.stringify(json));
  const e = await loadTfjsModel(path).catch((err: unknown) => err);
  expect(e).toBeInstanceOf(LetheError);
  expect((e as LetheError).message).toContain(path);
  return e as LetheError;
}

describe('loadTfjsModel rejects what it cannot convert, naming file, place and cause', () => {
  it('an unsupported layer: names the class, the layer and the file', async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 4 }), tf.layers.layerNormalization({ name: 'norm' })] });
    const file = await saveToDir(m, await tempDir());
    const e = (await loadTfjsModel(file).catch((err: unknown) => err)) as LetheError;
    expect(e).toBeInstanceOf(LetheError);
    expect(e.message).toContain(file);
    expect(e.message).toContain('layer "norm"');
    expect(e.message).toContain('unsupported layer class "LayerNormalization"');
  });

  it('an unsupported activation', async () => {
    const e = await errorAfter((j) => (j.modelTopology.config.layers[0].config.activation = 'elu'));
    expect(e.message).toMatch(/layer "fc".*activation "elu" is not supported/);
  });

  it('a weight that is not float32, or quantized', async () => {
    expect((await errorAfter((j) => (j.weightsManifest[0].weights[0].dtype = 'int32'))).message).toMatch(/weight "fc\/kernel": dtype "int32"/);
    const q = await errorAfter((j) => (j.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 1, min: 0 }));
    expect(q.message).toMatch(/quantized/);
  });

  it('a missing weight, a wrong weight shape, short shards', async () => {
    expect((await errorAfter((j) => (j.weightsManifest[0].weights[1].name = 'other/bias'))).message).toMatch(/weight "fc\/bias" is missing/);
    expect((await errorAfter((j) => (j.weightsManifest[0].weights[0].shape = [2, 3]))).message).toMatch(/"fc\/kernel" has shape \[2, 3\], expected \[3, 2\]/);
    expect((await errorAfter((j) => (j.weightsManifest[0].weights[1].shape = [20]))).message).toMatch(/shards end after/);
  });

  it('a shard path outside the model folder', async () => {
    const e = await errorAfter((j) => (j.weightsManifest[0].paths = ['../elsewhere.bin']));
    expect(e.message).toMatch(/leaves the model's folder/);
  });

  it('a graph model (not Layers) and malformed JSON', async () => {
    expect((await errorAfter((j) => (j.format = 'graph-model'))).message).toMatch(/only TF.js Layers/);
    const file = await savedModel();
    await writeFile(file, '{ not json');
    await expect(loadTfjsModel(file)).rejects.toThrow(/not valid JSON/);
  });

  it('channels_first convolutions and causal padding', async () => {
    const m = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 1, kernelSize: 2, name: 'c' })] });
    const file = await saveToDir(m, await tempDir());
    const e = await errorAfter((j) => (j.modelTopology.config.layers[0].config.data_format = 'channels_first'), file);
    expect(e.message).toMatch(/layer "c" \(Conv2D\): data_format "channels_first"/);
    const file2 = await saveToDir(m, await tempDir());
    expect((await errorAfter((j) => (j.modelTopology.config.layers[0].config.padding = 'causal'), file2)).message).toMatch(/padding "causal"/);
  });
});

describe('functional topologies', () => {
  it('a single-input layer wired to two inputs, and a reference to a layer that does not exist', async () => {
    const input = tf.input({ shape: [3] });
    const a = tf.layers.dense({ units: 3, name: 'a' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 3, name: 'b' }).apply(a) as tf.SymbolicTensor;
    const file = await saveToDir(tf.model({ inputs: input, outputs: b }), await tempDir());
    const twoInputs = await errorAfter((j) => j.modelTopology.config.layers[2].inbound_nodes[0].push(['a', 0, 0, {}]), file);
    expect(twoInputs.message).toMatch(/layer "b" \(Dense\): expects one input, got 2/);
    const file2 = await saveToDir(tf.model({ inputs: input, outputs: b }), await tempDir());
    const missing = await errorAfter((j) => (j.modelTopology.config.layers[2].inbound_nodes[0][0][0] = 'nowhere'), file2);
    expect(missing.message).toMatch(/layer "b": its inputs never become available/);
  });
});
