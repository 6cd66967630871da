/** The `lethe` command line as a CI pipeline uses it: JSON on stdout, exit codes, verify after tampering. */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

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
