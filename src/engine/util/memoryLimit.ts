/**
 * How much memory a job may use: the `maxMemoryMB` option, else LETHE_MAX_MEMORY_MB, else 80% of the RAM. Jobs check
 * their estimate against it up front (job/resources.ts); readers bound what they decompress by it.
 */
import { totalmem } from 'node:os';
import { LetheError } from './errors';

const MB = 2 ** 20;

/** The limit in MB: the option, else LETHE_MAX_MEMORY_MB, else 80% of total RAM. */
export function memoryLimitMB(option?: number, env: string | undefined = process.env.LETHE_MAX_MEMORY_MB): number {
  if (option !== undefined) return option;
  if (env === undefined || env === '') return Math.floor((0.8 * totalmem()) / MB);
  const value = Number(env);
  if (!(Number.isFinite(value) && value > 0)) throw new LetheError(`LETHE_MAX_MEMORY_MB must be a positive number of megabytes, not "${env}"`);
  return value;
}

/**
 * Most bytes one decompressed file may hold: half the limit, since its decoded float32 copy lives beside it
 * (the same size or larger), and never past Node's Buffer limit.
 */
export function decompressedBudget(maxBytes: number): number {
  return Math.min(maxBytes, Math.floor((memoryLimitMB() * MB) / 2));
}
