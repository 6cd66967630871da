/**
 * Engine throughput against PyTorch on the same machine in the same run: one training step (batch 128)
 * and inference (batch 512) of the fixture CNN and MLP, interleaved Lethe / PyTorch rounds, reported as
 * ratios (PyTorch time / Lethe time: above 1 means Lethe is faster) and as GFLOP/s against the machine's
 * measured sgemm peak, which shows how much room either side has left. Then one CNN epoch over the full
 * 60k Fashion-MNIST when Debian's dataset-fashion-mnist is installed.
 */
import * as ort from 'onnxruntime-node';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../src/engine/data/load';
import { readModelFile } from '../src/engine/onnx/read';
import { Predictor } from '../src/engine/runtime/predict';
import { accuracy } from '../src/engine/metrics/accuracy';
import { logitsOn } from '../src/engine/job/evaluate';
import { reinitialize } from '../src/engine/train/init';
import { trainSupervised } from '../src/engine/train/supervised';
import { Trainer } from '../src/engine/train/trainer';
import { TrainingRecipe } from '../src/engine/contracts/recipe';
import { Rng } from '../src/engine/util/rng';
import { median } from './machine';

const root = join(__dirname, '..');
const PYTHON = '/usr/bin/python3';
/**
 * The peer in its best configuration here. By default PyTorch's idle OpenMP threads spin while
 * OpenBLAS's own threads run the GEMM; on 2 cores that made about half of its MLP runs 4–6× slower
 * (8 ms instead of 2 ms for inference), which would flatter Lethe. Passive waiting removes that mode.
 */
const TORCH_ENV = { ...process.env, OMP_WAIT_POLICY: 'passive' };
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
  /** Floating-point operations of one run (2 per multiply-add). */
  flops: number;
}

/**
 * Multiply-adds per example of the fixture models' layers (shared/fixtures/README.md), first layer first.
 * MLP: 784→256, 256→10. CNN: conv 1→32 3×3 at 28×28, conv 32→64 3×3 at 14×14, 3136→128, 128→10.
 */
const LAYER_MACS: Record<string, number[]> = {
  mlp: [784 * 256, 256 * 10],
  cnn: [28 * 28 * 32 * 9, 14 * 14 * 64 * 32 * 9, 3136 * 128, 128 * 10],
};

/** Inference: the forward pass. Training: forward, weight gradients, and input gradients of every layer but the first. */
function flopsOf(model: string, mode: 'train' | 'infer', batch: number): number {
  const macs = LAYER_MACS[model];
  const forward = macs.reduce((a, b) => a + b, 0);
  return 2 * batch * (mode === 'infer' ? forward : 2 * forward + forward - macs[0]);
}

/** Per configuration: timed iterations per block, and blocks per side. */
const BLOCK_ITERS: Record<string, number> = { cnn: 10, mlp: 100 };
const ROUNDS = 15;
const WARMUP = 5;
/**
 * Each block first runs untimed for this long, on both sides: the other side's threads linger (OpenBLAS's
 * workers busy-wait ~0.1 s after PyTorch's last GEMM) and this VM's cores slow down when left idle,
 * so the first ~0.1 s after a switch says more about the switch than about either engine.
 */
const BLOCK_WARMUP_MS = 200;

/** The PyTorch peer as one long-running process answering timing requests (bench/torch_peer.py). */
class TorchPeer {
  private readonly lines: AsyncIterator<string>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly note: string,
    lines: AsyncIterator<string>,
  ) {
    this.lines = lines;
  }

  static async start(): Promise<TorchPeer | string> {
    const unavailable = 'PyTorch peer not available (install Debian python3-torch and libopenblas0-pthread)';
    if (!existsSync(PYTHON)) return unavailable;
    const child = spawn(PYTHON, [join(__dirname, 'torch_peer.py'), String(THREADS)], { env: TORCH_ENV });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next().catch(() => ({ done: true, value: undefined }));
    if (first.done) {
      child.kill();
      return unavailable;
    }
    const r = JSON.parse(first.value as string) as { torch: string; blas: string };
    return new TorchPeer(child, `PyTorch ${r.torch}, BLAS: ${r.blas}`, lines);
  }

  async blockMs(model: string, mode: string, batch: number, iters: number): Promise<number> {
    this.child.stdin.write(`${model} ${mode} ${batch} ${iters} ${BLOCK_WARMUP_MS}\n`);
    const line = await this.lines.next();
    if (line.done) throw new Error('the PyTorch peer stopped');
    return (JSON.parse(line.value) as { medianMs: number }).medianMs;
  }

  stop(): void {
    this.child.stdin.end();
  }
}

