/** Parameter checking shared by the registry and every method (one place decides what a valid value is). */
import { LetheError } from '../../util/errors';
import type { ParamSchema, ParamSpec } from '../types';

/** The resolved value type of each key of a schema. */
export type ParamValues<S extends ParamSchema> = {
  [K in keyof S]: S[K] extends { type: 'boolean' } ? boolean : S[K] extends { type: 'enum' } ? string : number;
};

/** Checks one value against its spec; returns it, or throws a LetheError naming the parameter and the cause. */
export function checkParam(method: string, key: string, spec: ParamSpec, value: unknown): number | boolean | string {
  const fail = (cause: string): never => {
    throw new LetheError(`parameter "${key}" ${cause}`, undefined, `method "${method}"`);
  };
  switch (spec.type) {
    case 'boolean':
      if (typeof value !== 'boolean') fail(`must be true or false, got ${show(value)}`);
      return value as boolean;
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) fail(`must be one of ${spec.values.map((v) => `"${v}"`).join(', ')}, got ${show(value)}`);
      return value as string;
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(`must be a finite number, got ${show(value)}`);
      const v = value as number;
      if (spec.type === 'integer' && !Number.isInteger(v)) fail(`must be an integer, got ${v}`);
      if (spec.min !== undefined && v < spec.min) fail(`must be ≥ ${spec.min}, got ${v}`);
      if (spec.max !== undefined && v > spec.max) fail(`must be ≤ ${spec.max}, got ${v}`);
      return v;
    }
  }
}

/** Defaults filled in, every value checked, unknown keys rejected (naming them and the known ones). */
export function resolveSchema(method: string, schema: ParamSchema, raw: Record<string, unknown>): Record<string, number | boolean | string> {
  const unknown = Object.keys(raw).filter((k) => !Object.prototype.hasOwnProperty.call(schema, k));
  if (unknown.length > 0) {
    const known = Object.keys(schema);
    throw new LetheError(
      `unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; ` +
        (known.length ? `known parameters: ${known.join(', ')}` : 'this method takes no parameters'),
      undefined,
      `method "${method}"`,
    );
  }
  const out: Record<string, number | boolean | string> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const value = raw[key] === undefined ? spec.default : raw[key];
    out[key] = checkParam(method, key, spec, value);
  }
  return out;
}

/**
 * The typed parameters a method's `run` works with. The runner has already resolved them; resolving again
 * here costs nothing and keeps methods safe when called directly (tests, the bench) with partial params.
 */
export function readParams<S extends ParamSchema>(method: string, schema: S, params: Record<string, unknown>): ParamValues<S> {
  return resolveSchema(method, schema, params) as ParamValues<S>;
}

function show(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v);
}
