/**
 * GraphBuilder: appends ONNX nodes while tracking every value's static shape, element type and (for small
 * integer tensors such as shapes and axes) its constant value. Each appended node goes through its op
 * definition, so the lowered forward pass, the loss head and the backward pass are all shape-checked as
 * they are built, and a mistake surfaces at build time with the node named, not inside onnxruntime.
 */
import { nodeWhere } from '../graph/attrs';
import { DataType, type AttrValue, type Node, type Tensor, type TensorData, type ValueInfo } from '../graph/ir';
import { LetheError } from '../util/errors';
import { opDefinition } from './registry';

export interface ValueMeta {
  shape: number[];
  type: number;
  /** Known constant contents (initializers, Constant nodes, folded shape arithmetic). */
  value?: TensorData;
}

export class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers = new Map<string, Tensor>();
  readonly inputs: ValueInfo[] = [];
  readonly outputs: ValueInfo[] = [];
  private readonly metas = new Map<string, ValueMeta>();
  private readonly usedNames = new Set<string>();
  private counter = 0;
  private readonly scalars = new Map<string, string>();

  /** `dtype` is the float type of emitted constants (FLOAT, or DOUBLE for precise gradient checks). */
  constructor(
    readonly file: string | undefined,
    readonly dtype: number = DataType.FLOAT,
  ) {}

  has(name: string): boolean {
    return this.metas.has(name);
  }

  meta(name: string): ValueMeta {
    const m = this.metas.get(name);
    if (!m) throw new Error(`internal: value "${name}" has no known shape`);
    return m;
  }

  shape(name: string): number[] {
    return this.meta(name).shape;
  }

  addInput(name: string, type: number, shape: number[]): string {
    this.claim(name);
    this.inputs.push({ name, elemType: type, shape });
    this.metas.set(name, { shape, type });
    return name;
  }

  addInitializer(t: Tensor): string {
    this.claim(t.name);
    this.initializers.set(t.name, t);
    const small = t.dataType === DataType.INT64 || t.dataType === DataType.INT32 || t.data.length <= 64;
    this.metas.set(t.name, { shape: t.dims.slice(), type: t.dataType, value: small ? t.data : undefined });
    return t.name;
  }

  /** Turns an initializer into a graph input fed at run time (parameters, running statistics). */
  promoteToInput(name: string): void {
    const t = this.initializers.get(name);
    if (!t) throw new Error(`internal: "${name}" is not an initializer`);
    this.initializers.delete(name);
    this.inputs.push({ name, elemType: t.dataType, shape: t.dims.slice() });
    this.metas.set(name, { shape: t.dims.slice(), type: t.dataType });
  }

  /** Appends a node (from a model or emitted here): validated and shape-inferred by its op definition. */
  addNode(node: Node): void {
    const def = opDefinition(node, this.file);
    const unknown = node.inputs.find((i) => i && !this.metas.has(i));
    if (unknown !== undefined) {
      throw new LetheError(`input "${unknown}" is not a graph input, an initializer or the output of an earlier node`, this.file, nodeWhere(node));
    }
    const metas = def.infer(node, this);
    node.outputs.forEach((out, i) => {
      if (!out) return;
      this.claim(out);
      this.metas.set(out, metas[i]);
    });
    this.nodes.push(node);
  }

  /** Emits a node with fresh output names and returns them. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputs = 1): string[] {
    const name = this.fresh(opType);
    const outs = Array.from({ length: outputs }, (_, i) => `${name}:${i}`);
    this.addNode({ name, opType, domain: '', inputs, outputs: outs, attrs });
    return outs;
  }

  /** Emits a node writing to the given output names (a lowering that must keep the original names). */
  emit(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}): void {
    this.addNode({ name: this.fresh(opType), opType, domain: '', inputs, outputs, attrs });
  }

  op1(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string {
    return this.op(opType, inputs, attrs)[0];
  }

  /** A fresh name with a readable prefix. */
  fresh(prefix: string): string {
    let name: string;
    do name = `lethe/${prefix}_${this.counter++}`;
    while (this.usedNames.has(name));
    return name;
  }

  constant(data: TensorData, dims: number[], dataType: number, prefix = 'const'): string {
    return this.addInitializer({ name: this.fresh(prefix), dataType, dims, data });
  }

  /** A scalar of the builder's float type (shared between uses). */
  scalar(v: number): string {
    const key = String(v);
    let name = this.scalars.get(key);
    if (!name) {
      const data = this.dtype === DataType.DOUBLE ? Float64Array.of(v) : Float32Array.of(v);
      name = this.constant(data, [], this.dtype, 'scalar');
      this.scalars.set(key, name);
    }
    return name;
  }

  /** A constant of the builder's float type with the given dims. */
  floats(values: ArrayLike<number>, dims: number[]): string {
    const data = this.dtype === DataType.DOUBLE ? Float64Array.from(values) : Float32Array.from(values);
    return this.constant(data, dims, this.dtype);
  }

  /** A 1-D int64 constant (shapes, axes, pads, slice bounds). */
  ints(values: number[]): string {
    return this.constant(BigInt64Array.from(values.map(BigInt)), [values.length], DataType.INT64, 'ints');
  }

  markOutput(name: string): void {
    const m = this.meta(name);
    this.outputs.push({ name, elemType: m.type, shape: m.shape });
  }

  private claim(name: string): void {
    if (this.usedNames.has(name)) throw new Error(`internal: value "${name}" defined twice`);
    this.usedNames.add(name);
  }
}