/** Lethe's side of one configuration, built once: `blockMs` times one block of iterations. */
async function letheRunner(model: string, mode: 'train' | 'infer', batch: number): Promise<{ blockMs(iters: number): Promise<number>; release(): void }> {
  const m = await readModelFile(join(root, 'test', 'fixtures', `fmnist-${model}.onnx`));
  const rng = new Rng(0);
  const x = new Float32Array(batch * 784).map(() => rng.uniform());
  const y = new Int32Array(batch).map(() => rng.int(10));
  // A full training step as the trainer runs it: graph (forward + backward) and the SGD update.
  const run = mode === 'infer'
    ? await Predictor.create(m, { batchSize: batch, threads: THREADS }).then((p) => ({ once: () => p.logits(x, batch), release: () => p.release() }))
    : ((t) => ({ once: () => t.step({ batchSize: batch, x, labels: y }, 0.01), release: () => t.release() }))(
      new Trainer(m, { loss: [{ kind: 'ce' }], optimizer: { kind: 'sgd', momentum: 0.9 }, threads: THREADS }),
    );
  for (let i = 0; i < WARMUP; i++) await run.once();
  return {
    async blockMs(iters) {
      for (const start = performance.now(); performance.now() - start < BLOCK_WARMUP_MS;) await run.once();
      const times: number[] = [];
      for (let i = 0; i < iters; i++) {
        const t0 = performance.now();
        await run.once();
        times.push(performance.now() - t0);
      }
      return median(times);
    },
    release: run.release,
  };
}

/**
 * Products whose best rate is what this CPU's cores can do in float32 (one shape alone can hit a cache or
 * TLB effect): large square and wide ones, and the MLP's first layer at batch 512, the fastest here.
 */
const PEAK_SHAPES: [number, number, number][] = [[2048, 2048, 2048], [512, 2048, 512], [512, 784, 256]];

/** Best GFLOP/s of onnxruntime's float32 MatMul over PEAK_SHAPES. */
async function sgemmPeak(): Promise<number> {
  const { createSession } = await import('../src/engine/runtime/session');
  const rng = new Rng(1);
  let best = 0;
  for (const [m, k, n] of PEAK_SHAPES) {
    const session = await createSession({
      graph: {
        name: 'sgemm', nodes: [{ name: 'mm', opType: 'MatMul', domain: '', inputs: ['a', 'b'], outputs: ['c'], attrs: {} }],
        inputs: [{ name: 'a', elemType: 1, shape: [m, k] }, { name: 'b', elemType: 1, shape: [k, n] }],
        outputs: [{ name: 'c', elemType: 1, shape: [m, n] }], initializers: new Map(),
      },
      opsets: [{ domain: '', version: 18 }], irVersion: 8, producerName: 'bench', producerVersion: '', metadata: {},
    }, { threads: THREADS });
    const a = new ort.Tensor('float32', new Float32Array(m * k).map(() => rng.uniform()), [m, k]);
    const b = new ort.Tensor('float32', new Float32Array(k * n).map(() => rng.uniform()), [k, n]);
    for (let i = 0; i < 3 + 30; i++) {
      const t0 = performance.now();
      await session.run({ a, b });
      if (i >= 3) best = Math.max(best, (2 * m * k * n) / (performance.now() - t0) / 1e6);
    }
    await session.release();
  }
  return best;
}

