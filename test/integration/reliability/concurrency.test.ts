/** Jobs started together into one output folder all land: each gets its own run folder, none is lost. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { smallWorkspace } from '../../corpus/workspace';
import { lethe } from './cli';

const ws = smallWorkspace(200, 60);
afterAll(() => ws.remove());

it('4 jobs started together into one folder write 4 run folders', async () => {
  const forget = ws.forget('f', { kind: 'indices', indices: [1, 2, 3] });
  const args = ['unlearn', '--model', ws.model, '--data', ws.data, '--forget', forget, '--param', 'epochs=1', '--no-reference', '--out', 'runs', '--json'];
  const results = await Promise.all(Array.from({ length: 4 }, () => lethe(args, { cwd: ws.root })));
  for (const r of results) expect(r.code, r.stderr).toBe(0);
  const runs = readdirSync(join(ws.root, 'runs')).filter((n) => !n.startsWith('.'));
  expect(runs).toHaveLength(4);
  for (const run of runs) expect(existsSync(join(ws.root, 'runs', run, 'report.json')), run).toBe(true);
});
