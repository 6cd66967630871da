/**
 * Special files where a file is expected (a FIFO would hang the read, /dev/zero and /dev/urandom never end) are
 * refused before reading, by every reader; compressed bombs are refused while they inflate, within the memory limit.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../../src/engine/data/load';
import { readForgetSet } from '../../../src/engine/data/forgetSet';
import { loadCheckpoint } from '../../../src/engine/job/checkpoint';
import { loadJobFile } from '../../../src/engine/job/load';
import { expectRefusal } from '../../corpus/outcome';
import { SECRET_PLACES } from '../../corpus/secretCases';
import { idxBytes } from '../data/helpers';

const root = mkdtempSync(join(tmpdir(), 'lethe-special-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Fails instead of hanging: a reader that waits on a FIFO never settles. */
function withinSeconds<T>(seconds: number, attempt: () => Promise<T>): () => Promise<T> {
  return () => Promise.race([attempt(), new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${seconds} s: the reader hangs`)), seconds * 1000).unref())]);
}

const mkfifo = (path: string) => execFileSync('mkfifo', [path]);

describe.runIf(process.platform === 'linux')('FIFOs, devices and folders where a file is expected', () => {
  for (const place of SECRET_PLACES) {
    it(`${place.name}: a FIFO is refused at once`, async () => {
      const dir = join(root, 'fifo', place.name);
      const files = place.files('\u0000fifo\u0000');
      for (const [rel, content] of Object.entries(files)) {
        mkdirSync(join(dir, rel, '..'), { recursive: true });
        if (content === '\u0000fifo\u0000') mkfifo(join(dir, rel));
        else writeFileSync(join(dir, rel), content);
      }
      const fifo = Object.keys(files).find((rel) => files[rel] === '\u0000fifo\u0000')!;
      await expectRefusal(withinSeconds(5, () => place.attempt(dir)), join(dir, fifo), /is a FIFO \(named pipe\), not a regular file; refused/);
    });
  }

  const csvOn = (train: string) => {
    const dir = mkdtempSync(join(root, 'dev-'));
    writeFileSync(join(dir, 'd.dataset.json'), JSON.stringify({ format: 'csv', files: { train, test: 'test.csv' } }));
    writeFileSync(join(dir, 'test.csv'), 'a,label\n1,0\n');
    return join(dir, 'd.dataset.json');
  };
  for (const device of ['/dev/zero', '/dev/urandom', '/dev/null']) {
    it(`${device} as a data file, a model, a forget set and a job file is refused`, async () => {
      await expectRefusal(withinSeconds(5, () => loadDataset(csvOn(device))), device, /is a character device, not a regular file; refused/);
      await expectRefusal(withinSeconds(5, async () => {
        const dir = mkdtempSync(join(root, 'npy-'));
        writeFileSync(join(dir, 'd.dataset.json'), JSON.stringify({ format: 'npy', files: { train: { x: device, y: device }, test: { x: device, y: device } } }));
        return loadDataset(join(dir, 'd.dataset.json'));
      }), device, /character device/);
      const linked = mkdtempSync(join(root, 'link-'));
      execFileSync('ln', ['-s', device, join(linked, 'm.onnx')]);
      execFileSync('ln', ['-s', device, join(linked, 'f.forget.json')]);
      execFileSync('ln', ['-s', device, join(linked, 'j.lethe.yaml')]);
      await expectRefusal(withinSeconds(5, () => loadCheckpoint(join(linked, 'm.onnx'))), 'm.onnx', /character device/);
      await expectRefusal(withinSeconds(5, () => readForgetSet(join(linked, 'f.forget.json'))), 'f.forget.json', /character device/);
      await expectRefusal(withinSeconds(5, () => loadJobFile(join(linked, 'j.lethe.yaml'))), 'j.lethe.yaml', /character device/);
    });
  }

  it('a folder as a data file, a model and a job file is refused', async () => {
    const dir = mkdtempSync(join(root, 'folders-'));
    for (const name of ['train.csv', 'm.onnx', 'j.lethe.yaml']) mkdirSync(join(dir, name));
    await expectRefusal(() => loadDataset(csvOn(join(dir, 'train.csv'))), 'train.csv', /is a directory, not a regular file; refused/);
    await expectRefusal(() => loadCheckpoint(join(dir, 'm.onnx')), 'm.onnx', /is a directory/);
    await expectRefusal(() => loadJobFile(join(dir, 'j.lethe.yaml')), 'j.lethe.yaml', /is a directory/);
  });
});

/**
 * Runs `script` (ES module code importing the engine through tsx) in a child with LETHE_MAX_MEMORY_MB=500 and
 * returns its stdout and peak resident memory in MB (VmHWM: getrusage's maxRSS carries the parent's over exec).
 */
function inChild(script: string, cwd: string): { stdout: string; peakMB: number } {
  const file = join(cwd, 'probe.ts');
  const hwm = `(Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024)`;
  writeFileSync(file, `import { readFileSync } from 'node:fs';\n${script}\nprocess.on('beforeExit', () => process.stdout.write('\\npeak ' + ${hwm} + '\\n'));\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: join(__dirname, '..', '..', '..'), env: { ...process.env, LETHE_MAX_MEMORY_MB: '500' }, encoding: 'utf8', timeout: 120_000 });
  const peak = /peak ([\d.]+)/.exec(r.stdout);
  if (!peak) throw new Error(`the child failed: ${r.stderr}`);
  return { stdout: r.stdout, peakMB: Number(peak[1]) };
}

