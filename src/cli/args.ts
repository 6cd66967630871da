/** Argument parsing shared by the subcommands: node's parseArgs with errors phrased for the CLI user. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LetheError } from '../engine/util/errors';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse(command: string, argv: string[], options: Options): Record<string, string | boolean | string[] | undefined> {
  try {
    return parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...options }, strict: true, allowPositionals: false }).values as Record<string, string | boolean | string[] | undefined>;
  } catch (e) {
    // node's messages can span lines; the CLI's contract is one `lethe: …` line.
    throw new LetheError(`${(e as Error).message.replace(/\s*\n\s*/g, ' ')} (see "lethe ${command} --help")`);
  }
}

export function required(values: Record<string, unknown>, name: string, command: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new LetheError(`missing --${name} (see "lethe ${command} --help")`);
  return v;
}

/**
 * A whole-number flag (seed, threads, sizes) as given, else `fallback`. Anything but digits is refused here,
 * naming the flag: `Number("abc")` would reach onnxruntime or the RNG as NaN and be blamed on the model.
 */
export function wholeNumber(values: Record<string, unknown>, name: string, fallback: number): number;
export function wholeNumber(values: Record<string, unknown>, name: string): number | undefined;
export function wholeNumber(values: Record<string, unknown>, name: string, fallback?: number): number | undefined {
  const v = values[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new LetheError(`--${name} must be a whole number ≥ 0, not "${String(v)}"`);
  return Number(v);
}

/** "A:B" → [A, B) ; "A" → [A, A+1). */
export function parseRange(text: string | undefined, n: number): Int32Array {
  if (text === undefined) return new Int32Array(n).map((_, i) => i);
  const m = /^(\d*):(\d*)$/.exec(text) ?? /^(\d+)$/.exec(text);
  if (!m) throw new LetheError(`--indices "${text}" is not A:B or A`);
  const a = m[1] === '' ? 0 : Number(m[1]);
  const b = m.length === 3 ? (m[2] === '' ? n : Number(m[2])) : a + 1;
  if (a >= b) throw new LetheError(`--indices ${text} selects nothing: A:B means A ≤ i < B, so B must be greater than A`);
  if (b > n) throw new LetheError(`--indices ${text} is outside 0:${n} (the split has ${n} examples)`);
  return new Int32Array(b - a).map((_, i) => a + i);
}
