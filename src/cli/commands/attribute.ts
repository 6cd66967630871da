import { resolve } from 'node:path';
import { attributeTopK } from '../../engine/attribution/attribute';
import { LetheError } from '../../engine/util/errors';
import { parse, parseRange, required, wholeNumber } from '../args';
import { modelAndData, pickSplit, print } from '../common';
import { progressBar } from '../progress';

export const help = `lethe attribute --model M --data D --targets A:B [--target-split test|train] [--top K]
    [--train-indices A:B] [--proj-dim K] [--damping X] [--seed S] [--score-file F.scores [--float16]] [--json]
  TRAK-style attribution (Park et al. 2023): for each target example, the training examples that most support
  and most oppose the model's margin on it. --score-file keeps the whole train × targets matrix on disk.`;

export async function run(argv: string[]): Promise<void> {
  const v = parse('attribute', argv, {
    model: { type: 'string' }, data: { type: 'string' }, targets: { type: 'string' }, 'target-split': { type: 'string' }, top: { type: 'string' },
    'train-indices': { type: 'string' }, 'proj-dim': { type: 'string' }, damping: { type: 'string' }, seed: { type: 'string' },
    'score-file': { type: 'string' }, float16: { type: 'boolean' }, threads: { type: 'string' },
  });
  const { model, data } = await modelAndData(required(v, 'model', 'attribute'), required(v, 'data', 'attribute'));
  const targetData = pickSplit(data, v['target-split'] as string | undefined, 'test');
  const targets = parseRange(required(v, 'targets', 'attribute'), targetData.n);
  const top = Number(v.top ?? 10);
  if (!Number.isInteger(top) || top < 1) throw new LetheError(`--top must be a positive integer, not "${v.top}"`);
  const bar = progressBar(v.json !== true);
  const results = await attributeTopK(model, data.train, targetData, targets, {
    top,
    trainIndices: v['train-indices'] ? parseRange(v['train-indices'] as string, data.train.n) : undefined,
    projDim: wholeNumber(v, 'proj-dim'),
    damping: v.damping ? Number(v.damping) : undefined,
    seed: wholeNumber(v, 'seed'),
    scoreFile: v['score-file'] ? { path: resolve(v['score-file'] as string), dtype: v.float16 ? 'float16' : 'float32' } : undefined,
    threads: wholeNumber(v, 'threads', 0),
    progress: (f, m) => bar.update(f, m),
  });
  bar.done();
  const names = data.classNames;
  print(v.json === true, { targets: results }, () =>
    results
      .map((r) => [`target ${r.targetId} (${names[targetData.y[r.target]]})`, ...r.top.map((t) => `  + ${t.score.toExponential(3).padStart(11)}  ${t.id} (${names[t.label]})`), ...r.bottom.slice(0, 3).map((t) => `  − ${t.score.toExponential(3).padStart(11)}  ${t.id} (${names[t.label]})`)].join('\n'))
      .join('\n'),
  );
}
