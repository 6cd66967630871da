/** The `lethe` command line as a CI pipeline uses it: JSON on stdout, exit codes, verify after tampering. */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModelFile } from '../../src/engine/onnx/read';

const root = join(__dirname, '..', '..');
const example = join(root, 'examples', 'fashion-mnist');
const model = join(example, 'fashion-cnn.onnx');
const data = join(example, 'data');

function lethe(args: string[]): unknown {
  return JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'lethe.js'), ...args, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 }));
}

describe('lethe CLI', () => {
  it('methods --json lists every method with citation, needs and typed parameters', () => {
    const methods = lethe(['methods']) as { name: string; citation: string; needs: string[]; params: { name: string; type: string; default: unknown; description: string }[] }[];
    expect(methods.map((m) => m.name).sort()).toEqual(
      ['bad-teacher', 'del', 'dm-direct', 'dmm', 'finetune', 'fisher', 'gradient-ascent', 'l1-sparse', 'lotus', 'mnemonic', 'neggrad-plus', 'oracle-matching', 'random-label', 'retrain', 'salun', 'scrub', 'ssd', 'unsir'].sort(),
    );
    for (const m of methods) {
      expect(m.citation.length).toBeGreaterThan(10);
      for (const p of m.params) expect(typeof p.description === 'string' && p.default !== undefined).toBe(true);
    }
  });

  it('eval --json gives accuracy, per-class accuracy and loss on the test split', () => {
    const r = lethe(['eval', '--model', model, '--data', data]) as { accuracy: number; n: number; perClass: number[]; loss: number };
    expect(r.n).toBe(2000);
    expect(r.perClass).toHaveLength(10);
    expect(r.accuracy).toBeGreaterThan(0.8);
    expect(r.loss).toBeGreaterThan(0);
  });

  it('eval --indices A:B evaluates rows A..B-1 of the split', () => {
    const part = lethe(['eval', '--model', model, '--data', data, '--indices', '100:350']) as { accuracy: number; n: number; perClass: (number | null)[] };
    const all = lethe(['eval', '--model', model, '--data', data]) as { accuracy: number };
    expect(part.n).toBe(250);
    expect(part.perClass).toHaveLength(10);
    expect(part.accuracy).not.toBe(all.accuracy);
    // The rows add up: the correct count on 100..349 is the sum of those on 100..199 and 200..349.
    const first = lethe(['eval', '--model', model, '--data', data, '--indices', '100:200']) as { accuracy: number; n: number };
    const second = lethe(['eval', '--model', model, '--data', data, '--indices', '200:350']) as { accuracy: number; n: number };
    expect(first.n + second.n).toBe(250);
    expect(Math.round(part.accuracy * 250)).toBe(Math.round(first.accuracy * 100) + Math.round(second.accuracy * 150));
  });

  it('train --from-scratch writes a new checkpoint, the same bytes for the same seed, with its recipe in the metadata', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lethe-cli-train-'));
    const mlp = join(root, 'test', 'fixtures', 'fmnist-mlp.onnx');
    const before = readFileSync(mlp);
    const train = (file: string) =>
      lethe(['train', '--model', mlp, '--data', data, '--epochs', '1', '--optimizer', 'sgd', '--nesterov', '--lr', '0.05', '--from-scratch', '--seed', '3', '--threads', '1', '--out', join(out, file)]) as
        { out: string; epochs: number; epochLosses: number[]; seconds: number };
    const r = train('a.onnx');
    train('b.onnx');
    expect(r.out).toBe(join(out, 'a.onnx'));
    expect(r.epochs).toBe(1);
    expect(r.epochLosses).toHaveLength(1);
    expect(r.epochLosses[0]).toBeGreaterThan(0.3); // from scratch: one epoch cannot reach the fixture's loss
    expect(readFileSync(join(out, 'a.onnx')).equals(readFileSync(join(out, 'b.onnx')))).toBe(true);
    expect(readFileSync(mlp).equals(before)).toBe(true);
    const meta = (await readModelFile(join(out, 'a.onnx'))).metadata;
    expect(meta['lethe.seed']).toBe('3');
    expect(meta['lethe.fromScratch']).toBe('true');
    expect(JSON.parse(meta['lethe.recipe'])).toMatchObject({ epochs: 1, optimizer: 'sgd', nesterov: true, lr: 0.05 });
    const evaluated = lethe(['eval', '--model', join(out, 'a.onnx'), '--data', data]) as { accuracy: number };
    expect(evaluated.accuracy).toBeGreaterThan(0.6);
  });

  it('audit --json prints a metrics map with value, reference, direction and definition', () => {
    const out = mkdtempSync(join(tmpdir(), 'lethe-cli-audit-'));
    const r = lethe(['audit', '--model', model, '--data', data, '--forget', join(example, 'sandals.forget.json'), '--reference', join(root, 'test', 'fixtures', 'fmnist-cnn.onnx'), '--out', out]) as {
      metrics: Record<string, { value: number | null; reference: number | null; direction: string; definition: string }>;
    };
    for (const id of ['acc.forget', 'acc.retain', 'acc.test', 'mia.entropy', 'mia.svc', 'jsd.lotus', 'rfjsd.lotus']) {
      const m = r.metrics[id];
      expect(m, id).toBeDefined();
      expect(['higher', 'lower', 'reference']).toContain(m.direction);
      expect(m.definition.length).toBeGreaterThan(20);
    }
    expect(r.metrics['acc.test'].reference).not.toBeNull();
  });

  it('unlearn with flags writes a run that verifies, and verify catches a changed checkpoint', () => {
    const out = mkdtempSync(join(tmpdir(), 'lethe-cli-unlearn-'));
    const report = lethe(['unlearn', '--model', model, '--data', data, '--forget', join(example, 'sandals.forget.json'), '--method', 'gradient-ascent', '--param', 'epochs=1', '--no-reference', '--out', out, '--seed', '4']) as {
      method: { name: string; params: Record<string, unknown> };
      seed: number;
      models: { unlearned: { path: string } };
    };
    expect(report.method.name).toBe('gradient-ascent');
    expect(report.method.params.epochs).toBe(1);
    expect(report.seed).toBe(4);
    const runs = readdirSync(out).filter((f) => !f.startsWith('.'));
    expect(runs).toHaveLength(1);
    const runDir = join(out, runs[0]);
    expect((lethe(['verify', runDir]) as { ok: boolean }).ok).toBe(true);
    appendFileSync(join(runDir, report.models.unlearned.path), Buffer.from([0]));
    const tampered = spawnSync(process.execPath, [join(root, 'bin', 'lethe.js'), 'verify', runDir], { encoding: 'utf8' });
    expect(tampered.status).toBe(3);
    expect(tampered.stdout).toContain('model.out');
  });
});
