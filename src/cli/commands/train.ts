import { resolve } from 'node:path';
import { TrainingRecipe } from '../../engine/contracts/recipe';
import { writeModelFile } from '../../engine/onnx/write';
import { reinitialize } from '../../engine/train/init';
import { trainSupervised } from '../../engine/train/supervised';
import { LetheError } from '../../engine/util/errors';
import { Rng } from '../../engine/util/rng';
import { parse, required, wholeNumber } from '../args';
import { modelAndData, print } from '../common';
import { progressBar } from '../progress';

export const help = `lethe train --model M --data D --epochs N --out OUT.onnx
    [--optimizer sgd|adam|adamw] [--lr X] [--batch-size B] [--momentum X] [--nesterov] [--weight-decay X]
    [--schedule constant|step|cosine|linear] [--from-scratch] [--seed S] [--json]
  Train (or fine-tune) the model on the train split with cross-entropy; --from-scratch re-initialises the
  parameters first (PyTorch's default init per op). Writes a new checkpoint, with the recipe, seed and
  --from-scratch in its metadata; the input is never modified.`;

export async function run(argv: string[]): Promise<void> {
  const v = parse('train', argv, {
    model: { type: 'string' }, data: { type: 'string' }, epochs: { type: 'string' }, out: { type: 'string' },
    optimizer: { type: 'string' }, lr: { type: 'string' }, 'batch-size': { type: 'string' }, momentum: { type: 'string' }, nesterov: { type: 'boolean' },
    'weight-decay': { type: 'string' }, schedule: { type: 'string' }, 'from-scratch': { type: 'boolean' }, seed: { type: 'string' }, threads: { type: 'string' },
  });
  const out = resolve(required(v, 'out', 'train'));
  const modelPath = resolve(required(v, 'model', 'train'));
  if (out === modelPath) throw new LetheError('--out must differ from --model: the original checkpoint is never overwritten');
  if (!out.endsWith('.onnx')) throw new LetheError('--out must name a .onnx file');
  const recipeInput = Object.fromEntries(
    Object.entries({ epochs: num(v.epochs), optimizer: v.optimizer, lr: num(v.lr), batchSize: num(v['batch-size']), momentum: num(v.momentum), nesterov: v.nesterov === true ? true : undefined, weightDecay: num(v['weight-decay']), schedule: v.schedule }).filter(([, x]) => x !== undefined),
  );
  const parsed = TrainingRecipe.safeParse(recipeInput);
  if (!parsed.success) throw new LetheError(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
  const recipe = parsed.data;
  const { model, data } = await modelAndData(modelPath, required(v, 'data', 'train'));
  const seed = wholeNumber(v, 'seed', 0);
  const fromScratch = v['from-scratch'] === true;
  const rng = new Rng(seed);
  if (fromScratch) reinitialize(model, rng.fork());
  const bar = progressBar(v.json !== true);
  const t0 = performance.now();
  const losses: number[] = [];
  const all = new Int32Array(data.train.n).map((_, i) => i);
  const result = await trainSupervised(model, data.train, all, {
    recipe,
    rng,
    threads: wholeNumber(v, 'threads', 0),
    progress: (f, m) => bar.update(f, m),
    onEpoch: (_, loss) => losses.push(loss),
  });
  bar.done();
  await writeModelFile(out, { ...result.model, metadata: { ...result.model.metadata, 'lethe.trainedBy': 'lethe train', 'lethe.recipe': JSON.stringify(recipe), 'lethe.seed': String(seed), 'lethe.fromScratch': String(fromScratch) } });
  const seconds = (performance.now() - t0) / 1000;
  print(v.json === true, { out, epochs: recipe.epochs, epochLosses: losses, seconds }, () => `wrote ${out}\n${losses.map((l, i) => `  epoch ${i + 1}: loss ${l.toFixed(4)}`).join('\n')}\n  ${seconds.toFixed(1)} s`);
}

function num(x: unknown): number | undefined {
  return typeof x === 'string' ? Number(x) : undefined;
}
