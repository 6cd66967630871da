/** Every op that gradients flow through has at least one gradient-check case (opCases.ts, run by ops.test.ts). */
import { describe, expect, it } from 'vitest';
import { differentiableOps } from '../../../src/engine/autodiff/registry';
import { OP_CASES } from './opCases';

describe('gradient-check coverage', () => {
  it('has a case for every registered op with a gradient rule or a lowering', () => {
    const covered = new Set(Object.values(OP_CASES).map((c) => c.op));
    expect(differentiableOps.filter((op) => !covered.has(op)), 'ops with a gradient but no case in opCases.ts').toEqual([]);
  });

  it('covers the ops the fixture models differentiate through', () => {
    // Guards the enumeration itself: an empty or wrongly filtered list would pass the check above.
    expect(differentiableOps).toEqual(expect.arrayContaining(['Conv', 'Gemm', 'MaxPool', 'Relu', 'BatchNormalization', 'Dropout', 'LayerNormalization']));
  });
});
