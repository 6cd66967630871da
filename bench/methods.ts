/**
 * The unlearning results table (issue 5): every method on the Fashion-MNIST CNN, a random 10%-per-class
 * forget set (LoTUS protocol) and a class-forgetting case (Sandal), 3 seeds. Protocol per docs/methods.md §10:
 * the original is trained long enough to memorise its training set (train accuracy > 0.99 is checked and
 * reported); every retrain oracle uses the same recipe with its own seed. Models are cached under
 * bench/.work so an interrupted bench resumes.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readForgetSet, resolveForgetSet } from '../src/engine/data/forgetSet';
import { loadDataset } from '../src/engine/data/load';
import type { DatasetSplits, ForgetSplit } from '../src/engine/data/types';
import type { Model } from '../src/engine/graph/ir';
import { logitsOn } from '../src/engine/job/evaluate';
import { runJob } from '../src/engine/job/run';
import { TrainingRecipe } from '../src/engine/contracts/recipe';
import { accuracy } from '../src/engine/metrics/accuracy';
import { trainWithMnemonicCodes } from '../src/engine/methods/mnemonicCodes';
import { METHODS } from '../src/engine/methods/registry';
import { readModelFile } from '../src/engine/onnx/read';
import { writeModelFile } from '../src/engine/onnx/write';
import type { Report } from '../src/engine/contracts/report';
import { Predictor } from '../src/engine/runtime/predict';
import { freshModel } from '../src/engine/train/init';
import { trainSupervised } from '../src/engine/train/supervised';
import { Rng } from '../src/engine/util/rng';

const root = join(__dirname, '..');
const example = join(root, 'examples', 'fashion-mnist');
const work = join(__dirname, '.work', 'methods');
const SEEDS = (process.env.LETHE_BENCH_SEEDS ?? '0,1,2').split(',').map(Number);
// 40 epochs: train accuracy 0.9974 on the 10k subset (30 gave 0.9833, short of docs/methods.md §10's 0.99).
const EPOCHS = Number(process.env.LETHE_BENCH_EPOCHS ?? 40);
const RECIPE = TrainingRecipe.parse({ epochs: EPOCHS, batchSize: 128, optimizer: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 5e-4, schedule: 'cosine' });
const THREADS = 2;

/**
 * The papers fine-tune for a small share of a ~200-epoch retrain (e.g. 10 finetune epochs vs 182–200 for
 * ResNet-18 on CIFAR-10). With a 20-epoch recipe, the reference epoch counts would cost as much as the
 * retrain itself, so every method's `epochs` is scaled by the same ratio: max(1, round(default × E / 200)).
 */
const PAPER_RETRAIN_EPOCHS = 200;
function scaledParams(method: { params: Record<string, { type: string; default: unknown }> }): Record<string, unknown> {
  const epochs = method.params.epochs;
  return epochs && epochs.type === 'integer' ? { epochs: Math.max(1, Math.round(((epochs.default as number) * EPOCHS) / PAPER_RETRAIN_EPOCHS)) } : {};
}

/**
 * DMM's and DM-Direct's TRAK over F ∪ R with all CNN parameters takes many minutes per run on 2 cores
 * (per-example conv gradients); the table uses the classifier-head features (1,290 parameters, k = 1024) instead.
 */
const BENCH_OVERRIDES: Record<string, Record<string, unknown>> = {
  dmm: { gradientParams: 'last-layer', projDim: 1024 },
  'dm-direct': { gradientParams: 'last-layer', projDim: 1024 },
};

const SCENARIOS = [
  { id: 'random', title: 'Random 10% of each class (LoTUS protocol)', forget: join(example, 'random-10pct.forget.json') },
  { id: 'class', title: 'Class forgetting (Sandal)', forget: join(example, 'sandals.forget.json') },
];

/** Report columns: metric id → header. */
const COLUMNS: [string, string][] = [
  ['acc.forget', 'acc F'],
  ['acc.retain', 'acc R'],
  ['acc.test', 'acc T'],
  ['mia.entropy', 'MIA'],
  ['jsd.lotus', 'JSD ×10⁴'],
  ['rfjsd.lotus', 'RF-JSD ×10⁴'],
  ['gap.lotus', 'avg gap'],
];

async function cachedModel(file: string, make: () => Promise<{ model: Model; seconds: number }>): Promise<{ model: Model; seconds: number }> {
  const secondsFile = `${file}.seconds`;
  if (existsSync(file) && existsSync(secondsFile)) return { model: await readModelFile(file), seconds: Number(readFileSync(secondsFile, 'utf8')) };
  const made = await make();
  await writeModelFile(file, made.model);
  writeFileSync(secondsFile, String(made.seconds));
  return made;
}

