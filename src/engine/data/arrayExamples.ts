/**
 * Turns n raw examples of a fixed shape (from NPY or a table) into model-ready float32 examples: fitted to the
 * model input (reshaped, or transposed between channels-last and channels-first), scaled, then mean/std normalised.
 */
import { LetheError } from '../util/errors';
import type { Preprocessing } from './descriptor';
import { fitExampleShape, guessChannelOrder } from './layout';
import { applyMeanStd } from './normalize';
import { allocateExamples, productOf } from './allocate';

export interface ShapedExamples {
  x: Float32Array;
  exampleShape: number[];
}

export function shapeExamples(
  values: ArrayLike<number>,
  n: number,
  nativeShape: number[],
  opts: { inputShape?: (number | string)[]; preprocessing: Preprocessing; defaultScale: number },
  file: string,
): ShapedExamples {
  const pre = opts.preprocessing;
  if (pre.size || pre.channels) throw new LetheError('size and channels apply to image data only', file, `preprocessing.${pre.size ? 'size' : 'channels'}`);
  const fitted = fitExampleShape(nativeShape, opts.inputShape, file);
  const features = productOf(nativeShape);
  const x = allocateExamples(n, features, file);
  const scale = pre.scale ?? opts.defaultScale;
  if (fitted.transpose) transposeScaled(values, n, nativeShape, fitted.transpose, scale, x);
  else for (let i = 0; i < n * features; i++) x[i] = values[i] * scale;
  const bad = x.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new LetheError(`value ${values[bad]} is not finite`, file, `example ${Math.floor(bad / features)}, value ${bad % features}`);
  applyMeanStd(x, fitted.exampleShape, guessChannelOrder(fitted.exampleShape), pre, file);
  return { x, exampleShape: fitted.exampleShape };
}

/** Per example, [a, b, c] → [c, a, b] (HWC→CHW) or [a, b, c] → [b, c, a] (CHW→HWC). */
function transposeScaled(values: ArrayLike<number>, n: number, shape: number[], direction: 'HWC->CHW' | 'CHW->HWC', scale: number, x: Float32Array): void {
  const [a, b, c] = shape;
  const size = a * b * c;
  for (let e = 0; e < n; e++) {
    const base = e * size;
    for (let i = 0; i < a; i++) {
      for (let j = 0; j < b; j++) {
        for (let k = 0; k < c; k++) {
          const v = values[base + (i * b + j) * c + k] * scale;
          if (direction === 'HWC->CHW') x[base + (k * a + i) * b + j] = v;
          else x[base + (j * c + k) * a + i] = v;
        }
      }
    }
  }
}
