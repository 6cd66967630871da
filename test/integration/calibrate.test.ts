/**
 * `lethe calibrate` end to end on the fixture MLP and the bundled Fashion-MNIST subset: a real calibration of two
 * methods, the same calibration in two shards merged into the same file, then a job that takes the calibration
 * file (its best method and settings), and the refusal of a calibration made for another model.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CalibrationFile } from '../../src/engine/contracts/calibration';
import type { Report } from '../../src/engine/contracts/report';
import { FASHION_MNIST_SMALL, FIXTURES } from '../fixtures/paths';

const root = join(__dirname, '..', '..');
const model = join(FIXTURES, 'fmnist-mlp.onnx');
const dir = mkdtempSync(join(tmpdir(), 'lethe-calibrate-'));
const forget = join(dir, 'f.forget.json');
writeFileSync(forget, JSON.stringify({ version: 1, dataset: FASHION_MNIST_SMALL, selection: { kind: 'indices', indices: Array.from({ length: 100 }, (_, i) => i * 97) } }));

const lethe = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'lethe.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
function json<T>(args: string[]): T {
  return JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'lethe.js'), ...args, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] })) as T;
}
const calibrateArgs = ['calibrate', '--model', model, '--data', FASHION_MNIST_SMALL, '--forget-like', forget, '--methods', 'ssd,gradient-ascent', '--budget', '5', '--seed', '3'];

/** A file without its wall times, which differ between runs (selection and front never read them). */
function timeless(f: CalibrationFile) {
  const noTime = <T extends { seconds: number; timeRatio: number }>({ seconds: _, timeRatio: __, ...rest }: T) => rest;
  return { ...f, seconds: undefined, trials: f.trials.map(noTime), calibrated: f.calibrated.map(noTime) };
}

describe('lethe calibrate', () => {
  const out = join(dir, 'cal.json');
  let whole: CalibrationFile;

  it('calibrates two methods on a proxy like the forget set, with progress lines on stderr', () => {
    const run = lethe([...calibrateArgs, '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/\[\s*\d+%\] Trial 1\/5: ssd\/0 alpha=10/);
    whole = JSON.parse(readFileSync(out, 'utf8'));
    expect(whole).toMatchObject({ kind: 'lethe-calibration', methods: ['ssd', 'gradient-ascent'], proxy: { kind: 'random', forgetSize: 100, size: 100, forgetLike: 'f.forget.json' } });
    expect(whole.trials.map((t) => t.id)).toEqual(['ssd/0', 'gradient-ascent/0', 'ssd/1', 'gradient-ascent/1', 'ssd/2']);
    expect(whole.calibrated.map((c) => c.method)).toEqual(['ssd', 'gradient-ascent']);
    expect(['ssd', 'gradient-ascent']).toContain(whole.recommended);
    for (const t of whole.trials) expect(t.error, t.id).toBeUndefined();
    expect(whole.front.length).toBeGreaterThan(0);
  });

  it('two shards merged equal the unsharded run (the proxy reference comes from the shared cache)', () => {
    const shardOut = join(dir, 'sharded.json');
    for (const s of ['0/2', '1/2']) expect(lethe([...calibrateArgs, '--shard', s, '--out', shardOut]).status).toBe(0);
    const merged = json<CalibrationFile>(['calibrate', '--merge', `${shardOut}.part-0-of-2`, `${shardOut}.part-1-of-2`, '--out', shardOut]);
    expect(timeless(merged)).toEqual(timeless(whole));
    expect(JSON.parse(readFileSync(shardOut, 'utf8'))).toEqual(merged);
  });

  it('a job with the calibration and no method runs the best calibrated method with its settings', () => {
    const report = json<Report>(['unlearn', '--model', model, '--data', FASHION_MNIST_SMALL, '--forget', forget, '--calibration', out, '--out', join(dir, 'runs')]);
    const best = whole.calibrated.find((c) => c.method === whole.recommended)!;
    expect(report.method?.name).toBe(whole.recommended);
    expect(report.method?.params).toMatchObject(best.params);
    expect(report.log.join('\n')).toMatch(new RegExp(`calibration cal\\.json: ${whole.recommended}, the best calibrated method`));
  });

  it('refuses a calibration made for another model, naming both', () => {
    const run = lethe(['unlearn', '--model', join(FIXTURES, 'fmnist-cnn.onnx'), '--data', FASHION_MNIST_SMALL, '--forget', forget, '--calibration', out, '--out', join(dir, 'runs')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cal\.json: was made for the model fmnist-mlp\.onnx \(sha256 [0-9a-f]{12}…\), but this job's model is fmnist-cnn\.onnx \(sha256 [0-9a-f]{12}…\)/);
  });

  it('refuses a whole-class forget set on two classes in one message', () => {
    // Two classes of 784 features, the fixture's input.
    const rows = (n: number) => Array.from({ length: n }, (_, i) => [i % 2, ...Array.from({ length: 784 }, (_, j) => ((i + j) % 7) / 7)].join(',')).join('\n');
    const header = ['label', ...Array.from({ length: 784 }, (_, j) => `p${j}`)].join(',');
    writeFileSync(join(dir, 'train.csv'), `${header}\n${rows(40)}\n`);
    writeFileSync(join(dir, 'test.csv'), `${header}\n${rows(10)}\n`);
    const data = join(dir, 'two.dataset.json');
    writeFileSync(data, JSON.stringify({ format: 'csv', files: { train: 'train.csv', test: 'test.csv' } }));
    const cls = join(dir, 'class.forget.json');
    writeFileSync(cls, JSON.stringify({ version: 1, dataset: data, selection: { kind: 'classes', classes: [0] } }));
    const run = lethe(['calibrate', '--model', model, '--data', data, '--forget-like', cls, '--out', join(dir, 'x.json')]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^lethe: class\.forget\.json forgets 1 whole class of 2/);
  });
});