async function timed(f: () => Promise<{ model: Model }>): Promise<{ model: Model; seconds: number }> {
  const t0 = performance.now();
  const { model } = await f();
  return { model, seconds: (performance.now() - t0) / 1000 };
}

async function trainAccuracy(model: Model, data: DatasetSplits, split: 'train' | 'test'): Promise<number> {
  const ds = data[split];
  const p = await Predictor.create(model, { batchSize: 512, threads: THREADS });
  const logits = await logitsOn(p, ds, new Int32Array(ds.n).map((_, i) => i), 10);
  p.release();
  return accuracy(logits, ds.y, 10);
}

function meanStd(xs: number[]): string {
  if (xs.length === 0) return '—';
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const s = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  const digits = Math.abs(m) >= 10 ? 1 : 3;
  return xs.length > 1 ? `${m.toFixed(digits)} ± ${s.toFixed(digits)}` : m.toFixed(digits);
}

export async function methodsSection(): Promise<string> {
  mkdirSync(work, { recursive: true });
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  const architecture = await readModelFile(join(root, 'test', 'fixtures', 'fmnist-cnn.onnx'));
  const data = await loadDataset(join(example, 'data'), { inputShape: architecture.graph.inputs[0].shape });
  const all = new Int32Array(data.train.n).map((_, i) => i);
  const originalFile = join(work, `original-e${EPOCHS}.onnx`);
  const original = await cachedModel(originalFile, () => timed(() => trainSupervised(freshModel(architecture, new Rng(100)), data.train, all, { recipe: RECIPE, rng: new Rng(101), threads: THREADS })));
  const mnemonicFile = join(work, `original-mnemonic-e${EPOCHS}.onnx`);
  await cachedModel(mnemonicFile, () =>
    timed(() => trainWithMnemonicCodes(freshModel(architecture, new Rng(100)), data.train, all, { recipe: RECIPE, tMix: 0.1, codeSeed: 7, rng: new Rng(101), threads: THREADS })),
  );
  const origTrain = await trainAccuracy(original.model, data, 'train');
  const origTest = await trainAccuracy(original.model, data, 'test');
  console.error(`methods: original train ${origTrain.toFixed(4)} test ${origTest.toFixed(4)}`);

  const out: string[] = [
    '## Unlearning methods (issue 5)',
    '',
    `Fashion-MNIST subset bundled in examples/ (10,000 train / 2,000 test; 10% of test held out as validation), the fixture CNN architecture. The original was trained by Lethe from a fresh init for ${EPOCHS} epochs (SGD momentum 0.9, lr 0.05 cosine, weight decay 5e-4, batch 128) in ${original.seconds.toFixed(0)} s: **train accuracy ${(origTrain * 100).toFixed(2)}%, test ${(origTest * 100).toFixed(2)}%**${origTrain < 0.99 ? ' (below the 0.99 memorisation target of docs/methods.md §10: forget-set effects are smaller than in the papers)' : ''}. Every retrain oracle uses the same recipe on the retain set with its own seed. Seeds: ${SEEDS.join(', ')}; cells are mean ± std over seeds. Metrics as defined in docs/methods.md §3 (JSD and RF-JSD in the LoTUS form ×10⁴; avg gap = LoTUS average gap to the retrain on forget/retain/test accuracy and MIA). Time = the method's wall time; speed-up = the retrain's wall time / the method's, in the same run. Methods run with their reference defaults (\`lethe methods\`) except the number of epochs, scaled to this recipe as the papers' budgets relate to a ~200-epoch retrain: epochs = max(1, round(default × ${EPOCHS} / 200)). DMM and DM-Direct use last-layer TRAK features (k = 1024) to fit the time budget; DM-Direct changes no weights, so its row shows its predicted outputs. The mnemonic-code method runs on a second original trained with code mixing (t_mix 0.1, same recipe).`,
    '',
  ];

  type Row = { values: Record<string, number[]>; seconds: number[]; speedup: number[]; error?: string; note?: string };
  const tables = SCENARIOS.map((scenario) => ({ scenario, rows: new Map<string, Row>(), seeds: [] as number[], split: undefined as unknown as ForgetSplit, dmShift: [] as number[] }));
  for (const t of tables) t.split = resolveForgetSet(await readForgetSet(t.scenario.forget), data.train, t.scenario.forget);
  const render = () => {
    const lines = [...out];
    for (const { scenario, rows, seeds, split, dmShift } of tables) {
      lines.push(`### ${scenario.title}: |F| = ${split.forget.length}, |R| = ${split.retain.length}; seeds ${seeds.join(', ') || '(none finished yet)'}`, '');
      lines.push(`| method | ${COLUMNS.map(([, h]) => h).join(' | ')} | time s | speed-up |`, `| --- | ${COLUMNS.map(() => '---:').join(' | ')} | ---: | ---: |`);
      for (const [name, r] of rows) {
        if (r.error || r.note) {
          lines.push(`| ${name} | ${r.error ? `failed: ${r.error.replace(/\|/g, '\\|')}` : r.note} ${COLUMNS.map(() => '|').join(' ')} | |`);
          continue;
        }
        lines.push(`| ${name} | ${COLUMNS.map(([id]) => meanStd(r.values[id] ?? [])).join(' | ')} | ${meanStd(r.seconds)} | ${meanStd(r.speedup)} |`);
      }
      lines.push('');
      if (dmShift.length > 0) {
        lines.push(`DMM's DM-Direct targets moved the fine-tuning logits by RMS ${dmShift.map((v) => v.toExponential(1)).join(', ')} (per seed) from the original's.`, '');
      }
    }
    return lines.join('\n');
  };

  // Seeds outermost: each finished seed is written out at once, so a bench cut short still leaves a table.
  for (const seed of SEEDS) {
    for (const t of tables) {
      const { scenario, rows, split } = t;
      const row = (name: string) => rows.get(name) ?? rows.set(name, { values: {}, seconds: [], speedup: [] }).get(name)!;
      const oracleFile = join(work, `oracle-${scenario.id}-s${seed}-e${EPOCHS}.onnx`);
      const oracle = await cachedModel(oracleFile, () => timed(() => trainSupervised(freshModel(architecture, new Rng(200 + seed)), data.train, split.retain, { recipe: RECIPE, rng: new Rng(300 + seed), threads: THREADS })));
      // The retrain row is the oracle itself (same recipe, its own seed), so the method is not run twice.
      const methods = [{ name: 'original' }, ...METHODS.filter((m) => m.name !== 'retrain')];
      for (const m of methods) {
        if (m.name === 'mnemonic' && scenario.id !== 'class') {
          row(m.name).note = 'class forgetting only (one code per class)';
          continue;
        }
        const modelFile = m.name === 'mnemonic' ? mnemonicFile : originalFile;
        try {
          const { report } = await runJob(
            {
              kind: m.name === 'original' ? 'audit' : 'unlearn',
              model: modelFile,
              data: join(example, 'data'),
              forget: scenario.forget,
              method: m.name === 'original' ? 'finetune' : m.name,
              params: 'params' in m ? { ...scaledParams(m), ...BENCH_OVERRIDES[m.name] } : {},
              training: RECIPE,
              reference: { retrain: false, checkpoints: [oracleFile] },
              seed,
              threads: THREADS,
              output: join(work, 'runs'),
            },
            { baseDir: root },
          );
          const r = row(m.name);
          collect(r.values, report, m.name === 'original' ? 'original' : 'unlearned');
          const shift = report.log?.map((l) => /DM-Direct targets move the fine-tuning logits by RMS (\S+)/.exec(l)?.[1]).find(Boolean);
          if (m.name === 'dmm' && shift) t.dmShift.push(Number(shift));
          if (m.name === 'original') collect(row('retrain (oracle)').values, report, 'reference');
          if (report.timings.unlearnSeconds !== undefined) {
            r.seconds.push(report.timings.unlearnSeconds);
            r.speedup.push(oracle.seconds / report.timings.unlearnSeconds);
          }
          console.error(`methods: ${scenario.id} seed ${seed} ${m.name} done`);
        } catch (e) {
          row(m.name).error = (e as Error).message.split('\n')[0];
          console.error(`methods: ${scenario.id} seed ${seed} ${m.name} FAILED: ${(e as Error).message}`);
        }
      }
      row('retrain (oracle)').seconds.push(oracle.seconds);
      row('retrain (oracle)').speedup.push(1);
      t.seeds.push(seed);
      writeFileSync(join(__dirname, 'results', 'methods.partial.md'), render());
    }
  }
  return render();
}

function collect(into: Record<string, number[]>, report: Report, role: 'original' | 'unlearned' | 'reference'): void {
  for (const [id] of COLUMNS) {
    const v = report.metrics.find((m) => m.id === id)?.values[role];
    if (v !== undefined) (into[id] ??= []).push(v);
  }
}
