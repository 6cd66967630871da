/** Which parameters attribution differentiates: all trainable ones (TRAK's choice), or only the output layer (cheap). */
import type { Model } from '../graph/ir';
import { trainableParameters } from '../train/params';
import { LetheError } from '../util/errors';

export type GradientParams = 'all' | 'last-layer';

/** The trainable parameters of the last node (in graph order) that reads any: the classifier head. */
export function lastLayerParameters(model: Model): string[] {
  const trainable = new Set(trainableParameters(model));
  for (let i = model.graph.nodes.length - 1; i >= 0; i--) {
    const used = model.graph.nodes[i].inputs.filter((name) => trainable.has(name));
    if (used.length > 0) return [...new Set(used)];
  }
  throw new LetheError('the model has no trainable parameters to attribute through', model.file, 'attribution');
}

export function gradientParameters(model: Model, which: GradientParams): string[] {
  if (which === 'all') return trainableParameters(model);
  if (which === 'last-layer') return lastLayerParameters(model);
  throw new LetheError(`gradient parameters "${String(which)}" must be all or last-layer`, model.file, 'attribution');
}
