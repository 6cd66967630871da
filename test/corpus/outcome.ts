/**
 * The contract every hostile input is held to: the call either succeeds (a mutation can leave a file valid) or
 * fails with ONE LetheError that names the file; anything else (TypeError, RangeError, an internal Error) is a bug.
 */
import { basename } from 'node:path';
import { isLetheError } from '../../src/engine/util/errors';

export type Outcome = { kind: 'ok' } | { kind: 'refused'; message: string } | { kind: 'bug'; problem: string };

/** Runs `attempt`, classifying how it ended; the error message must name `file` (a file, or a folder it is in). */
export async function outcomeOf(attempt: () => unknown, file: string): Promise<Outcome> {
  try {
    await attempt();
    return { kind: 'ok' };
  } catch (e) {
    if (!isLetheError(e)) return { kind: 'bug', problem: `${(e as Error)?.name ?? typeof e}: ${(e as Error)?.stack ?? String(e)}` };
    if (!e.message.includes(basename(file))) return { kind: 'bug', problem: `LetheError without the name "${basename(file)}": ${e.message}` };
    return { kind: 'refused', message: e.message };
  }
}

/** Asserts a refusal: one LetheError naming `file` whose message matches `cause`. Returns the message. */
export async function expectRefusal(attempt: () => unknown, file: string, cause: RegExp): Promise<string> {
  const o = await outcomeOf(attempt, file);
  if (o.kind === 'ok') throw new Error(`expected a LetheError naming ${basename(file)} (${cause}), but the call succeeded`);
  if (o.kind === 'bug') throw new Error(o.problem);
  if (!cause.test(o.message)) throw new Error(`error "${o.message}" does not match ${cause}`);
  return o.message;
}

export interface FuzzStats {
  iterations: number;
  ok: number;
  refused: number;
  bugs: string[];
  slowest: number;
  peakArrayBuffersMB: number;
}

/**
 * Runs `iterations` attempts built from a seeded mutant each, timing every one and watching ArrayBuffer memory
 * (what a hostile length would make a reader reserve). The caller asserts on the returned stats.
 */
export async function fuzz(iterations: number, attempt: (i: number) => Promise<{ outcome: Outcome; how: string }>): Promise<FuzzStats> {
  const stats: FuzzStats = { iterations, ok: 0, refused: 0, bugs: [], slowest: 0, peakArrayBuffersMB: 0 };
  const baseline = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    const { outcome, how } = await attempt(i);
    stats.slowest = Math.max(stats.slowest, performance.now() - t0);
    stats.peakArrayBuffersMB = Math.max(stats.peakArrayBuffersMB, (process.memoryUsage().arrayBuffers - baseline) / 2 ** 20);
    if (outcome.kind === 'ok') stats.ok++;
    else if (outcome.kind === 'refused') stats.refused++;
    else stats.bugs.push(`iteration ${i} (${how}): ${outcome.problem.split('\n').slice(0, 4).join(' | ')}`);
  }
  return stats;
}

export function describeStats(name: string, s: FuzzStats): string {
  return `[fuzz] ${name}: ${s.iterations} iterations, ${s.ok} accepted, ${s.refused} refused with a LetheError, ${s.bugs.length} bugs; slowest ${s.slowest.toFixed(0)} ms, peak ArrayBuffers +${s.peakArrayBuffersMB.toFixed(0)} MB`;
}
