/** Hostile TF.js checkpoints (model.json + shards): a small corpus and a seeded fuzzer over the loader. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { validateModel } from '../../../src/engine/autodiff/validate';
import { loadCheckpoint } from '../../../src/engine/job/checkpoint';
import { Rng } from '../../../src/engine/util/rng';
import { mutate } from '../../corpus/mutate';
import { describeStats, expectHealthy, expectRefusal, fuzz, outcomeOf } from '../../corpus/outcome';
import { saveToDir, tf } from '../tfjs/helpers';

const root = mkdtempSync(join(tmpdir(), 'lethe-tfjs-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let modelJson = '';
let shard = new Uint8Array();
const SHARD = 'group1-shard1of1.bin';

beforeAll(async () => {
  const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 8, activation: 'relu' }), tf.layers.dense({ units: 3 })] });
  const rng = new Rng(8); // seeded weights, so every fuzz outcome is reproducible
  m.setWeights(m.getWeights().map((w) => tf.tensor(Array.from({ length: w.size }, () => rng.normal() * 0.3), w.shape)));
  const dir = join(root, 'base');
  mkdirSync(dir);
  await saveToDir(m, dir);
  modelJson = readFileSync(join(dir, 'model.json'), 'utf8');
  shard = new Uint8Array(readFileSync(join(dir, SHARD)));
});

/** Writes a model folder with `json` (a transform of the base model.json) and the shard; returns model.json's path. */
function folder(name: string, json: (j: { weightsManifest: { paths: string[] }[] }) => unknown = (j) => j, shardBytes = shard): string {
  const dir = join(root, name, 'model');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, SHARD), shardBytes);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json(JSON.parse(modelJson))));
  return join(dir, 'model.json');
}

const load = async (file: string) => validateModel((await loadCheckpoint(file)).model);

describe('TF.js corpus', () => {
  it('the base model loads', async () => {
    await load(folder('base-ok'));
  });
  it('a shard path leaving the folder is refused', async () => {
    writeFileSync(join(root, 'secret.bin'), shard);
    const file = folder('escape', (j) => ((j.weightsManifest[0].paths = ['../../secret.bin']), j));
    await expectRefusal(() => load(file), file, /shard path "\.\.\/\.\.\/secret\.bin" leaves the model's folder/);
  });
  it('a short shard is refused', async () => {
    const file = folder('short', undefined, shard.subarray(0, shard.length - 8));
    await expectRefusal(() => load(file), file, /the shards end after/);
  });
  it('NaN weights are refused', async () => {
    const nan = new Uint8Array(shard);
    new DataView(nan.buffer).setFloat32(4, NaN, true);
    const file = folder('nan', undefined, nan);
    await expectRefusal(() => load(file), file, /holds NaN at index 1; the checkpoint is corrupt/);
  });
  it('a symlinked shard pointing outside the folder is refused', async () => {
    writeFileSync(join(root, 'outside.bin'), shard);
    const file = folder('symlink', (j) => ((j.weightsManifest[0].paths = ['linked.bin']), j));
    symlinkSync(join(root, 'outside.bin'), join(root, 'symlink', 'model', 'linked.bin'));
    await expectRefusal(() => load(file), file, /leaves the model's folder/);
  });
});

describe('seeded fuzzing of the TF.js loader', () => {
  it('600 mutants of model.json and 200 of the shard', async () => {
    const dir = join(root, 'fuzz');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'model.json');
    const rng = new Rng(31337);
    const json = new TextEncoder().encode(modelJson);
    const stats = await fuzz(800, async (i) => {
      const onShard = i >= 600;
      const { bytes, how } = mutate(onShard ? shard : json, rng, onShard ? shard.length : 2048);
      writeFileSync(file, onShard ? json : bytes);
      writeFileSync(join(dir, SHARD), onShard ? bytes : shard);
      return { how: `${onShard ? 'shard' : 'model.json'}: ${how}`, outcome: await outcomeOf(() => load(file), file) };
    });
    console.log(describeStats('TF.js loadCheckpoint', stats));
    expectHealthy(stats, 300);
  });
});
