/**
 * Through the shipped CLI, the failures issue 14 lists end in one `lethe: …` line, exit code 1 and no stack trace,
 * and no line holds the environment or a file's content: a descriptor naming /proc/self/environ, a FIFO as the model,
 * an int64 or negative-sized input, a 10-class model on 3-class data, a full disk, an output folder in /proc.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModelProto } from '../../../src/engine/onnx/read';
import { ModelProtoType, type ModelProto } from '../../../src/engine/onnx/proto';
import { FIXTURES, smallWorkspace } from '../../corpus/workspace';
import { expectCleanRefusal, lethe } from './cli';

const ws = smallWorkspace(100, 30);
const root = mkdtempSync(join(tmpdir(), 'lethe-cli-oneline-'));
afterAll(() => {
  ws.remove();
  rmSync(root, { recursive: true, force: true });
});

function editedModel(name: string, edit: (m: ModelProto) => void): string {
  const proto = decodeModelProto(new Uint8Array(readFileSync(join(FIXTURES, 'fmnist-mlp.onnx'))));
  edit(proto);
  const file = join(root, name);
  writeFileSync(file, ModelProtoType.encode(proto as never).finish());
  return file;
}

describe('one line, no stack, no secret', () => {
  it('a descriptor naming /proc/self/environ: the environment is not printed', async () => {
    const dir = join(root, 'environ');
    mkdirSync(dir);
    const data = join(dir, 'd.dataset.json');
    writeFileSync(data, JSON.stringify({ format: 'csv', files: { train: '/proc/self/environ', test: '/proc/self/environ' } }));
    for (const command of ['eval', 'logits']) {
      const r = await lethe([command, '--model', ws.model, '--data', data], { env: { LETHE_PROBE_SECRET: 'SECRET_ENV_456' } });
      expectCleanRefusal(r, '/proc/self/environ');
      expect(r.stderr + r.stdout).not.toContain('SECRET_ENV_456');
    }
  });

  it.runIf(process.platform === 'linux')('a FIFO as the model is refused at once', async () => {
    const fifo = join(root, 'pipe.onnx');
    execFileSync('mkfifo', [fifo]);
    const r = await lethe(['eval', '--model', fifo, '--data', ws.data], { timeoutMs: 30_000 });
    expectCleanRefusal(r, /pipe\.onnx: the model is a FIFO \(named pipe\), not a regular file; refused/);
  });

  it('an int64 input, a negative input size and a class-count mismatch in eval', async () => {
    const int64 = editedModel('int64.onnx', (m) => { m.graph!.input![0].type!.tensor_type!.elem_type = 7; });
    expectCleanRefusal(await lethe(['eval', '--model', int64, '--data', ws.data]), /int64\.onnx: input "[^"]+" takes int64 values; Lethe feeds examples as float32/);
    const negative = editedModel('negative.onnx', (m) => { m.graph!.input![0].type!.tensor_type!.shape!.dim![2] = { dim_value: -3 } as never; });
    expectCleanRefusal(await lethe(['logits', '--model', negative, '--data', ws.data]), /negative\.onnx: input "[^"]+" has a size of -3; every size apart from the batch axis must be positive/);

    // 784 features and three classes, for the 10-class MLP.
    const dir = join(root, 'three');
    mkdirSync(dir);
    const rows = Array.from({ length: 6 }, (_, i) => [i % 3, ...Array.from({ length: 784 }, (_, j) => (i + j) % 5)].join(','));
    writeFileSync(join(dir, 'a.csv'), ['label,' + Array.from({ length: 784 }, (_, j) => `p${j}`).join(','), ...rows].join('\n') + '\n');
    writeFileSync(join(dir, 'd.dataset.json'), JSON.stringify({ format: 'csv', files: { train: 'a.csv', test: 'a.csv' } }));
    expectCleanRefusal(await lethe(['eval', '--model', ws.model, '--data', join(dir, 'd.dataset.json')]), /model\.onnx: the model outputs 10 class scores but the dataset .*d\.dataset\.json has 3 classes/);
  });

  // (A job's `output: /proc` is refused up front by the output confinement; here the write itself fails.)
  it('an output in /proc', async () => {
    const r = await lethe(['train', '--model', ws.model, '--data', ws.data, '--epochs', '1', '--out', '/proc/lethe-model.onnx']);
    expectCleanRefusal(r, '/proc/');
  });

  // A 1 MB tmpfs, nearly full, is a full disk for the model `lethe train` writes (root only: mount).
  const canMount = process.getuid?.() === 0 && process.platform === 'linux';
  it.runIf(canMount)('a full disk (ENOSPC)', async () => {
    const disk = join(root, 'full');
    mkdirSync(disk);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk]);
    try {
      writeFileSync(join(disk, 'filler'), new Uint8Array(900 * 1024));
      const r = await lethe(['train', '--model', ws.model, '--data', ws.data, '--epochs', '1', '--out', join(disk, 'model.onnx')]);
      expectCleanRefusal(r, /no space left on the device \(ENOSPC\)|ENOSPC/);
    } finally {
      execFileSync('umount', [disk]);
    }
  });
});