const SRC = join(__dirname, '..', '..', '..', 'src', 'engine');
const refusalOf = (call: string) => `import { loadDataset } from '${SRC}/data/load';\n${call}.then(() => console.log('accepted'), (e) => console.log(e.name + ': ' + e.message));`;

describe('compression bombs, with LETHE_MAX_MEMORY_MB=500', () => {
  it('an IDX gzip bomb (2 GiB of zeros behind a valid header) is refused with peak memory well under the limit', () => {
    const dir = mkdtempSync(join(root, 'gzip-bomb-'));
    // 2^31 bytes of pixels, declared honestly by the header, as 128 gzip members of 16 MB each (gzip allows members
    // back to back): about 2 MB on disk.
    const header = idxBytes([32768, 256, 256], []).subarray(0, 16);
    const member = gzipSync(Buffer.alloc(2 ** 24), { level: 9 });
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), Buffer.concat([gzipSync(header), ...Array.from({ length: 128 }, () => member)]));
    for (const name of ['train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) writeFileSync(join(dir, name), idxBytes([1], [0]));
    const { stdout, peakMB } = inChild(refusalOf(`loadDataset('${dir}')`), dir);
    expect(stdout).toMatch(/LetheError: .*train-images-idx3-ubyte\.gz: decompresses to more than 262144000 bytes \(half the memory limit; see LETHE_MAX_MEMORY_MB\)/);
    console.log(`[corpus] gzip bomb (2 GiB inflated) refused at a peak RSS of ${peakMB.toFixed(0)} MB with LETHE_MAX_MEMORY_MB=500`);
    expect(peakMB).toBeLessThan(450);
  }, 180_000);

  it('an NPZ zip bomb (an entry declaring 3 GiB) is refused before it inflates', () => {
    const dir = mkdtempSync(join(root, 'zip-bomb-'));
    writeFileSync(join(dir, 'd.npz'), zipWithOneEntry('x_train.npy', 3 * 2 ** 30));
    writeFileSync(join(dir, 'd.dataset.json'), JSON.stringify({ format: 'npy', files: { train: { x: 'd.npz', y: 'd.npz' }, test: { x: 'd.npz', y: 'd.npz' } } }));
    const { stdout, peakMB } = inChild(refusalOf(`loadDataset('${join(dir, 'd.dataset.json')}')`), dir);
    expect(stdout).toMatch(/LetheError: .*d\.npz \(x_train\.npy\): decompresses to more than 262144000 bytes/);
    console.log(`[corpus] NPZ bomb (3 GiB declared) refused at a peak RSS of ${peakMB.toFixed(0)} MB with LETHE_MAX_MEMORY_MB=500`);
    expect(peakMB).toBeLessThan(300);
  }, 180_000);
});

/** A ZIP64 archive holding one deflated entry of `size` zero bytes (the deflate stream of a few MB inflates to it). */
function zipWithOneEntry(name: string, size: number): Buffer {
  const data = deflateRawSync(Buffer.alloc(2 ** 24), { level: 9 }); // its first 16 MB; the directory says `size`
  const nameBytes = Buffer.from(name);
  const zip64 = Buffer.alloc(20);
  zip64.writeUInt16LE(1, 0);
  zip64.writeUInt16LE(16, 2);
  zip64.writeBigUInt64LE(BigInt(size), 4);
  zip64.writeBigUInt64LE(BigInt(data.length), 12);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(45, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(0xffffffff, 18);
  local.writeUInt32LE(0xffffffff, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  local.writeUInt16LE(zip64.length, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(45, 4);
  central.writeUInt16LE(45, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(0xffffffff, 20);
  central.writeUInt32LE(0xffffffff, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt16LE(zip64.length, 30);
  central.writeUInt32LE(0, 42);
  const body = Buffer.concat([local, nameBytes, zip64, data]);
  const directory = Buffer.concat([central, nameBytes, zip64]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(body.length, 16);
  return Buffer.concat([body, directory, end]);
}
