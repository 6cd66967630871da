/**
 * Job-level hostile inputs through `runJob`: forget sets (empty, duplicate, unknown ids, whole dataset, whole
 * class), job specs (unknown keys, wrong types), paths escaping the workspace, data that does not fit the model.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readForgetSet, resolveForgetSet } from '../../../src/engine/data/forgetSet';
import { loadDataset } from '../../../src/engine/data/load';
import { runJob } from '../../../src/engine/job/run';
import { METHODS, resolveParams } from '../../../src/engine/methods/registry';
import { isLetheError } from '../../../src/engine/util/errors';
import type { JobSpecInput } from '../../../src/engine/contracts/jobSpec';
import { expectRefusal } from '../../corpus/outcome';
import { smallWorkspace } from '../../corpus/workspace';

const ws = smallWorkspace(600, 200);
afterAll(() => ws.remove());
// runJob hashes the job file into the provenance: the specs below stand for this file's content.
writeFileSync(join(ws.root, 'job.lethe.yaml'), '# specs are passed to runJob directly\n');

const fast = (forget: string, extra: Partial<JobSpecInput> = {}): JobSpecInput => ({
  model: 'model.onnx',
  data: 'fashion-data',
  forget,
  method: 'finetune',
  params: { epochs: 1 },
  reference: { retrain: false },
  evaluation: { mia: false, jsd: false },
  output: 'runs',
  ...extra,
});
const job = (spec: JobSpecInput, jobFile = join(ws.root, 'job.lethe.yaml')) => runJob(spec, { baseDir: ws.root, jobFile, workspaceRoot: ws.root });

describe('forget sets', () => {
  it('an empty selection is refused, naming the file and the key', async () => {
    const f = ws.forget('empty', { kind: 'ids', ids: [] });
    await expectRefusal(() => job(fast(f)), f, /selection\.ids/);
  });

  it('duplicate ids count once', async () => {
    const f = ws.forget('dups', { kind: 'ids', ids: ['train:3', 'train:3', 'train:5', 'train:3'] });
    const data = await loadDataset(ws.data);
    expect(Array.from(resolveForgetSet(await readForgetSet(f), data.train, f).forget)).toEqual([3, 5]);
  });

  it('ids that do not exist are refused, naming them', async () => {
    const f = ws.forget('ghosts', { kind: 'ids', ids: ['train:3', 'train:600', 'file:nope.png'] });
    await expectRefusal(() => job(fast(f)), f, /selection\.ids: ids not in the training split: .*train:600/);
  });

  it('indices out of range are refused', async () => {
    const f = ws.forget('range', { kind: 'indices', indices: [0, 5000] });
    await expectRefusal(() => job(fast(f)), f, /indices out of range \[0, 600\): 5000/);
  });

  it('forgetting the whole training split is refused', async () => {
    const f = ws.forget('everything', { kind: 'indices', indices: Array.from({ length: 600 }, (_, i) => i) });
    await expectRefusal(() => job(fast(f)), f, /covers all 600 training examples; nothing would be left to retain/);
    const g = ws.forget('all-classes', { kind: 'classes', classes: Array.from({ length: 10 }, (_, i) => i) });
    await expectRefusal(() => job(fast(g)), g, /covers all 600 training examples/);
  });

  it('forgetting a whole class works (class forgetting)', async () => {
    const f = ws.forget('sandals', { kind: 'classes', classes: ['Sandal'] });
    const data = await loadDataset(ws.data);
    const sandals = Array.from(data.train.y).filter((y) => y === data.classNames.indexOf('Sandal')).length;
    const { report } = await job(fast(f));
    expect(sandals).toBeGreaterThan(0);
    expect(report.dataset.sizes.forget).toBe(sandals);
    expect(report.dataset.sizes.retain).toBe(600 - sandals);
    expect(report.models.unlearned).toBeDefined();
  });
});

describe('job specs', () => {
  const f = () => ws.forget('some', { kind: 'indices', indices: [1, 2, 3] });
  it.each([
    ['an unknown top-level key', { sparkle: 1 }, /sparkle: unknown key/],
    ['an unknown nested key', { training: { epochs: 1, learningRate: 0.1 } }, /training\.learningRate: unknown key/],
    ['a string for a number', { seed: 'seven' }, /seed/],
    ['a negative seed', { seed: -1 }, /seed/],
    ['a number for the method', { method: 5 }, /method/],
    ['a fractional epoch count', { training: { epochs: 1.5 } }, /training\.epochs/],
  ])('%s is refused, naming the job file and the key', async (_what, extra, cause) => {
    await expectRefusal(() => job({ ...fast(f()), ...(extra as object) } as JobSpecInput), join(ws.root, 'job.lethe.yaml'), cause);
  });

  it('an unknown method and an out-of-range parameter are refused', async () => {
    await expectRefusal(() => job(fast(f(), { method: 'amnesia' })), 'amnesia', /amnesia/);
    await expectRefusal(() => job(fast(f(), { params: { epochs: -2 } })), 'epochs', /epochs/);
  });
});

describe('paths escaping the workspace', () => {
  const outside = smallWorkspace(20, 10);
  afterAll(() => outside.remove());
  const f = () => ws.forget('few', { kind: 'indices', indices: [1, 2] });

  it.each([
    ['model', { model: '../x.onnx' }],
    ['data (absolute)', { data: '/etc' }],
    ['output', { output: '../runs-elsewhere' }],
    ['reference checkpoint', { reference: { checkpoints: ['../../etc/passwd.onnx'] } }],
  ])('%s outside the workspace is refused', async (what, extra) => {
    await expectRefusal(() => job({ ...fast(f()), ...(extra as object) } as JobSpecInput), 'workspace', new RegExp(`${what.split(' ')[0]}.*path ".*" is outside the workspace; refused`));
  });

  it('a forget set outside the workspace is refused', async () => {
    await expectRefusal(() => job(fast(outside.forget('x', { kind: 'indices', indices: [1] }))), 'workspace', /forget set path ".*" is outside the workspace; refused/);
  });

  it('a symlink inside the workspace that points outside is refused', async () => {
    symlinkSync(outside.data, join(ws.root, 'linked-data'));
    await expectRefusal(() => job(fast(f(), { data: 'linked-data' })), 'workspace', /data path "linked-data" is outside the workspace; refused/);
  });

  it('a descriptor inside the workspace naming files outside it is refused', async () => {
    const d = join(ws.root, 'sneaky');
    mkdirSync(d, { recursive: true });
    const rel = (name: string) => relative(d, join(outside.data, name));
    writeFileSync(
      join(d, 'd.dataset.json'),
      JSON.stringify({ format: 'idx', files: { train: { images: rel('train-images-idx3-ubyte'), labels: rel('train-labels-idx1-ubyte') }, test: { images: rel('t10k-images-idx3-ubyte'), labels: rel('t10k-labels-idx1-ubyte') } } }),
    );
    await expectRefusal(() => job(fast(f(), { data: 'sneaky/d.dataset.json' })), 'workspace', /data file path ".*train-images-idx3-ubyte" is outside the workspace; refused/);
  });
});

describe('data that does not fit the model', () => {
  it('examples of the wrong shape are refused, naming the data file', async () => {
    const d = join(ws.root, 'tabular');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 't.csv'), 'a,b,label\n' + Array.from({ length: 20 }, (_, i) => `${i},${-i},${i % 2}`).join('\n') + '\n');
    writeFileSync(join(d, 'd.dataset.json'), JSON.stringify({ format: 'csv', files: { train: 't.csv', test: 't.csv' } }));
    await expectRefusal(() => job(fast(ws.forget('t', { kind: 'indices', indices: [1] }), { data: 'tabular/d.dataset.json' })), 't.csv', /do not fit the model input \[1, 28, 28\]/);
  });

  it('more classes in the data than the model has outputs is refused', async () => {
    const d = join(ws.root, 'twelve');
    mkdirSync(d, { recursive: true });
    for (const name of ['train-images-idx3-ubyte', 't10k-images-idx3-ubyte']) writeFileSync(join(d, name), readFileSync(join(ws.data, name)));
    for (const name of ['train-labels-idx1-ubyte', 't10k-labels-idx1-ubyte']) {
      const labels = readFileSync(join(ws.data, name));
      for (let i = 8; i < labels.length; i += 7) labels[i] = 10 + (i % 2); // classes 10 and 11: the model has 10 outputs
      writeFileSync(join(d, name), labels);
    }
    const classNames = Array.from({ length: 12 }, (_, i) => `c${i}`);
    writeFileSync(join(d, 'd.dataset.json'), JSON.stringify({ format: 'idx', classNames, files: { train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' }, test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' } } }));
    // The forget set names this dataset: a forget set is refused on any other (data/forgetSet.ts).
    const forget = join(d, 'tw.forget.json');
    writeFileSync(forget, JSON.stringify({ version: 1, dataset: 'd.dataset.json', selection: { kind: 'indices', indices: [1] } }));
    await expectRefusal(() => job(fast(forget, { data: 'twelve/d.dataset.json' })), 'model.onnx', /label 1[01] of batch example \d+ is outside 0\.\.9/);
  });
});

describe('method parameters', () => {
  const hostile: unknown[] = [null, 'abc', '', -1, 0, 1e308, -1e308, 1.5, Number.NaN, true, [], {}, '7', 2 ** 53 + 2];
  it(`every parameter of every method, ${hostile.length} hostile values each: a valid value or one LetheError naming the method and parameter`, () => {
    let tried = 0;
    for (const method of METHODS) {
      for (const name of Object.keys(method.params)) {
        for (const value of hostile) {
          tried++;
          try {
            const params = resolveParams(method, { [name]: value });
            const spec = method.params[name];
            if (spec.type === 'number' || spec.type === 'integer') {
              expect(Number.isFinite(params[name]), `${method.name}.${name} = ${String(value)}`).toBe(true);
              if (spec.min !== undefined) expect(params[name]).toBeGreaterThanOrEqual(spec.min);
              if (spec.max !== undefined) expect(params[name]).toBeLessThanOrEqual(spec.max);
              if (spec.type === 'integer') expect(Number.isInteger(params[name])).toBe(true);
            } else if (spec.type === 'enum') expect(spec.values).toContain(params[name]);
            else expect(typeof params[name]).toBe('boolean');
          } catch (e) {
            if (!isLetheError(e)) throw e;
            expect(e.message).toContain(method.name);
            expect(e.message).toContain(name);
          }
        }
      }
    }
    console.log(`[corpus] method parameters: ${tried} hostile values across ${METHODS.length} methods`);
    const unknown = () => resolveParams(METHODS[0], { notAParameter: 1 });
    expect(unknown).toThrow(/notAParameter/);
  });
});
