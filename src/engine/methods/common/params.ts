/**
 * Method parameters as zod schemas: a method declares each one as `z.number()…default(v).describe(text)`
 * (or an integer, a boolean, an enum); this module resolves raw values against them, with one-line errors
 * naming the method and the key, and describes them for `lethe methods --json`.
 */
import { z } from 'zod';
import { LetheError } from '../../util/errors';
import type { ParamSpec, ParamSpecs } from '../types';

type Param = z.ZodDefault<z.ZodNumber> | z.ZodDefault<z.ZodBoolean> | z.ZodDefault<z.ZodEnum>;

/** A method's parameters: every key has a type, a default and a description. */
export type ParamShape = Record<string, Param>;

/** The resolved values `run` receives. */
export type Params<S extends ParamShape> = z.output<z.ZodObject<S, z.core.$strict>>;

/** Defaults filled in, every value checked, unknown keys rejected (naming them and the known ones). */
export function parseParams<S extends ParamShape>(method: string, shape: S, raw: Record<string, unknown>): Params<S> {
  const result = z.strictObject(shape).safeParse(raw);
  if (result.success) return result.data;
  throw new LetheError(explain(result.error.issues, shape, raw), undefined, `method "${method}"`);
}

/** The first problem, in the order a reader checks: unknown keys, then each key's type, integrality and range. */
function explain(issues: readonly z.core.$ZodIssue[], shape: ParamShape, raw: Record<string, unknown>): string {
  const unknown = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown) {
    const known = Object.keys(shape);
    return (
      `unknown parameter${unknown.keys.length > 1 ? 's' : ''} ${unknown.keys.map((k) => `"${k}"`).join(', ')}; ` +
      (known.length ? `known parameters: ${known.join(', ')}` : 'this method takes no parameters')
    );
  }
  // zod's implicit safe-integer range is wider than every declared range, so the declared bound speaks instead.
  const issue = issues.find((i) => !((i.code === 'too_big' || i.code === 'too_small') && i.origin === 'int'))!;
  const key = String(issue.path[0]);
  const value = raw[key];
  return `parameter "${key}" ${cause(issue, value)}`;
}

function cause(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'boolean') return `must be true or false, got ${show(value)}`;
      if (issue.expected === 'int') return `must be an integer, got ${value}`;
      return `must be a finite number, got ${show(value)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => `"${String(v)}"`).join(', ')}, got ${show(value)}`;
    case 'too_small':
      return `must be ≥ ${issue.minimum}, got ${value}`;
    case 'too_big':
      return `must be ≤ ${issue.maximum}, got ${value}`;
    default:
      return `${issue.message}, got ${show(value)}`;
  }
}

function show(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v);
}

/** Type, default, range or values and description of every parameter, read from the schemas themselves. */
export function describeParams(shape: ParamShape): ParamSpecs {
  return Object.fromEntries(Object.entries(shape).map(([key, param]) => [key, describe(param)]));
}

function describe(param: Param): ParamSpec {
  const description = param.description ?? '';
  const inner = param.unwrap();
  if (inner instanceof z.ZodNumber) {
    return { type: inner.isInt ? 'integer' : 'number', default: param.def.defaultValue as number, ...bound('min', inner.minValue), ...bound('max', inner.maxValue), description };
  }
  if (inner instanceof z.ZodBoolean) return { type: 'boolean', default: param.def.defaultValue as boolean, description };
  return { type: 'enum', default: param.def.defaultValue as string, values: inner.options.map(String), description };
}

/** A declared bound (zod reports ±∞, or the safe-integer range for integers, when none was declared). */
function bound(key: 'min' | 'max', value: number | null): { min?: number; max?: number } {
  return value === null || !Number.isFinite(value) || Math.abs(value) === Number.MAX_SAFE_INTEGER ? {} : { [key]: value };
}
