/** Staged run folders: commit/abort, and the sweep of staging folders that killed runs left behind. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runJob } from '../../../src/engine/job/run';
import { checkStagingParent, stageDirectory, sweepStaging, sweepTempFiles } from '../../../src/engine/util/atomic';
import { expectRefusal } from '../../corpus/outcome';
import { smallWorkspace } from '../../corpus/workspace';

const root = mkdtempSync(join(tmpdir(), 'lethe-staging-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A staging folder as a run of process `pid` leaves it, last changed `ageMs` ago. */
function leftover(parent: string, pid: number, ageMs: number, name = 'run'): string {
  const dir = join(parent, `.${name}.staging-${pid}-Ab12Cd`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report.json'), '{"half":');
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(dir, t, t);
  return dir;
}

const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('stageDirectory', () => {
  it('commit renames into place; abort leaves nothing; an existing run folder is never replaced', async () => {
    const parent = join(root, 'commit');
    const a = await stageDirectory(join(parent, 'run-a'));
    expect(a.dir).toMatch(new RegExp(`\\.run-a\\.staging-${process.pid}-`));
    writeFileSync(join(a.dir, 'x'), '1');
    await a.commit();
    expect(readdirSync(parent)).toEqual(['run-a']);
    const b = await stageDirectory(join(parent, 'run-b'));
    await b.abort();
    expect(readdirSync(parent)).toEqual(['run-a']);
    const c = await stageDirectory(join(parent, 'run-a'));
    writeFileSync(join(c.dir, 'y'), '2');
    await expectRefusal(() => c.commit(), 'run-a', /the run folder already exists; not overwritten/);
    await c.abort();
    expect(readdirSync(join(parent, 'run-a'))).toEqual(['x']);
  });
});

describe('checkStagingParent', () => {
  it('refuses an output folder that is a file, or lies under one, before any work', async () => {
    const file = join(root, 'not-a-folder');
    writeFileSync(file, 'x');
    await expectRefusal(() => checkStagingParent(file), 'not-a-folder', /is a file, not a folder: outputs cannot be written under it/);
    await expectRefusal(() => checkStagingParent(join(file, 'runs', 'deeper')), 'not-a-folder', /is a file, not a folder/);
    await checkStagingParent(join(root, 'does', 'not', 'exist', 'yet'));
    // Through runJob: refused before the data is even looked at (the data path does not exist).
    await expectRefusal(() => runJob({ model: 'm.onnx', data: 'no-such-data', forget: 'f.forget.json', output: 'not-a-folder' }, { baseDir: root }), 'not-a-folder', /is a file, not a folder/);
  });
});

describe('sweepStaging', () => {
  it('removes only old staging folders whose process is gone', async () => {
    const parent = join(root, 'sweep');
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const stale = leftover(parent, deadPid(), 60_000, 'stale');
      const ours = leftover(parent, process.pid, 60_000, 'ours');
      const running = leftover(parent, live.pid!, 60_000, 'running');
      const fresh = leftover(parent, deadPid(), -60_000, 'fresh'); // changed after this process started
      mkdirSync(join(parent, 'a-finished-run'));
      mkdirSync(join(parent, '.unrelated-hidden'));
      expect(await sweepStaging(parent)).toEqual([stale]);
      for (const kept of [ours, running, fresh, join(parent, 'a-finished-run'), join(parent, '.unrelated-hidden')]) expect(existsSync(kept), kept).toBe(true);
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('a missing folder sweeps nothing', async () => {
    expect(await sweepStaging(join(root, 'absent'))).toEqual([]);
  });

  it('runJob sweeps its output folder when it starts', async () => {
    const ws = smallWorkspace(200, 60);
    try {
      const stale = leftover(join(ws.root, 'runs'), deadPid(), 60_000, '2026-01-01T00-00-00-finetune');
      const forget = ws.forget('f', { kind: 'indices', indices: [1, 2, 3] });
      const { runDir } = await runJob(
        { model: 'model.onnx', data: 'fashion-data', forget, params: { epochs: 1 }, reference: { retrain: false }, evaluation: { mia: false, jsd: false }, output: 'runs' },
        { baseDir: ws.root },
      );
      expect(existsSync(stale)).toBe(false);
      expect(readdirSync(join(ws.root, 'runs'))).toEqual([runDir.split('/').pop()]);
    } finally {
      ws.remove();
    }
  });
});

describe('temporary files of atomic writes', () => {
  it('are swept when their writer is dead, kept while it lives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lethe-tmp-sweep-'));
    const dead = join(dir, '.model.onnx.2147483646.0123456789ab.tmp');
    const alive = join(dir, `.model.onnx.${process.pid}.0123456789ab.tmp`);
    const other = join(dir, 'model.onnx');
    for (const f of [dead, alive, other]) writeFileSync(f, 'x');
    expect(await sweepTempFiles(dir)).toEqual([dead]);
    expect([existsSync(dead), existsSync(alive), existsSync(other)]).toEqual([false, true, true]);
  });
});
