/**
 * Secrets read by mistake: a credentials file, an environment dump or a token, placed where every reader expects its
 * file (datasets of each format, descriptors, forget sets, job files, ONNX and TF.js models), each in several
 * malformed shapes. Whatever the reader says, the secret must not be in it: errors land in CI logs.
 */
import { join } from 'node:path';
import { loadDataset } from '../../src/engine/data/load';
import { readForgetSet } from '../../src/engine/data/forgetSet';
import { loadCheckpoint } from '../../src/engine/job/checkpoint';
import { loadJobFile } from '../../src/engine/job/load';
import type { Files } from './dataCases';

const SECRET = 'SECRET_TOKEN_123=hunter2-do-not-print';
/** No error may hold any piece of the secret: V8 quotes as little as ten characters of bad JSON. */
export const SECRET_PIECES = ['SECRET', 'hunter2', 'AKIAEXAMPLE'];

/** The secret in the shapes a file holding it takes: plain, an INI credentials file, an environment dump, JSON, YAML, CSV and JSONL rows. */
export const SECRET_CONTENTS: Record<string, string> = {
  plain: `${SECRET}\n`,
  credentials: `[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = ${SECRET}\n`,
  environ: `PATH=/usr/bin\0HOME=/root\0${SECRET}\0`,
  'json-value': JSON.stringify({ token: SECRET }),
  'json-key': JSON.stringify({ [SECRET]: 1 }).replace('}', ''), // unclosed: the parser stops inside the key
  'json-broken': `{"token": ${SECRET}}`,
  'yaml-value': `token: ${SECRET}\n`,
  'yaml-broken': `token: [${SECRET}\n  - x: {\n`,
  'csv-field': `a,label\n${SECRET},0\n`,
  'csv-label': `a,label\n1,${SECRET}\n`,
  'csv-header': `${SECRET},b\n1,2\n`,
  'jsonl-feature': `{"x": "${SECRET}", "label": 0}\n`,
  'jsonl-label': `{"x": [1], "label": {"v": "${SECRET}"}}\n`,
  'jsonl-broken': `{"x": [1], "label": ${SECRET}}\n`,
};

export interface SecretPlace {
  name: string;
  /** The files of the case, given the secret's content for the file the reader expects. */
  files: (secret: string | Uint8Array) => Files;
  /** The call a user's command would make, from the case folder. */
  attempt(dir: string): Promise<unknown>;
}

const goodCsv = 'a,label\n1,0\n2,1\n';
const descriptor = (format: string, extra: object = {}) => JSON.stringify({ format, files: { train: 'train.x', test: 'test.x' }, classNames: ['x', 'y'], ...extra });
const dataset = (entry: string) => (dir: string) => loadDataset(join(dir, entry));

/** Every reader, with the secret where it expects its file. */
export const SECRET_PLACES: SecretPlace[] = [
  { name: 'descriptor.json', files: (s) => ({ 'd.dataset.json': s }), attempt: dataset('d.dataset.json') },
  { name: 'descriptor.yaml', files: (s) => ({ 'd.dataset.yaml': s }), attempt: dataset('d.dataset.yaml') },
  { name: 'csv', files: (s) => ({ 'd.dataset.json': descriptor('csv'), 'train.x': s, 'test.x': goodCsv }), attempt: dataset('d.dataset.json') },
  { name: 'tsv', files: (s) => ({ 'd.dataset.json': descriptor('tsv'), 'train.x': s, 'test.x': goodCsv.replace(/,/g, '\t') }), attempt: dataset('d.dataset.json') },
  { name: 'jsonl', files: (s) => ({ 'd.dataset.json': descriptor('jsonl', { features: ['x'] }), 'train.x': s, 'test.x': '{"x": [1], "label": 0}\n' }), attempt: dataset('d.dataset.json') },
  {
    name: 'idx',
    files: (s) => ({ 'train-images-idx3-ubyte': s, 'train-labels-idx1-ubyte': s, 't10k-images-idx3-ubyte': s, 't10k-labels-idx1-ubyte': s }),
    attempt: dataset('.'),
  },
  {
    name: 'npy',
    files: (s) => ({ 'd.dataset.json': JSON.stringify({ format: 'npy', files: { train: { x: 'x.npy', y: 'x.npy' }, test: { x: 'x.npy', y: 'x.npy' } } }), 'x.npy': s }),
    attempt: dataset('d.dataset.json'),
  },
  {
    name: 'npz',
    files: (s) => ({ 'd.dataset.json': JSON.stringify({ format: 'npy', files: { train: { x: 'a.npz', y: 'a.npz' }, test: { x: 'a.npz', y: 'a.npz' } } }), 'a.npz': s }),
    attempt: dataset('d.dataset.json'),
  },
  {
    name: 'image',
    files: (s) => ({ 'd.dataset.json': JSON.stringify({ format: 'images', files: { train: 'train', test: 'train' } }), 'train/cat/1.png': s, 'train/dog/2.jpg': s }),
    attempt: dataset('d.dataset.json'),
  },
  { name: 'forget-set', files: (s) => ({ 'f.forget.json': s }), attempt: (dir) => readForgetSet(join(dir, 'f.forget.json')) },
  { name: 'job.yaml', files: (s) => ({ 'j.lethe.yaml': s }), attempt: (dir) => loadJobFile(join(dir, 'j.lethe.yaml')) },
  { name: 'job.json', files: (s) => ({ 'j.lethe.json': s }), attempt: (dir) => loadJobFile(join(dir, 'j.lethe.json')) },
  { name: 'onnx', files: (s) => ({ 'm.onnx': s }), attempt: (dir) => loadCheckpoint(join(dir, 'm.onnx')) },
  { name: 'tfjs-model.json', files: (s) => ({ 'model.json': s }), attempt: (dir) => loadCheckpoint(join(dir, 'model.json')) },
  {
    name: 'tfjs-shard',
    files: (s) => ({
      'model.json': JSON.stringify({
        format: 'layers-model',
        modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'd', units: 2, batch_input_shape: [null, 3] } }] } },
        weightsManifest: [{ paths: ['shard.bin'], weights: [{ name: 'd/kernel', shape: [3, 2], dtype: 'float32' }, { name: 'd/bias', shape: [2], dtype: 'float32' }] }],
      }),
      'shard.bin': s,
    }),
    attempt: (dir) => loadCheckpoint(join(dir, 'model.json')),
  },
];
