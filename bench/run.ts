/**
 * `npm run bench`: measures the engine, the audit and attribution, and the unlearning methods, and writes
 * bench/RESULTS.md with the machine and date. Sections can be chosen: `npm run bench -- engine audit`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { engineSection } from './engine';
import { machineLine } from './machine';
import { methodsSection } from './methods';
import { auditSection } from './audit';

const SECTIONS: Record<string, () => Promise<string>> = {
  engine: engineSection,
  audit: auditSection,
  methods: methodsSection,
};

async function main(): Promise<void> {
  const chosen = process.argv.slice(2).filter((a) => a in SECTIONS);
  const names = chosen.length > 0 ? chosen : Object.keys(SECTIONS);
  const parts: string[] = [];
  for (const name of names) parts.push(await SECTIONS[name]());
  const header = ['# Lethe benchmark results', '', `Machine: ${machineLine()}. Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`, `Produced by \`npm run bench${chosen.length ? ' -- ' + chosen.join(' ') : ''}\`.`, ''];
  const text = [...header, ...parts].join('\n');
  writeFileSync(join(__dirname, 'RESULTS.md'), text);
  process.stdout.write(text);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
