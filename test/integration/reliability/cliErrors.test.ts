/**
 * The hostile corpus through the shipped CLI: every case exits with code 1 and one `lethe: …` line on stderr
 * naming the file and the cause, never a stack trace.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATA_CASES } from '../../corpus/dataCases';
import { ONNX_CASES } from '../../corpus/onnxCases';
import { smallWorkspace } from '../../corpus/workspace';
import { expectCleanRefusal, inParallel, lethe } from './cli';

const ws = smallWorkspace(200, 60);
const root = mkdtempSync(join(tmpdir(), 'lethe-cli-corpus-'));
afterAll(() => {
  ws.remove();
  rmSync(root, { recursive: true, force: true });
});
const forget = ws.forget('few', { kind: 'indices', indices: [1, 2, 3] });
const unlearn = (model: string, data: string, forgetFile = forget) =>
  lethe(['unlearn', '--model', model, '--data', data, '--forget', forgetFile, '--method', 'finetune', '--param', 'epochs=1', '--no-reference', '--out', join(root, 'runs')]);

describe('through `lethe unlearn`', () => {
  it(`${ONNX_CASES.length} hostile checkpoints`, async () => {
    const results = await inParallel(3, ONNX_CASES.map((c) => async () => {
      const dir = join(root, 'onnx', c.name, 'model');
      mkdirSync(dir, { recursive: true });
      const file = c.make(dir);
      return { c, file, r: await unlearn(file, ws.data), evaluated: await lethe(['eval', '--model', file, '--data', ws.data]) };
    }));
    for (const { c, file, r, evaluated } of results) {
      expectCleanRefusal(r, basename(file), c.cause);
      // `lethe eval` only needs onnxruntime, not Lethe's training graph: a refusal there may come from onnxruntime.
      expectCleanRefusal(evaluated, basename(file));
    }
    console.log(`[corpus] CLI: ${ONNX_CASES.length} hostile checkpoints refused by lethe unlearn and lethe eval with exit 1 and one stderr line`);
  });

  it(`${DATA_CASES.length} hostile datasets`, async () => {
    const results = await inParallel(3, DATA_CASES.map((c) => async () => {
      const dir = join(root, 'data', c.name);
      for (const [rel, content] of Object.entries(c.files)) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), content);
      }
      return { c, r: await unlearn(ws.model, join(dir, c.entry)) };
    }));
    // The CLI gives a model, so a case may also fail the model's input shape first: the line names a file of the case.
    for (const { c, r } of results) expectCleanRefusal(r, `/data/${c.name}/`);
    console.log(`[corpus] CLI: ${DATA_CASES.length} hostile datasets refused with exit 1 and one stderr line`);
  });

  it('hostile forget sets and job files', async () => {
    const job = (name: string, text: string) => {
      const file = join(ws.root, name);
      writeFileSync(file, text);
      return file;
    };
    const cases: [string[], RegExp][] = [
      [['unlearn', '--model', ws.model, '--data', ws.data, '--forget', ws.forget('none', { kind: 'ids', ids: [] }), '--no-reference'], /none\.forget\.json: selection\.ids/],
      [['unlearn', '--model', ws.model, '--data', ws.data, '--forget', ws.forget('ghost', { kind: 'ids', ids: ['train:99999'] }), '--no-reference'], /ghost\.forget\.json: selection\.ids: ids not in the training split: "?train:99999/],
      [['unlearn', '--model', ws.model, '--data', ws.data, '--forget', ws.forget('all', { kind: 'indices', indices: Array.from({ length: 200 }, (_, i) => i) }), '--no-reference'], /all\.forget\.json: selection: the selection covers all 200 training examples/],
      [['unlearn', '--model', ws.model, '--data', ws.data, '--forget', job('broken.forget.json', '{"version": 1, "dataset": '), '--no-reference'], /broken\.forget\.json: not valid JSON/],
      [['unlearn', '--job', job('a.lethe.yaml', 'model: model.onnx\ndata: fashion-data\nforget: few.forget.json\nsparkle: 1\n')], /a\.lethe\.yaml: sparkle: unknown key/],
      [['unlearn', '--job', job('b.lethe.yaml', 'model: model.onnx\ndata: fashion-data\nforget: few.forget.json\ntraining: {epochs: three}\n')], /b\.lethe\.yaml: training\.epochs/],
      [['unlearn', '--job', job('c.lethe.yaml', 'model: [unclosed\n')], /c\.lethe\.yaml: not valid YAML/],
      [['unlearn', '--job', job('d.lethe.yaml', 'model: !weird model.onnx\ndata: fashion-data\nforget: few.forget.json\nmethod: 7\n')], /d\.lethe\.yaml: method/],
      [['unlearn', '--job', job('e.lethe.json', '\u0000\u0001binary')], /e\.lethe\.json: not valid JSON/],
      [['unlearn', '--job', join(ws.root, 'missing.lethe.yaml')], /missing\.lethe\.yaml: cannot read job file \(ENOENT\)/],
      [['unlearn', '--model', ws.model, '--data', ws.data, '--forget', forget, '--method', 'gradient-ascent', '--param', 'lr=1e9', '--no-reference'], /parameter "lr" must be/],
      [['unlearn', '--model', ws.model, '--data', ws.data, '--forget', forget, '--no-reference'], /./], // LETHE_MAX_MEMORY_MB below
    ];
    const results = await inParallel(3, cases.map(([args], i) => () => lethe(args, { cwd: ws.root, env: i === cases.length - 1 ? { LETHE_MAX_MEMORY_MB: '1' } : {} })));
    results.forEach((r, i) => expectCleanRefusal(r, cases[i][1]));
    expectCleanRefusal(results[results.length - 1], /over the limit of 1\.0 MB/);
    console.log(`[corpus] CLI: ${cases.length} hostile forget sets, job files and limits refused with exit 1 and one stderr line`);
  });
});

it('no refused job left anything in the output folder', () => {
  expect(existsSync(join(root, 'runs'))).toBe(false);
  expect(existsSync(join(ws.root, 'lethe-runs'))).toBe(false);
});
