/**
 * Optimisers over Float32Array parameters, updated in place between training steps.
 *
 * The update formulas are PyTorch's `torch.optim` ones (default flags: no amsgrad, no maximize,
 * dampening 0), so a recipe tuned in PyTorch behaves the same here. Arithmetic is done in float64
 * per element and rounded to float32 when stored, which agrees with PyTorch's float32 kernels to
 * within float32 rounding.
 *
 * Masks truly freeze: an entry whose mask is 0 keeps its exact bits and its optimiser state stays at
 * zero, whatever its gradient, momentum or weight decay would say.
 *
 * Each per-tensor update is a small standalone, branch-free function over plain typed arrays: inlined into
 * a bigger function, V8 left the loop unoptimised (40 ms instead of 1.3 ms per step, see
 * design/architecture.md), and a per-entry mask test inside the loop halved its speed. So the loops update
 * every entry, and frozen entries are put back afterwards from a copy taken just before (exact bits), with
 * their state reset to zero: the result is the same as never touching them.
 */
import { LetheError } from '../util/errors';

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
  /** One update of every parameter that has a gradient; parameters without one are left alone (as PyTorch skips p.grad None). */
  step(grads: ReadonlyMap<string, Float32Array>, lr: number): void;
  /** A copy of the optimiser state, keyed by parameter name. */
  state(): Map<string, ParamState>;
}

export type Mask = Uint8Array | Float32Array;

const WHERE = 'optimizer';

export function createOptimizer(
  spec: OptimizerSpec,
  params: ReadonlyMap<string, Float32Array>,
  masks?: ReadonlyMap<string, Mask>,
): Optimizer {
  const frozen = frozenEntries(params, masks);
  return spec.kind === 'sgd' ? createSgd(spec, params, frozen) : createAdam(spec, params, frozen);
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

/**
 * torch.optim.SGD (dampening 0), for each entry:
 *   g ← ∇ + λ·θ
 *   if μ ≠ 0:  b ← g on the first step, else b ← μ·b + g
 *              g ← g + μ·b (Nesterov)  or  g ← b
 *   θ ← θ − lr·g
 * The buffer starts at zero, so μ·0 + g gives PyTorch's first-step b = g exactly, without a branch.
 */
function createSgd(spec: SgdSpec, params: ReadonlyMap<string, Float32Array>, frozen: Map<string, Frozen>): Optimizer {
  const momentum = checkHyper('momentum', spec.momentum ?? 0, 0, 1);
  const weightDecay = checkHyper('weightDecay', spec.weightDecay ?? 0, 0, Infinity);
  const nesterov = spec.nesterov ?? false;
  if (nesterov && momentum === 0) throw new LetheError('Nesterov momentum needs momentum > 0', undefined, WHERE);
  const states = new Map<string, ParamState>();
  for (const [name, p] of params) states.set(name, momentum === 0 ? { step: 0 } : { step: 0, firstMoment: new Float32Array(p.length) });

  return {
    step(grads, lr) {
      for (const [name, p, g] of gradientsToApply(params, grads, lr)) {
        const s = states.get(name)!;
        updateHolding(p, frozen.get(name), s, () => {
          if (s.firstMoment) sgdMomentumUpdate(p, g, s.firstMoment, lr, momentum, weightDecay, nesterov);
          else sgdPlainUpdate(p, g, lr, weightDecay);
        });
        s.step++;
      }
    },
    state: () => copyStates(states),
  };
}

function sgdPlainUpdate(p: Float32Array, g: Float32Array, lr: number, wd: number): void {
  for (let i = 0; i < p.length; i++) p[i] = p[i] - lr * (g[i] + wd * p[i]);
}

function sgdMomentumUpdate(p: Float32Array, g: Float32Array, buf: Float32Array, lr: number, momentum: number, wd: number, nesterov: boolean): void {
  // update = a·g + c·b: (1, μ) for Nesterov, (0, 1) for heavy ball; both exact in floating point.
  const a = nesterov ? 1 : 0;
  const c = nesterov ? momentum : 1;
  for (let i = 0; i < p.length; i++) {
    const d = g[i] + wd * p[i];
    // PyTorch keeps the buffer in float32 and uses the rounded value.
    const b = Math.fround(momentum * buf[i] + d);
    buf[i] = b;
    p[i] = p[i] - lr * (a * d + c * b);
  }
}

// --------------------------------------------------------------------------------------- Adam, AdamW

/**
 * torch.optim.Adam / AdamW, t = this parameter's step count after incrementing:
 *   AdamW: θ ← θ·(1 − lr·λ)            Adam: g ← ∇ + λ·θ
 *   m ← β₁·m + (1 − β₁)·g
 *   v ← β₂·v + (1 − β₂)·g²
 *   θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 */
function createAdam(spec: AdamSpec, params: ReadonlyMap<string, Float32Array>, frozen: Map<string, Frozen>): Optimizer {
  const beta1 = checkHyper('beta1', spec.beta1 ?? 0.9, 0, 1);
  const beta2 = checkHyper('beta2', spec.beta2 ?? 0.999, 0, 1);
  const eps = checkHyper('eps', spec.eps ?? 1e-8, 0, Infinity);
  const weightDecay = checkHyper('weightDecay', spec.weightDecay ?? (spec.kind === 'adamw' ? 0.01 : 0), 0, Infinity);
  const decoupled = spec.kind === 'adamw';
  const states = new Map<string, ParamState>();
  for (const [name, p] of params) {
    states.set(name, { step: 0, firstMoment: new Float32Array(p.length), secondMoment: new Float32Array(p.length) });
  }

  return {
    step(grads, lr) {
      for (const [name, p, g] of gradientsToApply(params, grads, lr)) {
        const s = states.get(name)!;
        s.step++;
        const stepSize = lr / (1 - Math.pow(beta1, s.step));
        const bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, s.step));
        updateHolding(p, frozen.get(name), s, () =>
          adamUpdate(p, g, s.firstMoment!, s.secondMoment!, beta1, beta2, eps, stepSize, bias2Sqrt,
            decoupled ? 0 : weightDecay, decoupled ? 1 - lr * weightDecay : 1),
        );
      }
    },
    state: () => copyStates(states),
  };
}

function adamUpdate(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  beta1: number,
  beta2: number,
  eps: number,
  stepSize: number,
  bias2Sqrt: number,
  l2: number,
  decayFactor: number,
): void {
  for (let i = 0; i < p.length; i++) {
    const theta = p[i] * decayFactor;
    const d = g[i] + l2 * p[i];
    // Moments are rounded to float32 before use, as PyTorch stores them.
    const mi = Math.fround(beta1 * m[i] + (1 - beta1) * d);
    const vi = Math.fround(beta2 * v[i] + (1 - beta2) * d * d);
    m[i] = mi;
    v[i] = vi;
    p[i] = theta - (stepSize * mi) / (Math.sqrt(vi) / bias2Sqrt + eps);
  }
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
