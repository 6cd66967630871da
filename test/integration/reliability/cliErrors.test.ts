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

  it('hostile forget sets, job files, flags and limits', async () => {
    const job = (name: string, text: string) => {
      const file = join(ws.root, name);
      writeFileSync(file, text);
      return file;
    };
    const fit = ['--model', ws.model, '--data', ws.data];
    const cases: { args: string[]; cause: RegExp; env?: NodeJS.ProcessEnv }[] = [
      { args: ['unlearn', ...fit, '--forget', ws.forget('none', { kind: 'ids', ids: [] }), '--no-reference'], cause: /none\.forget\.json: selection\.ids/ },
      { args: ['unlearn', ...fit, '--forget', ws.forget('ghost', { kind: 'ids', ids: ['train:99999'] }), '--no-reference'], cause: /ghost\.forget\.json: selection\.ids: ids not in the training split: "?train:99999/ },
      { args: ['unlearn', ...fit, '--forget', ws.forget('all', { kind: 'indices', indices: Array.from({ length: 200 }, (_, i) => i) }), '--no-reference'], cause: /all\.forget\.json: selection: the selection covers all 200 training examples/ },
      { args: ['unlearn', ...fit, '--forget', job('broken.forget.json', '{"version": 1, "dataset": '), '--no-reference'], cause: /broken\.forget\.json: not valid JSON/ },
      { args: ['unlearn', '--job', job('a.lethe.yaml', 'model: model.onnx\ndata: fashion-data\nforget: few.forget.json\nsparkle: 1\n')], cause: /a\.lethe\.yaml: sparkle: unknown key/ },
      { args: ['unlearn', '--job', job('b.lethe.yaml', 'model: model.onnx\ndata: fashion-data\nforget: few.forget.json\ntraining: {epochs: three}\n')], cause: /b\.lethe\.yaml: training\.epochs/ },
      { args: ['unlearn', '--job', job('c.lethe.yaml', 'model: [unclosed\n')], cause: /c\.lethe\.yaml: line \d+, column \d+: not valid YAML/ },
      // An unknown YAML tag makes the yaml library warn on stderr unless told not to.
      { args: ['unlearn', '--job', job('d.lethe.yaml', 'model: !weird model.onnx\ndata: fashion-data\nforget: few.forget.json\nmethod: 7\n')], cause: /d\.lethe\.yaml: method/ },
      { args: ['unlearn', '--job', job('e.lethe.json', '\u0000\u0001binary')], cause: /e\.lethe\.json: not valid JSON/ },
      { args: ['unlearn', '--job', join(ws.root, 'missing.lethe.yaml')], cause: /missing\.lethe\.yaml: cannot read job file \(ENOENT\)/ },
      { args: ['unlearn', ...fit, '--forget', forget, '--method', 'gradient-ascent', '--param', 'lr=1e9', '--no-reference'], cause: /parameter "lr" must be/ },
      { args: ['unlearn', ...fit, '--forget', forget, '--method', 'gradient-ascent', '--param', '__proto__={"lr":1}', '--no-reference'], cause: /params\.__proto__: unknown key/ },
      { args: ['unlearn', ...fit, '--forget', forget, '--method', 'gradient-ascent', '--param', 'constructor=1', '--no-reference'], cause: /unknown parameter "constructor"/ },
      { args: ['unlearn', ...fit, '--forget', forget, '--no-reference'], cause: /the job needs about .* over the limit of 1\.0 MB/, env: { LETHE_MAX_MEMORY_MB: '1' } },
      { args: ['unlearn', ...fit, '--forget', forget, '--no-reference'], cause: /LETHE_MAX_MEMORY_MB must be a positive number of megabytes, not "lots"/, env: { LETHE_MAX_MEMORY_MB: 'lots' } },
      { args: ['unlearn', ...fit, '--forget', forget, '--seed', 'abc'], cause: /--seed must be a whole number ≥ 0, not "abc"/ },
      { args: ['eval', ...fit, '--threads', 'abc'], cause: /--threads must be a whole number ≥ 0, not "abc"/ },
      { args: ['train', ...fit, '--seed', '1.5', '--out', join(ws.root, 'never.onnx')], cause: /--seed must be a whole number/ },
      { args: ['logits', ...fit, '--indices', '-3'], cause: /Option '--indices' argument is ambiguous\. Did you forget/ },
      { args: ['logits', ...fit, '--indices', '5:5'], cause: /--indices 5:5 selects nothing: A:B means A ≤ i < B/ },
      { args: ['eval', ...fit, '--indices', '9:2'], cause: /--indices 9:2 selects nothing/ },
      { args: ['grad', ...fit, '--indices', '0:99999'], cause: /--indices 0:99999 is outside 0:200 \(the split has 200 examples\)/ },
      { args: ['logits', ...fit, '--indices', 'abc'], cause: /--indices "abc" is not A:B or A/ },
      { args: ['logits', ...fit, '--split', 'valid'], cause: /--split must be train or test, not "valid"/ },
      { args: ['eval', '--model', join(ws.root, 'absent.onnx'), '--data', ws.data], cause: /absent\.onnx: cannot read model \(ENOENT\)/ },
      { args: ['train', ...fit, '--epochs', '1', '--nesterov', '--momentum', '0', '--out', join(ws.root, 'never.onnx')], cause: /Nesterov momentum needs momentum > 0/ },
      { args: ['train', ...fit, '--epochs', '1', '--nesterov', '--optimizer', 'adam', '--out', join(ws.root, 'never.onnx')], cause: /--nesterov: Nesterov momentum applies to the sgd optimizer only/ },
    ];
    const results = await inParallel(3, cases.map(({ args, env }) => () => lethe(args, { cwd: ws.root, env })));
    results.forEach((r, i) => expectCleanRefusal(r, cases[i].cause));
    console.log(`[corpus] CLI: ${cases.length} hostile forget sets, job files, flags and limits refused with exit 1 and one stderr line`);
  });
});

it('no refused job left anything in the output folder', () => {
  expect(existsSync(join(root, 'runs'))).toBe(false);
  expect(existsSync(join(ws.root, 'lethe-runs'))).toBe(false);
});
