/**
 * TRAK on the fixture MLP (784-256-10, 203,530 parameters). By default a small run checks self-influence;
 * with LETHE_MEASURE=1 it is the timed measurement (2,000 training examples × 200 targets at k = 512, printed,
 * no thresholds), which takes about a minute on a busy 2-core machine.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGradientSource } from '../../../src/engine/attribution/onnxGradients';
import { trak } from '../../../src/engine/attribution/trak';
import { readModelFile } from '../../../src/engine/onnx/read';
import { fashionImages, MLP } from './helpers';

const model = await readModelFile(MLP);
const MEASURE = process.env.LETHE_MEASURE === '1';
const NTRAIN = MEASURE ? 2000 : 400;
const NTARGET = MEASURE ? 200 : 40;
const K = MEASURE ? 512 : 256;
const train = await fashionImages(NTRAIN);

describe('TRAK on the fixture MLP', () => {
  it(`scores ${NTRAIN} training examples × ${NTARGET} targets at k = ${K} (timed)`, async () => {
    const source = new OnnxGradientSource(model, train, { chunk: 64, threads: 2 });
    try {
      const all = Int32Array.from({ length: NTRAIN }, (_, i) => i);
      const targets = Int32Array.from({ length: NTARGET }, (_, i) => i); // training examples as targets: self-influence is visible
      const phases: string[] = [];
      let last = performance.now();
      const t0 = last;
      const { scores } = await trak([{ train: source, target: source }], all, { targets, output: 'margin' }, {
        projection: { dim: K, kind: 'rademacher', seed: 0 },
        threads: 2,
        progress: (_, message) => {
          const now = performance.now();
          phases.push(`${message} (+${((now - last) / 1000).toFixed(1)} s)`);
          last = now;
        },
      });
      const seconds = (performance.now() - t0) / 1000;
      console.log(`TRAK ${NTRAIN} × ${NTARGET}, k = ${K}, P = ${source.paramCount}: ${seconds.toFixed(1)} s total; ${phases.join('; ')}; scoring +${((performance.now() - last) / 1000).toFixed(1)} s`);
      const s = scores!;
      expect(s.length).toBe(NTRAIN * NTARGET);
      for (const v of s) expect(Number.isFinite(v)).toBe(true);
      // Self-influence: each training target's own row should rank far above a typical row.
      const ranks: number[] = [];
      for (let t = 0; t < NTARGET; t++) {
        const self = s[t * NTARGET + t];
        let above = 0;
        for (let i = 0; i < NTRAIN; i++) if (s[i * NTARGET + t] > self) above++;
        ranks.push(above);
      }
      ranks.sort((a, b) => a - b);
      console.log(`self-rank among ${NTRAIN}: median ${ranks[NTARGET / 2]}, 90th percentile ${ranks[Math.floor(0.9 * NTARGET)]}, rank 0 for ${ranks.filter((r) => r === 0).length} of ${NTARGET}`);
      expect(ranks[NTARGET / 2]).toBeLessThan(NTRAIN / 100);
    } finally {
      source.release();
    }
  });
});
