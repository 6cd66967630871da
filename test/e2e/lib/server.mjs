// One code-server per suite run, with its own user data, extensions, config and TMPDIR (recipe A,
// gotchas 6, 7, 11): started in its own process group and stopped by that group id, never by name.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Keep toasts on screen until the test reads them.
  'workbench.notifications.autoHide': false,
  'explorer.confirmDragAndDrop': false,
};

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export function installExtension(codeServer, rt, vsix) {
  const env = serverEnv(rt);
  const r = spawnSync(codeServer, ['--user-data-dir', join(rt, 'ud'), '--extensions-dir', join(rt, 'ext'), '--install-extension', vsix, '--force'], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`installing the .vsix into code-server failed: ${r.stderr || r.stdout}`);
}

function serverEnv(rt) {
  for (const d of ['config', 'data', 'cache', 'tmp']) mkdirSync(join(rt, d), { recursive: true });
  return { ...process.env, XDG_CONFIG_HOME: join(rt, 'config'), XDG_DATA_HOME: join(rt, 'data'), XDG_CACHE_HOME: join(rt, 'cache'), TMPDIR: join(rt, 'tmp') };
}

/**
 * `trusted: false` keeps workspace trust on and never prompts, so the folder opens in Restricted Mode
 * (what a user gets by answering "No" to the trust question).
 */
export async function startServer(codeServer, rt, workspace, { trusted }) {
  rmSync(join(rt, 'ud'), { recursive: true, force: true }); // no workspace state (run history, trust) from earlier suites
  mkdirSync(join(rt, 'ud', 'User'), { recursive: true });
  const trust = trusted ? {} : { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' };
  writeFileSync(join(rt, 'ud', 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...trust }, null, 2));
  const port = await freePort();
  const logFile = join(rt, 'code-server.log');
  const out = openSync(logFile, 'w');
  const child = spawn(
    codeServer,
    ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', ...(trusted ? ['--disable-workspace-trust'] : []),
      '--disable-getting-started-override', '--ignore-last-opened', '--user-data-dir', join(rt, 'ud'), '--extensions-dir', join(rt, 'ext'), workspace],
    { env: serverEnv(rt), detached: true, stdio: ['ignore', out, out] },
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode}; see ${logFile}`);
    const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    logFile,
    stop() {
      try {
        process.kill(-child.pid, 'SIGTERM'); // the whole group: server, extension hosts, watchers, workers
      } catch {
        /* already gone */
      }
    },
  };
}
