import { Predictor } from '../../engine/runtime/predict';
import { parse, required, wholeNumber } from '../args';
import { modelAndData, pickSplit, print, selectRows } from '../common';

export const help = `lethe logits --model M --data D [--split train|test] [--indices A:B] [--json]
  Logits of the model on the chosen examples (default: the whole test split).`;

export async function run(argv: string[]): Promise<void> {
  const v = parse('logits', argv, { model: { type: 'string' }, data: { type: 'string' }, split: { type: 'string' }, indices: { type: 'string' }, threads: { type: 'string' } });
  const { model, data } = await modelAndData(required(v, 'model', 'logits'), required(v, 'data', 'logits'));
  const rows = selectRows(pickSplit(data, v.split as string | undefined, 'test'), v.indices as string | undefined);
  const predictor = await Predictor.create(model, { batchSize: 512, threads: wholeNumber(v, 'threads', 0) });
  const flat = await predictor.logits(rows.x, rows.n);
  predictor.release();
  const k = flat.length / rows.n;
  const logits = Array.from({ length: rows.n }, (_, i) => Array.from(flat.subarray(i * k, (i + 1) * k)));
  print(v.json === true, { logits }, () => logits.map((r, i) => `${rows.idx[i]}\t${r.map((x: number) => x.toFixed(4)).join('\t')}`).join('\n'));
}
