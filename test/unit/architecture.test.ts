/**
 * The architecture invariants of ARCHITECTURE.md, checked on the imports (static, dynamic `import(…)`
 * and `require(…)`) of every .ts file under src/ and webview/. The rule numbers are those of
 * ARCHITECTURE.md; a broken rule fails with the file, the import and the rule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

/**
 * The layers from the bottom, as in ARCHITECTURE.md's code map: `engine/<folder>` for src/engine's
 * folders, then the processes. A folder imports its own files and folders of lower layers only;
 * folders within one layer do not import each other. webview/ stands beside the layers (rule 5).
 */
const LAYERS: readonly (readonly string[])[] = [
  ['engine/util'],
  ['engine/graph'],
  ['engine/contracts'],
  ['engine/data', 'engine/tfjs', 'engine/autodiff'],
  ['engine/onnx', 'engine/report'],
  ['engine/metrics', 'engine/runtime'],
  ['engine/train'],
  ['engine/attribution'],
  ['engine/methods'],
  ['engine/job'],
  ['engine/calibrate'],
  ['cli', 'worker'],
  ['extension'],
];

const RULES = {
  1: 'the engine never imports vscode, src/extension, src/worker, src/cli or webview/',
  2: 'only src/extension imports vscode',
  3: 'only src/cli and src/worker import the job runner (src/engine/job/run)',
  4: 'imports point down the layers: a folder imports its own files and lower layers only, never a folder of its own layer or above',
  5: 'the report app (webview/) imports nothing from src/ except src/engine/contracts, and no Node built-in',
  6: 'src/engine/contracts imports nothing but zod and itself',
  7: 'outside their folders, src/worker and webview/ are reached only through their protocols (src/worker/protocol, webview/protocol), and only by src/extension',
} as const;

/** One import: `from` is a repository path of a .ts file; `to` is a repository path without extension, or a package name. */
interface Import {
  from: string;
  to: string;
}

interface Violation {
  import: Import;
  rule: keyof typeof RULES;
}

/** The area a repository path belongs to: `engine/<folder>`, `cli`, `worker`, `extension` or `webview`. */
function areaOf(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] === 'webview') return 'webview';
  if (parts[0] !== 'src') return undefined;
  return parts[1] === 'engine' ? `engine/${parts[2]}` : parts[1];
}

function layerOf(area: string): number {
  return LAYERS.findIndex((layer) => layer.includes(area));
}

const isRelative = (specifier: string) => specifier.startsWith('.');
const withoutExtension = (path: string) => path.replace(/\.(ts|js)$/, '');

/** Every rule the import breaks (usually none). */
function brokenRules(imp: Import): (keyof typeof RULES)[] {
  const from = areaOf(imp.from)!;
  const inEngine = from.startsWith('engine/');
  const local = imp.to.startsWith('src/') || imp.to.startsWith('webview/');
  const to = local ? areaOf(imp.to) : undefined;
  const broken: (keyof typeof RULES)[] = [];

  if (inEngine && (imp.to === 'vscode' || (to !== undefined && !to.startsWith('engine/')))) broken.push(1);
  if (imp.to === 'vscode' && from !== 'extension') broken.push(2);
  if (withoutExtension(imp.to) === 'src/engine/job/run' && from !== 'cli' && from !== 'worker') broken.push(3);
  if (to !== undefined && to !== from) {
    const [a, b] = [layerOf(from), layerOf(to)];
    if (a >= 0 && b >= 0 && a <= b) broken.push(4);
    if (from === 'webview' && to !== 'engine/contracts') broken.push(5);
    if (to === 'worker' && !(from === 'extension' && withoutExtension(imp.to) === 'src/worker/protocol')) broken.push(7);
    if (to === 'webview' && !(from === 'extension' && withoutExtension(imp.to) === 'webview/protocol')) broken.push(7);
  }
  if (from === 'webview' && imp.to.startsWith('node:')) broken.push(5);
  if (from === 'engine/contracts' && !(imp.to === 'zod' || to === 'engine/contracts')) broken.push(6);
  return broken;
}

function violations(imports: readonly Import[]): Violation[] {
  return imports.flatMap((imp) => brokenRules(imp).map((rule) => ({ import: imp, rule })));
}

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The imports of a file as the compiler's pre-processor sees them (comments and strings are not imports). */
function importsOf(file: string): Import[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return importedFiles.map(({ fileName }) => ({
    from: file,
    to: isRelative(fileName) ? relative(ROOT, resolve(ROOT, dirname(file), fileName)).split('\\').join('/') : fileName,
  }));
}

