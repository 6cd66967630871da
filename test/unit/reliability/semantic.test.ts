/**
 * Refusals of inputs that parse but do not mean what they say (issue 14, items 7 and 8): a forget set for another
 * dataset, unknown keys named like Object.prototype members, job files too large or with duplicate keys, YAML parsed
 * in linear time, JSONL nested 100k deep.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../../src/engine/data/load';
import { readForgetSet, requireSameDataset } from '../../../src/engine/data/forgetSet';
import { loadJobFile, MAX_JOB_FILE_BYTES } from '../../../src/engine/job/load';
import { runJob } from '../../../src/engine/job/run';
import { expectRefusal } from '../../corpus/outcome';
import { smallWorkspace, writeSmallFashionMnist } from '../../corpus/workspace';

const root = mkdtempSync(join(tmpdir(), 'lethe-semantic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = join(root, name);
  writeFileSync(file, text);
  return file;
};

describe('a forget set names its dataset', () => {
  const ws = smallWorkspace(60, 20);
  afterAll(() => ws.remove());

  it('is refused by a job on another dataset, naming both', async () => {
    const other = join(ws.root, 'other-data');
    writeSmallFashionMnist(other, 60, 20);
    const forget = ws.forget('few', { kind: 'indices', indices: [1, 2] });
    const message = await expectRefusal(
      () => runJob({ model: 'model.onnx', data: 'other-data', forget, reference: { retrain: false }, output: 'runs' }, { baseDir: ws.root }),
      forget,
      /few\.forget\.json: dataset: the forget set is for the dataset .*fashion-data, but the job's data is .*other-data; refused/,
    );
    expect(message).toContain(other);
  });

  it('is accepted for its dataset named as the folder, the descriptor in it, or through a link', async () => {
    const dir = join(root, 'described');
    mkdirSync(dir);
    writeFileSync(join(dir, 'd.dataset.json'), JSON.stringify({ format: 'csv', files: { train: 'a.csv', test: 'a.csv' } }));
    writeFileSync(join(dir, 'a.csv'), 'x,label\n1,0\n2,1\n3,0\n');
    const data = await loadDataset(dir); // loads as its descriptor
    for (const named of [dir, join(dir, 'd.dataset.json'), './described']) {
      const file = write('ok.forget.json', JSON.stringify({ version: 1, dataset: named, selection: { kind: 'indices', indices: [0] } }));
      await requireSameDataset(await readForgetSet(file), file, data.path);
    }
  });
});

describe('job files', () => {
  const job = 'model: m.onnx\ndata: d\nforget: f.forget.json\n';
  it('refuse keys named like Object.prototype members as unknown, at the top and in params', async () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      await expectRefusal(() => loadJobFile(write(`top-${key}.lethe.yaml`, `${job}${key}: 1\n`)), `top-${key}.lethe.yaml`, new RegExp(`: ${key}: unknown key$`));
      await expectRefusal(() => loadJobFile(write(`top-${key}.lethe.json`, JSON.stringify({ model: 'm', data: 'd', [key]: { a: 1 } }))), `top-${key}.lethe.json`, new RegExp(`: ${key}: unknown key$`));
    }
    await expectRefusal(() => loadJobFile(write('p.lethe.yaml', `${job}params:\n  __proto__: {epochs: 1}\n`)), 'p.lethe.yaml', /p\.lethe\.yaml: params\.__proto__: unknown key$/);
    await expectRefusal(() => loadJobFile(write('p.lethe.json', '{"model": "m", "data": "d", "params": {"__proto__": 3}}')), 'p.lethe.json', /params\.__proto__: unknown key$/);
    await expectRefusal(() => loadJobFile(write('r.lethe.yaml', `${job}reference:\n  __proto__: 1\n`)), 'r.lethe.yaml', /reference\.__proto__: unknown key$/);
  });

  it(`refuse a file past ${MAX_JOB_FILE_BYTES} bytes before parsing it`, async () => {
    const big = write('big.lethe.yaml', job + '# padding\n'.repeat(MAX_JOB_FILE_BYTES / 10 + 1));
    await expectRefusal(() => loadJobFile(big), big, /the job file is \d+ bytes, more than the 1048576 accepted/);
  });

  // Time is bounded by the size cap above and a duplicate-key check that visits each key once; the time itself is
  // printed, not asserted (no timing thresholds in tests).
  it('parse 20k keys, and refuse a key given twice with its line', async () => {
    const many = write('many.lethe.yaml', job + 'params:\n' + Array.from({ length: 20_000 }, (_, i) => `  k${i}: ${i}`).join('\n') + '\n');
    const started = performance.now();
    const spec = await loadJobFile(many); // params are checked against the method later
    console.log(`[corpus] job file with 20000 keys parsed in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    expect(Object.keys(spec.params)).toHaveLength(20_000);
    expect(spec.params.k19999).toBe(19_999);
    await expectRefusal(() => loadJobFile(write('twice.lethe.yaml', `${job}seed: 1\nseed: 2\n`)), 'twice.lethe.yaml', /twice\.lethe\.yaml: line 5, column 1: not valid YAML \(a key appears twice in one mapping\)/);
  });

  it('refuse YAML nested 100k deep and alias bombs in one line', async () => {
    await expectRefusal(() => loadJobFile(write('deep.lethe.yaml', '['.repeat(100_000) + ']'.repeat(100_000))), 'deep.lethe.yaml', /not valid YAML/);
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\n' + Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`).join('\n') + '\n';
    await expectRefusal(() => loadJobFile(write('aliases.lethe.yaml', bomb)), 'aliases.lethe.yaml', /not valid YAML \(too many aliases\)/);
  });
});

describe('JSONL nested 100k deep', () => {
  it('is refused with the line and the key', async () => {
    const dir = join(root, 'deep-jsonl');
    mkdirSync(dir);
    writeFileSync(join(dir, 'd.dataset.json'), JSON.stringify({ format: 'jsonl', files: { train: 'train.jsonl', test: 'train.jsonl' } }));
    writeFileSync(join(dir, 'train.jsonl'), `{"x": [1], "label": 0}\n{"x": ${'['.repeat(100_000)}1${']'.repeat(100_000)}, "label": 1}\n`);
    await expectRefusal(() => loadDataset(join(dir, 'd.dataset.json')), 'train.jsonl', /train\.jsonl: line 2, key "x": arrays nested more than 32 deep/);
  });
});
