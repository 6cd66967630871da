/** What every op definition provides, and the helpers op files share for inputs and emitted attributes. */
import { nodeError } from '../graph/attrs';
import type { AttrValue, Node, Tensor } from '../graph/ir';
import type { GraphBuilder, ValueMeta } from './builder';

/** Services the training-graph builder offers to ops that rewrite themselves for training. */
export interface LowerCtx {
  /** Training mode (batch statistics, active dropout) or evaluation mode. */
  train: boolean;
  /** Makes a state initializer (a running statistic) a graph input fed each step; returns its name. */
  stateInput(name: string): string;
  /** Declares the updated value of a state input as a graph output. */
  stateOutput(stateName: string, value: string): void;
  /** A graph input holding a dropout mask of this shape (keep / (1 − ratio) or 0), fed from TypeScript. */
  maskInput(node: Node, shape: number[], ratio: number): string;
}

/** Attribute values for emitted nodes. */
export const attr = {
  int: (value: number): AttrValue => ({ type: 'int', value }),
  float: (value: number): AttrValue => ({ type: 'float', value }),
  ints: (value: number[]): AttrValue => ({ type: 'ints', value }),
  string: (value: string): AttrValue => ({ type: 'string', value }),
  tensor: (value: Tensor): AttrValue => ({ type: 'tensor', value }),
};

export interface GradCtx {
  /** Gradient of the loss with respect to each output (undefined: that output does not reach the loss). */
  dy: (string | undefined)[];
  /** Whether input i needs a gradient. */
  needs(i: number): boolean;
}

export interface OpDef {
  readonly type: string;
  /** Attributes this definition understands; any other attribute is refused. */
  readonly attributes: readonly string[];
  /** Required and maximum number of inputs (trailing optional inputs may be omitted or ""). */
  readonly arity: readonly [number, number];
  /** Static output metadata; checks attribute values and input shapes, and folds small integer values. */
  infer(node: Node, b: GraphBuilder): ValueMeta[];
  /** Rewrites the node for the training graph; returns false to keep it as it is. */
  lower?(node: Node, b: GraphBuilder, ctx: LowerCtx): boolean;
  /** Vector-Jacobian product, emitted as ONNX ops: one gradient per input (undefined where not needed). */
  grad?(node: Node, b: GraphBuilder, ctx: GradCtx): (string | undefined)[];
}

/** An op that appears only in forward passes or emitted gradients: a shape rule, no lowering, no gradient. */
export function forwardOnly(type: string, arity: [number, number], attributes: string[], infer: OpDef['infer']): OpDef {
  return { type, arity, attributes, infer };
}

/** Input i's metadata; an omitted optional input gives undefined. */
function inputMeta(b: GraphBuilder, node: Node, i: number): ValueMeta | undefined {
  const name = node.inputs[i];
  return name ? b.meta(name) : undefined;
}

export function requireInput(b: GraphBuilder, node: Node, i: number, what: string): ValueMeta {
  const m = inputMeta(b, node, i);
  if (!m) throw nodeError(b, node, `missing input ${i} (${what})`);
  return m;
}

/** The constant integer contents of input i (shapes, axes, pads), or an error naming what must be constant. */
export function constInts(b: GraphBuilder, node: Node, i: number, what: string): number[] {
  const m = requireInput(b, node, i, what);
  if (!m.value) throw nodeError(b, node, `input ${i} (${what}) must be a constant: shapes are static in Lethe's training graphs`);
  return Array.from(m.value as ArrayLike<number | bigint>, Number);
}

/** Normalises a possibly negative axis for a tensor of the given rank. */
export function normAxis(b: GraphBuilder, node: Node, axis: number, rank: number, name = 'axis'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw nodeError(b, node, `axis ${axis} is out of range for rank ${rank}`, name);
  return a;
}

export function sameAs(m: ValueMeta): ValueMeta {
  return { shape: m.shape.slice(), type: m.type };
}
