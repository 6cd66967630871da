/** Pixel conversions for images held as height × width × channels values: channel count, size, model channel order. */
import type { ImagePlan } from './layout';

/** Bilinear resize with pixel centres at half-integers (align_corners = false), edges clamped. */
export function resizeBilinear(src: ArrayLike<number>, srcHeight: number, srcWidth: number, channels: number, height: number, width: number): Float32Array {
  const out = new Float32Array(height * width * channels);
  const sy = srcHeight / height;
  const sx = srcWidth / width;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), srcHeight - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, srcHeight - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), srcWidth - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, srcWidth - 1);
      const wx = fx - x0;
      for (let c = 0; c < channels; c++) {
        const top = src[(y0 * srcWidth + x0) * channels + c] * (1 - wx) + src[(y0 * srcWidth + x1) * channels + c] * wx;
        const bottom = src[(y1 * srcWidth + x0) * channels + c] * (1 - wx) + src[(y1 * srcWidth + x1) * channels + c] * wx;
        out[(y * width + x) * channels + c] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return out;
}

/**
 * Writes one plan-sized image (HWC values with `srcChannels` = 1, 3 or 4 per pixel) into `out` at `outOffset`,
 * converted to the plan's channels and order and multiplied by `scale`. Colour to grey uses ITU-R 601 luma
 * (as PIL's "L"), exact for grey pixels; a fourth (alpha) channel is dropped.
 */
export function writeImage(src: ArrayLike<number>, srcOffset: number, srcChannels: number, plan: ImagePlan, scale: number, out: Float32Array, outOffset: number): void {
  const pixels = plan.height * plan.width;
  const channels = plan.channels;
  if (srcChannels === channels && (channels === 1 || plan.order === 'HWC')) {
    // Same memory order: the common case (MNIST-style grey images) is one tight loop.
    const count = pixels * channels;
    for (let i = 0; i < count; i++) out[outOffset + i] = src[srcOffset + i] * scale;
    return;
  }
  const pixelStride = plan.order === 'HWC' ? channels : 1;
  const channelStride = plan.order === 'HWC' ? 1 : pixels;
  for (let p = 0; p < pixels; p++) {
    const base = srcOffset + p * srcChannels;
    const target = outOffset + p * pixelStride;
    if (channels === 1) {
      const r = src[base], g = src[base + 1], b = src[base + 2];
      out[target] = (r === g && g === b ? r : 0.299 * r + 0.587 * g + 0.114 * b) * scale;
    } else {
      for (let c = 0; c < channels; c++) out[target + c * channelStride] = src[srcChannels === 1 ? base : base + c] * scale;
    }
  }
}
