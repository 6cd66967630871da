/**
 * Forget-set files (`*.forget.json`): read and written with validation, and resolved against a dataset's train
 * split into sorted, unique forget indices and the retain indices that complement them.
 */
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { LetheError } from '../util/errors';
import { parseJsonText } from '../util/textFormats';
import { writeFileAtomic } from '../util/atomic';
import type { Dataset, ForgetSetFile, ForgetSplit } from './types';
import { readText } from './fileBytes';
import { zodToLetheError } from './zodError';
import { classIndices, complementOf } from './splits';
import { preview } from './labels';

const Selection = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ids'), ids: z.array(z.string().min(1)).min(1) }).strict(),
  z.object({ kind: z.literal('indices'), indices: z.array(z.number().int().min(0)).min(1) }).strict(),
  z.object({ kind: z.literal('files'), files: z.array(z.string().min(1)).min(1) }).strict(),
  z.object({ kind: z.literal('classes'), classes: z.array(z.union([z.string().min(1), z.number().int().min(0)])).min(1) }).strict(),
  z.object({ kind: z.literal('rows'), file: z.string().min(1), rows: z.array(z.number().int().min(1)).min(1) }).strict(),
]);

export const ForgetSetSchema = z
  .object({
    version: z.literal(1),
    dataset: z.string().min(1),
    split: z.literal('train').optional(),
    description: z.string().optional(),
    selection: Selection,
  })
  .strict();

function validate(raw: unknown, file: string): ForgetSetFile {
  const parsed = ForgetSetSchema.safeParse(raw);
  if (!parsed.success) throw zodToLetheError(parsed.error, file);
  return parsed.data;
}

export async function readForgetSet(file: string): Promise<ForgetSetFile> {
  return validate(parseJsonText(await readText(file), file), file);
}

/** Validates, then writes atomically (readers never see half a file). */
export async function writeForgetSet(file: string, fs: ForgetSetFile): Promise<void> {
  const valid = validate(fs, file);
  await writeFileAtomic(file, JSON.stringify(valid, null, 2) + '\n');
}

/** The dataset path a forget-set file refers to, resolved against the forget-set file's folder. */
export function forgetSetDatasetPath(fs: ForgetSetFile, file: string): string {
  return resolve(dirname(file), fs.dataset);
}

/**
 * A forget set names its dataset, and its indices, ids and rows mean something only there: applied to another
 * dataset it would select other examples. The same dataset is the same path after links, or a folder and the one
 * descriptor in it (which is what a folder loads as).
 */
export async function requireSameDataset(fs: ForgetSetFile, file: string, datasetPath: string): Promise<void> {
  const named = forgetSetDatasetPath(fs, file);
  const real = (p: string) => realpath(p).catch(() => resolve(p));
  const [forgetData, jobData] = await Promise.all([real(named), real(datasetPath)]);
  if (forgetData === jobData || dirname(jobData) === forgetData) return;
  throw new LetheError(`the forget set is for the dataset ${named}, but the job's data is ${datasetPath}; refused`, file, 'dataset');
}

/** Resolves the selection of the forget set stored at `file` (paths in it are relative to that file). */
export function resolveForgetSet(fs: ForgetSetFile, train: Dataset, file: string): ForgetSplit {
  const picked = selectIndices(fs.selection, train, file);
  const forget = Int32Array.from(new Set(picked)).sort();
  if (forget.length === 0) throw new LetheError('the selection matches no training examples', file, 'selection');
  if (forget.length === train.n) {
    throw new LetheError(`the selection covers all ${train.n} training examples; nothing would be left to retain`, file, 'selection');
  }
  return { forget, retain: complementOf(forget, train.n) };
}

function selectIndices(sel: ForgetSetFile['selection'], train: Dataset, file: string): number[] {
  switch (sel.kind) {
    case 'ids':
      return lookUpIds(sel.ids, train, file, 'selection.ids', 'ids not in the training split');
    case 'indices': {
      const bad = sel.indices.filter((i) => !Number.isInteger(i) || i < 0 || i >= train.n);
      if (bad.length) throw new LetheError(`indices out of range [0, ${train.n}): ${preview(bad)}`, file, 'selection.indices');
      return sel.indices;
    }
    case 'classes':
      return [...classIndices(train, sel.classes.map((c) => classNumber(c, train, file)))];
    case 'files':
      return selectFiles(sel.files, train, file);
    case 'rows': {
      requireIds(train, 'row:', 'row ids (it is not a CSV, TSV or JSONL table)', file, 'selection.rows');
      const rel = datasetRelativePath(sel.file, train, file, 'selection.file');
      return lookUpIds(sel.rows.map((r) => `row:${rel}:${r}`), train, file, 'selection.rows', `rows that are not examples of ${rel} in the training split`);
    }
  }
}

function requireIds(train: Dataset, prefix: string, what: string, file: string, where: string): void {
  if (!train.ids.some((id) => id.startsWith(prefix))) throw new LetheError(`the dataset has no ${what}`, file, where);
}

function idIndex(train: Dataset): Map<string, number> {
  return new Map(train.ids.map((id, i) => [id, i]));
}

function lookUpIds(ids: string[], train: Dataset, file: string, where: string, problem: string): number[] {
  const index = idIndex(train);
  const missing = ids.filter((id) => !index.has(id));
  if (missing.length) throw new LetheError(`${problem}: ${preview(missing)}`, file, where);
  return ids.map((id) => index.get(id)!);
}

/** A class given by name, or by number when it is an integer in range. */
function classNumber(c: string | number, train: Dataset, file: string): number {
  const names = train.classNames;
  const byName = typeof c === 'string' ? names.indexOf(c) : -1;
  if (byName >= 0) return byName;
  if (typeof c === 'number' && c < names.length) return c;
  throw new LetheError(`class ${typeof c === 'string' ? `"${c}"` : c} is not one of ${preview(names, 10)}`, file, 'selection.classes');
}

/** A path from the forget-set file, re-expressed relative to the dataset root with '/' (as ids spell it). */
function datasetRelativePath(path: string, train: Dataset, file: string, where: string): string {
  if (!train.root) throw new LetheError('the dataset does not say which folder its file paths are relative to', file, where);
  const abs = isAbsolute(path) ? path : resolve(dirname(file), path);
  const rel = relative(train.root, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new LetheError(`"${path}" is not inside the dataset folder ${train.root}`, file, where);
  return rel.split(sep).join('/');
}

/** Each entry names one image file, or a folder whose images are all selected. */
function selectFiles(files: string[], train: Dataset, file: string): number[] {
  requireIds(train, 'file:', 'file ids (it is not a folder of images)', file, 'selection.files');
  const index = idIndex(train);
  const out: number[] = [];
  const missing: string[] = [];
  for (const entry of files) {
    const id = `file:${datasetRelativePath(entry, train, file, 'selection.files')}`;
    const exact = index.get(id);
    if (exact !== undefined) {
      out.push(exact);
      continue;
    }
    const before = out.length;
    for (let i = 0; i < train.n; i++) if (train.ids[i].startsWith(id + '/')) out.push(i);
    if (out.length === before) missing.push(entry);
  }
  if (missing.length) throw new LetheError(`files that are not examples of the training split: ${preview(missing)}`, file, 'selection.files');
  return out;
}
