/**
 * Optimisers that hold the parameters they train: created from initial values, they keep the live values
 * (and a buffer per parameter for its gradient) in the kernels' memory, updated in place between steps.
 *
 * The update formulas are PyTorch's `torch.optim` ones (default flags: no amsgrad, no maximize,
 * dampening 0), so a recipe tuned in PyTorch behaves the same here. The per-element arithmetic runs in
 * the float32 SIMD kernels of kernels/optim.wat, operation by operation as PyTorch's float32 kernels do
 * it (PyTorch may fuse a multiply-add where WebAssembly rounds twice, so the two agree to float32
 * rounding, not bit for bit). This file holds what is per tensor: hyper-parameters, step counts, bias
 * corrections and masks.
 *
 * Masks truly freeze: an entry whose mask is 0 keeps its exact bits and its optimiser state stays at
 * zero, whatever its gradient, momentum or weight decay would say. The kernels update every entry (a
 * per-entry mask test would slow every update down), and frozen entries are put back afterwards from a
 * copy taken just before, with their state reset to zero: the result is the same as never touching them.
 */
import { LetheError } from '../util/errors';
import { OptimKernels, type Slot } from './kernels/optimKernels';

export interface SgdSpec {
  kind: 'sgd';
  /** Momentum factor μ (0 = plain SGD). */
  momentum?: number;
  /** Nesterov momentum (needs momentum > 0, as in PyTorch). */
  nesterov?: boolean;
  /** L2 penalty λ added to the gradient (coupled, as torch.optim.SGD's weight_decay). */
  weightDecay?: number;
}

export interface AdamSpec {
  /** 'adam': L2 added to the gradient (torch.optim.Adam); 'adamw': decoupled decay (torch.optim.AdamW). */
  kind: 'adam' | 'adamw';
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** λ; PyTorch's defaults are 0 for Adam and 0.01 for AdamW. */
  weightDecay?: number;
}

export type OptimizerSpec = SgdSpec | AdamSpec;

/** Per-parameter state, shaped like PyTorch's `optimizer.state[p]`. */
export interface ParamState {
  /** Number of updates this parameter has received (PyTorch's state['step']). */
  step: number;
  /** SGD: momentum buffer; Adam/AdamW: first moment (exp_avg). Absent for plain SGD. */
  firstMoment?: Float32Array;
  /** Adam/AdamW: second moment (exp_avg_sq). */
  secondMoment?: Float32Array;
}

export interface Optimizer {
  /** The live parameter values, initialised from those given at creation and updated in place by `step`. */
  readonly params: ReadonlyMap<string, Float32Array>;
  /** Per parameter, where to write its gradient: a step given these very arrays copies nothing. */
  readonly gradientBuffers: ReadonlyMap<string, Float32Array>;
  /** One update of every parameter that has a gradient; parameters without one are left alone (as PyTorch skips p.grad None). */
  step(grads: ReadonlyMap<string, Float32Array>, lr: number): void;
  /** A copy of the optimiser state, keyed by parameter name. */
  state(): Map<string, ParamState>;
}

export type Mask = Uint8Array | Float32Array;

const WHERE = 'optimizer';

/** An optimiser over copies of `initial` (the given arrays are not modified). */
export function createOptimizer(
  spec: OptimizerSpec,
  initial: ReadonlyMap<string, Float32Array>,
  masks?: ReadonlyMap<string, Mask>,
): Optimizer {
  const frozen = frozenEntries(initial, masks);
  return spec.kind === 'sgd' ? createSgd(spec, initial, frozen) : createAdam(spec, initial, frozen);
}

/** One parameter's arrays in kernel memory: its live value, its gradient buffer and its state buffers. */
interface KernelTensors {
  p: Slot;
  g: Slot;
  moments: Slot[];
}

/** Kernel memory for every parameter with `moments` state buffers each, values copied from `initial`. */
function kernelTensors(initial: ReadonlyMap<string, Float32Array>, moments: number): { kernels: OptimKernels; tensors: Map<string, KernelTensors> } {
  const names = [...initial.keys()];
  const per = 2 + moments;
  const kernels = new OptimKernels(names.flatMap((n) => new Array<number>(per).fill(initial.get(n)!.length)));
  const tensors = new Map(names.map((name, i): [string, KernelTensors] => {
    const [p, g, ...m] = kernels.slots.slice(i * per, (i + 1) * per);
    p.view.set(initial.get(name)!);
    return [name, { p, g, moments: m }];
  }));
  return { kernels, tensors };
}

