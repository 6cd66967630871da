/**
 * Conv (1-d and 2-d, group 1; 1-d is lowered to 2-d for training). Gradients as measured fastest (design/architecture.md): the weight gradient as
 * im2col (Pad, one strided Slice per kernel tap, Concat) and one Gemm; the input gradient as a Conv with
 * the flipped, transposed kernel (onnxruntime's ConvTranspose took 1.6× as long for the same result; it
 * remains for strides > 1, which a Conv cannot express); the bias gradient as a ReduceSum.
 */
import { Attrs, nodeError } from '../../graph/attrs';
import type { Node } from '../../graph/ir';
import type { GraphBuilder } from '../builder';
import { attr, type OpDef } from '../opdef';
import { lowerOneD, outputPadding, windowOf, type Window } from './window';

function convWindow(node: Node, b: GraphBuilder): Window {
  const x = b.shape(node.inputs[0]);
  const w = b.shape(node.inputs[1]);
  if (x.length !== w.length || (x.length !== 3 && x.length !== 4)) {
    throw nodeError(b, node, `only 1-d and 2-d convolutions are supported (input [${x.join(', ')}], weight [${w.join(', ')}])`);
  }
  const a = new Attrs(node, b.file);
  a.only('group', a.int('group', 1), [1]);
  if (w[1] !== x[1]) throw nodeError(b, node, `weight [${w.join(', ')}] expects ${w[1]} input channels, input has ${x[1]}`);
  return windowOf(b, node, x.slice(2), w.slice(2));
}

export const Conv: OpDef = {
  type: 'Conv',
  attributes: ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'],
  arity: [2, 3],
  infer(node, b) {
    const win = convWindow(node, b);
    const [n] = b.shape(node.inputs[0]);
    const [o] = b.shape(node.inputs[1]);
    if (node.inputs[2] && b.shape(node.inputs[2]).join() !== String(o)) throw nodeError(b, node, `bias must have shape [${o}]`);
    return [{ shape: [n, o, ...win.out], type: b.meta(node.inputs[0]).type }];
  },
  lower: (node, b) => lowerOneD(node, b, [0, 1]),
  grad(node, b, ctx) {
    const [x, w, bias] = node.inputs;
    if (b.shape(x).length !== 4) throw new Error(`internal: 1-d Conv "${node.name}" must be lowered to 2-d before differentiation`);
    const dy = ctx.dy[0]!;
    const win = convWindow(node, b);
    const xShape = b.shape(x);
    const dx = ctx.needs(0) ? inputGradient(b, dy, w, win, xShape) : undefined;
    const dw = ctx.needs(1) ? weightGradient(b, x, dy, b.shape(w), win) : undefined;
    const db = bias && ctx.needs(2) ? b.op1('ReduceSum', [dy, b.ints([0, 2, 3])], { keepdims: attr.int(0) }) : undefined;
    return [dx, dw, db];
  },
};

/**
 * dX = dY convolved with W transposed to [C, O] and flipped in space. At stride 1 that is a plain Conv
 * whose pads are the kernel's extent minus the forward pads; a forward pad beyond the kernel's extent
 * (legal, rare) or a stride above 1 needs the ConvTranspose.
 */
function inputGradient(b: GraphBuilder, dy: string, w: string, win: Window, xShape: number[]): string {
  const extent = win.kernel.map((k, i) => (k - 1) * win.dilations[i]);
  const pads = win.pads.map((p, i) => extent[i % 2] - p);
  if (win.strides.some((s) => s !== 1) || pads.some((p) => p < 0)) {
    return b.op1('ConvTranspose', [dy, w], {
      strides: attr.ints(win.strides),
      pads: attr.ints(win.pads),
      dilations: attr.ints(win.dilations),
      output_padding: attr.ints(outputPadding(win, xShape.slice(2))),
    });
  }
  const transposed = b.op1('Transpose', [w], { perm: attr.ints([1, 0, 2, 3]) });
  const flipped = b.op1('Slice', [transposed, b.ints([-1, -1]), b.ints([-Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]), b.ints([2, 3]), b.ints([-1, -1])]);
  return b.op1('Conv', [dy, flipped], { pads: attr.ints(pads), dilations: attr.ints(win.dilations) });
}

