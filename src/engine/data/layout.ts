/**
 * Where the model's input shape, the descriptor's preprocessing and the data's own shape meet: decides the shape
 * of one example (and, for images, channel count, size and channel order), or explains why they do not fit.
 */
import { LetheError } from '../util/errors';

/** Layouts a descriptor can name: NCHW/NHWC choose the channel order; flat flattens when the model does not say. */
export const LAYOUTS = ['NCHW', 'NHWC', 'flat'] as const;
export type Layout = (typeof LAYOUTS)[number];
export type ChannelOrder = 'CHW' | 'HWC';

export interface ImageSize {
  channels: number;
  height: number;
  width: number;
}

export interface ImagePlan extends ImageSize {
  order: ChannelOrder;
  exampleShape: number[];
  /** Images of another size are resized (only when the descriptor asks, via preprocessing.size). */
  resize: boolean;
}

export interface ImagePlanOptions {
  /** The model input with its batch axis first, e.g. ['batch', 1, 28, 28]; strings are symbolic dims. */
  inputShape?: (number | string)[];
  layout?: Layout;
  channels?: 'grayscale' | 'rgb';
  /** [height, width] to resize to. */
  size?: [number, number];
}

/** The model input without its batch axis; symbolic (or non-positive) dims become undefined. */
function modelExampleDims(inputShape: (number | string)[] | undefined): (number | undefined)[] | undefined {
  if (!inputShape || inputShape.length < 2) return undefined;
  return inputShape.slice(1).map((d) => (typeof d === 'number' && Number.isInteger(d) && d > 0 ? d : undefined));
}

function describeShape(dims: readonly (number | string | undefined)[]): string {
  return `[${dims.map((d) => d ?? '?').join(', ')}]`;
}

interface ModelImageDims {
  rank: 1 | 2 | 3;
  order: ChannelOrder;
  channels?: number;
  height?: number;
  width?: number;
  features?: number;
}

function isChannelCount(d: number | undefined): boolean {
  return d === 1 || d === 3;
}

/** Reads channels/height/width off the model input; the descriptor's layout settles which axis holds channels. */
function modelImageDims(dims: (number | undefined)[], layout: Layout | undefined, file: string): ModelImageDims {
  if (dims.length === 1) return { rank: 1, order: layout === 'NHWC' ? 'HWC' : 'CHW', features: dims[0] };
  if (dims.length === 2) return { rank: 2, order: 'CHW', channels: 1, height: dims[0], width: dims[1] };
  if (dims.length === 3) {
    let order: ChannelOrder;
    if (layout === 'NCHW' || layout === 'NHWC') order = layout === 'NCHW' ? 'CHW' : 'HWC';
    else if (isChannelCount(dims[0]) || (dims[0] === undefined && !isChannelCount(dims[2]))) order = 'CHW';
    else if (isChannelCount(dims[2])) order = 'HWC';
    else throw new LetheError(`cannot tell which axis of the model input ${describeShape(dims)} holds channels; set preprocessing.layout`, file);
    if (layout === 'flat') throw new LetheError(`preprocessing.layout is flat but the model input ${describeShape(dims)} is an image`, file);
    return order === 'CHW'
      ? { rank: 3, order, channels: dims[0], height: dims[1], width: dims[2] }
      : { rank: 3, order, channels: dims[2], height: dims[0], width: dims[1] };
  }
  throw new LetheError(`model input ${describeShape(dims)} has ${dims.length} axes besides the batch; images need 1 to 3`, file);
}

