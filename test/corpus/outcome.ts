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
  /** Resident memory growth over the run: a reader that fills a hostile-sized buffer shows here. */
  peakRssMB: number;
}

/**
 * Runs `iterations` attempts built from a seeded mutant each, timing every one and watching ArrayBuffer memory
 * (what a hostile length would make a reader reserve) and RSS. The caller asserts on the returned stats
 * (`expectHealthy`).
 */
export async function fuzz(iterations: number, attempt: (i: number) => Promise<{ outcome: Outcome; how: string }>): Promise<FuzzStats> {
  const stats: FuzzStats = { iterations, ok: 0, refused: 0, bugs: [], slowest: 0, peakArrayBuffersMB: 0, peakRssMB: 0 };
  const baseline = process.memoryUsage();
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    const { outcome, how } = await attempt(i);
    stats.slowest = Math.max(stats.slowest, performance.now() - t0);
    const now = process.memoryUsage();
    stats.peakArrayBuffersMB = Math.max(stats.peakArrayBuffersMB, (now.arrayBuffers - baseline.arrayBuffers) / 2 ** 20);
    stats.peakRssMB = Math.max(stats.peakRssMB, (now.rss - baseline.rss) / 2 ** 20);
    if (outcome.kind === 'ok') stats.ok++;
    else if (outcome.kind === 'refused') stats.refused++;
    else stats.bugs.push(`iteration ${i} (${how}): ${outcome.problem.split('\n').slice(0, 4).join(' | ')}`);
  }
  return stats;
}

export function describeStats(name: string, s: FuzzStats): string {
  return `[fuzz] ${name}: ${s.iterations} iterations, ${s.ok} accepted, ${s.refused} refused with a LetheError, ${s.bugs.length} bugs; slowest ${s.slowest.toFixed(0)} ms, peak ArrayBuffers +${s.peakArrayBuffersMB.toFixed(0)} MB, RSS +${s.peakRssMB.toFixed(0)} MB`;
}

/** No bug, enough refusals to show the mutations bite, no slow iteration (a hang), no large allocation. */
export function expectHealthy(s: FuzzStats, minRefused: number): void {
  if (s.bugs.length > 0) throw new Error(`${s.bugs.length} inputs did not end in a LetheError:\n${s.bugs.join('\n')}`);
  if (s.refused < minRefused) throw new Error(`only ${s.refused} of ${s.iterations} mutants were refused (expected ≥ ${minRefused}): the mutations do not reach the reader`);
  if (s.slowest > 5000) throw new Error(`the slowest input took ${s.slowest.toFixed(0)} ms (limit 5000)`);
  if (s.peakArrayBuffersMB > 256 || s.peakRssMB > 1024) throw new Error(`memory grew by ${s.peakArrayBuffersMB.toFixed(0)} MB of ArrayBuffers, ${s.peakRssMB.toFixed(0)} MB RSS`);
}
