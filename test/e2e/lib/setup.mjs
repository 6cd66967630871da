// Prepares a machine for the e2e suite, following shared/testing/vscode-e2e.md (recipe A):
// Debian chromium (apt-get, when running as root), code-server 4.100.3 on the system Node 20,
// cached under test/e2e/.work so later runs start in seconds.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM = '/usr/bin/chromium';

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}${r.error ? ` (${r.error.message})` : ''}`);
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export const codeServerBin = (work) => join(work, 'cs', 'node_modules', '.bin', 'code-server');

/**
 * chromium always; for installing code-server also ripgrep and the Kerberos headers its native
 * `kerberos` module compiles against.
 */
export function ensureSystemPackages(work, log) {
  const installing = !existsSync(codeServerBin(work));
  const missing = [
    !existsSync(CHROMIUM) && 'chromium',
    installing && !which('rg') && 'ripgrep',
    installing && !existsSync('/usr/include/gssapi/gssapi.h') && 'libkrb5-dev',
  ].filter(Boolean);
  if (!missing.length) return;
  if (process.getuid?.() !== 0) throw new Error(`missing system packages: ${missing.join(', ')}; install them with apt-get (needs root)`);
  log(`installing ${missing.join(', ')} with apt-get`);
  sh('apt-get', ['update', '-qq']);
  sh('apt-get', ['install', '-y', '-qq', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** code-server from npm; native modules build against the local Node headers, ripgrep comes from apt. */
export function ensureCodeServer(work, log) {
  const dir = join(work, 'cs');
  const bin = codeServerBin(work);
  if (existsSync(bin)) return bin;
  log(`installing code-server@${CODE_SERVER_VERSION} (about 3 minutes, once)`);
  const tmp = join(work, 'tmp');
  // @vscode/ripgrep downloads from GitHub; pre-seed its cache with the system rg.
  const rgCache = join(tmp, 'vscode-ripgrep-cache-1.15.11');
  const stage = join(work, 'rgstage');
  mkdirSync(rgCache, { recursive: true });
  mkdirSync(stage, { recursive: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(which('rg'), join(stage, 'rg'));
  execFileSync('tar', ['czf', join(rgCache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), '-C', stage, 'rg']);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'lethe-e2e-code-server', private: true }));
  sh('npm', ['install', '--foreground-scripts', '--no-save', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: dir,
    env: { ...process.env, TMPDIR: tmp, npm_config_yes: 'true', npm_config_unsafe_perm: 'true' },
  });
  if (!existsSync(bin)) throw new Error(`code-server install finished but ${bin} is missing`);
  return bin;
}