/** Plans how images of `native` size become examples; `file` is named in errors. */
export function planImages(native: ImageSize, opts: ImagePlanOptions, file: string): ImagePlan {
  const dims = modelExampleDims(opts.inputShape);
  const model: ModelImageDims = dims ? modelImageDims(dims, opts.layout, file) : { rank: 3, order: opts.layout === 'NHWC' ? 'HWC' : 'CHW' };
  const wanted = opts.channels === 'grayscale' ? 1 : opts.channels === 'rgb' ? 3 : undefined;
  if (wanted !== undefined && model.channels !== undefined && wanted !== model.channels) {
    throw new LetheError(`preprocessing.channels is ${opts.channels} but the model input ${describeShape(dims!)} takes ${model.channels} channel(s)`, file);
  }
  const channels = wanted ?? model.channels ?? native.channels;
  if (channels !== 1 && channels !== 3) throw new LetheError(`images with ${channels} channels are not supported (use 1 or 3)`, file);
  const height = opts.size?.[0] ?? model.height ?? native.height;
  const width = opts.size?.[1] ?? model.width ?? native.width;
  if ((model.height !== undefined && model.height !== height) || (model.width !== undefined && model.width !== width)) {
    throw new LetheError(`preprocessing.size is ${height}×${width} but the model input ${describeShape(dims!)} takes ${model.height}×${model.width}`, file);
  }
  const resize = opts.size !== undefined;
  if (!resize && (height !== native.height || width !== native.width)) {
    throw new LetheError(`the model takes ${height}×${width} images but the data has ${native.height}×${native.width}; set preprocessing.size to resize`, file);
  }
  const features = channels * height * width;
  let exampleShape: number[];
  if (model.rank === 1 || (!dims && opts.layout === 'flat')) {
    if (model.features !== undefined && model.features !== features) {
      throw new LetheError(`the model input ${describeShape(dims!)} takes ${model.features} values but an image has ${channels}×${height}×${width} = ${features}`, file);
    }
    exampleShape = [features];
  } else if (model.rank === 2) {
    if (channels !== 1) throw new LetheError(`the model input ${describeShape(dims!)} has no channel axis but ${channels} channels were asked for`, file);
    exampleShape = [height, width];
  } else {
    exampleShape = model.order === 'CHW' ? [channels, height, width] : [height, width, channels];
  }
  return { channels, height, width, order: model.order, exampleShape, resize };
}

export interface FittedShape {
  exampleShape: number[];
  /** The data is HWC and the model CHW (or the reverse): examples must be transposed, not just reshaped. */
  transpose?: 'HWC->CHW' | 'CHW->HWC';
}

/**
 * Fits non-image data of shape `native` per example to the model input: same shape (symbolic dims match anything),
 * a channels-first/last swap of the same image, or a reshape with the same number of values.
 */
export function fitExampleShape(native: number[], inputShape: (number | string)[] | undefined, file: string): FittedShape {
  const dims = modelExampleDims(inputShape);
  if (!dims) return { exampleShape: native };
  const matches = (shape: number[]) => shape.length === dims.length && shape.every((d, i) => dims[i] === undefined || dims[i] === d);
  if (matches(native)) return { exampleShape: native };
  if (native.length === 3 && dims.length === 3) {
    const [a, b, c] = native;
    if (matches([c, a, b]) && isChannelCount(c)) return { exampleShape: [c, a, b], transpose: 'HWC->CHW' };
    if (matches([b, c, a]) && isChannelCount(a)) return { exampleShape: [b, c, a], transpose: 'CHW->HWC' };
  }
  const count = native.reduce((p, d) => p * d, 1);
  if (dims.every((d) => d !== undefined) && (dims as number[]).reduce((p, d) => p * d, 1) === count) return { exampleShape: dims as number[] };
  throw new LetheError(`examples of shape ${describeShape(native)} (${count} values) do not fit the model input ${describeShape(dims)}`, file);
}

/** The channel axis of an example shape, when it looks like an image ([C,H,W] or [H,W,C] with C = 1 or 3). */
export function guessChannelOrder(shape: number[]): ChannelOrder | undefined {
  if (shape.length !== 3) return undefined;
  if (isChannelCount(shape[0])) return 'CHW';
  if (isChannelCount(shape[2])) return 'HWC';
  return undefined;
}
