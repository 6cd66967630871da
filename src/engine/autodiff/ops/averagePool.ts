/**
 * AveragePool and GlobalAveragePool. The AveragePool gradient spreads dy / (window count) back with a
 * depthwise ConvTranspose of ones; window counts without padding (count_include_pad = 0) are computed
 * here, since shapes are static.
 */
import { Attrs, nodeError } from '../../graph/attrs';
import type { Node } from '../../graph/ir';
import type { GraphBuilder } from '../builder';
import { attr, type OpDef } from '../opdef';
import { lowerOneD, outputPadding, windowOf, windowOut, type Window } from './window';

function poolWindow(node: Node, b: GraphBuilder): Window {
  const x = b.shape(node.inputs[0]);
  if (x.length !== 3 && x.length !== 4) throw nodeError(b, node, `only 1-d and 2-d average pooling is supported (input [${x.join(', ')}])`);
  const a = new Attrs(node, b.file);
  const ceil = a.int('ceil_mode', 0) === 1;
  const win = windowOf(b, node, x.slice(2), undefined, ceil);
  if (win.dilations.some((d) => d !== 1)) throw a.fail('dilations', `unsupported value [${win.dilations.join(', ')}] (supported: 1)`);
  const floorOut = x.slice(2).map((size, i) => windowOut(size, win.kernel[i], win.strides[i], win.pads[i], win.pads[i + x.length - 2], 1, false));
  if (ceil && floorOut.some((o, i) => o !== win.out[i])) throw a.fail('ceil_mode', 'unsupported value 1 where it adds a partial window');
  return win;
}

/** Number of window elements inside the unpadded input, per output position [OH·OW]. */
function windowCounts(win: Window, spatial: number[]): number[] {
  const counts: number[] = [];
  const span = (o: number, i: number): number => {
    const start = o * win.strides[i] - win.pads[i];
    return Math.min(start + win.kernel[i], spatial[i]) - Math.max(start, 0);
  };
  for (let oy = 0; oy < win.out[0]; oy++) for (let ox = 0; ox < win.out[1]; ox++) counts.push(span(oy, 0) * span(ox, 1));
  return counts;
}

export const AveragePool: OpDef = {
  type: 'AveragePool',
  attributes: ['auto_pad', 'ceil_mode', 'count_include_pad', 'dilations', 'kernel_shape', 'pads', 'strides'],
  arity: [1, 1],
  infer(node, b) {
    const x = b.meta(node.inputs[0]);
    return [{ shape: [...x.shape.slice(0, 2), ...poolWindow(node, b).out], type: x.type }];
  },
  lower: (node, b) => lowerOneD(node, b, [0]),
  grad(node, b, ctx) {
    const win = poolWindow(node, b);
    const xShape = b.shape(node.inputs[0]);
    const c = xShape[1];
    const includePad = new Attrs(node, b.file).int('count_include_pad', 0) === 1;
    const scaled = includePad || win.pads.every((p) => p === 0)
      ? b.op1('Mul', [ctx.dy[0]!, b.scalar(1 / (win.kernel[0] * win.kernel[1]))])
      : b.op1('Div', [ctx.dy[0]!, b.floats(windowCounts(win, xShape.slice(2)), [1, 1, ...win.out])]);
    const ones = b.floats(new Array(c * win.kernel[0] * win.kernel[1]).fill(1), [c, 1, ...win.kernel]);
    return [
      b.op1('ConvTranspose', [scaled, ones], {
        group: attr.int(c),
        strides: attr.ints(win.strides),
        pads: attr.ints(win.pads),
        output_padding: attr.ints(outputPadding(win, xShape.slice(2))),
      }),
    ];
  },
};

/** Mean over all spatial positions: dx = dy / (H·W) broadcast back. */
export const GlobalAveragePool: OpDef = {
  type: 'GlobalAveragePool',
  attributes: [],
  arity: [1, 1],
  infer(node, b) {
    const x = b.meta(node.inputs[0]);
    if (x.shape.length < 3) throw nodeError(b, node, `input must be [N, C, spatial…], got [${x.shape.join(', ')}]`);
    return [{ shape: [...x.shape.slice(0, 2), ...x.shape.slice(2).map(() => 1)], type: x.type }];
  },
  grad(node, b, ctx) {
    const xShape = b.shape(node.inputs[0]);
    const size = xShape.slice(2).reduce((p, d) => p * d, 1);
    return [b.op1('Expand', [b.op1('Mul', [ctx.dy[0]!, b.scalar(1 / size)]), b.ints(xShape)])];
  },
};
