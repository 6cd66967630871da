/** Elementwise ops of one input whose gradient is dy times a local derivative. */
import { Attrs } from '../../graph/attrs';
import type { Node } from '../../graph/ir';
import type { GraphBuilder } from '../builder';
import { sameAs, type OpDef } from '../opdef';

/** `local` returns dy · ∂y/∂x given the node's input x, output y and dy. */
function unary(
  type: string,
  local: (b: GraphBuilder, x: string, y: string, dy: string, node: Node) => string,
  attributes: string[] = [],
  check?: (a: Attrs) => void,
): OpDef {
  return {
    type,
    attributes,
    arity: [1, 1],
    infer(node, b) {
      check?.(new Attrs(node, b.file));
      return [sameAs(b.meta(node.inputs[0]))];
    },
    grad: (node, b, ctx) => [local(b, node.inputs[0], node.outputs[0], ctx.dy[0]!, node)],
  };
}

const mul = (b: GraphBuilder, ...xs: string[]): string => xs.reduce((acc, x) => b.op1('Mul', [acc, x]));

export const Identity = unary('Identity', (_b, _x, _y, dy) => dy);

export const Neg = unary('Neg', (b, _x, _y, dy) => b.op1('Neg', [dy]));

/**
 * Where(y > 0, dy, 0), the subgradient 0 at x = 0 as PyTorch. Reading the output (y > 0 ⇔ x > 0) leaves
 * the input unused after the forward pass, so onnxruntime can fuse Conv/Gemm + Relu.
 */
export const Relu = unary('Relu', (b, _x, y, dy) => b.op1('Where', [b.op1('Greater', [y, b.scalar(0)]), dy, b.scalar(0)]));

export const LeakyRelu = unary(
  'LeakyRelu',
  (b, x, _y, dy, node) => {
    const alpha = new Attrs(node, b.file).float('alpha', 0.01);
    return b.op1('Where', [b.op1('Greater', [x, b.scalar(0)]), dy, b.op1('Mul', [dy, b.scalar(alpha)])]);
  },
  ['alpha'],
);

export const Sigmoid = unary('Sigmoid', (b, _x, y, dy) => mul(b, dy, y, b.op1('Sub', [b.scalar(1), y])));

export const Tanh = unary('Tanh', (b, _x, y, dy) => b.op1('Mul', [dy, b.op1('Sub', [b.scalar(1), b.op1('Mul', [y, y])])]));

export const Abs = unary('Abs', (b, x, _y, dy) => b.op1('Mul', [dy, b.op1('Sign', [x])]));

export const Exp = unary('Exp', (b, _x, y, dy) => b.op1('Mul', [dy, y]));

export const Log = unary('Log', (b, x, _y, dy) => b.op1('Div', [dy, x]));

export const Sqrt = unary('Sqrt', (b, _x, y, dy) => b.op1('Div', [b.op1('Mul', [dy, b.scalar(0.5)]), y]));

export const Reciprocal = unary('Reciprocal', (b, _x, y, dy) => b.op1('Neg', [mul(b, dy, y, y)]));

/** d erf(x)/dx = 2/√π · exp(−x²). */
export const Erf = unary('Erf', (b, x, _y, dy) => mul(b, dy, b.scalar(2 / Math.sqrt(Math.PI)), b.op1('Exp', [b.op1('Neg', [b.op1('Mul', [x, x])])])));

/**
 * Gelu (opset 20). Exact: y = x·Φ(x), y' = Φ(x) + x·φ(x). Tanh approximation: y = ½x(1 + tanh u),
 * u = √(2/π)(x + 0.044715x³), y' = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²).
 */
export const Gelu = unary(
  'Gelu',
  (b, x, _y, dy, node) => {
    const approximate = new Attrs(node, b.file).string('approximate', 'none');
    const x2 = b.op1('Mul', [x, x]);
    let d: string;
    if (approximate === 'tanh') {
      const k = Math.sqrt(2 / Math.PI);
      const c = 0.044715;
      const u = mul(b, b.scalar(k), b.op1('Add', [x, mul(b, b.scalar(c), x2, x)]));
      const t = b.op1('Tanh', [u]);
      const du = mul(b, b.scalar(k), b.op1('Add', [b.scalar(1), mul(b, b.scalar(3 * c), x2)]));
      const first = mul(b, b.scalar(0.5), b.op1('Add', [b.scalar(1), t]));
      const second = mul(b, b.scalar(0.5), x, b.op1('Sub', [b.scalar(1), b.op1('Mul', [t, t])]), du);
      d = b.op1('Add', [first, second]);
    } else {
      const cdf = mul(b, b.scalar(0.5), b.op1('Add', [b.scalar(1), b.op1('Erf', [b.op1('Mul', [x, b.scalar(Math.SQRT1_2)])])]));
      const pdf = mul(b, b.scalar(1 / Math.sqrt(2 * Math.PI)), b.op1('Exp', [b.op1('Mul', [x2, b.scalar(-0.5)])]));
      d = b.op1('Add', [cdf, b.op1('Mul', [x, pdf])]);
    }
    return b.op1('Mul', [dy, d]);
  },
  ['approximate'],
  (a) => void a.only('approximate', a.string('approximate', 'none'), ['none', 'tanh']),
);

/** Where(min ≤ x ≤ max, dy, 0), as PyTorch's clamp. min and max (inputs 1, 2) are constants. */
export const Clip: OpDef = {
  type: 'Clip',
  attributes: [],
  arity: [1, 3],
  infer: (node, b) => [sameAs(b.meta(node.inputs[0]))],
  grad(node, b, ctx) {
    const [x, lo, hi] = node.inputs;
    let inside: string | undefined;
    const and = (m: string): string => (inside ? b.op1('And', [inside, m]) : m);
    if (lo) inside = and(b.op1('GreaterOrEqual', [x, lo]));
    if (hi) inside = and(b.op1('LessOrEqual', [x, hi]));
    return [inside ? b.op1('Where', [inside, ctx.dy[0]!, b.scalar(0)]) : ctx.dy[0]];
  },
};
