/**
 * Nothing lost: a real `lethe unlearn` leaves the example's checkpoint, data and forget set byte-identical;
 * a run killed (SIGKILL) at seeded random moments leaves either a complete, verifiable run folder or none;
 * the hidden staging folders such kills leave are swept by the next run.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModel } from '../../../src/engine/onnx/read';
import { encodeModel } from '../../../src/engine/onnx/write';
import { Rng } from '../../../src/engine/util/rng';
import { EXAMPLE, FIXTURES } from '../../corpus/workspace';
import { lethe, spawnLethe } from './cli';

const out = mkdtempSync(join(tmpdir(), 'lethe-nothing-lost-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** SHA-256 of every file under `dir` except run outputs (other sessions may be writing `runs/`). */
function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = join(e.parentPath, e.name);
    const rel = relative(dir, file);
    if (!e.isFile() || rel.startsWith('runs')) continue;
    out[rel] = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  return out;
}

const unlearnArgs = (model: string, runs: string) => [
  'unlearn', '--model', model, '--data', join(EXAMPLE, 'data'), '--forget', join(EXAMPLE, 'sandals.forget.json'),
  '--method', 'finetune', '--param', 'epochs=1', '--no-reference', '--out', runs,
];

/** SHA-256 of a run's checkpoint with its creation time cleared (the one field that differs between runs). */
function checkpointDigest(runDir: string): string {
  const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as { models: { unlearned: { path: string } } };
  const model = decodeModel(new Uint8Array(readFileSync(join(runDir, report.models.unlearned.path))));
  delete model.metadata['lethe.createdAt'];
  return createHash('sha256').update(encodeModel(model)).digest('hex');
}

/** Polls `done` every few milliseconds, up to `timeoutMs`. */
async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!done() && performance.now() < end) await new Promise((r) => setTimeout(r, 2));
}

/** A visible run folder must be complete: report, provenance, the checkpoint, and `lethe verify` passes. */
async function expectCompleteRun(dir: string): Promise<void> {
  const files = readdirSync(dir);
  expect(files, dir).toEqual(expect.arrayContaining(['report.json', 'provenance.json']));
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { models: { unlearned?: { path: string } } };
  expect(report.models.unlearned && existsSync(join(dir, report.models.unlearned.path)), `${dir}: checkpoint`).toBe(true);
  const verify = await lethe(['verify', dir]);
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);
}

describe('nothing lost', () => {
  it('a real unlearning run on the example leaves its checkpoint, data and forget sets untouched', async () => {
    const before = hashTree(EXAMPLE);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['fashion-cnn.onnx', 'sandals.forget.json', join('data', 'train-images-idx3-ubyte.gz')]));
    const r = await lethe(unlearnArgs(join(EXAMPLE, 'fashion-cnn.onnx'), join(out, 'example-runs')), { timeoutMs: 170_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(hashTree(EXAMPLE)).toEqual(before);
    const [run] = readdirSync(join(out, 'example-runs'));
    await expectCompleteRun(join(out, 'example-runs', run));
  });

  it('SIGKILL at seeded random moments: a complete run folder or none; the next run sweeps the staging leftovers', async () => {
    const model = join(FIXTURES, 'fmnist-mlp.onnx');
    const runs = join(out, 'killed-runs');
    // One complete run first: its duration bounds the kill delays, so kills land in every phase.
    const t0 = performance.now();
    const full = await lethe(unlearnArgs(model, runs));
    expect(full.code, full.stderr).toBe(0);
    const duration = performance.now() - t0;
    const rng = new Rng(424242);
    const kills = 12;
    const partial = new Set<string>(); // staging folders seen after a kill (each later run sweeps the older ones)
    const moments: string[] = [];
    for (let k = 0; k < kills; k++) {
      const child = spawnLethe(unlearnArgs(model, runs));
      if (k % 2 === 0) {
        // Anywhere in the run: loading, training, evaluating, writing.
        const delay = Math.round(rng.uniform() * duration * 1.1);
        moments.push(`${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
      } else {
        // Inside the short output-writing window: once the staging folder appears, after 0–40 ms.
        const delay = Math.round(rng.uniform() * 40);
        moments.push(`staging+${delay} ms`);
        await until(() => readdirSync(runs).some((n) => n.includes(`.staging-${child.pid}-`)) || child.exitCode !== null, duration * 3);
        await new Promise((r) => setTimeout(r, delay));
      }
      child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
      for (const name of readdirSync(runs)) {
        if (name.startsWith('.')) {
          expect(name, 'only hidden staging folders may be partial').toMatch(/^\..+\.staging-\d+-[^.]+$/);
          partial.add(name);
        }
        else await expectCompleteRun(join(runs, name));
      }
    }
    const leftovers = readdirSync(runs).filter((n) => n.startsWith('.'));
    console.log(`[kill] ${kills} SIGKILLs at ${moments.join(', ')} (a full run took ${duration.toFixed(0)} ms); ${readdirSync(runs).length - leftovers.length} complete runs, ${partial.size} staging folders left by kills, ${leftovers.length} still there`);
    expect(partial.size, 'some kills landed while outputs were being written').toBeGreaterThan(0);
    // Leftovers are older than the next run's process: it removes them when it starts.
    const next = await lethe(unlearnArgs(model, runs));
    expect(next.code, next.stderr).toBe(0);
    expect(readdirSync(runs).filter((n) => n.startsWith('.'))).toEqual([]);
    const weights = new Set<string>();
    for (const name of readdirSync(runs)) {
      expect(statSync(join(runs, name)).isDirectory()).toBe(true);
      await expectCompleteRun(join(runs, name));
      weights.add(checkpointDigest(join(runs, name)));
    }
    // Every run that completed, each in its own process, wrote the same weights (same job, same seed).
    expect(weights.size).toBe(1);
  });
});
