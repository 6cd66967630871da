/**
 * Attribution before and after unlearning for the report: for a few forget examples and test examples,
 * the training examples that most support the model's margin (TRAK) under the original and under the
 * unlearned model. A forget example's own influence on its prediction should fade after unlearning.
 */
import { attributeTopK, type Attribution } from '../attribution/attribute';
import type { Dataset } from '../data/types';
import type { Model } from '../graph/ir';
import type { AttributionEntry } from '../contracts/report';
import { thumbnailOf } from '../report/thumbnail';
import { trainableParameters } from '../train/params';

export interface AttributionRequest {
  original: Model;
  unlearned: Model;
  train: Dataset;
  test: Dataset;
  forget: Int32Array;
  testIdx: Int32Array;
  seed: number;
  threads: number;
  signal?: AbortSignal;
  progress(fraction: number, message: string): void;
}

const TARGETS_PER_SIDE = 3;
const TOP = 8;
const PROJ_DIM = 512;

/**
 * Gradients of the classifier head only: the full per-example gradient of even a small CNN makes the
 * projection cost P × k per example (≈10¹² operations for 10k examples), while last-layer TRAK keeps the
 * report's attribution to seconds and is the usual cheap variant.
 */
export function headParameters(model: Model): string[] {
  const trainable = new Set(trainableParameters(model));
  for (let i = model.graph.nodes.length - 1; i >= 0; i--) {
    const params = model.graph.nodes[i].inputs.filter((name) => trainable.has(name));
    if (params.length > 0) return params;
  }
  return [...trainable];
}

export async function attributionBeforeAfter(r: AttributionRequest): Promise<AttributionEntry[]> {
  const sides = [
    { ds: r.train, split: 'forget', targets: r.forget.slice(0, TARGETS_PER_SIDE) },
    { ds: r.test, split: 'test', targets: r.testIdx.slice(0, TARGETS_PER_SIDE) },
  ].filter((s) => s.targets.length > 0);
  const entries: AttributionEntry[] = [];
  let step = 0;
  for (const side of sides) {
    const run = (model: Model) => {
      r.progress(step++ / (2 * sides.length), `attribution on ${side.split} examples`);
      return attributeTopK(model, r.train, side.ds, side.targets, { top: TOP, projDim: PROJ_DIM, params: headParameters(model), seed: r.seed, threads: r.threads, signal: r.signal });
    };
    const before = await run(r.original);
    const after = await run(r.unlearned);
    before.forEach((b, i) => entries.push(entry(side.ds, side.split, b, after[i], r.train)));
  }
  return entries;
}

function entry(targetData: Dataset, split: string, before: Attribution, after: Attribution, train: Dataset): AttributionEntry {
  const row = (t: Attribution['top'][number]) => ({ id: t.id, label: t.label, score: t.score, thumbnail: thumbnailOf(train, t.index) });
  return {
    target: { id: before.targetId, split, label: targetData.y[before.target], thumbnail: thumbnailOf(targetData, before.target) },
    before: before.top.map(row),
    after: after.top.map(row),
  };
}
