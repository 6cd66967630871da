/** Path confinement edge cases: a workspace root of "/" admits every path; a symlink out of a root is refused. */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobPaths } from '../../../src/engine/job/jobPaths';

const root = mkdtempSync(join(tmpdir(), 'lethe-jobpaths-'));
const other = mkdtempSync(join(tmpdir(), 'lethe-jobpaths-other-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(other, { recursive: true, force: true });
});

describe('jobPaths', () => {
  it('a root of "/" refuses nothing', () => {
    const path = jobPaths(root, '/');
    expect(path('runs', 'output')).toBe(join(root, 'runs'));
    expect(path('/tmp', 'output')).toBe('/tmp');
  });

  it('a symlink out of the root is refused, naming what the root is', () => {
    symlinkSync(other, join(root, 'out'));
    expect(() => jobPaths(root, root, 'the job folder')('out/runs', 'output')).toThrow(/output path "out\/runs" is outside the job folder; refused/);
    expect(jobPaths(root, root)('in/runs', 'output')).toBe(join(root, 'in', 'runs'));
  });
});
