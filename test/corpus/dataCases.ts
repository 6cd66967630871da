/**
 * Hostile datasets: one small file set per case, each broken in one way, with the file the refusal must name
 * and the cause it must state. Written at test time (see README.md); builders from test/unit/data/helpers.
 */
import { gzipSync } from 'node:zlib';
import { idxBytes, npyBytes, pngBytes } from '../unit/data/helpers';

export type Files = Record<string, string | Uint8Array>;

export interface DataCase {
  name: string;
  files: Files;
  /** The dataset path given to loadDataset, relative to the case folder. */
  entry: string;
  /** The file (relative) the error must name. */
  blame: string;
  cause: RegExp;
  /** Model input the data must fit (batch axis first). */
  inputShape?: (number | string)[];
}

const f32 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);
const i32 = (values: number[]) => new Uint8Array(new Int32Array(values).buffer);

const csvDescriptor = (extra: object = {}) => JSON.stringify({ format: 'csv', files: { train: 'train.csv', test: 'test.csv' }, ...extra });
const goodCsv = 'a,b,label\n1,2,0\n3,4,1\n5,6,0\n';
function csvCase(name: string, train: string | Uint8Array, cause: RegExp, extra: object = {}, inputShape?: (number | string)[]): DataCase {
  return { name: `csv-${name}`, files: { 'd.dataset.json': csvDescriptor(extra), 'train.csv': train, 'test.csv': goodCsv }, entry: 'd.dataset.json', blame: 'train.csv', cause, inputShape };
}

const jsonlDescriptor = JSON.stringify({ format: 'jsonl', files: { train: 'train.jsonl', test: 'test.jsonl' } });
const goodJsonl = '{"x":[1,2],"label":0}\n{"x":[3,4],"label":1}\n';
function jsonlCase(name: string, train: string, cause: RegExp): DataCase {
  return { name: `jsonl-${name}`, files: { 'd.dataset.json': jsonlDescriptor, 'train.jsonl': train, 'test.jsonl': goodJsonl }, entry: 'd.dataset.json', blame: 'train.jsonl', cause };
}

/** A 2×3-pixel MNIST-named folder whose train images file is replaced by `images` (and labels by `labels`). */
function idxCase(name: string, images: Uint8Array, cause: RegExp, labels = idxBytes([4], [0, 1, 2, 3]), blame = 'train-images-idx3-ubyte'): DataCase {
  return {
    name: `idx-${name}`,
    files: {
      'train-images-idx3-ubyte': images,
      'train-labels-idx1-ubyte': labels,
      't10k-images-idx3-ubyte': idxBytes([2, 2, 3], new Array(12).fill(7)),
      't10k-labels-idx1-ubyte': idxBytes([2], [0, 1]),
    },
    entry: '.',
    blame,
    cause,
  };
}
const goodIdxImages = idxBytes([4, 2, 3], Array.from({ length: 24 }, (_, i) => i * 9));

const npyDescriptor = JSON.stringify({ format: 'npy', files: { train: { x: 'x.npy', y: 'y.npy' }, test: { x: 'xt.npy', y: 'yt.npy' } } });
function npyCase(name: string, x: Uint8Array, cause: RegExp, y = npyBytes('<i4', [2], i32([0, 1])), blame = 'x.npy'): DataCase {
  return {
    name: `npy-${name}`,
    files: { 'd.dataset.json': npyDescriptor, 'x.npy': x, 'y.npy': y, 'xt.npy': npyBytes('<f4', [2, 2], f32([1, 2, 3, 4])), 'yt.npy': npyBytes('<i4', [2], i32([0, 1])) },
    entry: 'd.dataset.json',
    blame,
    cause,
  };
}

const png = pngBytes(4, 4, (x, y) => [x * 60, y * 60, 0, 255]);
const hugePng = (() => {
  const b = Buffer.from(png);
  b.writeUInt32BE(60000, 16); // IHDR width
  b.writeUInt32BE(60000, 20); // IHDR height
  return new Uint8Array(b);
})();
function imageCase(name: string, bad: Uint8Array, cause: RegExp, badName = 'train/cat/1.png'): DataCase {
  return {
    name: `images-${name}`,
    files: {
      'd.dataset.json': JSON.stringify({ format: 'images', files: { train: 'train', test: 'test' } }),
      [badName]: bad,
      'train/dog/1.png': png,
      'test/cat/1.png': png,
      'test/dog/1.png': png,
    },
    entry: 'd.dataset.json',
    blame: badName,
    cause,
  };
}

