/** The worker lifecycle seen from the host: results, errors, crashes and cancellation, with real processes. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotOutputFolder } from '../../../src/extension/jobs/outputSnapshot';
import { runInWorker, type WorkerListener } from '../../../src/extension/jobs/workerProcess';

const workers = resolve(__dirname, 'workers');
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lethe-host-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function recorder() {
  const progress: [number, string][] = [];
  const logs: string[] = [];
  const listener: WorkerListener = { progress: (f, m) => progress.push([f, m]), log: (l, m) => logs.push(`${l}: ${m}`) };
  return { progress, logs, listener };
}

const job = (baseDir: string) => ({ jobId: 'job-1', job: { model: 'm.onnx', data: 'data', output: 'runs' }, baseDir, label: 'demo.lethe.yaml' });

describe('runInWorker', () => {
  it('returns the result and streams only this job\'s progress and logs', async () => {
    const r = recorder();
    const outcome = await runInWorker(join(workers, 'reports.cjs'), job(tempDir()), r.listener, new AbortController().signal);
    expect(outcome).toEqual({ kind: 'result', runDir: '/runs/r1', reportPath: '/runs/r1/report.json' });
    expect(r.progress).toEqual([[0.5, 'halfway']]);
    expect(r.logs).toContain('info: hello');
    expect(r.logs.some((l) => l.startsWith('warn: ignored a malformed message'))).toBe(true);
  });

  it('passes on an engine error with its file', async () => {
    const outcome = await runInWorker(join(workers, 'reports.cjs'), { ...job(tempDir()), job: { model: 'bad.onnx', data: 'data' } }, recorder().listener, new AbortController().signal);
    expect(outcome).toEqual({ kind: 'error', message: 'data.csv: line 3: not a number', file: 'data.csv' });
  });

  it('turns a worker that exits without a result into a crash naming the job and the last output', async () => {
    const r = recorder();
    const outcome = await runInWorker(join(workers, 'exits.cjs'), job(tempDir()), r.listener, new AbortController().signal);
    expect(outcome.kind).toBe('crashed');
    const message = (outcome as { message: string }).message;
    expect(message).toContain('exited with code 3');
    expect(message).toContain('demo.lethe.yaml');
    expect(message).toContain('native kernel aborted');
  });

  it('reports a worker file that does not exist as a crash, not a hang', async () => {
    const outcome = await runInWorker(join(workers, 'missing.cjs'), job(tempDir()), recorder().listener, new AbortController().signal);
    expect(outcome.kind).toBe('crashed');
  });

  it('cancels by killing the worker, and the snapshot removes only the new staging folder', async () => {
    const base = tempDir();
    const output = join(base, 'runs');
    mkdirSync(join(output, 'earlier-run'), { recursive: true });
    mkdirSync(join(output, '.crashed-before.staging-xyz'));
    const snapshot = await snapshotOutputFolder(output);
    const abort = new AbortController();
    const r = recorder();
    const listener: WorkerListener = { ...r.listener, progress: () => abort.abort() }; // cancel once it is writing
    const outcome = await runInWorker(join(workers, 'stages.cjs'), job(base), listener, abort.signal);
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(readdirSync(output).sort()).toEqual(['.crashed-before.staging-xyz', '.run-1.staging-abc123', 'earlier-run']);
    const removed = await snapshot.discardNewStaging();
    expect(removed).toEqual([join(output, '.run-1.staging-abc123')]);
    expect(readdirSync(output).sort()).toEqual(['.crashed-before.staging-xyz', 'earlier-run']);
  });

  it('removes the output folder when the cancelled job created it and nothing else is in it', async () => {
    const base = tempDir();
    const output = join(base, 'runs');
    const snapshot = await snapshotOutputFolder(output);
    const abort = new AbortController();
    const listener: WorkerListener = { progress: () => abort.abort(), log: () => undefined };
    expect(await runInWorker(join(workers, 'stages.cjs'), job(base), listener, abort.signal)).toEqual({ kind: 'cancelled' });
    await snapshot.discardNewStaging();
    expect(existsSync(output)).toBe(false);
  });

  it('runs the real bundled worker: a job naming a missing model fails with the model path', async () => {
    const worker = resolve(__dirname, '../../../dist/worker.js');
    expect(existsSync(worker), 'build first (node scripts/build.mjs)').toBe(true);
    const base = tempDir();
    mkdirSync(join(base, 'data'));
    const outcome = await runInWorker(worker, { ...job(base), job: { model: 'nowhere.onnx', data: 'data', forget: 'x.forget.json', output: 'runs' } }, recorder().listener, new AbortController().signal);
    expect(outcome.kind).toBe('error');
    expect((outcome as { message: string }).message).toContain('nowhere.onnx');
    expect(existsSync(join(base, 'runs'))).toBe(false);
  });
});
