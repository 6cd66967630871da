/**
 * Hostile ONNX checkpoints (the corpus in test/corpus/onnxCases.ts) and a seeded fuzzer over the reader and
 * the model validation: every input ends in one LetheError naming the file, or loads as a valid model.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateModel } from '../../../src/engine/autodiff/validate';
import { loadCheckpoint } from '../../../src/engine/job/checkpoint';
import { decodeModel } from '../../../src/engine/onnx/read';
import { Rng } from '../../../src/engine/util/rng';
import { mutate } from '../../corpus/mutate';
import { ONNX_CASES } from '../../corpus/onnxCases';
import { describeStats, expectHealthy, expectRefusal, fuzz, outcomeOf } from '../../corpus/outcome';
import { FIXTURES } from '../../corpus/workspace';

const root = mkdtempSync(join(tmpdir(), 'lethe-onnx-corpus-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** What a job does with a checkpoint before anything else: read it, check its weights, validate every op. */
async function loadAndValidate(file: string): Promise<void> {
  validateModel((await loadCheckpoint(file)).model);
}

describe(`ONNX corpus (${ONNX_CASES.length} hostile checkpoints)`, () => {
  it('prints the corpus size', () => {
    console.log(`[corpus] ONNX: ${ONNX_CASES.length} hostile checkpoints`);
    expect(ONNX_CASES.length).toBeGreaterThan(25);
  });

  for (const c of ONNX_CASES) {
    it(`${c.name}: one LetheError naming the file and the cause`, async () => {
      const dir = join(root, c.name, 'model');
      mkdirSync(dir, { recursive: true });
      const file = c.make(dir);
      const before = process.memoryUsage().arrayBuffers;
      await expectRefusal(() => loadAndValidate(file), file, c.cause);
      expect((process.memoryUsage().arrayBuffers - before) / 2 ** 20, 'MB of ArrayBuffers reserved').toBeLessThan(64);
    });
  }
});

describe('seeded fuzzing of decodeModel + validateModel', () => {
  const budgets: [string, number][] = [['fmnist-mlp.onnx', 2000], ['fmnist-resnet-bn.onnx', 2000], ['fmnist-cnn.onnx', 500]];
  for (const [fixture, iterations] of budgets) {
    it(`${fixture}: ${iterations} mutants`, async () => {
      const base = new Uint8Array(readFileSync(join(FIXTURES, fixture)));
      const rng = new Rng(20261125);
      const name = `mutant-of-${fixture}`;
      const stats = await fuzz(iterations, async () => {
        const { bytes, how } = mutate(base, rng);
        return { how, outcome: await outcomeOf(() => validateModel(decodeModel(bytes, name)), name) };
      });
      console.log(describeStats(`ONNX ${fixture}`, stats));
      expectHealthy(stats, iterations / 4);
    });
  }
});
