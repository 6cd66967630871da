/**
 * Parameter selection shared by the localised methods (SalUn, DEL): global top-fraction masks,
 * the output-unit axis of each parameter layout, channel-level scores, and the classifier head.
 */
import { Attrs } from '../../graph/attrs';
import { numel, type Model, type Node } from '../../graph/ir';
import { LetheError } from '../../util/errors';

/**
 * Masks (1 = selected) for the top `fraction` of all entries of all tensors ranked together by score.
 * Exactly round(fraction·N) entries are selected; ties at the threshold go to the earlier tensor/entry,
 * so the result is deterministic. NaN scores are never selected.
 */
export function globalTopFraction(scores: ReadonlyMap<string, Float32Array>, fraction: number): Map<string, Uint8Array> {
  if (!(fraction >= 0 && fraction <= 1)) throw new LetheError(`selection fraction ${fraction} is outside [0, 1]`);
  let total = 0;
  for (const s of scores.values()) total += s.length;
  const k = Math.round(fraction * total);
  const masks = new Map<string, Uint8Array>();
  for (const [name, s] of scores) masks.set(name, new Uint8Array(s.length));
  if (k === 0) return masks;
  const all = new Float32Array(total);
  let at = 0;
  for (const s of scores.values()) {
    for (let i = 0; i < s.length; i++) all[at + i] = Number.isNaN(s[i]) ? -Infinity : s[i];
    at += s.length;
  }
  all.sort(); // ascending; typed-array sort is numeric
  const threshold = all[total - k];
  let above = 0;
  for (let i = total - k; i < total; i++) if (all[i] > threshold) above++;
  let tiesLeft = k - above; // entries equal to the threshold still to take
  for (const [name, s] of scores) {
    const m = masks.get(name)!;
    for (let i = 0; i < s.length; i++) {
      const v = Number.isNaN(s[i]) ? -Infinity : s[i];
      if (v > threshold) m[i] = 1;
      else if (v === threshold && tiesLeft > 0) {
        m[i] = 1;
        tiesLeft--;
      }
    }
  }
  return masks;
}

/** How a weight tensor's entries group into output units: `axis` of `dims` indexes the unit. */
export interface UnitLayout {
  dims: number[];
  axis: number;
}

/**
 * The output-unit ("channel") axis of every weight of a Conv, Gemm or MatMul node (docs/methods.md §5.1):
 * Conv W [out, in/g, k…] → 0; Gemm B → 0 with transB = 1 ([out, in], PyTorch), 1 with transB = 0
 * ([in, out], TF.js and Keras); MatMul B [in, out] → 1. Other parameters (biases, norms) are absent.
 */
export function unitLayouts(model: Model): Map<string, UnitLayout> {
  const out = new Map<string, UnitLayout>();
  for (const node of model.graph.nodes) {
    const w = weightOf(model, node);
    if (!w || out.has(w.name)) continue;
    let axis: number;
    if (node.opType === 'Conv') axis = 0;
    else if (node.opType === 'Gemm') axis = new Attrs(node, model.file).int('transB', 0) !== 0 ? 0 : 1;
    else axis = 1;
    out.set(w.name, { dims: w.dims, axis });
  }
  return out;
}

function weightOf(model: Model, node: Node): { name: string; dims: number[] } | undefined {
  if (node.opType !== 'Conv' && node.opType !== 'Gemm' && node.opType !== 'MatMul') return undefined;
  const t = model.graph.initializers.get(node.inputs[1]);
  if (!t || t.dims.length < 2 || (node.opType !== 'Conv' && t.dims.length !== 2)) return undefined;
  return { name: t.name, dims: t.dims };
}

/** Entry indices of each unit: unit u holds the entries whose coordinate on `axis` is u. */
export function forEachUnit(layout: UnitLayout, visit: (unit: number, entries: Int32Array) => void): void {
  const { dims, axis } = layout;
  const units = dims[axis];
  const inner = numel(dims.slice(axis + 1));
  const outer = numel(dims.slice(0, axis));
  const perUnit = outer * inner;
  const entries = new Int32Array(perUnit);
  for (let u = 0; u < units; u++) {
    let at = 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * units + u) * inner;
      for (let i = 0; i < inner; i++) entries[at++] = base + i;
    }
    visit(u, entries);
  }
}

/**
 * Replaces every entry of a weight by its unit's score. `reduce` receives the unit's values (a copy, free to
 * reorder) and returns the unit score.
 */
export function unitScores(values: Float32Array, layout: UnitLayout, reduce: (unitValues: Float32Array) => number): Float32Array {
  const out = new Float32Array(values.length);
  forEachUnit(layout, (_u, entries) => {
    const row = new Float32Array(entries.length);
    for (let i = 0; i < entries.length; i++) row[i] = values[entries[i]];
    const score = reduce(row);
    for (let i = 0; i < entries.length; i++) out[entries[i]] = score;
  });
  return out;
}

/** Mean of the `k` largest values (k clamped to 1..length). */
export function meanOfTopK(values: Float32Array, k: number): number {
  const kk = Math.max(1, Math.min(values.length, Math.floor(k)));
  const sorted = Float32Array.from(values).sort();
  let sum = 0;
  for (let i = sorted.length - kk; i < sorted.length; i++) sum += sorted[i];
  return sum / kk;
}

/**
 * The classifier head: weight and bias of the last Conv/Gemm/MatMul in graph order (ONNX nodes are
 * topologically sorted, so that is the layer producing the logits), plus the Add that carries a MatMul's bias.
 * Only names that are trainable initializers are returned.
 */
export function classifierHead(model: Model): string[] {
  const nodes = model.graph.nodes;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    const w = weightOf(model, node);
    if (!w) continue;
    const names = [w.name];
    if ((node.opType === 'Gemm' || node.opType === 'Conv') && node.inputs[2] && model.graph.initializers.has(node.inputs[2])) names.push(node.inputs[2]);
    if (node.opType === 'MatMul') {
      const add = nodes.find((n) => n.opType === 'Add' && n.inputs.includes(node.outputs[0]));
      const bias = add?.inputs.find((name) => name !== node.outputs[0] && model.graph.initializers.has(name));
      if (bias) names.push(bias);
    }
    return names;
  }
  throw new LetheError('the model has no Conv, Gemm or MatMul layer with a weight initializer, so it has no classifier head', model.file);
}