/** The optimiser around one kernel update: validation, masks, step counts and gradient copies are shared. */
function optimizer(
  tensors: Map<string, KernelTensors>,
  states: Map<string, ParamState>,
  frozen: Map<string, Frozen>,
  update: (t: KernelTensors, state: ParamState, lr: number) => void,
): Optimizer {
  const params = new Map([...tensors].map(([name, t]) => [name, t.p.view]));
  return {
    params,
    gradientBuffers: new Map([...tensors].map(([name, t]) => [name, t.g.view])),
    step(grads, lr) {
      for (const [name, p, g] of gradientsToApply(params, grads, lr)) {
        const t = tensors.get(name)!;
        if (g !== t.g.view) t.g.view.set(g);
        const s = states.get(name)!;
        updateHolding(p, frozen.get(name), s, () => update(t, s, lr));
      }
    },
    state: () => copyStates(states),
  };
}

/** The entries a mask freezes, and room to hold their values across one update. */
interface Frozen {
  indices: Int32Array;
  values: Float32Array;
}

/**
 * Frozen entries per parameter (parameters with nothing frozen are left out). Any mask value other than
 * 0 or 1 is rejected: a fractional mask would be a gradient scale, which is a different thing from freezing.
 */
function frozenEntries(params: ReadonlyMap<string, Float32Array>, masks: ReadonlyMap<string, Mask> | undefined): Map<string, Frozen> {
  const out = new Map<string, Frozen>();
  if (!masks) return out;
  for (const [name, mask] of masks) {
    const p = params.get(name);
    if (!p) throw new LetheError(`mask given for "${name}", which is not a parameter being optimised`, undefined, WHERE);
    if (mask.length !== p.length) {
      throw new LetheError(`mask for "${name}" has ${mask.length} entries but the parameter has ${p.length}`, undefined, WHERE);
    }
    const indices: number[] = [];
    for (let i = 0; i < mask.length; i++) {
      const m = mask[i];
      if (m !== 0 && m !== 1) throw new LetheError(`mask for "${name}" has value ${m} at index ${i}; masks must be 0 (frozen) or 1 (trainable)`, undefined, WHERE);
      if (m === 0) indices.push(i);
    }
    if (indices.length > 0) out.set(name, { indices: Int32Array.from(indices), values: new Float32Array(indices.length) });
  }
  return out;
}

function holdFrozen(p: Float32Array, frozen: Frozen): void {
  const { indices, values } = frozen;
  for (let j = 0; j < indices.length; j++) values[j] = p[indices[j]];
}

/** Puts frozen entries back as they were and clears their optimiser state. */
function restoreFrozen(p: Float32Array, frozen: Frozen, state: ParamState): void {
  const { indices, values } = frozen;
  for (let j = 0; j < indices.length; j++) p[indices[j]] = values[j];
  if (state.firstMoment) zeroAt(state.firstMoment, indices);
  if (state.secondMoment) zeroAt(state.secondMoment, indices);
}

function zeroAt(a: Float32Array, indices: Int32Array): void {
  for (let j = 0; j < indices.length; j++) a[indices[j]] = 0;
}

/** Runs one parameter's update with its frozen entries (if any) held fixed. */
function updateHolding(p: Float32Array, frozen: Frozen | undefined, state: ParamState, update: () => void): void {
  if (frozen) holdFrozen(p, frozen);
  update();
  if (frozen) restoreFrozen(p, frozen, state);
}

function checkHyper(name: string, value: number, min: number, maxExclusive: number): number {
  if (!Number.isFinite(value) || value < min || value >= maxExclusive) {
    throw new LetheError(`${name} = ${value} is outside [${min}, ${maxExclusive})`, undefined, WHERE);
  }
  return value;
}

