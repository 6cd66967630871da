/**
 * CSV/TSV and JSONL tables: one example per record, a label column or key, numeric features.
 * Rows keep the line number a user sees in the editor, which becomes their id (`row:<file>:<line>`).
 */
import { LetheError } from '../util/errors';
import { parseJsonText } from '../util/textFormats';
import { readText } from './fileBytes';
import { delimitedRecords } from './delimited';
import { MAX_SPLIT_VALUES } from './allocate';

export interface Table {
  /** n × featureCount values, row-major. */
  values: Float32Array;
  featureCount: number;
  labels: string[];
  lines: number[];
}

/** A Float32Array that grows by doubling, bounded by the per-split limit. */
class GrowingValues {
  private data = new Float32Array(1024);
  length = 0;

  constructor(private readonly file: string) {}

  push(v: number): void {
    if (this.length === this.data.length) {
      if (this.length * 2 > MAX_SPLIT_VALUES) throw new LetheError(`more than ${MAX_SPLIT_VALUES} values`, this.file);
      const bigger = new Float32Array(this.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  finish(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Number() ignores surrounding spaces but reads a blank field as 0, which must be an error here. The field itself
 * is not quoted: errors name the place, never what a file holds (it may be a credentials file read by mistake).
 */
function parseNumber(text: string, file: string, line: number, column: number): number {
  const v = Number(text);
  if (!Number.isFinite(v) || (v === 0 && text.trim() === '')) throw new LetheError(text.trim() === '' ? 'empty, not a number' : 'not a finite number', file, `line ${line}, column ${column + 1}`);
  return v;
}

export async function readDelimitedTable(file: string, delimiter: ',' | '\t', labelColumn: string, featureColumns: string[] | undefined): Promise<Table> {
  const records = delimitedRecords(await readText(file), delimiter, file);
  const first = records.next();
  if (first.done) throw new LetheError('empty file: expected a header row', file);
  const header = first.value.fields.map((h) => h.trim());
  const columnOf = (name: string, what: string) => {
    const c = header.indexOf(name);
    if (c < 0) throw new LetheError(`${what} column "${name}" is not among the header's ${header.length} column names`, file, `line ${first.value.line}`);
    return c;
  };
  const labelAt = columnOf(labelColumn, 'label');
  const featureAt = featureColumns ? featureColumns.map((f) => columnOf(f, 'feature')) : header.map((_, c) => c).filter((c) => c !== labelAt);
  if (featureAt.length === 0) throw new LetheError('no feature columns besides the label', file, `line ${first.value.line}`);
  const values = new GrowingValues(file);
  const labels: string[] = [];
  const lines: number[] = [];
  for (const { line, fields } of records) {
    if (fields.length !== header.length) throw new LetheError(`${fields.length} fields, the header has ${header.length}`, file, `line ${line}`);
    for (const c of featureAt) values.push(parseNumber(fields[c], file, line, c));
    labels.push(fields[labelAt].trim());
    lines.push(line);
  }
  if (labels.length === 0) throw new LetheError('no data rows after the header', file);
  return { values: values.finish(), featureCount: featureAt.length, labels, lines };
}

/** Deepest nesting of feature arrays: an image with channels needs 3; past this a row is hostile, not data. */
const MAX_ARRAY_DEPTH = 32;

/** Appends a number or a (nested) array of numbers; returns how many values it appended. */
function pushFeature(value: unknown, values: GrowingValues, file: string, line: number, key: string, depth = 0): number {
  if (typeof value === 'number') {
    values.push(value);
    return 1;
  }
  if (Array.isArray(value)) {
    if (depth === MAX_ARRAY_DEPTH) throw new LetheError(`arrays nested more than ${MAX_ARRAY_DEPTH} deep`, file, `line ${line}, key "${key}"`);
    let count = 0;
    for (const item of value) count += pushFeature(item, values, file, line, key, depth + 1);
    return count;
  }
  throw new LetheError(`a ${value === null ? 'null' : typeof value} where a number or an array of numbers belongs`, file, `line ${line}, key "${key}"`);
}

export async function readJsonlTable(file: string, labelKey: string, featureKeys: string[] | undefined): Promise<Table> {
  const values = new GrowingValues(file);
  const labels: string[] = [];
  const lines: number[] = [];
  let keys = featureKeys;
  let featureCount = -1;
  const textLines = (await readText(file)).split(/\r?\n/);
  for (let k = 0; k < textLines.length; k++) {
    const text = textLines[k];
    if (text.trim() === '') continue;
    const line = k + 1;
    let row: unknown;
    try {
      row = parseJsonText(text, file);
    } catch (e) {
      // The parser saw one line: its "line 1" is this line.
      throw new LetheError((e as LetheError).reason, file, (e as LetheError).where?.replace(/^line 1\b/, `line ${line}`) ?? `line ${line}`);
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new LetheError('expected a JSON object', file, `line ${line}`);
    const record = row as Record<string, unknown>;
    const label = record[labelKey];
    if (typeof label !== 'string' && typeof label !== 'number') throw new LetheError(`label key "${labelKey}" is missing or not a string or number`, file, `line ${line}`);
    keys ??= Object.keys(record).filter((key) => key !== labelKey);
    let count = 0;
    for (const key of keys) {
      if (!(key in record)) throw new LetheError(`feature key "${key}" is missing`, file, `line ${line}`);
      count += pushFeature(record[key], values, file, line, key);
    }
    if (featureCount >= 0 && count !== featureCount) throw new LetheError(`${count} feature values, earlier rows have ${featureCount}`, file, `line ${line}`);
    featureCount = count;
    labels.push(String(label).trim());
    lines.push(line);
  }
  if (labels.length === 0) throw new LetheError('no rows', file);
  if (featureCount === 0) throw new LetheError('rows have no feature values', file);
  const table = { values: values.finish(), featureCount, labels, lines };
  const bad = table.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new LetheError(`feature value ${table.values[bad]} is not finite`, file, `line ${lines[Math.floor(bad / featureCount)]}`);
  return table;
}
