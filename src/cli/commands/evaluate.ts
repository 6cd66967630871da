import { logitsOn, labelsOf } from '../../engine/job/evaluate';
import { accuracy, perClassAccuracy } from '../../engine/metrics/accuracy';
import { Predictor } from '../../engine/runtime/predict';
import { parse, parseRange, required, wholeNumber } from '../args';
import { modelAndData, pickSplit, print } from '../common';
import { requireClassCount } from '../modelFit';

export const help = `lethe eval --model M --data D [--split test|train] [--indices A:B] [--json]
  Accuracy (overall and per class) and mean cross-entropy of the model on a split, or on rows A..B−1 of it.`;

export async function run(argv: string[]): Promise<void> {
  const v = parse('eval', argv, { model: { type: 'string' }, data: { type: 'string' }, split: { type: 'string' }, indices: { type: 'string' }, threads: { type: 'string' } });
  const { model, data } = await modelAndData(required(v, 'model', 'eval'), required(v, 'data', 'eval'));
  const ds = pickSplit(data, v.split as string | undefined, 'test');
  const idx = parseRange(v.indices as string | undefined, ds.n);
  const predictor = await Predictor.create(model, { batchSize: 512, threads: wholeNumber(v, 'threads', 0) });
  await requireClassCount(predictor, ds, data.classNames.length, model.file ?? String(v.model), data.path);
  const logits = await logitsOn(predictor, ds, idx, data.classNames.length);
  predictor.release();
  const labels = labelsOf(ds, idx);
  const k = data.classNames.length;
  const result = {
    accuracy: accuracy(logits, labels, k),
    n: idx.length,
    perClass: perClassAccuracy(logits, labels, k),
    loss: meanCrossEntropy(logits, labels, k),
  };
  print(v.json === true, result, () =>
    [
      `accuracy ${(result.accuracy * 100).toFixed(2)}% on ${result.n} examples, loss ${result.loss.toFixed(4)}`,
      ...data.classNames.map((c, i) => `  ${c.padEnd(14)} ${result.perClass[i] === null ? '—' : ((result.perClass[i] as number) * 100).toFixed(1) + '%'}`),
    ].join('\n'),
  );
}

/** Mean softmax cross-entropy, with log-sum-exp so confident wrong predictions do not overflow. */
function meanCrossEntropy(logits: Float32Array, labels: Int32Array, k: number): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[i * k + j]);
    let z = 0;
    for (let j = 0; j < k; j++) z += Math.exp(logits[i * k + j] - max);
    sum += max + Math.log(z) - logits[i * k + labels[i]];
  }
  return sum / labels.length;
}
