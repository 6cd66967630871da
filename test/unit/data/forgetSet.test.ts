import { describe, expect, it } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dataset, ForgetSetFile } from '../../../src/engine/data/types';
import { forgetSetDatasetPath, readForgetSet, resolveForgetSet, writeForgetSet } from '../../../src/engine/data/forgetSet';
import { loadDataset } from '../../../src/engine/data/load';
import { expectLetheError, pngBytes, put, tempDir } from './helpers';

function toy(labels: number[], ids = labels.map((_, i) => `train:${i}`)): Dataset {
  return {
    x: new Float32Array(labels.length),
    y: Int32Array.from(labels),
    n: labels.length,
    exampleShape: [1],
    ids,
    classNames: ['cat', 'dog', 'bird'],
    sources: [],
  };
}

const forgetSet = (selection: ForgetSetFile['selection']): ForgetSetFile => ({ version: 1, dataset: 'data', selection });
const FILE = '/proj/sets/x.forget.json';

describe('forget-set files', () => {
  it('round-trips through an atomic write', async () => {
    const dir = await tempDir();
    const file = join(dir, 'sets', 'tshirts.forget.json');
    const fs: ForgetSetFile = { version: 1, dataset: '../data', split: 'train', description: 'all T-shirts', selection: { kind: 'classes', classes: ['T-shirt/top', 3] } };
    await writeForgetSet(file, fs);
    expect(await readForgetSet(file)).toEqual(fs);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(fs);
    expect(await readdir(join(dir, 'sets'))).toEqual(['tshirts.forget.json']);
    expect(forgetSetDatasetPath(fs, file)).toBe(join(dir, 'data'));
  });

  it('names the file and the key of every validation problem', async () => {
    const dir = await tempDir();
    const file = join(dir, 'bad.forget.json');
    const check = async (value: unknown, ...patterns: RegExp[]) => {
      await put(file, typeof value === 'string' ? value : JSON.stringify(value));
      await expectLetheError(() => readForgetSet(file), new RegExp(file.replace(/[.]/g, '\\.')), ...patterns);
    };
    await check('{"version": 1,', /not valid JSON/);
    await check({ version: 2, dataset: 'd', selection: { kind: 'ids', ids: ['a'] } }, /: version: /);
    await check({ version: 1, dataset: 'd', selection: { kind: 'ids', idz: ['a'] } }, /selection\.ids: .*expected array/);
    await check({ version: 1, dataset: 'd', selection: { kind: 'ids', ids: ['a'], extra: 1 } }, /selection\.extra: unknown key$/);
    await check({ version: 1, dataset: 'd', selection: { kind: 'query', q: 'x' } }, /selection\.kind: /);
    await check({ version: 1, dataset: 'd', selection: { kind: 'ids', ids: [] } }, /selection\.ids: /);
    await check({ version: 1, dataset: 'd', selection: { kind: 'indices', indices: [1, -2] } }, /selection\.indices\[1\]: /);
    await check({ version: 1, dataset: 'd', selection: { kind: 'rows', file: 'a.csv', rows: [0] } }, /selection\.rows\[0\]: /);
    await check({ version: 1, selection: { kind: 'ids', ids: ['a'] } }, /dataset: /);
    await expectLetheError(() => writeForgetSet(file, { version: 1, dataset: '', selection: { kind: 'ids', ids: ['a'] } }), /dataset: /);
  });
});

