/** Slice with constant bounds, clamped as ONNX specifies (the gradients of Concat, Pad and Conv emit it). Forward only. */
import { nodeError } from '../../graph/attrs';
import { constInts, forwardOnly, normAxis } from '../opdef';
import { foldRearranged } from './fold';

export const Slice = forwardOnly('Slice', [3, 5], [], (node, b) => {
  const x = b.meta(node.inputs[0]);
  const shape = x.shape.slice();
  const first = shape.map(() => 0);
  const stride = shape.map(() => 1);
  const starts = constInts(b, node, 1, 'starts');
  const ends = constInts(b, node, 2, 'ends');
  const axes = node.inputs[3] ? constInts(b, node, 3, 'axes') : starts.map((_, i) => i);
  const steps = node.inputs[4] ? constInts(b, node, 4, 'steps') : starts.map(() => 1);
  axes.forEach((a0, i) => {
    const a = normAxis(b, node, a0, shape.length, 'axes');
    const d = shape[a];
    const step = steps[i];
    if (step === 0) throw nodeError(b, node, 'slice step 0');
    const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
    const s = step > 0 ? clamp(starts[i], 0, d) : clamp(starts[i], 0, d - 1);
    const e = step > 0 ? clamp(ends[i], 0, d) : clamp(ends[i], -1, d - 1);
    shape[a] = Math.max(0, Math.ceil((e - s) / step));
    first[a] = s;
    stride[a] = step;
  });
  return [{ shape, type: x.type, value: foldRearranged(x, shape, (index) => index.map((i, d) => first[d] + i * stride[d])) }];
});
