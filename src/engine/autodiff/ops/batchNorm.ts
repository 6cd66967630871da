/**
 * BatchNormalization. Evaluation mode keeps the fused node and has its own gradient (running statistics
 * are constants of the forward pass but still differentiable). Training mode is lowered to primitives with
 * batch statistics, and emits the updated running statistics exactly as PyTorch computes them:
 * running = momentum·running + (1 − momentum)·batch, with the unbiased batch variance for running_var.
 */
import { Attrs, nodeError } from '../../graph/attrs';
import type { Node } from '../../graph/ir';
import { numel } from '../../graph/ir';
import type { GraphBuilder } from '../builder';
import { attr, sameAs, type OpDef } from '../opdef';
import { standardize } from './standardize';

function channelShape(b: GraphBuilder, node: Node): number[] {
  const x = b.shape(node.inputs[0]);
  return x.map((d, i) => (i === 1 ? d : 1));
}

export const BatchNormalization: OpDef = {
  type: 'BatchNormalization',
  attributes: ['epsilon', 'momentum', 'training_mode'],
  arity: [5, 5],
  infer(node, b) {
    const a = new Attrs(node, b.file);
    a.only('training_mode', a.int('training_mode', 0), [0], 'Lethe chooses the mode per job');
    if (node.outputs.slice(1).some(Boolean)) throw nodeError(b, node, 'running-statistics outputs are only defined in training mode');
    const x = b.meta(node.inputs[0]);
    if (x.shape.length < 2) throw nodeError(b, node, `input must be [N, C, …], got [${x.shape.join(', ')}]`);
    const c = x.shape[1];
    for (let i = 1; i <= 4; i++) {
      const s = b.shape(node.inputs[i]);
      if (s.length !== 1 || s[0] !== c) throw nodeError(b, node, `input ${i} must have shape [${c}], got [${s.join(', ')}]`);
    }
    return [sameAs(x)];
  },
  lower(node, b, ctx) {
    if (!ctx.train) return false;
    const a = new Attrs(node, b.file);
    const [x, scale, bias, runningMean, runningVar] = node.inputs;
    const shape = b.shape(x);
    const axes = shape.map((_, i) => i).filter((i) => i !== 1);
    const perChannel = b.ints(channelShape(b, node));
    const st = standardize(b, x, axes, a.float('epsilon', 1e-5));
    const gain = b.op1('Mul', [st.invStd, b.op1('Reshape', [scale, perChannel])]);
    b.emit('Add', [b.op1('Mul', [st.centered, gain]), b.op1('Reshape', [bias, perChannel])], [node.outputs[0]]);

    const momentum = a.float('momentum', 0.9);
    const count = numel(shape) / shape[1];
    const flat = (v: string): string => b.op1('Reshape', [v, b.ints([shape[1]])]);
    const update = (state: string, batch: string, factor: number): void => {
      const kept = b.op1('Mul', [ctx.stateInput(state), b.scalar(momentum)]);
      ctx.stateOutput(state, b.op1('Add', [kept, b.op1('Mul', [flat(batch), b.scalar(factor)])]));
    };
    update(runningMean, st.mean, 1 - momentum);
    update(runningVar, st.variance, ((1 - momentum) * count) / Math.max(count - 1, 1));
    return true;
  },
  grad(node, b, ctx) {
    const a = new Attrs(node, b.file);
    const [x, scale, , mean, variance] = node.inputs;
    const dy = ctx.dy[0]!;
    const perChannel = b.ints(channelShape(b, node));
    const axes = b.ints(b.shape(x).map((_, i) => i).filter((i) => i !== 1));
    const sum = (v: string): string => b.op1('ReduceSum', [v, axes], { keepdims: attr.int(0) });
    const invStd = b.op1('Reciprocal', [b.op1('Sqrt', [b.op1('Add', [variance, b.scalar(a.float('epsilon', 1e-5))])])]);
    const gain = b.op1('Mul', [scale, invStd]);
    const dx = ctx.needs(0) ? b.op1('Mul', [dy, b.op1('Reshape', [gain, perChannel])]) : undefined;
    const needStats = ctx.needs(1) || ctx.needs(3) || ctx.needs(4);
    const sumDy = ctx.needs(2) || needStats ? sum(dy) : undefined;
    // Σ dy·(x − mean) = Σ dy·x − mean·Σ dy: one full-size product instead of two.
    const sumDyCentered = needStats ? b.op1('Sub', [sum(b.op1('Mul', [dy, x])), b.op1('Mul', [mean, sumDy!])]) : undefined;
    const dScale = ctx.needs(1) ? b.op1('Mul', [sumDyCentered!, invStd]) : undefined;
    const dMean = ctx.needs(3) ? b.op1('Neg', [b.op1('Mul', [sumDy!, gain])]) : undefined;
    const dVar = ctx.needs(4)
      ? b.op1('Mul', [b.op1('Mul', [sumDyCentered!, gain]), b.op1('Mul', [b.op1('Mul', [invStd, invStd]), b.scalar(-0.5)])])
      : undefined;
    return [dx, dScale, sumDy, dMean, dVar];
  },
};
