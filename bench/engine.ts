/**
 * Engine throughput against PyTorch on the same machine in the same run: one training step (batch 128)
 * and inference (batch 512) of the fixture CNN and MLP, interleaved Lethe / PyTorch rounds, reported as
 * ratios (PyTorch time / Lethe time: above 1 means Lethe is faster). Then one CNN epoch over the full
 * 60k Fashion-MNIST when Debian's dataset-fashion-mnist is installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../src/engine/data/load';
import { readModelFile } from '../src/engine/onnx/read';
import { Predictor } from '../src/engine/runtime/predict';
import { accuracy } from '../src/engine/metrics/accuracy';
import { logitsOn } from '../src/engine/job/evaluate';
import { reinitialize } from '../src/engine/train/init';
import { trainSupervised } from '../src/engine/train/supervised';
import { TrainingRecipe } from '../src/engine/job/spec';
import { Rng } from '../src/engine/util/rng';
import { median } from './machine';

const root = join(__dirname, '..');
const PYTHON = '/usr/bin/python3';
const THREADS = 2;
export const FULL_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

interface Row {
  model: string;
  what: string;
  batch: number;
  letheMs: number;
  torchMs?: number;
  /** PyTorch / Lethe per round: each round times both back to back, so a slow spell of the machine hits both. */
  roundRatios: number[];
}

const WARMUP = 5;
const ITERS = 20;
const ROUNDS = 5;

function torchAvailable(): { ok: boolean; note: string } {
  try {
    const out = execFileSync(PYTHON, [join(__dirname, 'torch_peer.py'), 'mlp', 'infer', '8', '2', '1'], { encoding: 'utf8' });
    const r = JSON.parse(out) as { torch: string; blas: string };
    return { ok: true, note: `PyTorch ${r.torch}, BLAS: ${r.blas}` };
  } catch {
    return { ok: false, note: 'PyTorch peer not available (install Debian python3-torch and libopenblas0-pthread)' };
  }
}

function torchMs(model: string, mode: 'train' | 'infer', batch: number, iters: number): number {
  const out = execFileSync(PYTHON, [join(__dirname, 'torch_peer.py'), model, mode, String(batch), String(iters), String(THREADS)], { encoding: 'utf8' });
  return (JSON.parse(out) as { medianMs: number }).medianMs;
}

async function letheMs(model: string, mode: 'train' | 'infer', batch: number, iters: number): Promise<number> {
  const m = await readModelFile(join(root, 'test', 'fixtures', `fmnist-${model}.onnx`));
  const rng = new Rng(0);
  const x = new Float32Array(batch * 784).map(() => rng.uniform());
  const y = new Int32Array(batch).map(() => rng.int(10));
  const times: number[] = [];
  if (mode === 'infer') {
    const p = await Predictor.create(m, { batchSize: batch, threads: THREADS });
    for (let i = 0; i < iters + WARMUP; i++) {
      const t0 = performance.now();
      await p.logits(x, batch);
      if (i >= WARMUP) times.push(performance.now() - t0);
    }
    p.release();
  } else {
    // A full training step as the trainer runs it: graph (forward + backward) and the SGD update.
    const { Trainer } = await import('../src/engine/train/trainer');
    const trainer = new Trainer(m, { loss: [{ kind: 'ce' }], optimizer: { kind: 'sgd', momentum: 0.9 }, threads: THREADS });
    for (let i = 0; i < iters + WARMUP; i++) {
      const t0 = performance.now();
      await trainer.step({ batchSize: batch, x, labels: y }, 0.01);
      if (i >= WARMUP) times.push(performance.now() - t0);
    }
    trainer.release();
  }
  return median(times);
}

export async function engineSection(): Promise<string> {
  const torch = torchAvailable();
  const rows: Row[] = [];
  const configs: [string, 'train' | 'infer', number][] = [
    ['cnn', 'train', 128],
    ['cnn', 'infer', 512],
    ['mlp', 'train', 128],
    ['mlp', 'infer', 512],
  ];
  for (const [model, mode, batch] of configs) {
    const l: number[] = [];
    const t: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      l.push(await letheMs(model, mode, batch, ITERS));
      if (torch.ok) t.push(torchMs(model, mode, batch, ITERS));
    }
    rows.push({ model, what: mode === 'train' ? 'training step' : 'inference', batch, letheMs: median(l), torchMs: torch.ok ? median(t) : undefined, roundRatios: t.map((v, i) => v / l[i]) });
    console.error(`engine: ${model} ${mode} done`);
  }
  const lines = [
    '## Engine throughput (issue 3)',
    '',
    `Fixture models, ${THREADS} threads, ${ROUNDS} interleaved rounds (Lethe, then PyTorch) of ${ITERS} timed iterations each after ${WARMUP} warm-up; times are medians over rounds of each round's median. ${torch.note}.`,
    'Ratio = PyTorch time / Lethe time (above 1: Lethe is faster); the per-round range shows how much this shared machine moved during the run. The Lethe training step includes the optimiser update (WebAssembly SIMD kernels).',
    '',
    '| model | what | batch | Lethe ms | PyTorch ms | ratio | per-round ratios |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((r) => {
      const range = r.roundRatios.length > 0 ? `${Math.min(...r.roundRatios).toFixed(2)}–${Math.max(...r.roundRatios).toFixed(2)}` : '—';
      return `| ${r.model} | ${r.what} | ${r.batch} | ${r.letheMs.toFixed(1)} | ${r.torchMs?.toFixed(1) ?? '—'} | ${r.torchMs ? (r.torchMs / r.letheMs).toFixed(2) : '—'} | ${range} |`;
    }),
    '',
  ];
  lines.push(...(await fullEpoch()));
  return lines.join('\n');
}

/** One CNN epoch over the full 60k training set from a fresh init, then test accuracy on the 10k test set. */
async function fullEpoch(): Promise<string[]> {
  if (!existsSync(join(FULL_FASHION_MNIST, 'train-images-idx3-ubyte.gz'))) {
    return ['Full-epoch figure skipped: Debian package dataset-fashion-mnist is not installed.', ''];
  }
  const model = await readModelFile(join(root, 'test', 'fixtures', 'fmnist-cnn.onnx'));
  const rng = new Rng(0);
  reinitialize(model, rng.fork());
  const data = await loadDataset(FULL_FASHION_MNIST, { inputShape: model.graph.inputs[0].shape });
  const recipe = TrainingRecipe.parse({ epochs: 1, batchSize: 128, lr: 0.05, schedule: 'cosine' });
  const all = new Int32Array(data.train.n).map((_, i) => i);
  const t0 = performance.now();
  const trained = await trainSupervised(model, data.train, all, { recipe, rng, threads: THREADS });
  const seconds = (performance.now() - t0) / 1000;
  const p = await Predictor.create(trained.model, { batchSize: 512, threads: THREADS });
  const idx = new Int32Array(data.test.n).map((_, i) => i);
  const logits = await logitsOn(p, data.test, idx, 10);
  p.release();
  const acc = accuracy(logits, data.test.y, 10);
  return [
    `One epoch of the fixture CNN over the full 60,000 Fashion-MNIST training images (fresh init, SGD momentum 0.9, lr 0.05 cosine, batch 128): **${seconds.toFixed(1)} s**, test accuracy ${(acc * 100).toFixed(2)}% on 10,000 test images.`,
    '',
  ];
}

