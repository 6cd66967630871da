/** Argument parsing shared by the subcommands: node's parseArgs with errors phrased for the CLI user. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LetheError } from '../engine/util/errors';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse(command: string, argv: string[], options: Options): Record<string, string | boolean | string[] | undefined> {
  try {
    return parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...options }, strict: true, allowPositionals: false }).values as Record<string, string | boolean | string[] | undefined>;
  } catch (e) {
    throw new LetheError(`${(e as Error).message} (see "lethe ${command} --help")`);
  }
}

export function required(values: Record<string, unknown>, name: string, command: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new LetheError(`missing --${name} (see "lethe ${command} --help")`);
  return v;
}

/** "A:B" → [A, B) ; "A" → [A, A+1). */
export function parseRange(text: string | undefined, n: number): Int32Array {
  if (text === undefined) return new Int32Array(n).map((_, i) => i);
  const m = /^(\d*):(\d*)$/.exec(text) ?? /^(\d+)$/.exec(text);
  if (!m) throw new LetheError(`--indices "${text}" is not A:B or A`);
  const a = m[1] === '' ? 0 : Number(m[1]);
  const b = m.length === 3 ? (m[2] === '' ? n : Number(m[2])) : a + 1;
  if (!(a >= 0 && b <= n && a < b)) throw new LetheError(`--indices ${text} is outside 0:${n}`);
  return new Int32Array(b - a).map((_, i) => a + i);
}
