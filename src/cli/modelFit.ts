/**
 * Whether a model fits what the CLI's model-and-data commands give it, checked before onnxruntime runs it: its error
 * for an int64 input or a negative size is a native stack, and a model with K outputs scored on M-class data (`eval`)
 * reads only min(K, M) columns and reports an accuracy that means nothing.
 */
import type { Dataset } from '../engine/data/types';
import { DataType, type Model } from '../engine/graph/ir';
import type { Predictor } from '../engine/runtime/predict';
import { LetheError } from '../engine/util/errors';

const TYPE_NAMES = new Map<number, string>(Object.entries(DataType).map(([name, code]) => [code, name.toLowerCase()]));

/** One float32 data input whose sizes (apart from the batch axis) are positive. */
export function requireFloatInput(model: Model, file: string): void {
  const x = model.graph.inputs[0];
  if (!x) throw new LetheError('the model has no data input', file);
  if (x.elemType !== DataType.FLOAT) {
    const type = TYPE_NAMES.get(x.elemType) ?? `ONNX type ${x.elemType}`;
    throw new LetheError(`input "${x.name}" takes ${type} values; Lethe feeds examples as float32, so it cannot evaluate this model`, file);
  }
  const bad = (x.shape ?? []).slice(1).find((d) => typeof d === 'number' && d <= 0);
  if (bad !== undefined) throw new LetheError(`input "${x.name}" has a size of ${bad}; every size apart from the batch axis must be positive`, file);
}

/** The model's output width on one example must be the dataset's class count. */
export async function requireClassCount(predictor: Predictor, ds: Dataset, classCount: number, modelFile: string, dataFile: string): Promise<void> {
  const width = ds.x.length / ds.n;
  const k = (await predictor.logits(ds.x.subarray(0, width), 1)).length;
  if (k !== classCount) throw new LetheError(`the model outputs ${k} class scores but the dataset ${dataFile} has ${classCount} classes`, modelFile);
}
