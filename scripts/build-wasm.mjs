// Compiles the WebAssembly kernels from their text source (src/**/kernels/*.wat) into TypeScript modules
// holding the bytes, so the engine loads them synchronously and the bundles need no extra files.
// Run after editing a .wat file: `npm run build:kernels`. test/unit/train/kernels.test.ts checks
// that the committed output matches its source.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import wabtInit from 'wabt';

export const KERNELS = [{ source: 'src/engine/train/kernels/optim.wat', output: 'src/engine/train/kernels/optimWasm.ts', name: 'OPTIM_WASM' }];

/** The TypeScript module for one .wat source. */
export async function compileKernel({ source, name }) {
  const wabt = await wabtInit();
  const module = wabt.parseWat(basename(source), readFileSync(source, 'utf8'));
  module.validate();
  const bytes = Buffer.from(module.toBinary({}).buffer);
  module.destroy();
  const lines = bytes.toString('base64').match(/.{1,100}/g).map((l) => `  '${l}' +`);
  return [
    `// Generated from ${basename(source)} by scripts/build-wasm.mjs; do not edit.`,
    `export const ${name} = Buffer.from(`,
    ...lines.slice(0, -1),
    lines[lines.length - 1].replace(/ \+$/, ','),
    `  'base64',`,
    ');',
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const k of KERNELS) writeFileSync(k.output, await compileKernel(k));
}
