/**
 * Checks that the context holds everything a method declares in `needs`, before it starts: one LetheError
 * naming the method and what is missing. `defineMethod` runs it, so direct calls (tests, the bench) are as
 * safe as the job runner's.
 */
import { LetheError } from '../util/errors';
import { mnemonicInfoOf } from './mnemonicCodes';
import type { MethodContext, Need } from './types';

const emptySet = (indices: Int32Array, what: string) => (indices.length === 0 ? `the ${what} set is empty; this method needs at least one ${what} example` : undefined);

/** What is wrong with the context for one need, or undefined when it is met. */
const CHECKS: Record<Need, (ctx: MethodContext) => string | undefined> = {
  forget: (ctx) => emptySet(ctx.forget, 'forget'),
  retain: (ctx) => emptySet(ctx.retain, 'retain'),
  // Whether the validation set is read depends on the forget set (LoTUS takes a_V = 0 when forgetting whole
  // classes), so the method checks it in the mode that reads it.
  validation: () => undefined,
  oracle: (ctx) => (ctx.oracles?.length ? undefined : 'this method needs at least one oracle model (retrained without the forget set); none was supplied (in a job: reference.retrain: true or reference.checkpoints)'),
  // Computed by the method itself from the model and the data.
  attribution: () => undefined,
  mnemonic: (ctx) => void mnemonicInfoOf(ctx.model, ctx.train),
};

/** `file`: the job file, when the context comes from one (the error then names it). */
export function assertNeeds(method: { name: string; needs: readonly Need[] }, ctx: MethodContext, file?: string): void {
  for (const need of method.needs) {
    const problem = CHECKS[need](ctx);
    if (problem) throw new LetheError(problem, file, `method "${method.name}"`);
  }
}
