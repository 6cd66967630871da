/**
 * Hostile datasets (test/corpus/dataCases.ts) and seeded fuzzing of every data reader, the forget-set reader and
 * the job-file reader: every input ends in one LetheError naming the file, or loads.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readForgetSet, resolveForgetSet } from '../../../src/engine/data/forgetSet';
import { loadDataset } from '../../../src/engine/data/load';
import type { Dataset } from '../../../src/engine/data/types';
import { loadJobFile } from '../../../src/engine/job/load';
import { Rng } from '../../../src/engine/util/rng';
import { DATA_CASES, type Files } from '../../corpus/dataCases';
import { mutate, mutateJson } from '../../corpus/mutate';
import { describeStats, expectHealthy, expectRefusal, fuzz, outcomeOf } from '../../corpus/outcome';
import { idxBytes, npyBytes, pngBytes } from '../data/helpers';

const root = mkdtempSync(join(tmpdir(), 'lethe-data-corpus-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeFiles(dir: string, files: Files): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
}

describe(`data corpus (${DATA_CASES.length} hostile datasets)`, () => {
  it('prints the corpus size', () => {
    console.log(`[corpus] data: ${DATA_CASES.length} hostile datasets (CSV, JSONL, IDX, NPY, PNG/JPEG, descriptors)`);
    expect(DATA_CASES.length).toBeGreaterThan(30);
  });
  for (const c of DATA_CASES) {
    it(`${c.name}: one LetheError naming ${c.blame}`, async () => {
      const dir = join(root, c.name);
      writeFiles(dir, c.files);
      const before = process.memoryUsage().arrayBuffers;
      await expectRefusal(() => loadDataset(join(dir, c.entry), { inputShape: c.inputShape }), join(dir, c.blame), c.cause);
      expect((process.memoryUsage().arrayBuffers - before) / 2 ** 20, 'MB of ArrayBuffers reserved').toBeLessThan(64);
    });
  }
});

/** Valid small datasets of every format; the fuzzer corrupts one file of one of them per iteration. */
const f32 = (n: number, seed: number) => new Uint8Array(new Float32Array(n).map((_, i) => ((i * 7919 + seed) % 255) / 255).buffer);
const i32 = (values: number[]) => new Uint8Array(new Int32Array(values).buffer);
const labels = (n: number) => Array.from({ length: n }, (_, i) => i % 3);
const csv = (n: number) => 'a,b,c,label\n' + Array.from({ length: n }, (_, i) => `${i * 0.5},${-i},${i % 7},${i % 3}`).join('\n') + '\n';
const jsonl = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ x: [i, i / 2, -i], label: ['cat', 'dog', 'eel'][i % 3] })).join('\n') + '\n';
const png = (seed: number) => pngBytes(5, 4, (x, y) => [(x * 50 + seed) % 256, (y * 60 + seed) % 256, (x + y) * 20, 255]);

