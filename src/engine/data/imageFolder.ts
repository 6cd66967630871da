/**
 * Image-folder datasets: each split is a folder with one subfolder per class holding PNG/JPEG files (nested folders
 * allowed). Ids are `file:<path relative to the dataset root>`; files are read in sorted order.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { LetheError } from '../util/errors';
import type { Dataset } from './types';
import type { Preprocessing } from './descriptor';
import { readFileBytes } from './fileBytes';
import { decodeImage, type RgbaImage } from './imageDecode';
import { planImages, type ImagePlan } from './layout';
import { resizeBilinear, writeImage } from './pixels';
import { applyMeanStd } from './normalize';
import { allocateExamples } from './allocate';
import { preview } from './labels';

const IMAGE_FILE = /\.(png|jpe?g)$/i;

export interface ImageFolderOptions {
  files: { train: string; test: string };
  classNames?: string[];
  preprocessing: Preprocessing;
  inputShape?: (number | string)[];
  root: string;
}

interface Listing {
  files: string[];
  labels: number[];
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function entriesOf(dir: string): Promise<{ name: string; isDir: boolean }[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new LetheError('image folder not found', dir);
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => !e.name.startsWith('.'))
    .map((e) => ({ name: e.name, isDir: e.isDirectory() }))
    .sort((a, b) => byCodeUnits(a.name, b.name));
}

async function imagesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await entriesOf(dir)) {
    if (e.isDir) out.push(...(await imagesUnder(join(dir, e.name))));
    else if (IMAGE_FILE.test(e.name)) out.push(join(dir, e.name));
  }
  return out;
}

async function classFolders(dir: string): Promise<string[]> {
  return (await entriesOf(dir)).filter((e) => e.isDir).map((e) => e.name);
}

async function listSplit(dir: string, classNames: string[]): Promise<Listing> {
  const listing: Listing = { files: [], labels: [] };
  for (const name of await classFolders(dir)) {
    const label = classNames.indexOf(name);
    if (label < 0) throw new LetheError(`class folder "${name}" is not one of the class names ${preview(classNames, 10)}`, join(dir, name));
    const files = await imagesUnder(join(dir, name));
    listing.files.push(...files);
    for (let i = 0; i < files.length; i++) listing.labels.push(label);
  }
  if (listing.files.length === 0) throw new LetheError('no PNG or JPEG images in class subfolders', dir);
  return listing;
}

export async function loadImageFolderSplits(opts: ImageFolderOptions): Promise<{ train: Dataset; test: Dataset; classNames: string[] }> {
  const classNames = opts.classNames ?? (await classFolders(opts.files.train));
  // One split after the other, so the error a user sees is always the same one.
  const train = await listSplit(opts.files.train, classNames);
  const test = await listSplit(opts.files.test, classNames);
  const first = decodeImage(await readFileBytes(train.files[0]), train.files[0]);
  const pre = opts.preprocessing;
  // Decoded images are RGBA; without a word from the model or the descriptor, examples are RGB.
  const plan = planImages({ channels: 3, height: first.height, width: first.width }, { inputShape: opts.inputShape, layout: pre.layout, channels: pre.channels, size: pre.size }, opts.files.train);
  return { train: await build(train, plan, classNames, opts), test: await build(test, plan, classNames, opts), classNames };
}

async function build(listing: Listing, plan: ImagePlan, classNames: string[], opts: ImageFolderOptions): Promise<Dataset> {
  const n = listing.files.length;
  const features = plan.channels * plan.height * plan.width;
  const x = allocateExamples(n, features, listing.files[0]);
  const scale = opts.preprocessing.scale ?? 1 / 255;
  for (let i = 0; i < n; i++) {
    const file = listing.files[i];
    const image = decodeImage(await readFileBytes(file), file);
    writeImage(fitSize(image, plan, file), 0, 4, plan, scale, x, i * features);
  }
  applyMeanStd(x, plan.exampleShape, plan.exampleShape.length === 3 ? plan.order : undefined, opts.preprocessing, opts.files.train);
  return {
    x,
    y: Int32Array.from(listing.labels),
    n,
    exampleShape: plan.exampleShape,
    ids: listing.files.map((f) => `file:${relative(opts.root, f).split(sep).join('/')}`),
    classNames,
    sources: listing.files,
    root: opts.root,
  };
}

function fitSize(image: RgbaImage, plan: ImagePlan, file: string): ArrayLike<number> {
  if (image.height === plan.height && image.width === plan.width) return image.rgba;
  if (!plan.resize) {
    throw new LetheError(`image is ${image.height}×${image.width} but the dataset's images are ${plan.height}×${plan.width}; set preprocessing.size to resize`, file);
  }
  return resizeBilinear(image.rgba, image.height, image.width, 4, plan.height, plan.width);
}
