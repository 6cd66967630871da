/** Running the built CLI (bin/lethe.js) as a user would, and what a clean refusal looks like on stderr. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

export const BIN = join(__dirname, '..', '..', '..', 'bin', 'lethe.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function lethe(args: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: opts.cwd, timeout: opts.timeoutMs ?? 120_000, env: { ...process.env, ...opts.env }, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

export function spawnLethe(args: string[], cwd?: string): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd, stdio: 'ignore' });
}

/** Exit code 1 and exactly one line on stderr, `lethe: …`, besides warning lines, with no stack trace; returns that line. */
export function expectCleanRefusal(r: CliResult, ...patterns: (string | RegExp)[]): string {
  // Warnings said before the input was refused (e.g. a recipe taken from Lethe's defaults) are lines of their own,
  // each marked as a warning; the refusal itself is exactly one other line.
  const all = r.stderr.split('\n').filter((l) => l !== '');
  const lines = all.filter((l) => !l.startsWith('lethe: warning: '));
  expect(r.code, `exit code; stderr:\n${r.stderr}`).toBe(1);
  expect(lines, 'one line on stderr besides warnings').toHaveLength(1);
  expect(lines[0]).toMatch(/^lethe: /);
  expect(lines[0]).not.toMatch(/internal error|\n\s+at /);
  for (const p of patterns) expect(lines[0]).toMatch(typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p);
  return lines[0];
}

/** Runs `tasks` with at most `limit` at once (each spawns a CLI process). */
export async function inParallel<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}
