import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadDataset } from '../../../src/engine/data/load';
import { readText } from '../../../src/engine/data/fileBytes';
import { expectLetheError, put, tempDir } from './helpers';

async function describeTable(dir: string, format: string, train: string, test: string, extra = ''): Promise<string> {
  const ext = format === 'jsonl' ? 'jsonl' : format;
  await put(join(dir, `data/train.${ext}`), train);
  await put(join(dir, `data/test.${ext}`), test);
  return put(join(dir, 'd.dataset.yaml'), `format: ${format}\nfiles: {train: data/train.${ext}, test: data/test.${ext}}\n${extra}`);
}

describe('CSV and TSV', () => {
  it('reads features and labels, with row ids that carry editor line numbers', async () => {
    const dir = await tempDir();
    const csv = 'a,label,b\n1,cat,2\n\n3.5,dog,-4\n"5",cat,6e-1\n';
    const file = await describeTable(dir, 'csv', csv, 'a,label,b\n0,dog,0\n');
    const ds = await loadDataset(file);
    expect(ds.classNames).toEqual(['cat', 'dog']);
    expect(ds.train.exampleShape).toEqual([2]);
    expect(Array.from(ds.train.x)).toEqual([1, 2, 3.5, -4, 5, Math.fround(0.6)]);
    expect(Array.from(ds.train.y)).toEqual([0, 1, 0]);
    expect(ds.train.ids).toEqual(['row:data/train.csv:2', 'row:data/train.csv:4', 'row:data/train.csv:5']);
    expect(ds.train.root).toBe(dir);
    expect(ds.test.y[0]).toBe(1);
    expect(ds.train.sources).toEqual([join(dir, 'data/train.csv')]);
  });

  it('honours the label column, feature list, class names and quoted newlines', async () => {
    const dir = await tempDir();
    const tsv = 'id\tkind\tx\ty\tnote\n7\t1\t0.5\t1\t"two\nlines"\n8\tbird\t2\t3\tz\n';
    const file = await describeTable(dir, 'tsv', tsv, 'id\tkind\tx\ty\tnote\n9\t0\t1\t1\tq\n', 'label: kind\nfeatures: [y, x]\nclassNames: [fish, bird]\n');
    const ds = await loadDataset(file);
    expect(Array.from(ds.train.x)).toEqual([1, 0.5, 3, 2]);
    expect(Array.from(ds.train.y)).toEqual([1, 1]);
    expect(ds.train.ids).toEqual(['row:data/train.tsv:2', 'row:data/train.tsv:4']);
  });

  it('handles CRLF line ends, escaped quotes and spaces around numbers', async () => {
    const dir = await tempDir();
    const file = await describeTable(dir, 'csv', 'a,label\r\n 1 ,"say ""hi"""\r\n\r\n2,plain\r\n', 'a,label\r\n3,plain\r\n');
    const ds = await loadDataset(file);
    expect(ds.classNames).toEqual(['plain', 'say "hi"']);
    expect(Array.from(ds.train.x)).toEqual([1, 2]);
    expect(ds.train.ids).toEqual(['row:data/train.csv:2', 'row:data/train.csv:4']);
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'csv', 'a,label\n  ,0\n', 'a,label\n1,0\n')), /line 2, column 1: empty, not a number$/);
  });

  it('infers digit class names from numeric labels and reshapes to the model input', async () => {
    const dir = await tempDir();
    const header = 'label,' + Array.from({ length: 4 }, (_, i) => `p${i}`).join(',');
    const file = await describeTable(dir, 'csv', `${header}\n2,0,51,102,255\n0,1,1,1,1\n`, `${header}\n1,0,0,0,0\n`, 'preprocessing: {scale: 0.00392156862745098}\n');
    const ds = await loadDataset(file, { inputShape: ['batch', 1, 2, 2] });
    expect(ds.classNames).toEqual(['0', '1', '2']);
    expect(ds.train.exampleShape).toEqual([1, 2, 2]);
    expect(ds.train.x[3]).toBeCloseTo(1, 6);
    expect(ds.train.x[1]).toBeCloseTo(0.2, 6);
  });

  it('gives clear errors for NaN, text and ragged rows', async () => {
    const dir = await tempDir();
    const test = 'a,label\n1,0\n';
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'csv', 'a,label\n1,0\nNaN,1\n', test)), /train\.csv: line 3, column 1: not a finite number$/);
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'csv', 'a,label\n1,0\n,1\n', test)), /line 3, column 1: empty, not a number$/);
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'csv', 'a,label\n1,0\nabc,1\n', test)), /line 3, column 1: not a finite number$/);
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'csv', 'a,label\n1,0,3\n', test)), /line 2: 3 fields, the header has 2/);
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'csv', 'a,b\n1,0\n', test)), /line 1: label column "label" is not among the header's 2 column names$/);
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'csv', 'a,label\n"1,0\n', test)), /line 2: quoted field is never closed/);
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'csv', 'a,label\n', test)), /no data rows/);
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'csv', 'a,label\n1,dog\n', test, 'classNames: [cat]\n')), /line 2: the label is neither a class name \("cat"\) nor a class number below 1$/);
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'csv', 'a,b,label\n1,2,0\n', test)), /test\.csv: rows have 1 feature values, the train split's have 2/);
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'csv', 'a,label\n1,0\n', test, 'preprocessing: {size: [2, 2]}\n')), /preprocessing\.size: size and channels apply to image data only/);
  });
});