/** Validates one step's inputs and yields the (name, param, grad) triples to update. */
function* gradientsToApply(
  params: ReadonlyMap<string, Float32Array>,
  grads: ReadonlyMap<string, Float32Array>,
  lr: number,
): Generator<[string, Float32Array, Float32Array]> {
  if (!Number.isFinite(lr) || lr < 0) throw new LetheError(`learning rate ${lr} is not a finite number ≥ 0`, undefined, WHERE);
  for (const name of grads.keys()) {
    if (!params.has(name)) throw new LetheError(`gradient given for "${name}", which is not a parameter being optimised`, undefined, WHERE);
  }
  for (const [name, p] of params) {
    const g = grads.get(name);
    if (!g) continue;
    if (g.length !== p.length) throw new LetheError(`gradient for "${name}" has ${g.length} entries but the parameter has ${p.length}`, undefined, WHERE);
    yield [name, p, g];
  }
}

// ---------------------------------------------------------------------------------------------- SGD

/** torch.optim.SGD (dampening 0); the formulas are at the kernels in kernels/optim.wat. */
function createSgd(spec: SgdSpec, initial: ReadonlyMap<string, Float32Array>, frozen: Map<string, Frozen>): Optimizer {
  const momentum = checkHyper('momentum', spec.momentum ?? 0, 0, 1);
  const weightDecay = checkHyper('weightDecay', spec.weightDecay ?? 0, 0, Infinity);
  const nesterov = spec.nesterov ?? false;
  if (nesterov && momentum === 0) throw new LetheError('Nesterov momentum needs momentum > 0', undefined, WHERE);
  const { kernels, tensors } = kernelTensors(initial, momentum === 0 ? 0 : 1);
  const states = new Map([...tensors].map(([name, t]): [string, ParamState] => [name, momentum === 0 ? { step: 0 } : { step: 0, firstMoment: t.moments[0].view }]));
  return optimizer(tensors, states, frozen, ({ p, g, moments: [b] }, s, lr) => {
    if (b) kernels.run.sgdMomentum(p.ptr, g.ptr, b.ptr, p.bytes, lr, momentum, weightDecay, nesterov ? 1 : 0);
    else kernels.run.sgd(p.ptr, g.ptr, p.bytes, lr, weightDecay);
    s.step++;
  });
}

// --------------------------------------------------------------------------------------- Adam, AdamW

/**
 * torch.optim.Adam / AdamW, t = this parameter's step count after incrementing; the per-element formulas
 * are at the kernel in kernels/optim.wat, with stepSize = lr / (1 − β₁ᵗ) and bias2Sqrt = √(1 − β₂ᵗ).
 */
function createAdam(spec: AdamSpec, initial: ReadonlyMap<string, Float32Array>, frozen: Map<string, Frozen>): Optimizer {
  const beta1 = checkHyper('beta1', spec.beta1 ?? 0.9, 0, 1);
  const beta2 = checkHyper('beta2', spec.beta2 ?? 0.999, 0, 1);
  const eps = checkHyper('eps', spec.eps ?? 1e-8, 0, Infinity);
  const weightDecay = checkHyper('weightDecay', spec.weightDecay ?? (spec.kind === 'adamw' ? 0.01 : 0), 0, Infinity);
  const decoupled = spec.kind === 'adamw';
  const { kernels, tensors } = kernelTensors(initial, 2);
  const states = new Map([...tensors].map(([name, t]): [string, ParamState] => [name, { step: 0, firstMoment: t.moments[0].view, secondMoment: t.moments[1].view }]));
  return optimizer(tensors, states, frozen, ({ p, g, moments: [m, v] }, s, lr) => {
    s.step++;
    const stepSize = lr / (1 - Math.pow(beta1, s.step));
    const bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, s.step));
    kernels.run.adam(p.ptr, g.ptr, m.ptr, v.ptr, p.bytes, decoupled ? 0 : weightDecay, decoupled ? 1 - lr * weightDecay : 1,
      beta1, 1 - beta1, beta2, 1 - beta2, stepSize, bias2Sqrt, eps);
  });
}

function copyStates(states: Map<string, ParamState>): Map<string, ParamState> {
  const out = new Map<string, ParamState>();
  for (const [name, s] of states) {
    out.set(name, {
      step: s.step,
      ...(s.firstMoment ? { firstMoment: s.firstMoment.slice() } : {}),
      ...(s.secondMoment ? { secondMoment: s.secondMoment.slice() } : {}),
    });
  }
  return out;
}