describe('resolving selections', () => {
  const ds = toy([0, 1, 0, 2, 1, 0]);

  it('resolves ids, indices and classes to sorted unique indices with the retain complement', () => {
    const byIds = resolveForgetSet(forgetSet({ kind: 'ids', ids: ['train:4', 'train:1', 'train:4'] }), ds, FILE);
    expect(Array.from(byIds.forget)).toEqual([1, 4]);
    expect(Array.from(byIds.retain)).toEqual([0, 2, 3, 5]);
    expect(Array.from(resolveForgetSet(forgetSet({ kind: 'indices', indices: [5, 0, 5] }), ds, FILE).forget)).toEqual([0, 5]);
    expect(Array.from(resolveForgetSet(forgetSet({ kind: 'classes', classes: ['bird', 1] }), ds, FILE).forget)).toEqual([1, 3, 4]);
  });

  it('names missing ids, out-of-range indices and unknown classes', async () => {
    await expectLetheError(() => resolveForgetSet(forgetSet({ kind: 'ids', ids: ['train:1', 'train:9', 'test:0', 'x', 'y', 'z', 'w'] }), ds, FILE), /\/proj\/sets\/x\.forget\.json: selection\.ids: ids not in the training split: "train:9", "test:0", "x", "y", "z", … \(6 in all\)/);
    await expectLetheError(() => resolveForgetSet(forgetSet({ kind: 'indices', indices: [1, 6, 7] }), ds, FILE), /selection\.indices: indices out of range \[0, 6\): 6, 7/);
    await expectLetheError(() => resolveForgetSet(forgetSet({ kind: 'classes', classes: ['fish'] }), ds, FILE), /selection\.classes: class "fish" is not one of "cat", "dog", "bird"/);
    await expectLetheError(() => resolveForgetSet(forgetSet({ kind: 'classes', classes: [3] }), ds, FILE), /class 3 is not one of/);
  });

  it('refuses empty selections and selections of the whole split', async () => {
    await expectLetheError(() => resolveForgetSet(forgetSet({ kind: 'classes', classes: [2] }), toy([0, 1]), FILE), /selection: the selection matches no training examples/);
    await expectLetheError(() => resolveForgetSet(forgetSet({ kind: 'ids', ids: [] }), ds, FILE), /matches no training examples/);
    await expectLetheError(() => resolveForgetSet(forgetSet({ kind: 'classes', classes: ['cat', 'dog', 'bird'] }), ds, FILE), /covers all 6 training examples; nothing would be left to retain/);
  });

  it('refuses file and row selections on datasets without such ids', async () => {
    await expectLetheError(() => resolveForgetSet(forgetSet({ kind: 'files', files: ['a.png'] }), ds, FILE), /selection\.files: the dataset has no file ids/);
    await expectLetheError(() => resolveForgetSet(forgetSet({ kind: 'rows', file: 'a.csv', rows: [2] }), ds, FILE), /selection\.rows: the dataset has no row ids/);
    const rowsWithoutRoot = toy([0, 1], ['row:a.csv:2', 'row:a.csv:3']);
    await expectLetheError(() => resolveForgetSet(forgetSet({ kind: 'rows', file: 'a.csv', rows: [2] }), rowsWithoutRoot, FILE), /selection\.file: the dataset does not say which folder/);
  });
});

describe('file and row selections on loaded datasets', () => {
  it('selects image files and folders, relative to the forget-set file', async () => {
    const dir = await tempDir();
    for (const f of ['train/cat/a.png', 'train/cat/b.png', 'train/dog/c.png', 'train/dog/d.png', 'test/cat/e.png']) await put(join(dir, 'data', f), pngBytes(2, 2, () => [1, 2, 3, 255]));
    await put(join(dir, 'data/pets.dataset.yaml'), 'format: images\nfiles: {train: train, test: test}\n');
    const { train } = await loadDataset(join(dir, 'data/pets.dataset.yaml'));
    const file = join(dir, 'sets/pets.forget.json');
    const select = (files: string[]) => resolveForgetSet({ version: 1, dataset: '../data/pets.dataset.yaml', selection: { kind: 'files', files } }, train, file);
    expect(Array.from(select(['../data/train/cat/b.png']).forget)).toEqual([1]);
    expect(Array.from(select(['../data/train/dog', '../data/train/cat/a.png']).forget)).toEqual([0, 2, 3]);
    expect(Array.from(select([join(dir, 'data/train/dog/d.png')]).forget)).toEqual([3]);
    await expectLetheError(() => select(['../data/train/cat/zz.png', '../data/test/cat/e.png']), /selection\.files: files that are not examples of the training split: "\.\.\/data\/train\/cat\/zz\.png", "\.\.\/data\/test\/cat\/e\.png"/);
    await expectLetheError(() => select(['../elsewhere/a.png']), /selection\.files: "\.\.\/elsewhere\/a\.png" is not inside the dataset folder/);
  });

  it('selects CSV rows by the line numbers shown in the editor', async () => {
    const dir = await tempDir();
    await put(join(dir, 'data/train.csv'), 'f,label\n1,0\n2,1\n\n3,0\n4,1\n');
    await put(join(dir, 'data/test.csv'), 'f,label\n1,0\n');
    await put(join(dir, 'data/t.dataset.yaml'), 'format: csv\nfiles: {train: train.csv, test: test.csv}\n');
    const { train } = await loadDataset(join(dir, 'data/t.dataset.yaml'));
    const file = join(dir, 'x.forget.json');
    const rows = (r: number[], f = 'data/train.csv') => resolveForgetSet({ version: 1, dataset: 'data', selection: { kind: 'rows', file: f, rows: r } }, train, file);
    expect(Array.from(rows([5, 2, 5]).forget)).toEqual([0, 2]);
    await expectLetheError(() => rows([4, 1]), /selection\.rows: rows that are not examples of train\.csv in the training split: "row:train\.csv:4", "row:train\.csv:1"/);
    await expectLetheError(() => rows([2], 'data/test.csv'), /rows that are not examples of test\.csv/);
  });
});
