/** Mean/std normalisation, per channel or per feature, applied in place after scaling. */
import { LetheError } from '../util/errors';
import type { ChannelOrder } from './layout';

export interface MeanStd {
  mean?: number[];
  std?: number[];
}

/**
 * Spreads `values` (one, one per channel, or one per feature) over every feature of an example.
 * `order` says where the channel axis is; without it only one or per-feature values fit.
 */
function perFeature(values: number[], key: string, exampleShape: number[], order: ChannelOrder | undefined, file: string): Float64Array {
  const features = exampleShape.reduce((p, d) => p * d, 1);
  const out = new Float64Array(features);
  const channels = order === undefined ? 1 : order === 'CHW' ? exampleShape[0] : exampleShape[exampleShape.length - 1];
  if (values.length === 1) out.fill(values[0]);
  else if (values.length === features) out.set(values);
  else if (order !== undefined && values.length === channels) {
    const spatial = features / channels;
    for (let j = 0; j < features; j++) out[j] = values[order === 'CHW' ? Math.floor(j / spatial) : j % channels];
  } else {
    const fits = order !== undefined ? `1, ${channels} (channels) or ${features} (features)` : `1 or ${features} (features)`;
    throw new LetheError(`has ${values.length} values; expected ${fits}`, file, `preprocessing.${key}`);
  }
  return out;
}

export function applyMeanStd(x: Float32Array, exampleShape: number[], order: ChannelOrder | undefined, stats: MeanStd, file: string): void {
  if (!stats.mean && !stats.std) return;
  const mean = perFeature(stats.mean ?? [0], 'mean', exampleShape, order, file);
  const std = perFeature(stats.std ?? [1], 'std', exampleShape, order, file);
  const features = mean.length;
  const invStd = std.map((s) => 1 / s);
  for (let offset = 0; offset < x.length; offset += features) {
    for (let j = 0; j < features; j++) x[offset + j] = (x[offset + j] - mean[j]) * invStd[j];
  }
}
