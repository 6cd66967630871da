/**
 * The calibration file `lethe calibrate` writes and jobs read (`calibration:` in the job spec): which settings of
 * each method forgot a proxy forget set like the user's, judged against a reference retrained without the proxy
 * (docs/calibration.md). A shard's partial file has the same shape with `shard` set and its own trials only.
 */
import { z } from 'zod';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const ParamValue = z.union([z.number(), z.boolean(), z.string()]);

/** What kind of forget set the proxy imitates (docs/calibration.md, "The proxy"). */
export const ForgetKind = z.enum(['random', 'class', 'cluster']);
export type ForgetKind = z.infer<typeof ForgetKind>;

/** The forget set a calibration was made for (`--forget-like`), and the proxy drawn like it. */
export const ProxyInfo = z
  .object({
    kind: ForgetKind,
    /** Examples in the user's forget set (or the default proxy's size without `--forget-like`). */
    forgetSize: z.number().int().min(1),
    /** Examples in the proxy (a whole class may differ in size from the user's). */
    size: z.number().int().min(1),
    /** Whole-class forget sets: how many classes. */
    classes: z.number().int().min(1).optional(),
    /** The `--forget-like` file's name, when one was given. */
    forgetLike: z.string().optional(),
    /** sha256 of the proxy's sorted indices (as little-endian int32): shards must agree on it. */
    sha256: Sha256,
  })
  .strict();
export type ProxyInfo = z.infer<typeof ProxyInfo>;

/** One setting tried on the proxy and what it reached. */
export const Trial = z
  .object({
    /** `<method>/<position in its grid>`: stable across shards. */
    id: z.string(),
    method: z.string(),
    /** The searched keys only (learning rate, epochs, the method's knob). */
    settings: z.record(z.string(), z.number()),
    /** Every parameter the trial ran with (the searched keys, the rest derived or defaulted). */
    params: z.record(z.string(), ParamValue),
    /** Set when the trial failed (e.g. training diverged); such a trial is never chosen. */
    error: z.string().optional(),
    forgetting: z.enum(['forgot', 'partly forgot', 'not forgotten', 'over-forgot']).optional(),
    utility: z.enum(['kept', 'lost']).optional(),
    /** Forget accuracy, and its gap to the proxy reference's (accuracy points and noise bands). */
    forgetAccuracy: z.number().optional(),
    gap: z.number().optional(),
    gapBands: z.number().optional(),
    /** Test accuracy (on the remaining classes when classes are forgotten). */
    testAccuracy: z.number().optional(),
    /** Example-gradient evaluations spent (docs/methods.md §3.7): the compute, which unlike wall time is the same on every run. */
    exampleGradients: z.number().int().min(0),
    seconds: z.number().min(0),
    /** seconds / the proxy reference's retrain seconds. */
    timeRatio: z.number().min(0),
  })
  .strict();
export type Trial = z.infer<typeof Trial>;

/** A method's chosen trial, by the selection rule (docs/calibration.md, "Selection"). */
export const Calibrated = Trial.omit({ id: true, error: true })
  .required({ forgetting: true, forgetAccuracy: true, gap: true, gapBands: true })
  .extend({
    /** The chosen trial's id. */
    trial: z.string(),
    /** Trials of this method that ran (failed ones included). */
    trials: z.number().int().min(0),
  })
  .strict();
export type Calibrated = z.infer<typeof Calibrated>;

export const CalibrationFile = z
  .object({
    version: z.literal(1),
    kind: z.literal('lethe-calibration'),
    model: z.object({ file: z.string(), sha256: Sha256 }).strict(),
    data: z.object({ path: z.string(), sha256: Sha256 }).strict(),
    proxy: ProxyInfo,
    seed: z.number().int().min(0),
    /** The original's recipe the reference was retrained with (and methods derived their budgets from). */
    recipe: z.record(z.string(), z.unknown()),
    reference: z.object({ seconds: z.number().min(0), forgetAccuracy: z.number(), testAccuracy: z.number() }).strict(),
    /** The methods searched and the trial ids planned (after `--budget trials`), in run order. */
    methods: z.array(z.string()),
    planned: z.array(z.string()),
    /** Planned trials that did not run (the seconds budget ran out, or another shard's). */
    skipped: z.array(z.string()),
    /** Present in a shard's partial file: this file holds the trials i mod count. */
    shard: z.object({ index: z.number().int().min(0), count: z.number().int().min(2) }).strict().optional(),
    trials: z.array(Trial),
    /** Per method, its best trial. */
    calibrated: z.array(Calibrated),
    /** Trial ids on the Pareto front of |gap in bands| (lower), test accuracy (higher) and compute (lower). */
    front: z.array(z.string()),
    /** The best calibrated method, when any trial succeeded. */
    recommended: z.string().optional(),
    seconds: z.number().min(0),
  })
  .strict();
export type CalibrationFile = z.infer<typeof CalibrationFile>;
