/** PNG and JPEG decoding to RGBA bytes, with the image size checked before the decoder allocates pixels. */
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { LetheError } from '../util/errors';

/** Largest image accepted, in pixels (about 40 megapixels: 160 MB of RGBA). */
const MAX_IMAGE_PIXELS = 40_000_000;

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes. */
  rgba: Uint8Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function decodeImage(bytes: Uint8Array, file: string): RgbaImage {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return decodePng(bytes, file);
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return decodeJpeg(bytes, file);
  throw new LetheError('not a PNG or JPEG image', file);
}

function decodePng(bytes: Uint8Array, file: string): RgbaImage {
  // The IHDR chunk comes first: width and height at bytes 16..24.
  if (bytes.length < 33) throw new LetheError('truncated PNG (no IHDR chunk)', file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  checkSize(view.getUint32(16), view.getUint32(20), file);
  try {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, rgba: png.data };
  } catch (e) {
    throw new LetheError('corrupt or truncated PNG', file); // the decoder's message may quote bytes
  }
}

function decodeJpeg(bytes: Uint8Array, file: string): RgbaImage {
  try {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
    checkSize(img.width, img.height, file);
    return { width: img.width, height: img.height, rgba: img.data };
  } catch (e) {
    if (e instanceof LetheError) throw e;
    throw new LetheError('corrupt or truncated JPEG', file); // the decoder's message may quote bytes
  }
}

function checkSize(width: number, height: number, file: string): void {
  if (width === 0 || height === 0 || width * height > MAX_IMAGE_PIXELS) {
    throw new LetheError(`image size ${width}×${height} is outside 1 to ${MAX_IMAGE_PIXELS} pixels`, file);
  }
}
