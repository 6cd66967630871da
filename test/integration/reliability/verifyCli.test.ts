/** `lethe verify` through the shipped CLI: a signed run verifies with its key, a hostile provenance.json is one line and exit 1. */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { smallWorkspace } from '../../corpus/workspace';
import { expectCleanRefusal, lethe } from './cli';

const ws = smallWorkspace(200, 60);
afterAll(() => ws.remove());

it('a run signed with LETHE_SIGN_KEY verifies with --key; a FIFO provenance.json is refused, not waited on', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(join(ws.root, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(ws.root, 'pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  const forget = ws.forget('f', { kind: 'indices', indices: [1, 2, 3] });
  const run = await lethe(['unlearn', '--model', ws.model, '--data', ws.data, '--forget', forget, '--param', 'epochs=1', '--no-reference', '--out', 'runs', '--json'], { cwd: ws.root, env: { LETHE_SIGN_KEY: 'key.pem' } });
  expect(run.code, run.stderr).toBe(0);
  const runDir = join(ws.root, 'runs', readdirSync(join(ws.root, 'runs'))[0]);
  expect(readdirSync(runDir)).toContain('provenance.sig');

  const signed = await lethe(['verify', runDir, '--key', 'pub.pem'], { cwd: ws.root });
  expect(signed.code, signed.stderr).toBe(0);
  expect(signed.stdout).toMatch(/^verified: \d+ files match provenance\.json; provenance\.sig verified with the key; \d+ inputs outside the run folder not checked/);

  expectCleanRefusal(await lethe(['unlearn', '--model', ws.model, '--data', ws.data, '--forget', forget, '--sign-key', 'pub.pem'], { cwd: ws.root }), /pub\.pem: is not a PEM key Lethe can read/);

  const hostile = join(ws.root, 'runs', 'hostile');
  cpSync(runDir, hostile, { recursive: true });
  rmSync(join(hostile, 'provenance.json'));
  expect(spawnSync('mkfifo', [join(hostile, 'provenance.json')]).status).toBe(0);
  expectCleanRefusal(await lethe(['verify', hostile], { timeoutMs: 20_000 }), /provenance\.json: the provenance is a FIFO \(named pipe\), not a regular file; refused/);

  const edited = join(ws.root, 'runs', 'edited');
  cpSync(runDir, edited, { recursive: true });
  writeFileSync(join(edited, 'report.json'), readFileSync(join(edited, 'report.json'), 'utf8').replace('"seed"', '"seed" '));
  const tampered = await lethe(['verify', edited]);
  expect(tampered.code).toBe(3);
  expect(tampered.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^NOT verified: report report\.json: sha256 /)]);
});
