/** Model validation: every op, attribute value and static shape checked by building the forward pass. */
import type { Model } from '../graph/ir';
import { GraphBuilder } from './builder';
import { addForward } from './trainingGraph';

/** Throws a LetheError naming the file, node, op (and attribute) of the first thing Lethe cannot train. */
export function validateModel(model: Model): void {
  addForward(new GraphBuilder(model.file), model, 1, new Set());
}
