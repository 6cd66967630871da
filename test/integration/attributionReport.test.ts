/** A job with `evaluation.attribution` puts TRAK before/after lists, with image thumbnails, into the report. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/engine/job/run';

const root = join(__dirname, '..', '..');
const example = join(root, 'examples', 'fashion-mnist');

describe('attribution in the report', () => {
  it('explains forget and test examples under the original and the unlearned model', async () => {
    const { report } = await runJob(
      {
        model: join(root, 'test', 'fixtures', 'fmnist-mlp.onnx'),
        data: join(example, 'data'),
        forget: join(example, 'random-10pct.forget.json'),
        method: 'gradient-ascent',
        reference: { retrain: false },
        evaluation: { attribution: true, mia: false },
        output: mkdtempSync(join(tmpdir(), 'lethe-attr-')),
      },
      { baseDir: root },
    );
    const entries = report.attribution ?? [];
    expect(entries.map((e) => e.target.split)).toEqual(['forget', 'forget', 'forget', 'test', 'test', 'test']);
    for (const e of entries) {
      expect(e.before).toHaveLength(8);
      expect(e.after).toHaveLength(8);
      // Highest score first, and a different model gives different scores.
      for (let i = 1; i < 8; i++) expect(e.before[i - 1].score).toBeGreaterThanOrEqual(e.before[i].score);
      expect(e.after.map((a) => a.score)).not.toEqual(e.before.map((b) => b.score));
      const png = PNG.sync.read(Buffer.from(e.target.thumbnail!.replace('data:image/png;base64,', ''), 'base64'));
      expect([png.width, png.height]).toEqual([28, 28]);
      expect(e.before.every((b) => b.thumbnail?.startsWith('data:image/png;base64,'))).toBe(true);
    }
  });
});
