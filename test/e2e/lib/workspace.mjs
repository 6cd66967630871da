// A throw-away copy of the example workspace, so runs never touch the repository, plus a tiny image
// dataset (class folders of PNGs and a descriptor) for choosing forget data from the Explorer.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs');

export function prepareWorkspace(repo, dir) {
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(repo, 'examples', 'fashion-mnist'), dir, {
    recursive: true,
    filter: (src) => !/[\\/](runs|lethe-runs)([\\/]|$)|\.staging-/.test(src.slice(repo.length)),
  });
  // A quick job (no retrained reference, one epoch) so the suite does not wait minutes per run.
  writeFileSync(
    join(dir, 'e2e-fast.lethe.yaml'),
    ['version: 1', 'name: e2e-fast', 'model: fashion-cnn.onnx', 'data: data', 'forget: sandals.forget.json', 'method: gradient-ascent', 'params:', '  epochs: 1', 'reference:', '  retrain: false', 'output: runs', ''].join('\n'),
  );
  writeImageDataset(join(dir, 'pets'));
  writeTableDataset(dir);
  // A training config in another tool's style (gets code lenses) and an unrelated YAML file (gets none).
  writeFileSync(join(dir, 'train-config.yaml'), 'checkpoint: fashion-cnn.onnx\ndataset: data\nepochs: 1\nbatch_size: 128\nlearning_rate: 0.05\n');
  writeFileSync(join(dir, 'ci-pipeline.yaml'), 'stages:\n  - build\n  - test\n');
  writeFileSync(join(dir, 'suspects.txt'), 'index\n17\n4\n123\n4\n');
  writeFileSync(
    join(dir, 'pets.dataset.json'),
    JSON.stringify({ format: 'images', files: { train: 'pets/train', test: 'pets/test' }, classNames: ['cat', 'dog'], preprocessing: { channels: 'grayscale', size: [28, 28] } }, null, 2),
  );
  return dir;
}

/** 28×28 grayscale PNGs: "cats" are bright on the left, "dogs" on the right. */
function writeImageDataset(root) {
  for (const split of ['train', 'test']) {
    for (const [label, cls] of [['cat', 0], ['dog', 1]]) {
      const folder = join(root, split, label);
      mkdirSync(folder, { recursive: true });
      for (let i = 0; i < (split === 'train' ? 6 : 3); i++) {
        const png = new PNG({ width: 28, height: 28 });
        for (let y = 0; y < 28; y++) {
          for (let x = 0; x < 28; x++) {
            const v = (cls === 0 ? x < 14 : x >= 14) ? 200 + ((x * 7 + y * 3 + i * 11) % 55) : (x * y + i) % 40;
            const k = (y * 28 + x) * 4;
            png.data[k] = png.data[k + 1] = png.data[k + 2] = v;
            png.data[k + 3] = 255;
          }
        }
        writeFileSync(join(folder, `${label}-${i}.png`), PNG.sync.write(png));
      }
    }
  }
}

/** A small CSV dataset with a descriptor, for "Forget Selected Rows". */
function writeTableDataset(dir) {
  mkdirSync(join(dir, 'tabular'), { recursive: true });
  const rows = (n, seed) => ['x1,x2,label', ...Array.from({ length: n }, (_, i) => `${((i * 7 + seed) % 10) / 10},${((i * 3 + seed) % 10) / 10},${i % 2}`)].join('\n') + '\n';
  writeFileSync(join(dir, 'tabular', 'train.csv'), rows(12, 1));
  writeFileSync(join(dir, 'tabular', 'test.csv'), rows(6, 2));
  writeFileSync(join(dir, 'tabular.dataset.json'), JSON.stringify({ format: 'csv', files: { train: 'tabular/train.csv', test: 'tabular/test.csv' }, label: 'label', classNames: ['even', 'odd'] }, null, 2));
}