const BASES: { name: string; files: Files; entry: string; targets: string[] }[] = [
  {
    name: 'idx-gz',
    files: {
      'train-images-idx3-ubyte.gz': gzipSync(idxBytes([30, 4, 5], Array.from({ length: 600 }, (_, i) => (i * 31) % 256))),
      'train-labels-idx1-ubyte.gz': gzipSync(idxBytes([30], labels(30))),
      't10k-images-idx3-ubyte.gz': gzipSync(idxBytes([9, 4, 5], Array.from({ length: 180 }, (_, i) => (i * 17) % 256))),
      't10k-labels-idx1-ubyte.gz': gzipSync(idxBytes([9], labels(9))),
    },
    entry: '.',
    targets: ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'],
  },
  {
    name: 'idx-raw',
    files: {
      'train-images-idx3-ubyte': idxBytes([30, 4, 5], Array.from({ length: 600 }, (_, i) => (i * 31) % 256)),
      'train-labels-idx1-ubyte': idxBytes([30], labels(30)),
      't10k-images-idx3-ubyte': idxBytes([9, 4, 5], Array.from({ length: 180 }, (_, i) => (i * 17) % 256)),
      't10k-labels-idx1-ubyte': idxBytes([9], labels(9)),
    },
    entry: '.',
    targets: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  },
  {
    name: 'npy',
    files: {
      'd.dataset.yaml': 'format: npy\nfiles:\n  train: {x: x.npy, y: y.npy}\n  test: {x: xt.npy, y: yt.npy}\n',
      'x.npy': npyBytes('<f4', [30, 6], f32(180, 1)),
      'y.npy': npyBytes('<i4', [30], i32(labels(30))),
      'xt.npy': npyBytes('<f4', [9, 6], f32(54, 2)),
      'yt.npy': npyBytes('<i4', [9], i32(labels(9))),
    },
    entry: 'd.dataset.yaml',
    targets: ['x.npy', 'y.npy', 'd.dataset.yaml'],
  },
  {
    name: 'csv',
    files: { 'd.dataset.json': JSON.stringify({ format: 'csv', files: { train: 'train.csv', test: 'test.csv' } }), 'train.csv': csv(30), 'test.csv': csv(9) },
    entry: 'd.dataset.json',
    targets: ['train.csv', 'd.dataset.json'],
  },
  {
    name: 'jsonl',
    files: { 'd.dataset.json': JSON.stringify({ format: 'jsonl', files: { train: 'train.jsonl', test: 'test.jsonl' } }), 'train.jsonl': jsonl(30), 'test.jsonl': jsonl(9) },
    entry: 'd.dataset.json',
    targets: ['train.jsonl'],
  },
  {
    name: 'png',
    files: {
      'd.dataset.json': JSON.stringify({ format: 'images', files: { train: 'train', test: 'test' }, preprocessing: { size: [4, 5], channels: 'rgb' } }),
      'train/cat/a.png': png(1),
      'train/cat/b.png': png(2),
      'train/dog/a.png': png(3),
      'test/cat/a.png': png(4),
      'test/dog/a.png': png(5),
    },
    entry: 'd.dataset.json',
    targets: ['train/cat/a.png'],
  },
];

describe('seeded fuzzing of loadDataset', () => {
  for (const base of BASES) {
    const iterations = 300;
    it(`${base.name}: ${iterations} mutants of ${base.targets.join(', ')}`, async () => {
      const dir = join(root, `fuzz-${base.name}`);
      writeFiles(dir, base.files);
      expect((await loadDataset(join(dir, base.entry))).train.n, 'the unmutated base loads').toBeGreaterThan(0);
      const rng = new Rng(7 + base.name.length);
      const stats = await fuzz(iterations, async (i) => {
        const target = base.targets[i % base.targets.length];
        const original = base.files[target];
        const { bytes, how } = mutate(typeof original === 'string' ? new TextEncoder().encode(original) : original, rng, 512);
        writeFileSync(join(dir, target), bytes);
        // A corrupted descriptor may name a file that does not exist: the error then names that path instead.
        const blame = target === base.entry ? dir : join(dir, target);
        const outcome = await outcomeOf(() => loadDataset(join(dir, base.entry)), blame);
        writeFileSync(join(dir, target), original);
        return { how: `${target}: ${how}`, outcome };
      });
      console.log(describeStats(`loadDataset ${base.name}`, stats));
      expectHealthy(stats, iterations / 10);
    });
  }
});

/** Writes each mutant to `file` and records how readForgetSet + resolveForgetSet take it. */
function fuzzForgetSet(count: number, file: string, train: Dataset, mutant: (i: number) => { bytes: Uint8Array; how: string }) {
  return fuzz(count, async (i) => {
    const { bytes, how } = mutant(i);
    writeFileSync(file, bytes);
    return { how, outcome: await outcomeOf(async () => resolveForgetSet(await readForgetSet(file), train, file), file) };
  });
}

