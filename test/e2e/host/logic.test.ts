/** The extension's vscode-free logic: lineage, which files get code lenses, forget-set selections, the overview page. */
import { describe, expect, it } from 'vitest';
import { classifyConfig } from '../../../src/extension/codeLens/configKind';
import { describeSelection, mergeSelections, parseIdList } from '../../../src/extension/forgetSets/selection';
import { buildLineage } from '../../../src/extension/models/lineage';
import { renderOverview } from '../../../src/extension/modelOverview/overviewHtml';

describe('buildLineage', () => {
  it('puts checkpoints below the model their metadata names, resolved relative to the checkpoint', () => {
    const roots = buildLineage([
      { path: '/w/runs/r1/m.unlearned.onnx', metadata: { 'lethe.role': 'unlearned', 'lethe.parent': '../../m.onnx', 'lethe.method': 'scrub' } },
      { path: '/w/m.onnx', metadata: {} },
      { path: '/w/runs/r1/m.retrain.onnx', metadata: { 'lethe.role': 'reference', 'lethe.parent': '../../m.onnx' } },
      { path: '/w/other.onnx', metadata: { 'lethe.role': 'unlearned', 'lethe.parent': 'gone.onnx' } },
    ]);
    expect(roots.map((r) => r.model.path).sort()).toEqual(['/w/m.onnx', '/w/other.onnx']);
    const m = roots.find((r) => r.model.path === '/w/m.onnx')!;
    expect(m.children.map((c) => [c.role, c.method])).toEqual([
      ['unlearned', 'scrub'],
      ['reference', undefined],
    ]);
    expect(roots.find((r) => r.model.path === '/w/other.onnx')!.parentPath).toBe('/w/gone.onnx');
  });

  it('keeps both models of a metadata cycle visible', () => {
    const roots = buildLineage([
      { path: '/w/a.onnx', metadata: { 'lethe.parent': 'b.onnx' } },
      { path: '/w/b.onnx', metadata: { 'lethe.parent': 'a.onnx' } },
    ]);
    const all = roots.flatMap(function walk(n): string[] {
      return [n.model.path, ...n.children.flatMap(walk)];
    });
    expect(all.sort()).toEqual(['/w/a.onnx', '/w/b.onnx']);
  });
});

describe('classifyConfig', () => {
  it('recognises job files by name and training configs by their keys', () => {
    expect(classifyConfig('/w/demo.lethe.yaml', 'anything')).toEqual({ kind: 'job' });
    expect(classifyConfig('/w/train.yaml', 'checkpoint: m.onnx\ndataset: data\nbatch_size: 64\nlearning_rate: 0.1\n')).toEqual({
      kind: 'training',
      model: 'm.onnx',
      data: 'data',
      training: { batchSize: 64, lr: 0.1 },
    });
    expect(classifyConfig('/w/train.json', '{"model": "m.onnx", "data": "d"}')?.kind).toBe('training');
  });

  it('leaves other YAML and JSON alone', () => {
    expect(classifyConfig('/w/ci.yaml', 'jobs:\n  build: {}\n')).toBeUndefined();
    expect(classifyConfig('/w/x.yaml', 'model: m.onnx\n')).toBeUndefined();
    expect(classifyConfig('/w/s.forget.json', '{"model": "m", "dataset": "d"}')).toBeUndefined();
    expect(classifyConfig('/w/broken.yaml', 'model: [unclosed')).toBeUndefined();
    expect(classifyConfig('/w/notes.txt', 'model: m\ndata: d')).toBeUndefined();
  });
});

describe('forget-set selections', () => {
  it('parses id and index lists, skipping a header', () => {
    expect(parseIdList('index\n5\n2\n5\n')).toEqual({ kind: 'indices', indices: [2, 5] });
    expect(parseIdList('file:a/b.png, file:c.png')).toEqual({ kind: 'ids', ids: ['file:a/b.png', 'file:c.png'] });
    expect(parseIdList('  \n')).toBeUndefined();
  });

  it('merges only selections of the same kind (and file)', () => {
    expect(mergeSelections({ kind: 'indices', indices: [3, 1] }, { kind: 'indices', indices: [2, 3] })).toEqual({ kind: 'indices', indices: [1, 2, 3] });
    expect(mergeSelections({ kind: 'rows', file: 'a.csv', rows: [2] }, { kind: 'rows', file: 'b.csv', rows: [3] })).toBeUndefined();
    expect(mergeSelections({ kind: 'files', files: ['x'] }, { kind: 'classes', classes: ['cat'] })).toBeUndefined();
  });

  it('describes sizes in words', () => {
    expect(describeSelection({ kind: 'files', files: ['a'] })).toBe('1 file');
    expect(describeSelection({ kind: 'classes', classes: ['Sandal', 'Bag'] })).toBe('2 classes: Sandal, Bag');
    expect(describeSelection({ kind: 'rows', file: 't.csv', rows: [2, 3] })).toBe('2 rows of t.csv');
  });
});

describe('renderOverview', () => {
  const base = { title: 'm.onnx', location: 'm.onnx', bytes: 2048, derived: [], canRun: true };

  it('escapes everything taken from the model and allows only nonce scripts and styles', () => {
    const html = renderOverview(
      {
        ...base,
        summary: {
          file: 'm.onnx',
          format: 'onnx',
          producer: '<script>alert(1)</script>',
          opset: 13,
          inputs: [{ name: 'x"><img src=x onerror=alert(1)>', shape: ['batch', 1, 28, 28], elemType: 'float32' }],
          outputs: [],
          layers: [{ name: 'conv', op: 'Conv', params: 320 }],
          totalParams: 320,
          metadata: { 'lethe.role': "<b>'x'</b>" },
        },
      },
      'N0NCE',
    );
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain("default-src 'none'; style-src 'nonce-N0NCE'; script-src 'nonce-N0NCE';");
    expect(html.match(/<script(?![^>]*nonce="N0NCE")/g)).toBeNull();
    expect(html).toContain('[batch, 1, 28, 28]');
  });

  it('disables running in an untrusted workspace and comparing without a parent', () => {
    const html = renderOverview({ ...base, canRun: false }, 'n');
    expect(html).toMatch(/id="audit"[^>]*disabled/);
    expect(html).toMatch(/id="compare"[^>]*disabled/);
  });
});