export async function engineSection(): Promise<string> {
  const peer = await TorchPeer.start();
  const torch = typeof peer === 'string' ? undefined : peer;
  const peak = await sgemmPeak();
  const rows: Row[] = [];
  const configs: [string, 'train' | 'infer', number][] = [
    ['cnn', 'train', 128],
    ['cnn', 'infer', 512],
    ['mlp', 'train', 128],
    ['mlp', 'infer', 512],
  ];
  try {
    for (const [model, mode, batch] of configs) {
      const lethe = await letheRunner(model, mode, batch);
      const l: number[] = [];
      const t: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        l.push(await lethe.blockMs(BLOCK_ITERS[model]));
        if (torch) t.push(await torch.blockMs(model, mode, batch, BLOCK_ITERS[model]));
      }
      lethe.release();
      rows.push({
        model, what: mode === 'train' ? 'training step' : 'inference', batch, letheMs: median(l), torchMs: torch ? median(t) : undefined,
        roundRatios: t.map((v, i) => v / l[i]), flops: flopsOf(model, mode, batch),
      });
      console.error(`engine: ${model} ${mode} done`);
    }
  } finally {
    torch?.stop();
  }
  const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.round(q * (xs.length - 1))];
  const lines = [
    '## Engine throughput (issue 3)',
    '',
    `Fixture models, ${THREADS} threads. Each configuration is built once per side, warmed up (${WARMUP} iterations), then timed in ${ROUNDS} rounds; a round is one block of Lethe iterations followed at once by one block of PyTorch iterations (${BLOCK_ITERS.cnn} per block for the CNN, ${BLOCK_ITERS.mlp} for the MLP), so both sides of a round meet the same state of this shared VM, whose speed drifts by up to 1.5× within seconds. Each block starts with ${BLOCK_WARMUP_MS} ms of untimed iterations, so that neither side's lingering threads (OpenBLAS busy-waits ~0.1 s after a GEMM) nor cores slowed by idling decide the other's times. ${torch?.note ?? peer}, run with OMP_WAIT_POLICY=passive (its best configuration here: see TORCH_ENV in bench/engine.ts).`,
    "Times are medians over rounds of each block's median. Ratio = PyTorch time / Lethe time per round (above 1: Lethe is faster), median over rounds, with the middle half of the rounds (p25–p75) and the lowest round. The Lethe training step includes the optimiser update (WebAssembly SIMD kernels).",
    `GFLOP/s counts the layers' multiply-adds (training: forward, weight gradients, input gradients of all but the first layer). For scale, onnxruntime's sgemm reaches **${peak.toFixed(0)} GFLOP/s** at best on this machine with ${THREADS} threads (MatMul ${PEAK_SHAPES.map(([m, k, n]) => `${m}×${k}·${k}×${n}`).join(', ')}). "Ratio ceiling" is the ratio Lethe would reach running every multiply-add at that peak (peak / PyTorch GFLOP/s): no float32 engine on this CPU can beat it, so where PyTorch already runs near the peak no large ratio is possible.`,
    '',
    '| model | what | batch | Lethe ms | PyTorch ms | ratio | p25–p75 | lowest | Lethe GFLOP/s | PyTorch GFLOP/s | ratio ceiling |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => {
      const rr = r.roundRatios;
      const has = rr.length > 0;
      const gflops = (ms: number | undefined): string => (ms ? (r.flops / ms / 1e6).toFixed(0) : '—');
      const ceiling = r.torchMs ? ((peak * r.torchMs * 1e6) / r.flops).toFixed(2) : '—';
      return `| ${r.model} | ${r.what} | ${r.batch} | ${r.letheMs.toFixed(2)} | ${r.torchMs?.toFixed(2) ?? '—'} | ${has ? `**${median(rr).toFixed(2)}**` : '—'} | ${has ? `${quantile(rr, 0.25).toFixed(2)}–${quantile(rr, 0.75).toFixed(2)}` : '—'} | ${has ? Math.min(...rr).toFixed(2) : '—'} | ${gflops(r.letheMs)} | ${gflops(r.torchMs)} | ${ceiling} |`;
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

