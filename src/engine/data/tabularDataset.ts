/** Train/test datasets from CSV, TSV or JSONL tables described by a descriptor. */
import { relative, sep } from 'node:path';
import { LetheError } from '../util/errors';
import type { Dataset } from './types';
import type { Preprocessing } from './descriptor';
import { readDelimitedTable, readJsonlTable, type Table } from './tabular';
import { namesForTextLabels, textLabelsToIndices } from './labels';
import { shapeExamples } from './arrayExamples';

export interface TabularOptions {
  format: 'csv' | 'tsv' | 'jsonl';
  files: { train: string; test: string };
  label: string;
  features?: string[];
  classNames?: string[];
  preprocessing: Preprocessing;
  inputShape?: (number | string)[];
  /** Folder the row ids' file paths are relative to. */
  root: string;
}

function readTable(file: string, opts: TabularOptions): Promise<Table> {
  if (opts.format === 'jsonl') return readJsonlTable(file, opts.label, opts.features);
  return readDelimitedTable(file, opts.format === 'csv' ? ',' : '\t', opts.label, opts.features);
}

export async function loadTabularSplits(opts: TabularOptions): Promise<{ train: Dataset; test: Dataset; classNames: string[] }> {
  const [train, test] = await Promise.all([readTable(opts.files.train, opts), readTable(opts.files.test, opts)]);
  if (test.featureCount !== train.featureCount) {
    throw new LetheError(`rows have ${test.featureCount} feature values, the train split's have ${train.featureCount}`, opts.files.test);
  }
  const classNames = namesForTextLabels(opts.classNames, [
    { labels: train.labels, file: opts.files.train },
    { labels: test.labels, file: opts.files.test },
  ]);
  return { train: build(train, opts.files.train, classNames, opts), test: build(test, opts.files.test, classNames, opts), classNames };
}

function build(table: Table, file: string, classNames: string[], opts: TabularOptions): Dataset {
  const n = table.labels.length;
  const { x, exampleShape } = shapeExamples(table.values, n, [table.featureCount], { inputShape: opts.inputShape, preprocessing: opts.preprocessing, defaultScale: 1 }, file);
  const rel = relative(opts.root, file).split(sep).join('/');
  return {
    x,
    y: textLabelsToIndices(table.labels, classNames, file, (i) => `line ${table.lines[i]}`),
    n,
    exampleShape,
    ids: table.lines.map((line) => `row:${rel}:${line}`),
    classNames,
    sources: [file],
    root: opts.root,
  };
}
