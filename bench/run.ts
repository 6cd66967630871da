/**
 * `npm run bench`: measures the engine, the audit and attribution, and the unlearning methods, and writes
 * bench/RESULTS.md with the machine and date. Sections can be run alone (`npm run bench -- engine`); each
 * section's latest figures are kept in bench/results/<section>.md, stamped with their own machine and date,
 * and RESULTS.md is assembled from all of them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditSection, trakSection } from './audit';
import { engineSection } from './engine';
import { machineLine } from './machine';
import { klomSection } from './klom';
import { methodsSection } from './methods';

const SECTIONS: Record<string, () => Promise<string>> = {
  engine: engineSection,
  audit: auditSection,
  trak: trakSection,
  methods: methodsSection,
  klom: klomSection,
};

async function main(): Promise<void> {
  const chosen = process.argv.slice(2).filter((a) => a in SECTIONS);
  const names = chosen.length > 0 ? chosen : Object.keys(SECTIONS);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  for (const name of names) {
    const started = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const body = await SECTIONS[name]();
    const [heading, ...rest] = body.split('\n');
    writeFileSync(join(dir, `${name}.md`), [heading, '', `_Measured ${started} UTC on ${machineLine()}._`, ...rest].join('\n'));
  }
  const parts = Object.keys(SECTIONS)
    .map((name) => join(dir, `${name}.md`))
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f, 'utf8'));
  const text = ['# Lethe benchmark results', '', 'Produced by `npm run bench` (sections: `npm run bench -- engine audit trak methods klom`). Each section carries the machine and date it was measured on.', '', ...parts].join('\n');
  writeFileSync(join(__dirname, 'RESULTS.md'), text);
  process.stdout.write(text);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