/** dW[o, c, i, j] = Σ_{n,p} dy[n, o, p] · x_padded[n, c, p·s + (i, j)·d], as cols [(i,j,c), (n,p)] and one Gemm. */
function weightGradient(b: GraphBuilder, x: string, dy: string, wShape: number[], win: Window): string {
  const [o, c, kh, kw] = wShape;
  const [n] = b.shape(x);
  const [oh, ow] = win.out;
  const [sh, sw] = win.strides;
  const [dh, dw] = win.dilations;
  // Channels first, so the taps concatenate into rows and (n, p) stay contiguous columns.
  let xt = b.op1('Transpose', [x], { perm: attr.ints([1, 0, 2, 3]) });
  if (win.pads.some((p) => p > 0)) {
    const [pt, pl, pb, pr] = win.pads;
    xt = b.op1('Pad', [xt, b.ints([0, 0, pt, pl, 0, 0, pb, pr])]);
  }
  const taps: string[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const starts = [i * dh, j * dw];
      const ends = [i * dh + (oh - 1) * sh + 1, j * dw + (ow - 1) * sw + 1];
      taps.push(b.op1('Slice', [xt, b.ints(starts), b.ints(ends), b.ints([2, 3]), b.ints([sh, sw])]));
    }
  }
  const stacked = taps.length === 1 ? taps[0] : b.op1('Concat', taps, { axis: attr.int(0) });
  const cols = b.op1('Reshape', [stacked, b.ints([kh * kw * c, n * oh * ow])]);
  const dyt = b.op1('Reshape', [b.op1('Transpose', [dy], { perm: attr.ints([1, 0, 2, 3]) }), b.ints([o, n * oh * ow])]);
  const dwTaps = b.op1('Gemm', [dyt, cols], { transB: attr.int(1) });
  const dwHwc = b.op1('Reshape', [dwTaps, b.ints([o, kh, kw, c])]);
  return b.op1('Transpose', [dwHwc], { perm: attr.ints([0, 3, 1, 2]) });
}

/** ConvTranspose (2-d, any group): forward only; it appears in backward passes and in decoders. */
export const ConvTranspose: OpDef = {
  type: 'ConvTranspose',
  attributes: ['auto_pad', 'dilations', 'group', 'kernel_shape', 'output_padding', 'output_shape', 'pads', 'strides'],
  arity: [2, 3],
  infer(node, b) {
    const x = b.shape(node.inputs[0]);
    const w = b.shape(node.inputs[1]);
    if (x.length !== 4 || w.length !== 4) throw nodeError(b, node, `only 2-d transposed convolutions are supported (input [${x.join(', ')}], weight [${w.join(', ')}])`);
    const a = new Attrs(node, b.file);
    a.only('auto_pad', a.string('auto_pad', 'NOTSET'), ['NOTSET', 'VALID']);
    const group = a.int('group', 1);
    if (w[0] !== x[1] || x[1] % group !== 0) throw nodeError(b, node, `weight [${w.join(', ')}] does not fit ${x[1]} input channels in ${group} groups`, 'group');
    const k = a.ints('kernel_shape', w.slice(2));
    const s = a.ints('strides', [1, 1]);
    const d = a.ints('dilations', [1, 1]);
    const p = a.ints('pads', [0, 0, 0, 0]);
    const op = a.ints('output_padding', [0, 0]);
    const spatial = a.has('output_shape')
      ? a.ints('output_shape', []).slice(-2)
      : [0, 1].map((i) => s[i] * (x[2 + i] - 1) + op[i] + (k[i] - 1) * d[i] + 1 - p[i] - p[i + 2]);
    if (spatial.some((v) => v < 1)) throw nodeError(b, node, `output size [${spatial.join(', ')}] is empty`);
    return [{ shape: [x[0], w[1] * group, ...spatial], type: b.meta(node.inputs[0]).type }];
  },
};
