import { describe, expect, it } from 'vitest';
import { isHostToWebview, parseViewState } from '../../../webview/protocol';
import { parseWebviewMessage } from '../../../src/extension/report/webviewMessages';

describe('parseWebviewMessage (host side, every message from the webview)', () => {
  it('accepts exactly the four message shapes and returns fresh objects', () => {
    for (const type of ['ready', 'export', 'revealRun'] as const) {
      const message = { type };
      const parsed = parseWebviewMessage(message);
      expect(parsed).toEqual({ type });
      expect(parsed).not.toBe(message);
    }
    expect(parseWebviewMessage({ type: 'openFile', path: 'models/fmnist-mlp.onnx' })).toEqual({ type: 'openFile', path: 'models/fmnist-mlp.onnx' });
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'ready'],
    ['a number', 1],
    ['an array', [{ type: 'ready' }]],
    ['no type', {}],
    ['an unknown type', { type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['a type of the wrong case', { type: 'Ready' }],
    ['a non-string type', { type: ['ready'] }],
    ['extra keys on ready', { type: 'ready', report: {} }],
    ['extra keys on export', { type: 'export', path: '/etc/passwd' }],
    ['openFile without path', { type: 'openFile' }],
    ['openFile with a non-string path', { type: 'openFile', path: { toString: () => 'x' } }],
    ['openFile with an empty path', { type: 'openFile', path: '' }],
    ['openFile with a NUL byte', { type: 'openFile', path: 'models/a.onnx\0.txt' }],
    ['openFile with an overlong path', { type: 'openFile', path: 'a/'.repeat(3000) }],
    ['openFile with extra keys', { type: 'openFile', path: 'a.onnx', line: 3 }],
    ['an own __proto__ key (as JSON.parse makes)', JSON.parse('{"type":"ready","__proto__":{"polluted":true}}')],
  ])('rejects %s', (_name, message) => {
    expect(parseWebviewMessage(message)).toBeUndefined();
  });
});

describe('parseViewState (serializer, after a reload)', () => {
  it('keeps the report path and the toggle', () => {
    expect(parseViewState({ reportPath: '/w/runs/a/report.json', differencesOnly: true })).toEqual({ reportPath: '/w/runs/a/report.json', differencesOnly: true });
    expect(parseViewState({ reportPath: '/w/r.json' })).toEqual({ reportPath: '/w/r.json', differencesOnly: false });
  });

  it.each([[undefined], [null], ['path'], [{}], [{ reportPath: 3 }], [{ reportPath: '' }]])('rejects %j', (state) => {
    expect(parseViewState(state)).toBeUndefined();
  });
});

describe('isHostToWebview (app side)', () => {
  it('recognises a report message and nothing else', () => {
    expect(isHostToWebview({ type: 'report', report: { name: 'r' }, reportPath: '/r.json' })).toBe(true);
    expect(isHostToWebview({ type: 'report', report: null, reportPath: '/r.json' })).toBe(false);
    expect(isHostToWebview({ type: 'report', report: {} })).toBe(false);
    expect(isHostToWebview({ type: 'ready' })).toBe(false);
    expect(isHostToWebview('report')).toBe(false);
  });
});
