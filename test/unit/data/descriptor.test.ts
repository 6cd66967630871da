import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadDataset } from '../../../src/engine/data/load';
import { readDescriptor } from '../../../src/engine/data/descriptor';
import { expectLetheError, put, tempDir, writeMiniMnist } from './helpers';

describe('dataset descriptors', () => {
  it('resolves file paths against the descriptor folder (YAML and JSON)', async () => {
    const dir = await tempDir();
    const file = await put(join(dir, 'sub', 'd.dataset.yaml'), 'format: csv\nfiles:\n  train: data/train.csv\n  test: ../test.csv\n');
    const d = await readDescriptor(file);
    expect(d.files).toEqual({ train: join(dir, 'sub', 'data', 'train.csv'), test: join(dir, 'test.csv') });
    expect(d.format === 'csv' && d.label).toBe('label');
    const json = await put(join(dir, 'd.dataset.json'), JSON.stringify({ format: 'npy', files: { train: { x: 'x.npy', y: 'y.npy' }, test: { x: 'tx.npy', y: 'ty.npy' } } }));
    expect((await readDescriptor(json)).files).toEqual({ train: { x: join(dir, 'x.npy'), y: join(dir, 'y.npy') }, test: { x: join(dir, 'tx.npy'), y: join(dir, 'ty.npy') } });
  });

  it('names unknown keys, wrong types and bad formats', async () => {
    const dir = await tempDir();
    const write = (text: string) => put(join(dir, 'x.dataset.yaml'), text);
    const files = 'files: {train: a.csv, test: b.csv}\n';
    await expectLetheError(async () => readDescriptor(await write(`format: csv\n${files}labl: y\n`)), /x\.dataset\.yaml: labl: unknown key$/);
    await expectLetheError(async () => readDescriptor(await write(`format: csv\n${files}preprocessing: {scale: fast}\n`)), /preprocessing\.scale: .*expected number/);
    await expectLetheError(async () => readDescriptor(await write(`format: csv\n${files}preprocessing: {mean: [0.5], std: [0.5, 0.2]}\n`)), /preprocessing\.std: has 2 values but preprocessing\.mean has 1/);
    await expectLetheError(async () => readDescriptor(await write(`format: parquet\n${files}`)), /: format: .*'idx' \| 'npy' \| 'images' \| 'csv'/);
    await expectLetheError(async () => readDescriptor(await write('format: idx\nfiles: {train: {images: a}, test: {images: b, labels: c}}\n')), /files\.train\.labels: /);
    await expectLetheError(async () => readDescriptor(await write('format: images\nfiles: {train: a, test: b}\npreprocessing: {layout: CHW}\n')), /preprocessing\.layout/);
    await expectLetheError(async () => readDescriptor(await write(`format: csv\n${files}classNames: [a, b, a]\n`)), /classNames: class names must be unique/);
    await expectLetheError(async () => readDescriptor(await write('format: csv\nfiles: [unclosed\n')), /not valid YAML/);
    const json = await put(join(dir, 'x.dataset.json'), '{"format": ');
    await expectLetheError(() => readDescriptor(json), /x\.dataset\.json: not valid JSON/);
  });

  it('loads IDX files named by a descriptor with class names and mean/std', async () => {
    const dir = await tempDir();
    await writeMiniMnist(join(dir, 'raw'), { gzip: true });
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const file = await put(
      join(dir, 'mini.dataset.yaml'),
      [
        'format: idx',
        'files:',
        '  train: {images: raw/train-images-idx3-ubyte.gz, labels: raw/train-labels-idx1-ubyte.gz}',
        '  test: {images: raw/t10k-images-idx3-ubyte.gz, labels: raw/t10k-labels-idx1-ubyte.gz}',
        `classNames: [${names.join(', ')}]`,
        'preprocessing: {mean: [0.5], std: [0.25]}',
      ].join('\n'),
    );
    const ds = await loadDataset(file);
    expect(ds.classNames).toEqual(names);
    expect(ds.path).toBe(file);
    // pixel 2 of image 1 is 56: (56/255 − 0.5) / 0.25
    expect(ds.train.x[8]).toBeCloseTo((56 / 255 - 0.5) / 0.25, 5);
    // A folder holding exactly one descriptor loads through it.
    const again = await loadDataset(dir);
    expect(Array.from(again.train.x)).toEqual(Array.from(ds.train.x));
  });

  it('refuses per-channel statistics that do not fit', async () => {
    const dir = await tempDir();
    await writeMiniMnist(dir);
    const file = await put(join(dir, 'bad.dataset.yaml'), [
      'format: idx',
      'files:',
      '  train: {images: train-images-idx3-ubyte, labels: train-labels-idx1-ubyte}',
      '  test: {images: t10k-images-idx3-ubyte, labels: t10k-labels-idx1-ubyte}',
      'preprocessing: {mean: [0.1, 0.2], std: [1, 1]}',
    ].join('\n'));
    await expectLetheError(() => loadDataset(file), /preprocessing\.mean: has 2 values; expected 1, 1 \(channels\) or 6 \(features\)/);
  });
});