export const DATA_CASES: DataCase[] = [
  csvCase('nan', 'a,b,label\n1,nan,0\n2,3,1\n', /line 2, column 2: not a finite number$/),
  csvCase('inf', 'a,b,label\n1,2,0\n-Infinity,3,1\n', /line 3, column 1: not a finite number$/),
  csvCase('ragged', 'a,b,label\n1,2,0\n2,1\n', /line 3: 2 fields, the header has 3/),
  csvCase('binary', new Uint8Array(4000).map((_, i) => (i * 37 + 11) % 256), /label column "label" is not among the header's/),
  csvCase('label-out-of-range', goodCsv + '7,8,5\n', /line 5: the label is neither a class name \("x", "y"\) nor a class number below 2/, { classNames: ['x', 'y'] }),
  csvCase('no-label-column', 'a,b,c\n1,2,0\n', /label column "label" is not among the header's/),
  csvCase('empty', '', /./),
  csvCase('header-only', 'a,b,label\n', /no data rows after the header/),
  csvCase('shape-mismatch', goodCsv, /do not fit the model input \[1, 28, 28\]/, {}, ['batch', 1, 28, 28]),
  jsonlCase('not-an-object', goodJsonl + '[1,2]\n', /line 3: expected a JSON object/),
  jsonlCase('invalid-json', '{"x":[1,2],"label":0}\n{"x":[1,2],"label":\n', /line 2/),
  jsonlCase('ragged', '{"x":[1,2],"label":0}\n{"x":[1],"label":1}\n', /line 2: 1 feature values, earlier rows have 2/),
  jsonlCase('overflow', '{"x":[1,2],"label":0}\n{"x":[1e400,2],"label":1}\n', /line 2: feature value Infinity is not finite/),
  jsonlCase('missing-label', '{"x":[1,2],"label":0}\n{"x":[1,2]}\n', /line 2/),
  idxCase('bad-magic', Uint8Array.from([0xde, 0xad, 0xbe, 0xef, ...goodIdxImages.subarray(4)]), /./),
  idxCase('count-mismatch', goodIdxImages, /3 labels for 4 images/, idxBytes([3], [0, 1, 2]), 'train-labels-idx1-ubyte'),
  idxCase('short-data', goodIdxImages.subarray(0, goodIdxImages.length - 5), /./),
  idxCase('absurd-dims', idxBytes([2 ** 31, 2 ** 15, 2 ** 15], [1, 2, 3]), /./),
  idxCase('truncated-gzip', gzipSync(goodIdxImages).subarray(0, 20), /corrupt or truncated gzip data/),
  idxCase('implausible-label', goodIdxImages, /label 3: label 250 is not a class number in \[0, 10\)/, idxBytes([4], [0, 1, 2, 250]), 'train-labels-idx1-ubyte'),
  npyCase('bad-magic', Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), /./),
  npyCase('absurd-shape', npyBytes('<f4', [2 ** 40, 2], f32([1, 2, 3, 4])), /shape \(1099511627776, 2\) of <f4 needs 8796093022208 data bytes, file has 16/),
  npyCase('complex-dtype', npyBytes('<c8', [2, 2], new Uint8Array(32)), /c8/),
  npyCase('fortran-order', npyBytes('<f4', [2, 2], f32([1, 2, 3, 4]), true), /fortran|Fortran/),
  npyCase('nan', npyBytes('<f4', [2, 2], f32([1, NaN, 3, 4])), /value NaN is not finite/),
  npyCase('header-beyond-file', (() => { const b = Buffer.from(npyBytes('<f4', [2, 2], f32([1, 2, 3, 4]))); b.writeUInt16LE(60000, 8); return new Uint8Array(b); })(), /./),
  npyCase('count-mismatch', npyBytes('<f4', [2, 2], f32([1, 2, 3, 4])), /./, npyBytes('<i4', [3], i32([0, 1, 1])), 'y.npy'),
  npyCase('huge-label', npyBytes('<f4', [2, 2], f32([1, 2, 3, 4])), /not a plausible class number/, npyBytes('<i4', [2], i32([0, 1e9])), 'y.npy'),
  imageCase('huge-ihdr', hugePng, /image size 60000×60000 is outside/),
  imageCase('truncated', png.subarray(0, 40), /corrupt or truncated PNG/),
  imageCase('zero-bytes', new Uint8Array(0), /./),
  imageCase('garbage', new TextEncoder().encode('GIF89a not really'), /./),
  imageCase('garbage-jpeg', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]), /./, 'train/cat/2.jpg'),
  { name: 'descriptor-unknown-key', files: { 'd.dataset.json': JSON.stringify({ format: 'csv', files: { train: 'a.csv', test: 'a.csv' }, sparkle: true }) }, entry: 'd.dataset.json', blame: 'd.dataset.json', cause: /sparkle: unknown key/ },
  { name: 'descriptor-wrong-type', files: { 'd.dataset.json': JSON.stringify({ format: 'csv', files: { train: 7, test: 'a.csv' } }) }, entry: 'd.dataset.json', blame: 'd.dataset.json', cause: /files\.train/ },
  { name: 'descriptor-bad-yaml', files: { 'd.dataset.yaml': 'format: csv\nfiles: [unclosed\n' }, entry: 'd.dataset.yaml', blame: 'd.dataset.yaml', cause: /not valid YAML/ },
  // Only train.csv is missing: the splits are read concurrently, so with both missing either could be named.
  { name: 'descriptor-missing-file', files: { 'd.dataset.json': csvDescriptor(), 'test.csv': goodCsv }, entry: 'd.dataset.json', blame: 'train.csv', cause: /cannot read data file \(ENOENT\)/ },
];
