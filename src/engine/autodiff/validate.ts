/** Model validation: every op, attribute value and static shape checked by building the forward pass. */
import type { Model } from '../graph/ir';
import { LetheError } from '../util/errors';
import { GraphBuilder } from './builder';
import { addForward } from './trainingGraph';

/**
 * onnxruntime's session setup grows about quadratically with graph length (measured: 1k/2k/4k nodes →
 * 1.3/5.8/24 s), so a small hostile file could stall a job for hours. Classifiers Lethe targets (up to
 * ResNet-18/50 size) have a few hundred nodes; their training graphs a few times more.
 */
export const MAX_FORWARD_NODES = 3000;

/** Throws a LetheError naming the file, node, op (and attribute) of the first thing Lethe cannot train. */
export function validateModel(model: Model): void {
  const n = model.graph.nodes.length;
  if (n > MAX_FORWARD_NODES) {
    throw new LetheError(`the graph has ${n} nodes, more than the ${MAX_FORWARD_NODES} Lethe accepts (its training graph would take too long to prepare)`, model.file);
  }
  addForward(new GraphBuilder(model.file), model, 1, new Set());
}
