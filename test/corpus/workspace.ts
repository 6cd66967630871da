/**
 * Small real workspaces for job-level tests: the first N train / M test images of the bundled Fashion-MNIST
 * example as IDX files (sliced from the originals' bytes, not through Lethe's readers), plus the fixture models.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const REPO = join(__dirname, '..', '..');
export const EXAMPLE = join(REPO, 'examples', 'fashion-mnist');
export const FIXTURES = join(REPO, 'test', 'fixtures');

/** IDX bytes of the first `n` items of a gzipped IDX file (header count rewritten). */
function idxHead(file: string, n: number): Buffer {
  const all = gunzipSync(readFileSync(file));
  const rank = all[3];
  const itemBytes = Array.from({ length: rank - 1 }, (_, i) => all.readUInt32BE(8 + 4 * i)).reduce((p, d) => p * d, 1);
  const header = 4 + 4 * rank;
  const out = Buffer.from(all.subarray(0, header + n * itemBytes));
  out.writeUInt32BE(n, 4);
  return out;
}

/** Writes the four MNIST-named IDX files with the first `train` / `test` examples into `dir`. */
export function writeSmallFashionMnist(dir: string, train: number, test: number): void {
  mkdirSync(dir, { recursive: true });
  const src = join(EXAMPLE, 'data');
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), idxHead(join(src, 'train-images-idx3-ubyte.gz'), train));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxHead(join(src, 'train-labels-idx1-ubyte.gz'), train));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idxHead(join(src, 't10k-images-idx3-ubyte.gz'), test));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxHead(join(src, 't10k-labels-idx1-ubyte.gz'), test));
}

export interface Workspace {
  root: string;
  /** `data/` (a Fashion-MNIST folder: class names from the path), `model.onnx` (the MLP fixture). */
  data: string;
  model: string;
  forget(name: string, selection: unknown): string;
  remove(): void;
}

/** A temporary workspace with a small data set and the MLP fixture; `forget()` writes forget-set files. */
export function smallWorkspace(train = 600, test = 200, model = 'fmnist-mlp.onnx'): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'lethe-reliability-'));
  const data = join(root, 'fashion-data');
  writeSmallFashionMnist(data, train, test);
  copyFileSync(join(FIXTURES, model), join(root, 'model.onnx'));
  return {
    root,
    data,
    model: join(root, 'model.onnx'),
    forget(name, selection) {
      const file = join(root, `${name}.forget.json`);
      writeFileSync(file, JSON.stringify({ version: 1, dataset: 'fashion-data', selection }));
      return file;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
