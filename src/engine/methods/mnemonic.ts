/**
 * One-shot unlearning with mnemonic codes (Yamashita, Yamada, Shibata, ACML 2024 / PMLR 260;
 * tomyamkum/OneShotMU-with-MNCode; docs/methods.md §2.4). Class forgetting only; the model must have been
 * trained with the codes (mnemonicCodes.ts).
 *
 * Forgetting, in one shot and from the codes only:
 *   g_k = ∇θ CE(f(c_k), k) for every class k
 *   F_f = (1e-16 + Σ_{k forgotten} g_k²) / |forgotten|,   F_r = (1e-16 + Σ_{k kept} g_k²) / |kept|
 *   per tensor: ρ = exp(log F_f − log F_r) (NaN → 1, ±inf → the tensor's largest finite ρ),
 *               s = min(λ₁, λ₂ / max ρ)
 *   candidates θ ± s·ρ; keep the one maximising (1 − acc on forgotten codes) + acc on kept codes,
 *   θ − s·ρ on a tie.
 * Both details follow the reference code (`utils.get_fishers`, `main.py` `forget`), docs/methods.md §2.4:
 * the 1e-16 starts the sum, so where every code's gradient is 0 (most entries of a ReLU net) ρ is the
 * ratio of the class counts, not 1; and θ⁺ wins only when it scores strictly higher.
 * The released code's perturbation is this deterministic signed step (whether the paper also has a
 * stochastic version is unverified). Defaults: the MNIST MLP settings λ₁ = 1e-3, λ₂ = 10, t_mix = 0.1.
 */
import { z } from 'zod';
import { withParameters } from '../train/params';
import { LetheError } from '../util/errors';
import { forgottenClasses } from './common/data';
import { GradientProbe } from './common/gradients';
import { logitsOf } from './common/predict';
import { defineMethod } from './define';
import { mnemonicCodesOf } from './mnemonicCodes';

/**
 * One Fisher diagonal as the reference computes it: the sum of squared code gradients starts at 1e-16
 * and is divided by the number of codes at the end, in float32 as PyTorch does.
 */
export class FisherSum {
  private readonly sum: Float32Array;
  private count = 0;
  constructor(n: number) {
    this.sum = new Float32Array(n).fill(1e-16);
  }
  add(g: Float32Array): void {
    for (let i = 0; i < g.length; i++) this.sum[i] += Math.fround(g[i] * g[i]);
    this.count++;
  }
  mean(): Float32Array {
    return this.sum.map((v) => v / this.count);
  }
}

/** θ⁺ only when it scores strictly higher on the codes; a tie keeps θ⁻, as the reference's `forget` does. */
export function preferredCandidate(plusScore: number, minusScore: number): '+' | '−' {
  return plusScore > minusScore ? '+' : '−';
}

/**
 * The per-tensor perturbation magnitude: ρ = F_f/F_r computed as exp(log F_f − log F_r) in float32
 * (NaN → 1, ±inf → the largest finite ρ of the tensor) and the scale s = min(λ₁, λ₂ / max ρ).
 */
export function mnemonicPerturbation(fF: Float32Array, fR: Float32Array, lambda1: number, lambda2: number): { rho: Float32Array; scale: number } {
  const rho = new Float32Array(fF.length);
  let maxFinite = -Infinity;
  for (let i = 0; i < rho.length; i++) {
    const logRatio = Math.fround(Math.fround(Math.log(fF[i])) - Math.fround(Math.log(fR[i])));
    rho[i] = Number.isNaN(logRatio) ? 1 : Math.fround(Math.exp(logRatio));
    if (Number.isFinite(rho[i]) && rho[i] > maxFinite) maxFinite = rho[i];
  }
  for (let i = 0; i < rho.length; i++) if (!Number.isFinite(rho[i])) rho[i] = maxFinite;
  let max = -Infinity;
  for (const v of rho) if (v > max) max = v;
  return { rho, scale: Math.min(lambda1, lambda2 / max) };
}

/** Accuracy on the forgotten codes and on the kept codes (each code labelled with its class). */
export function codeAccuracies(logits: Float32Array, k: number, forget: ReadonlySet<number>): { forget: number; kept: number } {
  let f = 0;
  let r = 0;
  for (let c = 0; c < k; c++) {
    let arg = 0;
    for (let j = 1; j < k; j++) if (logits[c * k + j] > logits[c * k + arg]) arg = j;
    if (arg === c) forget.has(c) ? f++ : r++;
  }
  return { forget: forget.size ? f / forget.size : 0, kept: k - forget.size ? r / (k - forget.size) : 0 };
}

