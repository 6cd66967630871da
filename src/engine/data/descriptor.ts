/**
 * Dataset descriptors (`*.dataset.json|yaml`): which files hold each split, in which format, and how to
 * preprocess them. Validated strictly so a misspelt key is an error that names it, not a silent default.
 */
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { LetheError } from '../util/errors';
import { parseJsonText, parseYamlText } from '../util/textFormats';
import { readText } from './fileBytes';
import { zodToLetheError } from './zodError';
import { LAYOUTS } from './layout';

const FilePath = z.string().min(1);

export const Preprocessing = z
  .object({
    /** Multiplies raw values first; default 1/255 for unsigned-byte data (images, IDX, uint8 NPY), else 1. */
    scale: z.number().positive().optional(),
    /** Subtracted after scaling: one value, one per channel, or one per feature. */
    mean: z.array(z.number()).min(1).optional(),
    /** Divides after subtracting the mean; same lengths as mean. */
    std: z.array(z.number().positive()).min(1).optional(),
    layout: z.enum(LAYOUTS).optional(),
    /** [height, width] to resize images to. */
    size: z.tuple([z.number().int().positive().max(16384), z.number().int().positive().max(16384)]).optional(),
    channels: z.enum(['grayscale', 'rgb']).optional(),
  })
  .strict();
export type Preprocessing = z.infer<typeof Preprocessing>;

const common = {
  name: z.string().optional(),
  description: z.string().optional(),
  classNames: z
    .array(z.string().min(1))
    .min(1)
    .refine((names) => new Set(names).size === names.length, 'class names must be unique')
    .optional(),
  preprocessing: Preprocessing.default({}),
};

const IdxFiles = z.object({ images: FilePath, labels: FilePath }).strict();
/**
 * .npy files, or arrays inside an .npz archive written `archive.npz#name`; a bare `archive.npz` means the arrays
 * x_train/y_train (x_test/y_test for the test split), as Keras ships MNIST.
 */
const NpyFiles = z.object({ x: FilePath, y: FilePath }).strict();
const splitsOf = <T extends z.ZodType>(files: T) => z.object({ train: files, test: files }).strict();

export const DatasetDescriptor = z.discriminatedUnion('format', [
  z.object({ format: z.literal('idx'), files: splitsOf(IdxFiles), ...common }).strict(),
  z.object({ format: z.literal('npy'), files: splitsOf(NpyFiles), ...common }).strict(),
  z.object({ format: z.literal('images'), files: splitsOf(FilePath), ...common }).strict(),
  z
    .object({
      format: z.enum(['csv', 'tsv', 'jsonl']),
      files: splitsOf(FilePath),
      /** Column (CSV/TSV) or key (JSONL) holding the label. */
      label: z.string().min(1).default('label'),
      /** Columns or keys holding the features, in order; default: all others. JSONL values may be numeric arrays. */
      features: z.array(z.string().min(1)).min(1).optional(),
      ...common,
    })
    .strict(),
]);
export type DatasetDescriptor = z.infer<typeof DatasetDescriptor>;

export function isDescriptorPath(path: string): boolean {
  return /\.dataset\.(json|ya?ml)$/i.test(path);
}

/** Reads and validates a descriptor; every file path in it is resolved against the descriptor's folder. */
export async function readDescriptor(file: string): Promise<DatasetDescriptor> {
  const text = await readText(file);
  const raw = /\.json$/i.test(file) ? parseJsonText(text, file) : parseYamlText(text, file);
  const parsed = DatasetDescriptor.safeParse(raw);
  if (!parsed.success) throw zodToLetheError(parsed.error, file);
  const d = parsed.data;
  const { mean, std } = d.preprocessing;
  if (mean && std && mean.length !== std.length) {
    throw new LetheError(`has ${std.length} values but preprocessing.mean has ${mean.length}`, file, 'preprocessing.std');
  }
  return resolveFiles(d, dirname(resolve(file)));
}

function resolveFiles(d: DatasetDescriptor, root: string): DatasetDescriptor {
  const at = (p: string) => resolve(root, p);
  switch (d.format) {
    case 'idx':
      return { ...d, files: { train: { images: at(d.files.train.images), labels: at(d.files.train.labels) }, test: { images: at(d.files.test.images), labels: at(d.files.test.labels) } } };
    case 'npy':
      return { ...d, files: { train: { x: at(d.files.train.x), y: at(d.files.train.y) }, test: { x: at(d.files.test.x), y: at(d.files.test.y) } } };
    default:
      return { ...d, files: { train: at(d.files.train), test: at(d.files.test) } };
  }
}
