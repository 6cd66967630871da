/** The up-front memory estimate (src/engine/job/resources.ts) and its refusal through runJob. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../../src/engine/data/load';
import { checkMemory, datasetFiles, estimateExamples, estimateJobMemory, featuresPerExample, memoryLimitMB, modelCopies, parameterCount } from '../../../src/engine/job/resources';
import { runJob } from '../../../src/engine/job/run';
import { JobSpec } from '../../../src/engine/contracts/jobSpec';
import { DEFAULT_RECIPE } from '../../../src/engine/contracts/recipe';
import { readModelFile } from '../../../src/engine/onnx/read';
import { isLetheError } from '../../../src/engine/util/errors';
import { expectRefusal } from '../../corpus/outcome';
import { EXAMPLE, smallWorkspace } from '../../corpus/workspace';

const ws = smallWorkspace(300, 100);
afterAll(() => ws.remove());
const spec = (extra: object = {}) => JobSpec.parse({ model: 'model.onnx', data: 'fashion-data', forget: 'f.forget.json', ...extra });

describe('the limit', () => {
  it('is the option, else LETHE_MAX_MEMORY_MB, else 80% of the RAM', () => {
    expect(memoryLimitMB(123, '456')).toBe(123);
    expect(memoryLimitMB(undefined, '456')).toBe(456);
    expect(memoryLimitMB(undefined, undefined)).toBe(Math.floor((0.8 * totalmem()) / 2 ** 20));
  });
  it.each(['lots', '-5', '0', 'NaN'])('LETHE_MAX_MEMORY_MB="%s" is refused', (bad) => {
    let caught: unknown;
    try {
      memoryLimitMB(undefined, bad);
    } catch (e) {
      caught = e;
    }
    expect(isLetheError(caught) && caught.message).toMatch(/LETHE_MAX_MEMORY_MB must be a positive number of megabytes/);
  });
});

describe('the estimate', () => {
  it('counts parameter copies by what the job keeps alive', () => {
    expect(modelCopies(spec({ kind: 'audit', forget: undefined }), 'sgd')).toBe(1);
    expect(modelCopies(spec({ kind: 'audit', reference: { checkpoints: ['a.onnx', 'b.onnx'] } }), 'sgd')).toBe(3); // + two references
    expect(modelCopies(spec({ kind: 'audit' }), 'sgd')).toBe(6); // trains a retrain reference and keeps it
    expect(modelCopies(spec({ reference: { retrain: false } }), 'sgd')).toBe(5); // original, values, gradient, momentum, output
    expect(modelCopies(spec({ reference: { retrain: false } }), 'adam')).toBe(6);
    expect(modelCopies(spec(), 'sgd')).toBe(6); // + the retrain reference
    expect(modelCopies(spec({ method: 'scrub' }), 'sgd')).toBe(7); // + the teacher
  });

  it('knows the MLP fixture: 784-256-10 parameters, 784 values per example', async () => {
    const model = await readModelFile(ws.model);
    expect(parameterCount(model)).toBe(784 * 256 + 256 + 256 * 10 + 10);
    expect(featuresPerExample(model)).toBe(784);
  });

  it('bounds the example count from above, tightly for byte images (raw and gzipped IDX)', async () => {
    for (const [path, examples] of [[ws.data, 400], [join(EXAMPLE, 'data'), (await loadDataset(join(EXAMPLE, 'data'))).train.n + 2000]] as const) {
      const estimate = await estimateExamples(path, 784);
      expect(estimate).toBeGreaterThanOrEqual(examples);
      expect(estimate).toBeLessThan(examples * 1.01 + 10);
    }
  });

  it('counts an image folder named by a descriptor one example per image', async () => {
    const dir = join(ws.root, 'pictures');
    for (const f of ['train/cat/a.png', 'train/cat/b.jpg', 'train/dog/c.png', 'test/cat/d.png']) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), new Uint8Array(5000)); // size does not matter for images
    }
    writeFileSync(join(dir, 'p.dataset.json'), JSON.stringify({ format: 'images', files: { train: 'train', test: 'test' } }));
    expect(await estimateExamples(join(dir, 'p.dataset.json'), 3 * 32 * 32)).toBe(4 + 1); // + the descriptor itself
    expect(await estimateExamples(dir, 3 * 32 * 32)).toBe(5); // a folder holding one descriptor
  });

  it('does not walk a tree that is not a dataset (the loader refuses it)', async () => {
    const tree = join(ws.root, 'not-a-dataset');
    mkdirSync(join(tree, 'a', 'b'), { recursive: true });
    writeFileSync(join(tree, 'a', 'b', 'rows.csv'), 'x,label\n'.repeat(1000));
    writeFileSync(join(tree, 'a', 'picture.png'), new Uint8Array(10));
    expect(await datasetFiles(tree)).toEqual([]);
    expect(await estimateExamples(tree, 784)).toBe(0);
  });

  it('refuses over the limit with the numbers and how to raise it', async () => {
    const e = await estimateJobMemory(await readModelFile(ws.model), spec({ reference: { retrain: false } }), DEFAULT_RECIPE, ws.data);
    expect(e.bytes).toBe(4 * (e.parameters * 5 + e.examples * 784));
    expect(() => checkMemory(e, e.bytes / 2 ** 20 + 1)).not.toThrow();
    expect(() => checkMemory(e, 1)).toThrow(/the job needs about 5\.1 MB of memory \(model 3\.9 MB: 203530 parameters × 5 copies; data 1\.\d MB: up to 40\d examples × 784 values × 4 bytes\), over the limit of 1\.0 MB; .*LETHE_MAX_MEMORY_MB/);
  });
});

describe('runJob', () => {
  const job = (opts: { maxMemoryMB?: number } = {}) =>
    runJob({ model: 'model.onnx', data: 'fashion-data', forget: ws.forget('f', { kind: 'indices', indices: [1, 2] }), reference: { retrain: false }, output: 'runs' }, { baseDir: ws.root, ...opts });

  it('refuses before loading the data (a corrupt data file is not even read)', async () => {
    const labels = join(ws.data, 'train-labels-idx1-ubyte');
    const good = readFileSync(labels);
    writeFileSync(labels, good.subarray(0, 10));
    try {
      await expectRefusal(() => job({ maxMemoryMB: 2 }), 'LETHE_MAX_MEMORY_MB', /the job needs about .* over the limit of 2\.0 MB/);
    } finally {
      writeFileSync(labels, good);
    }
  });

  it('takes the limit from LETHE_MAX_MEMORY_MB', async () => {
    process.env.LETHE_MAX_MEMORY_MB = '3';
    try {
      await expectRefusal(() => job(), 'LETHE_MAX_MEMORY_MB', /over the limit of 3\.0 MB/);
    } finally {
      delete process.env.LETHE_MAX_MEMORY_MB;
    }
  });
});
