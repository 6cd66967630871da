/**
 * Builds the IR graph for a converted TF.js model while tracking each tensor's memory layout.
 *
 * TF.js is channels-last (NHWC); ONNX's Conv, pooling and BatchNormalization are channels-first (NCHW).
 * The graph keeps the model's NHWC input and output, and inserts a Transpose only where the layout must
 * change: into NCHW before the first spatial op, back to NHWC before Flatten (whose element order is
 * TF's) or an output. A run of convs, pools and element-wise ops therefore stays in NCHW without
 * transposes in between. Shapes are always recorded in Keras (channels-last) order.
 */
import { DataType, type AttrValue, type Node, type Tensor, type TensorData } from '../graph/ir';
import type { WeightValue } from './weights';

/** A converted tensor. `shape` is in Keras order with null for unknown sizes (the batch always). */
export interface Value {
  name: string;
  shape: (number | null)[];
  /** True when a rank-4 tensor is stored NCHW rather than TF's NHWC. */
  channelsFirst: boolean;
  /** True when the tensor is the output of a softmax (probabilities rather than logits). */
  probabilities: boolean;
}

export class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers = new Map<string, Tensor>();
  private readonly used = new Set<string>();
  private readonly transposed = new Map<string, Value>();

  /** Appends a node with one output and returns the output's name (unique, derived from `hint`). */
  node(opType: string, inputs: string[], attrs: Record<string, AttrValue>, hint: string): string {
    const name = this.uniqueName(`${hint}/${opType}`);
    this.nodes.push({ name, opType, domain: '', inputs, outputs: [name], attrs });
    return name;
  }

  initializer(name: string, w: WeightValue): string {
    this.initializers.set(name, { name, dataType: DataType.FLOAT, dims: w.dims, data: w.data });
    this.used.add(name);
    return name;
  }

  /** A constant the conversion needs (clip bounds, pads), under a unique name derived from `hint`. */
  constant(hint: string, dataType: number, dims: number[], data: TensorData): string {
    const name = this.uniqueName(hint);
    this.initializers.set(name, { name, dataType, dims, data });
    return name;
  }

  reserveName(name: string): void {
    this.used.add(name);
  }

  /** The value stored NCHW (rank 4) — unchanged if it already is. */
  channelsFirst(v: Value): Value {
    return v.shape.length === 4 && !v.channelsFirst ? this.transpose(v, [0, 3, 1, 2], true) : v;
  }

  /** The value stored as TF stores it (NHWC for rank 4). */
  channelsLast(v: Value): Value {
    return v.channelsFirst ? this.transpose(v, [0, 2, 3, 1], false) : v;
  }

  /** Gives the tensor `from` the name `to` everywhere (to name graph outputs after their layers). */
  rename(from: string, to: string): void {
    for (const n of this.nodes) {
      n.inputs = n.inputs.map((i) => (i === from ? to : i));
      n.outputs = n.outputs.map((o) => (o === from ? to : o));
    }
    this.used.add(to);
  }

  isProduced(name: string): boolean {
    return this.nodes.some((n) => n.outputs.includes(name));
  }

  isUsed(name: string): boolean {
    return this.used.has(name);
  }

  // A tensor that feeds several layers is transposed once, not once per consumer.
  private transpose(v: Value, perm: number[], channelsFirst: boolean): Value {
    const key = `${v.name}→${perm.join('')}`;
    let out = this.transposed.get(key);
    if (!out) {
      const name = this.node('Transpose', [v.name], { perm: { type: 'ints', value: perm } }, v.name);
      out = { ...v, name, channelsFirst };
      this.transposed.set(key, out);
    }
    return out;
  }

  private uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}
