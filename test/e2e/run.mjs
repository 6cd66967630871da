// End-to-end suite: the packaged .vsix in code-server, driven by headless Debian Chromium through
// playwright-core. The outcome is the result file (test/e2e/.work/result.json), written whatever
// happens; the exit code follows it. Options: --only <scenario,...> (names from scenarios.mjs, or
// host-checks), --keep (leave the last server up), --skip-package (reuse the last .vsix).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, ensureCodeServer, ensureSystemPackages } from './lib/setup.mjs';
import { buildAndPackage } from './lib/package.mjs';
import { installExtension, startServer } from './lib/server.mjs';
import { prepareWorkspace } from './lib/workspace.mjs';
import { Workbench } from './lib/workbench.mjs';
import { restrictedScenarios, scenarios } from './lib/scenarios.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const work = join(here, '.work');
const shots = join(here, 'screenshots');
const resultFile = join(work, 'result.json');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
const log = (m) => console.log(`[e2e ${new Date().toISOString().slice(11, 19)}] ${m}`);

const result = { startedAt: new Date().toISOString(), ok: false, setup: 'pending', scenarios: [] };
const save = () => writeFileSync(resultFile, JSON.stringify(result, null, 2) + '\n');
mkdirSync(work, { recursive: true });
mkdirSync(shots, { recursive: true });
save();

async function record(name, title, fn) {
  const t0 = Date.now();
  log(`scenario ${name}`);
  try {
    await fn();
    result.scenarios.push({ name, title, ok: true, seconds: (Date.now() - t0) / 1000 });
    log(`  ok (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    result.scenarios.push({ name, title, ok: false, seconds: (Date.now() - t0) / 1000, error: String(e?.message ?? e).split('\n').slice(0, 6).join('\n') });
    log(`  FAILED: ${e?.message ?? e}`);
  }
  save();
}

/**
 * One code-server with its own user data and a fresh copy of the example workspace, one page (every
 * page load starts another extension host: recipe gotcha 6), the given scenarios in order.
 */
async function session(browser, codeServer, vsix, { name, trusted, list }) {
  const selected = list.filter((s) => !only || only.includes(s.name));
  if (!selected.length) return;
  const rt = join(work, `rt-${name}`);
  installExtension(codeServer, rt, vsix);
  // The folder keeps the example's name: the engine names Fashion-MNIST's classes from its path.
  const workspace = prepareWorkspace(repo, join(work, `ws-${name}`, 'fashion-mnist'));
  const server = await startServer(codeServer, rt, workspace, { trusted });
  log(`${name} session: code-server at ${server.base}; workspace ${workspace}`);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    const wb = new Workbench(page);
    await wb.open(server.base, workspace);
    const ctx = { wb, page, workspace, shots, log, rt };
    for (const s of selected) {
      await record(s.name, s.title, () =>
        s.run(ctx).catch(async (e) => {
          await page.screenshot({ path: join(work, `failed-${s.name}.png`) }).catch(() => undefined);
          throw e;
        }),
      );
    }
  } finally {
    await page.close().catch(() => undefined);
    if (args.includes('--keep')) log(`kept running: ${server.base}`);
    else server.stop();
  }
}

let browser;
try {
  ensureSystemPackages(work, log);
  const codeServer = ensureCodeServer(work, log);
  const vsix = join(work, 'lethe.vsix');
  if (!(args.includes('--skip-package') && existsSync(vsix))) buildAndPackage(repo, vsix, log);
  result.setup = 'ok';
  save();

  // Host-side checks first (worker lifecycle, cleanup, page escaping): fast, and they use the fresh worker bundle.
  if (!only || only.includes('host-checks')) await record('host-checks', 'Worker lifecycle, cancel cleanup and extension logic (vitest, real child processes)', async () => {
    const host = spawnSync(join(repo, 'node_modules', '.bin', 'vitest'), ['run', '--config', 'test/e2e/host/vitest.config.mjs'], { cwd: repo, stdio: 'inherit' });
    if (host.status !== 0) throw new Error(`vitest exited with ${host.status}`);
  });

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await session(browser, codeServer, vsix, { name: 'trusted', trusted: true, list: scenarios });
  await session(browser, codeServer, vsix, { name: 'restricted', trusted: false, list: restrictedScenarios });
  result.ok = result.scenarios.length > 0 && result.scenarios.every((s) => s.ok);
} catch (e) {
  result.setup = result.setup === 'ok' ? result.setup : `failed: ${e?.message ?? e}`;
  result.error = String(e?.message ?? e);
  log(`suite failed: ${e?.stack ?? e}`);
} finally {
  result.finishedAt = new Date().toISOString();
  save();
  await browser?.close().catch(() => undefined);
}
log(`${result.ok ? 'PASSED' : 'FAILED'}: ${result.scenarios.filter((s) => s.ok).length}/${result.scenarios.length} scenarios; result in ${resultFile}`);
process.exit(result.ok ? 0 : 1);