describe('text size limit', () => {
  it('refuses text files too large for a string', async () => {
    const dir = await tempDir();
    const file = await put(join(dir, 'big.csv'), 'a,label\n' + '1,0\n'.repeat(100));
    await expectLetheError(() => readText(file, 100), /big\.csv: 408 bytes is too large for a text file \(at most 100\)/);
  });
});

describe('JSONL', () => {
  it('reads array and scalar features and string or numeric labels', async () => {
    const dir = await tempDir();
    const lines = ['{"x": [1, 2], "w": 3, "label": "b"}', '', '{"x": [4, 5], "w": 6, "label": "a"}'].join('\n');
    const file = await describeTable(dir, 'jsonl', lines, '{"x": [0, 0], "w": 1, "label": "a"}\n', 'classNames: [a, b]\n');
    const ds = await loadDataset(file);
    expect(Array.from(ds.train.x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(ds.train.y)).toEqual([1, 0]);
    expect(ds.train.ids).toEqual(['row:data/train.jsonl:1', 'row:data/train.jsonl:3']);
  });

  it('uses only the named keys and rejects bad rows', async () => {
    const dir = await tempDir();
    const test = '{"x": [0], "label": 0}\n';
    const named = await describeTable(dir, 'jsonl', '{"id": "q", "x": [7], "label": 1}\n{"id": "r", "x": [8], "label": 0}\n', test, 'features: [x]\n');
    expect(Array.from((await loadDataset(named)).train.x)).toEqual([7, 8]);
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'jsonl', '{"x": [1], "label": 0}\n{"x": [1, 2], "label": 0}\n', test)), /line 2: 2 feature values, earlier rows have 1/);
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'jsonl', '{"x": [1], "label": 0}\n{"x": [1e999], "label": 0}\n', test)), /line 2: feature value Infinity is not finite/);
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'jsonl', '{"x": [null], "label": 0}\n', test)), /line 1, key "x": a null where a number or an array of numbers belongs$/);
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'jsonl', '{"x": [1]}\n', test)), /line 1: label key "label" is missing/);
    await expectLetheError(async () => loadDataset(await describeTable(dir, 'jsonl', '{"x": [1], "label": 0}\n{oops\n', test)), /train\.jsonl: line 2, column 2: not valid JSON \(expected property name or '}'\)$/);
  });
});
