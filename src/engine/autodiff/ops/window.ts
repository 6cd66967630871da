/** Sliding-window geometry shared by Conv, ConvTranspose and the pools: kernel, strides, pads, dilations, output size. */
import { Attrs } from '../../graph/attrs';
import type { AttrValue, Node } from '../../graph/ir';
import type { GraphBuilder } from '../builder';
import { attr } from '../opdef';

export interface Window {
  kernel: number[];
  strides: number[];
  /** Begin pads for every spatial axis, then end pads (ONNX order). */
  pads: number[];
  dilations: number[];
  /** Output spatial size. */
  out: number[];
}

/** Output size of one axis; ceil mode drops a last window that would start in the end padding (as onnxruntime). */
export function windowOut(size: number, k: number, s: number, begin: number, end: number, d: number, ceil: boolean): number {
  const span = size + begin + end - d * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= size + begin) out--;
  return out;
}

/** Reads the window attributes of a node over input spatial size `spatial`; `kernel` defaults to kernel_shape. */
export function windowOf(b: GraphBuilder, node: Node, spatial: number[], kernel?: number[], ceil = false): Window {
  const a = new Attrs(node, b.file);
  const n = spatial.length;
  const k = a.ints('kernel_shape', kernel ?? []);
  if (k.length !== n) throw a.fail('kernel_shape', `expected ${n} values for a ${n}-d window, got [${k.join(', ')}]`);
  if (kernel && k.some((v, i) => v !== kernel[i])) throw a.fail('kernel_shape', `[${k.join(', ')}] differs from the weight's [${kernel.join(', ')}]`);
  const strides = a.ints('strides', new Array(n).fill(1));
  const dilations = a.ints('dilations', new Array(n).fill(1));
  for (const [name, v] of [['strides', strides], ['dilations', dilations]] as const) {
    if (v.length !== n || v.some((x) => x < 1)) throw a.fail(name, `expected ${n} positive values, got [${v.join(', ')}]`);
  }
  const autoPad = a.only('auto_pad', a.string('auto_pad', 'NOTSET'), ['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER']);
  let pads = a.ints('pads', new Array(2 * n).fill(0));
  if (autoPad === 'VALID') pads = new Array(2 * n).fill(0);
  if (autoPad.startsWith('SAME')) {
    pads = new Array(2 * n).fill(0);
    for (let i = 0; i < n; i++) {
      const total = Math.max((Math.ceil(spatial[i] / strides[i]) - 1) * strides[i] + (k[i] - 1) * dilations[i] + 1 - spatial[i], 0);
      const small = Math.floor(total / 2);
      pads[i] = autoPad === 'SAME_UPPER' ? small : total - small;
      pads[i + n] = total - pads[i];
    }
  }
  if (pads.length !== 2 * n || pads.some((p) => p < 0)) throw a.fail('pads', `expected ${2 * n} non-negative values, got [${pads.join(', ')}]`);
  const out = spatial.map((size, i) => windowOut(size, k[i], strides[i], pads[i], pads[i + n], dilations[i], ceil));
  if (out.some((o) => o < 1)) throw a.fail('kernel_shape', `window larger than the padded input [${spatial.join(', ')}]`);
  return { kernel: k, strides, pads, dilations, out };
}

/**
 * The output_padding that makes a ConvTranspose with this window map `out` back to `spatial` exactly
 * (rows the forward window never reached get zero gradient).
 */
export function outputPadding(w: Window, spatial: number[]): number[] {
  const n = spatial.length;
  return spatial.map((size, i) => size - (w.strides[i] * (w.out[i] - 1) + (w.kernel[i] - 1) * w.dilations[i] + 1 - w.pads[i] - w.pads[i + n]));
}

/**
 * Rewrites a 1-d windowed node (input [N, C, L]) as the 2-d one over [N, C, 1, L], so the 2-d gradient
 * rules serve both. `lifted` lists the inputs that gain the unit axis (data; also weights for Conv).
 * Returns false (nothing emitted) for other ranks.
 */
export function lowerOneD(node: Node, b: GraphBuilder, lifted: number[]): boolean {
  if (b.shape(node.inputs[0]).length !== 3) return false;
  const a = new Attrs(node, b.file);
  const inputs = node.inputs.map((v, i) => (lifted.includes(i) ? b.op1('Unsqueeze', [v, b.ints([2])]) : v));
  const attrs: Record<string, AttrValue> = { ...node.attrs };
  for (const name of ['kernel_shape', 'strides', 'dilations']) if (a.has(name)) attrs[name] = attr.ints([1, ...a.ints(name, [])]);
  if (a.has('pads')) {
    const [begin, end] = a.ints('pads', []);
    attrs.pads = attr.ints([0, begin, 0, end]);
  }
  const y = b.op1(node.opType, inputs, attrs);
  b.emit('Squeeze', [y, b.ints([2])], [node.outputs[0]]);
  return true;
}
