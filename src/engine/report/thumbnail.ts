/** Small PNG data URIs of image examples, so the report can show which pictures an attribution points at. */
import { PNG } from 'pngjs';
import type { Dataset } from '../data/types';

/**
 * The example as a PNG data URI when it looks like an image (C×H×W or H×W×C with C ∈ {1, 3}, or H×W);
 * undefined otherwise. Values are min–max scaled per image, so normalised data still renders.
 */
export function thumbnailOf(ds: Dataset, index: number): string | undefined {
  const layout = imageLayout(ds.exampleShape);
  if (!layout) return undefined;
  const { h, w, c, channelsFirst } = layout;
  const size = h * w * c;
  const x = ds.x.subarray(index * size, (index + 1) * size);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of x) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const png = new PNG({ width: w, height: h });
  for (let p = 0; p < h * w; p++) {
    for (let ch = 0; ch < 3; ch++) {
      const src = c === 1 ? 0 : ch;
      const v = channelsFirst ? x[src * h * w + p] : x[p * c + src];
      png.data[p * 4 + ch] = Math.round((v - lo) * scale);
    }
    png.data[p * 4 + 3] = 255;
  }
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}

function imageLayout(shape: number[]): { h: number; w: number; c: number; channelsFirst: boolean } | undefined {
  if (shape.length === 2) return { h: shape[0], w: shape[1], c: 1, channelsFirst: true };
  if (shape.length !== 3) return undefined;
  if (shape[0] === 1 || shape[0] === 3) return { c: shape[0], h: shape[1], w: shape[2], channelsFirst: true };
  if (shape[2] === 1 || shape[2] === 3) return { h: shape[0], w: shape[1], c: shape[2], channelsFirst: false };
  return undefined;
}
