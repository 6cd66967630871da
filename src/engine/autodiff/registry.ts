/** The op registry: which ONNX ops Lethe can build training graphs from, and model validation against it. */
import { nodeError, nodeWhere } from '../graph/attrs';
import type { Node } from '../graph/ir';
import { LetheError } from '../util/errors';
import type { OpDef } from './opdef';
import { Add, Div, Mul, Pow, Sub, Sum } from './ops/arithmetic';
import { AveragePool, GlobalAveragePool } from './ops/averagePool';
import { BatchNormalization } from './ops/batchNorm';
import { Concat } from './ops/concat';
import { Cast } from './ops/cast';
import { And, Equal, Greater, GreaterOrEqual, LessOrEqual, Sign, Where } from './ops/compare';
import { Constant, ConstantOfShape } from './ops/constant';
import { Conv, ConvTranspose } from './ops/conv';
import { Dropout } from './ops/dropout';
import { Expand } from './ops/expand';
import { Gemm } from './ops/gemm';
import { Gather } from './ops/gather';
import { LayerNormalization } from './ops/layerNorm';
import { MatMul } from './ops/matmul';
import { MaxPool, MaxUnpool, ScatterElements } from './ops/maxPool';
import { Pad } from './ops/pad';
import { ReduceMean, ReduceSum } from './ops/reduce';
import { Flatten, Reshape, Squeeze, Unsqueeze } from './ops/reshape';
import { Shape } from './ops/shape';
import { Slice } from './ops/slice';
import { LogSoftmax, Softmax } from './ops/softmax';
import { Transpose } from './ops/transpose';
import { Abs, Clip, Erf, Exp, Gelu, Identity, LeakyRelu, Log, Neg, Reciprocal, Relu, Sigmoid, Sqrt, Tanh } from './ops/unary';

const OPS: ReadonlyMap<string, OpDef> = new Map(
  [
    Add, Sub, Mul, Div, Pow, Sum, Gemm, MatMul, Conv, ConvTranspose, MaxPool, AveragePool, GlobalAveragePool,
    BatchNormalization, LayerNormalization, Dropout, Relu, LeakyRelu, Sigmoid, Tanh, Softmax, LogSoftmax, Erf,
    Gelu, Clip, Identity, Abs, Neg, Exp, Log, Sqrt, Reciprocal, Flatten, Reshape, Squeeze, Unsqueeze, Transpose,
    Concat, Pad, Constant, ReduceSum, ReduceMean, Where, Greater, GreaterOrEqual, LessOrEqual, Equal, And,
    ConstantOfShape, Expand, MaxUnpool, ScatterElements, Slice, Cast, Shape, Gather, Sign,
  ].map((d) => [d.type, d]),
);

/** Op types that gradients flow through: those with a gradient rule or a lowering to ops that have one. */
export const differentiableOps: readonly string[] = [...OPS.values()].filter((d) => d.grad || d.lower).map((d) => d.type).sort();

/** The definition of a node's op, after checking its domain and attribute names. */
export function opDefinition(node: Node, file: string | undefined): OpDef {
  const def = node.domain === '' || node.domain === 'ai.onnx' ? OPS.get(node.opType) : undefined;
  if (!def) {
    const op = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : node.opType;
    throw new LetheError(`unsupported op "${op}"`, file, nodeWhere(node));
  }
  const [required, most] = def.arity;
  const given = node.inputs.length;
  const missing = node.inputs.slice(0, required).findIndex((i) => !i);
  if (given < required || missing >= 0 || given > most) {
    const expected = required === most ? `${required}` : most === Infinity ? `at least ${required}` : `${required} to ${most}`;
    throw nodeError({ file }, node, `${node.opType} takes ${expected} inputs, found ${node.inputs.filter(Boolean).length}${missing >= 0 ? ` (input ${missing} is empty)` : ''}`);
  }
  for (const name of Object.keys(node.attrs)) {
    if (!def.attributes.includes(name)) throw nodeError({ file }, node, `unsupported attribute of ${node.opType}`, name);
  }
  return def;
}

