/**
 * Same job, same seed → byte-identical checkpoint files (no timestamp inside) and identical metrics; a different
 * seed → different weights (so the comparison can fail). Run twice in one process, as the worker would.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runJob } from '../../../src/engine/job/run';
import type { JobSpecInput } from '../../../src/engine/contracts/jobSpec';
import type { Report } from '../../../src/engine/contracts/report';
import { smallWorkspace } from '../../corpus/workspace';

const ws = smallWorkspace(600, 200);
afterAll(() => ws.remove());
writeFileSync(join(ws.root, 'job.lethe.yaml'), '# specs are passed to runJob directly\n');
const forget = ws.forget('random', { kind: 'indices', indices: Array.from({ length: 60 }, (_, i) => i * 10 + (i % 7)) });

/** The checkpoint file exactly as written: nothing is cleared before comparing. */
function checkpointBytes(runDir: string, report: Report): Uint8Array {
  return readFileSync(join(runDir, report.models.unlearned!.path));
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Everything the report measures, minus wall-clock seconds (unit "s"), which no seed controls. */
function measured(report: Report) {
  return { metrics: report.metrics.filter((m) => m.unit !== 's'), perClass: report.perClass, histograms: report.histograms, sizes: report.dataset.sizes };
}

async function run(method: string, params: Record<string, unknown>, seed: number) {
  const spec: JobSpecInput = { model: 'model.onnx', data: 'fashion-data', forget, method, params, seed, reference: { retrain: false }, output: `runs-${method}` };
  const { report, runDir } = await runJob(spec, { baseDir: ws.root, jobFile: join(ws.root, 'job.lethe.yaml') });
  return { report, runDir, bytes: checkpointBytes(runDir, report) };
}

describe('determinism', () => {
  it.each([
    ['finetune', { epochs: 1 }],
    ['neggrad-plus', { epochs: 1 }],
    ['random-label', { epochs: 1 }],
    ['salun', { epochs: 1 }],
  ])('%s: same seed → bit-identical checkpoint and metrics; another seed → different weights', async (method, params) => {
    const a = await run(method, params, 11);
    const b = await run(method, params, 11);
    const c = await run(method, params, 12);
    expect(b.runDir).not.toBe(a.runDir); // a second run never replaces the first, even within the same second
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes)), 'checkpoint bytes of two runs with seed 11').toBe(true);
    expect(measured(b.report)).toEqual(measured(a.report));
    expect(a.report.metrics.length).toBeGreaterThan(3);
    expect(Buffer.from(c.bytes).equals(Buffer.from(a.bytes)), 'seed 12 must change the weights').toBe(false);
  });

  it.each([
    ['gradient-ascent', { epochs: 1 }],
    ['ssd', {}],
    ['lotus', { epochs: 1 }],
  ])('%s: two runs with one seed write checkpoint files with the same SHA-256', async (method, params) => {
    const a = await run(method, params, 5);
    const b = await run(method, params, 5);
    expect(b.runDir).not.toBe(a.runDir);
    expect(sha256(b.bytes)).toBe(sha256(a.bytes));
    expect(b.report.models.unlearned!.sha256).toBe(a.report.models.unlearned!.sha256);
  });
});