export const mnemonic = defineMethod({
  name: 'mnemonic',
  title: 'One-shot unlearning with mnemonic codes',
  citation: 'Yamashita, Yamada, Shibata, "One-Shot Machine Unlearning with Mnemonic Code", ACML 2024 (PMLR 260:255–270)',
  summary: 'For a model trained with one random "mnemonic code" image per class mixed into its data, estimates from the codes alone which parameters matter more to the forgotten class than to the others, and perturbs them in one step; no training data is needed.',
  needs: ['forget', 'mnemonic'],
  params: {
    lambda1: z.number().min(0).max(1e6).default(1e-3).describe('λ₁, the largest scale of the perturbation s·ρ (MNIST MLP: 1e-3; CIFAR-10: 1e-5).'),
    lambda2: z.number().min(0).max(1e9).default(10).describe('λ₂, the cap on max|Δθ| per tensor: s = min(λ₁, λ₂ / max ρ) (MNIST MLP: 10; CIFAR-10: 1e4).'),
  },
  async run(ctx, p) {
    const { codes } = mnemonicCodesOf(ctx.model, ctx.train);
    const k = ctx.train.classNames.length;
    const d = codes.length / k;
    const inForget = new Set<number>();
    for (const i of ctx.forget) inForget.add(ctx.train.y[i]);
    const whole = new Set(forgottenClasses(ctx.train, ctx.forget));
    const partial = [...inForget].filter((c) => !whole.has(c));
    if (partial.length > 0) {
      throw new LetheError(`mnemonic-code unlearning forgets whole classes only, but the forget set holds part of class ${partial.map((c) => ctx.train.classNames[c] ?? c).join(', ')}`, undefined, 'method "mnemonic"');
    }
    if (inForget.size === k) throw new LetheError('the forget set holds every class; nothing would remain', undefined, 'method "mnemonic"');

    // Fisher diagonals from the codes only: one gradient per class code.
    const probe = new GradientProbe(ctx.model, { loss: [{ kind: 'ce' }], threads: ctx.threads });
    const fF = new Map<string, FisherSum>();
    const fR = new Map<string, FisherSum>();
    try {
      for (const name of probe.names) {
        const n = (ctx.model.graph.initializers.get(name)!.data as Float32Array).length;
        fF.set(name, new FisherSum(n));
        fR.set(name, new FisherSum(n));
      }
      for (let c = 0; c < k; c++) {
        const { grads } = await probe.gradients({ batchSize: 1, x: codes.subarray(c * d, (c + 1) * d), labels: Int32Array.of(c) });
        const target = inForget.has(c) ? fF : fR;
        for (const [name, g] of grads) target.get(name)!.add(g);
      }
    } finally {
      probe.release();
    }

    const plus = new Map<string, Float32Array>();
    const minus = new Map<string, Float32Array>();
    let maxStep = 0;
    for (const name of probe.names) {
      const { rho, scale } = mnemonicPerturbation(fF.get(name)!.mean(), fR.get(name)!.mean(), p.lambda1, p.lambda2);
      const theta = ctx.model.graph.initializers.get(name)!.data as Float32Array;
      const a = new Float32Array(theta.length);
      const b = new Float32Array(theta.length);
      for (let i = 0; i < theta.length; i++) {
        a[i] = theta[i] + scale * rho[i];
        b[i] = theta[i] - scale * rho[i];
        maxStep = Math.max(maxStep, scale * rho[i]);
      }
      plus.set(name, a);
      minus.set(name, b);
    }
    const candidates = [
      { sign: '+', model: withParameters(ctx.model, plus) },
      { sign: '−', model: withParameters(ctx.model, minus) },
    ];
    const scored = [];
    for (const c of candidates) {
      const acc = codeAccuracies(await logitsOf(c.model, codes, k, ctx.threads), k, inForget);
      scored.push({ ...c, acc, score: 1 - acc.forget + acc.kept });
    }
    const best = scored[preferredCandidate(scored[0].score, scored[1].score) === '+' ? 0 : 1];
    const before = codeAccuracies(await logitsOf(ctx.model, codes, k, ctx.threads), k, inForget);
    return {
      model: best.model,
      exampleGradients: k,
      notes: [
        `forgot class${inForget.size > 1 ? 'es' : ''} ${[...inForget].map((c) => ctx.train.classNames[c] ?? c).join(', ')} from ${k} codes; largest |Δθ| ${maxStep.toExponential(3)}`,
        `code accuracy before: forgotten ${before.forget.toFixed(2)}, kept ${before.kept.toFixed(2)}`,
        ...scored.map((s) => `candidate θ ${s.sign} s·ρ: forgotten-code accuracy ${s.acc.forget.toFixed(2)}, kept-code accuracy ${s.acc.kept.toFixed(2)}${s === best ? ' (chosen)' : ''}`),
      ],
    };
  },
});
