/** Turns raw labels (class numbers or class names) into class indices and picks class names when none are given. */
import { LetheError } from '../util/errors';

export const FASHION_MNIST_CLASS_NAMES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

/** Largest class count inferred from numeric labels: beyond it a label is more likely garbage than a class. */
const MAX_INFERRED_CLASSES = 100_000;

export function digitNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(i));
}

/** Class names for numeric labels: the given ones, else '0'..max label. */
export function namesForNumericLabels(given: string[] | undefined, labelArrays: { values: ArrayLike<number>; file: string }[]): string[] {
  if (given) return given;
  let max = -1;
  for (const { values, file } of labelArrays) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v > max) {
        if (v > MAX_INFERRED_CLASSES) throw new LetheError(`label ${v} is not a plausible class number; name the classes in a descriptor`, file, `label ${i}`);
        max = v;
      }
    }
  }
  return digitNames(max + 1);
}

/** Checks numeric labels (integers in [0, classCount)) and copies them into an Int32Array. */
export function checkNumericLabels(values: ArrayLike<number>, classCount: number, file: string, where: (i: number) => string): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= classCount) {
      throw new LetheError(`label ${v} is not a class number in [0, ${classCount})`, file, where(i));
    }
    out[i] = v;
  }
  return out;
}

const NON_NEGATIVE_INTEGER = /^\d+$/;

/** Class names for textual labels: the given ones; else '0'..max when all labels are numbers; else the sorted distinct labels. */
export function namesForTextLabels(given: string[] | undefined, labelLists: { labels: string[]; file: string }[]): string[] {
  if (given) return given;
  const distinct = new Set<string>();
  for (const { labels } of labelLists) for (const label of labels) distinct.add(label);
  const all = [...distinct];
  if (!all.every((l) => NON_NEGATIVE_INTEGER.test(l))) return all.sort();
  let max = -1;
  for (const { labels, file } of labelLists) {
    for (const label of labels) {
      const v = Number(label);
      if (v > MAX_INFERRED_CLASSES) throw new LetheError(`a label above ${MAX_INFERRED_CLASSES} is not a plausible class number; give classNames in the descriptor`, file);
      if (v > max) max = v;
    }
  }
  return digitNames(max + 1);
}

/** Maps each textual label to its class: by name first, then as a class number. */
export function textLabelsToIndices(labels: string[], classNames: string[], file: string, where: (i: number) => string): Int32Array {
  const byName = new Map(classNames.map((name, i) => [name, i]));
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    let index = byName.get(label);
    if (index === undefined && NON_NEGATIVE_INTEGER.test(label) && Number(label) < classNames.length) index = Number(label);
    if (index === undefined) {
      // The label is not quoted: errors name the place, never what a data file holds.
      throw new LetheError(`the label is neither a class name (${preview(classNames)}) nor a class number below ${classNames.length}`, file, where(i));
    }
    out[i] = index;
  }
  return out;
}

/** The first few items of a list, for error messages. */
export function preview(items: readonly (string | number)[], max = 5): string {
  const shown = items.slice(0, max).map((s) => (typeof s === 'string' ? `"${s}"` : String(s)));
  return shown.join(', ') + (items.length > max ? `, … (${items.length} in all)` : '');
}
