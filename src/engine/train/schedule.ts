/**
 * Learning-rate schedules, as a pure function of the step: the trainer asks `lrAt(step, totalSteps, spec)`
 * before every optimiser step, so resuming or skipping needs no scheduler state.
 *
 * Steps count optimiser updates from 0; `totalSteps` is the number of updates in the run.
 */
import { LetheError } from '../util/errors';

export type ScheduleSpec =
  /** lr throughout. */
  | { kind: 'constant'; lr: number }
  /** lr·γ^⌊step / stepSize⌋ (torch.optim.lr_scheduler.StepLR; stepSize = updates per epoch gives "×γ every epoch"). */
  | { kind: 'step'; lr: number; stepSize: number; gamma: number }
  /** minLr + (lr − minLr)·(1 + cos(π·step/totalSteps))/2 (CosineAnnealingLR with T_max = totalSteps, eta_min = minLr). */
  | { kind: 'cosine'; lr: number; minLr?: number }
  /**
   * Linear warm-up from 0 at step 0 to lr at step warmupSteps, then linear or cosine decay to minLr at
   * totalSteps: the piecewise-linear "np.interp(step, [0, warm-up, total], [0, peak, 0])" recipe of the
   * ResNet-9/DMM and LoTUS training scripts. warmupSteps = 0 means decay from the first step.
   */
  | { kind: 'warmup'; lr: number; warmupSteps: number; decay: 'linear' | 'cosine'; minLr?: number };

const WHERE = 'learning-rate schedule';

export function lrAt(step: number, totalSteps: number, spec: ScheduleSpec): number {
  checkSpec(totalSteps, spec);
  if (!Number.isInteger(step) || step < 0 || step > totalSteps) {
    throw new LetheError(`step ${step} is outside 0..${totalSteps}`, undefined, WHERE);
  }
  switch (spec.kind) {
    case 'constant':
      return spec.lr;
    case 'step':
      return spec.lr * Math.pow(spec.gamma, Math.floor(step / spec.stepSize));
    case 'cosine':
      return cosineBetween(spec.lr, spec.minLr ?? 0, step / totalSteps);
    case 'warmup': {
      if (step < spec.warmupSteps) return (spec.lr * step) / spec.warmupSteps;
      const decaySteps = totalSteps - spec.warmupSteps;
      // All-warm-up runs (no decay phase) stay at the peak.
      const progress = decaySteps === 0 ? 0 : (step - spec.warmupSteps) / decaySteps;
      const minLr = spec.minLr ?? 0;
      return spec.decay === 'cosine' ? cosineBetween(spec.lr, minLr, progress) : spec.lr + (minLr - spec.lr) * progress;
    }
  }
}

/** From `from` at progress 0 to `to` at progress 1 along half a cosine. */
function cosineBetween(from: number, to: number, progress: number): number {
  return to + ((from - to) * (1 + Math.cos(Math.PI * progress))) / 2;
}

function checkSpec(totalSteps: number, spec: ScheduleSpec): void {
  const fail = (msg: string): never => {
    throw new LetheError(msg, undefined, `${WHERE} "${spec.kind}"`);
  };
  if (!Number.isInteger(totalSteps) || totalSteps < 1) fail(`totalSteps = ${totalSteps} must be a positive integer`);
  if (!Number.isFinite(spec.lr) || spec.lr < 0) fail(`lr = ${spec.lr} must be a finite number ≥ 0`);
  if (spec.kind === 'step') {
    if (!Number.isInteger(spec.stepSize) || spec.stepSize < 1) fail(`stepSize = ${spec.stepSize} must be a positive integer`);
    if (!Number.isFinite(spec.gamma) || spec.gamma < 0) fail(`gamma = ${spec.gamma} must be a finite number ≥ 0`);
  }
  if ((spec.kind === 'cosine' || spec.kind === 'warmup') && spec.minLr !== undefined) {
    if (!Number.isFinite(spec.minLr) || spec.minLr < 0 || spec.minLr > spec.lr) fail(`minLr = ${spec.minLr} must lie in [0, lr = ${spec.lr}]`);
  }
  if (spec.kind === 'warmup' && (!Number.isInteger(spec.warmupSteps) || spec.warmupSteps < 0 || spec.warmupSteps > totalSteps)) {
    fail(`warmupSteps = ${spec.warmupSteps} must be an integer in 0..totalSteps (${totalSteps})`);
  }
}
