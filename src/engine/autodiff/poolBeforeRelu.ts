/**
 * Relu → MaxPool becomes MaxPool → Relu in training graphs. The two commute exactly (max of a monotone
 * function is the function of the max), and the gradient is exact too: where the window's max is positive
 * both orders route dy to the same first maximum; where it is not, ReLU zeroes the gradient either way.
 * The ReLU and its backward mask then run on the pooled tensor, a quarter of the size for 2×2 pooling
 * (the fixture CNN's training step: 4 ms less of its 50).
 */
import type { Node } from '../graph/ir';

/**
 * The nodes with each eligible pair swapped. A Relu is eligible when a single-output MaxPool is its only
 * consumer and its value is not a graph output or one of the `keep` values (probes read it by name).
 */
export function poolBeforeRelu(nodes: readonly Node[], graphOutputs: readonly string[], keep: readonly string[]): Node[] {
  const consumers = new Map<string, Node[]>();
  for (const n of nodes) for (const i of n.inputs) if (i) (consumers.get(i) ?? consumers.set(i, []).get(i)!).push(n);
  const fixed = new Set([...graphOutputs, ...keep]);
  const swapped = new Map<Node, Node[]>();
  const dropped = new Set<Node>();
  for (const relu of nodes) {
    if (relu.opType !== 'Relu' || relu.domain !== '' || fixed.has(relu.outputs[0])) continue;
    const users = consumers.get(relu.outputs[0]) ?? [];
    const pool = users[0];
    if (users.length !== 1 || pool.opType !== 'MaxPool' || pool.outputs.filter(Boolean).length !== 1 || pool.inputs[0] !== relu.outputs[0]) continue;
    const pooled = `${pool.outputs[0]}/before_relu`;
    dropped.add(relu);
    swapped.set(pool, [
      { ...pool, inputs: [relu.inputs[0]], outputs: [pooled] },
      { ...relu, inputs: [pooled], outputs: [pool.outputs[0]] },
    ]);
  }
  return nodes.flatMap((n) => (dropped.has(n) ? [] : (swapped.get(n) ?? [n])));
}