describe('seeded fuzzing of readForgetSet + resolveForgetSet and loadJobFile', () => {
  it('forget sets: 1000 mutants of a valid forget set', async () => {
    const dir = join(root, 'fuzz-forget');
    writeFiles(dir, BASES[1].files);
    const data = await loadDataset(dir);
    const file = join(dir, 'f.forget.json');
    const valid = JSON.stringify({ version: 1, dataset: '.', description: 'x', selection: { kind: 'ids', ids: ['train:1', 'train:4', 'train:9'] } });
    const alternatives = [valid, JSON.stringify({ version: 1, dataset: '.', selection: { kind: 'classes', classes: [1, '2'] } }), JSON.stringify({ version: 1, dataset: '.', selection: { kind: 'indices', indices: [0, 3, 29] } })];
    const rng = new Rng(99);
    const stats = await fuzzForgetSet(1000, file, data.train, (i) => mutate(new TextEncoder().encode(alternatives[i % alternatives.length]), rng));
    console.log(describeStats('readForgetSet', stats));
    expectHealthy(stats, 500);
  });

  it('forget sets: 600 structure-aware mutants (hostile values, missing and unknown keys)', async () => {
    const dir = join(root, 'fuzz-forget-json');
    writeFiles(dir, BASES[1].files);
    const data = await loadDataset(dir);
    const file = join(dir, 'g.forget.json');
    const docs = [
      { version: 1, dataset: '.', description: 'x', selection: { kind: 'ids', ids: ['train:1', 'train:4', 'train:9'] } },
      { version: 1, dataset: '.', split: 'train', selection: { kind: 'classes', classes: [1, '2'] } },
      { version: 1, dataset: '.', selection: { kind: 'indices', indices: [0, 3, 29] } },
      { version: 1, dataset: '.', selection: { kind: 'rows', file: 'train.csv', rows: [2, 3] } },
      { version: 1, dataset: '.', selection: { kind: 'files', files: ['a.png', 'sub'] } },
    ];
    const rng = new Rng(1234);
    const stats = await fuzzForgetSet(600, file, data.train, (i) => mutateJson(docs[i % docs.length], rng));
    console.log(describeStats('readForgetSet (structure-aware)', stats));
    expectHealthy(stats, 300);
  });

  it('job files: 1000 mutants of the example job (YAML) and of a JSON job', async () => {
    const dir = join(root, 'fuzz-job');
    mkdirSync(dir, { recursive: true });
    const yaml = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'fashion-mnist', 'demo.lethe.yaml'));
    const json = new TextEncoder().encode(JSON.stringify({ model: 'm.onnx', data: 'd', forget: 'f.forget.json', method: 'scrub', params: { epochs: 2 }, training: { epochs: 3, lr: 0.1 }, seed: 4 }));
    const rng = new Rng(5);
    const stats = await fuzz(1000, async (i) => {
      const file = join(dir, i % 2 ? 'job.lethe.json' : 'job.lethe.yaml');
      const { bytes, how } = mutate(i % 2 ? json : yaml, rng);
      writeFileSync(file, bytes);
      return { how, outcome: await outcomeOf(() => loadJobFile(file), file) };
    });
    console.log(describeStats('loadJobFile', stats));
    expectHealthy(stats, 300);
  });

  it('job files: 600 structure-aware mutants of a full JSON job', async () => {
    mkdirSync(join(root, 'fuzz-job-json'), { recursive: true });
    const file = join(root, 'fuzz-job-json', 'full.lethe.json');
    const doc = {
      version: 1, name: 'n', kind: 'unlearn', model: 'm.onnx', data: 'd', forget: 'f.forget.json', method: 'scrub', params: { epochs: 2, lr: 0.01 },
      training: { epochs: 3, batchSize: 64, optimizer: 'adam', lr: 0.1, momentum: 0.9, weightDecay: 0, schedule: 'step' },
      reference: { retrain: true, checkpoints: ['r.onnx'], klomModels: 2 }, evaluation: { mia: true, jsd: false, attribution: false, validationFraction: 0.2 },
      seed: 4, output: 'runs', threads: 2,
    };
    const rng = new Rng(4321);
    const stats = await fuzz(600, async () => {
      const { bytes, how } = mutateJson(doc, rng);
      writeFileSync(file, bytes);
      return { how, outcome: await outcomeOf(() => loadJobFile(file), file) };
    });
    console.log(describeStats('loadJobFile (structure-aware)', stats));
    expectHealthy(stats, 200);
  });
});