const describeViolation = (v: Violation) => `${v.import.from} imports ${v.import.to}: breaks rule ${v.rule} (${RULES[v.rule]})`;

describe('architecture (ARCHITECTURE.md, "Invariants")', () => {
  const files = [...tsFiles('src'), ...tsFiles('webview')];
  const imports = files.flatMap(importsOf);

  it('scans every source file and sees its imports', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(imports.length).toBeGreaterThan(files.length);
    for (const file of files) expect(areaOf(file), `${file} is in no area of the code map`).toBeDefined();
    // Every engine folder has its place in the layers.
    for (const folder of readdirSync(join(ROOT, 'src/engine'), { withFileTypes: true }).filter((e) => e.isDirectory())) {
      expect(layerOf(`engine/${folder.name}`), `src/engine/${folder.name} is missing from LAYERS`).toBeGreaterThanOrEqual(0);
    }
  });

  it('the layers are those of ARCHITECTURE.md, in the same order', () => {
    const doc = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');
    const rule = /^4\. \*\*Imports point down the layers\*\*[^:]*:([\s\S]*?)\. A folder/m.exec(doc)?.[1];
    expect(rule, 'rule 4 of ARCHITECTURE.md lists the layers').toBeDefined();
    const documented = rule!.split(';').map((group) => [...group.matchAll(/`([^`]+)`/g)].map(([, name]) => name));
    const engineFolder = (area: string) => area.replace(/^engine\//, '');
    expect(documented).toEqual(LAYERS.map((layer) => layer.map(engineFolder)));
  });

  it('no import breaks a rule', () => {
    expect(violations(imports).map(describeViolation)).toEqual([]);
  });
});

describe('the rule checker', () => {
  const cases: [Import, keyof typeof RULES][] = [
    [{ from: 'src/engine/report/html.ts', to: 'webview/protocol' }, 1],
    [{ from: 'src/engine/job/run.ts', to: 'vscode' }, 1],
    [{ from: 'src/worker/main.ts', to: 'vscode' }, 2],
    [{ from: 'src/extension/jobs/jobQueue.ts', to: 'src/engine/job/run' }, 3],
    [{ from: 'src/engine/job/writeRun.ts', to: 'src/engine/job/run' }, 3],
    [{ from: 'src/engine/train/supervised.ts', to: 'src/engine/job/spec' }, 4],
    [{ from: 'src/engine/data/load.ts', to: 'src/engine/tfjs/load' }, 4],
    [{ from: 'webview/main.ts', to: 'src/engine/report/html' }, 5],
    [{ from: 'webview/main.ts', to: 'node:fs' }, 5],
    [{ from: 'src/engine/contracts/report.ts', to: 'src/engine/util/errors' }, 6],
    [{ from: 'src/engine/contracts/jobSpec.ts', to: 'yaml' }, 6],
    [{ from: 'src/extension/extension.ts', to: 'src/worker/main' }, 7],
    [{ from: 'src/cli/main.ts', to: 'webview/protocol' }, 7],
  ];

  it.each(cases)('catches %j (rule %i)', (imp, rule) => {
    expect(violations([imp]).map((v) => v.rule)).toContain(rule);
  });

  it('passes imports that keep the rules', () => {
    const fine: Import[] = [
      { from: 'src/engine/methods/scrub.ts', to: 'src/engine/train/trainer' },
      { from: 'src/engine/methods/scrub.ts', to: 'src/engine/methods/common/data' },
      { from: 'src/engine/contracts/jobSpec.ts', to: 'zod' },
      { from: 'src/engine/contracts/jobSpec.ts', to: 'src/engine/contracts/recipe' },
      { from: 'src/extension/jobs/workerProcess.ts', to: 'src/worker/protocol' },
      { from: 'src/extension/report/panel.ts', to: 'webview/protocol' },
      { from: 'src/extension/extension.ts', to: 'vscode' },
      { from: 'src/worker/main.ts', to: 'src/engine/job/run' },
      { from: 'webview/main.ts', to: 'src/engine/contracts/report' },
      { from: 'webview/main.ts', to: 'chart.js' },
    ];
    expect(violations(fine)).toEqual([]);
  });
});
