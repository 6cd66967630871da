// Builds the bundles and packages the .vsix the way a user gets it, then checks what is inside.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export function buildAndPackage(repo, out, log) {
  log('building bundles');
  run('node', ['scripts/build.mjs'], repo);
  log('packaging the .vsix');
  // With dependencies (not --no-dependencies): vsce then honours the .vscodeignore negations that keep
  // onnxruntime-node's linux-x64 addon; with --no-dependencies it drops node_modules entirely.
  run(join(repo, 'node_modules', '.bin', 'vsce'), ['package', '--out', out], repo);
  const files = execFileSync('unzip', ['-Z1', out], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const must = [
    'extension/dist/extension.js',
    'extension/dist/worker.js',
    'extension/dist/webview.js',
    'extension/package.json',
    'extension/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
    'extension/node_modules/onnxruntime-common/dist/cjs/index.js',
  ];
  const missing = must.filter((f) => !files.includes(f));
  const unwanted = files.filter((f) => /\/(darwin|win32)\/|linux\/arm64|\/src\/|\.ts$|\.map$|test\/|examples\//.test(f));
  if (missing.length || unwanted.length) {
    throw new Error(`the .vsix is wrong: missing ${missing.join(', ') || 'nothing'}; should not contain ${unwanted.slice(0, 10).join(', ') || 'nothing'}`);
  }
  return files;
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}
