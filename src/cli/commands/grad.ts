import { TrainStep } from '../../engine/runtime/trainStep';
import { copyParameters, runningStatistics, trainableParameters } from '../../engine/train/params';
import { parse, required, wholeNumber } from '../args';
import { modelAndData, pickSplit, print, selectRows } from '../common';

export const help = `lethe grad --model M --data D [--split train|test] [--indices A:B] [--train-mode] [--json]
  Mean softmax cross-entropy on the chosen examples (default: the train split) and its gradient with respect
  to every trainable initializer, flattened in the initializer's own layout. --train-mode uses batch
  statistics in BatchNormalization (as PyTorch's model.train()).`;

export async function run(argv: string[]): Promise<void> {
  const v = parse('grad', argv, { model: { type: 'string' }, data: { type: 'string' }, split: { type: 'string' }, indices: { type: 'string' }, 'train-mode': { type: 'boolean' }, threads: { type: 'string' } });
  const { model, data } = await modelAndData(required(v, 'model', 'grad'), required(v, 'data', 'grad'));
  const rows = selectRows(pickSplit(data, v.split as string | undefined, 'train'), v.indices as string | undefined);
  const trainMode = v['train-mode'] === true;
  const params = trainableParameters(model);
  const step = await TrainStep.create({ model, batchSize: rows.n, loss: { terms: [{ kind: 'ce' }] }, params, trainMode, threads: wholeNumber(v, 'threads', 0) });
  const feed = copyParameters(model, [...params, ...(trainMode ? runningStatistics(model) : [])]);
  const result = await step.run(feed, { x: rows.x, labels: rows.y });
  step.release();
  const grads = Object.fromEntries(params.map((p) => [p, Array.from(result.grads.get(p)!)]));
  print(v.json === true, { loss: result.loss, grads }, () =>
    [`loss ${result.loss.toFixed(6)} on ${rows.n} examples${trainMode ? ' (train mode)' : ''}`, ...params.map((p) => `  ${p}: |g| = ${norm(result.grads.get(p)!).toExponential(3)}`)].join('\n'),
  );
}

function norm(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}
