/** Gradient ascent with a huge learning rate must stop with a clear "diverged" message and write nothing. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { smallWorkspace } from '../../corpus/workspace';
import { expectCleanRefusal, lethe } from './cli';

const ws = smallWorkspace(300, 100);
afterAll(() => ws.remove());

it('gradient ascent at lr 10 stops with "diverged" and writes no checkpoint', async () => {
  const forget = ws.forget('sandals', { kind: 'classes', classes: ['Sandal'] });
  const r = await lethe(['unlearn', '--model', ws.model, '--data', ws.data, '--forget', forget, '--method', 'gradient-ascent', '--param', 'lr=10', '--param', 'epochs=20', '--no-reference', '--out', 'runs'], { cwd: ws.root });
  expectCleanRefusal(r, /training diverged .*no checkpoint was written/);
  expect(existsSync(join(ws.root, 'runs')) ? readdirSync(join(ws.root, 'runs')) : []).toEqual([]);
  expect(readdirSync(ws.root).filter((f) => f.endsWith('.onnx'))).toEqual(['model.onnx']);
});
