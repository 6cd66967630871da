/**
 * No error message quotes what a file holds (test/corpus/secretCases.ts): every reader, fed a secret in every
 * malformed shape, and fed /proc/self/environ through a link, refuses with a LetheError that holds neither the secret
 * nor any value of the process environment.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isLetheError } from '../../../src/engine/util/errors';
import { SECRET_CONTENTS, SECRET_PIECES, SECRET_PLACES } from '../../corpus/secretCases';
import type { Files } from '../../corpus/dataCases';

const root = mkdtempSync(join(tmpdir(), 'lethe-secrets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const LINK = '\u0000link to /proc/self/environ\u0000';

function writeFiles(dir: string, files: Files): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    if (content === LINK) symlinkSync('/proc/self/environ', join(dir, rel));
    else writeFileSync(join(dir, rel), content);
  }
}

/** The message of the refusal; fails the test if the call succeeded or ended in anything but a LetheError. */
async function refusal(attempt: () => Promise<unknown>): Promise<string> {
  try {
    await attempt();
  } catch (e) {
    if (!isLetheError(e)) throw new Error(`not a LetheError: ${(e as Error)?.stack ?? String(e)}`);
    expect(e.message.split('\n'), 'one line').toHaveLength(1);
    return e.message;
  }
  throw new Error('the secret was accepted as input');
}

describe(`secrets in ${SECRET_PLACES.length} readers × ${Object.keys(SECRET_CONTENTS).length} shapes`, () => {
  it('prints the corpus size', () => {
    console.log(`[corpus] secrets: ${SECRET_PLACES.length * Object.keys(SECRET_CONTENTS).length} secret files refused without quoting them, plus /proc/self/environ through ${SECRET_PLACES.length} readers`);
  });

  for (const place of SECRET_PLACES) {
    it(`${place.name}: no error quotes the secret`, async () => {
      for (const [shape, content] of Object.entries(SECRET_CONTENTS)) {
        const dir = join(root, place.name, shape);
        writeFiles(dir, place.files(content));
        const message = await refusal(() => place.attempt(dir));
        for (const piece of SECRET_PIECES) expect(message, `${place.name} with a ${shape} secret`).not.toContain(piece);
      }
    });
  }
});

describe.runIf(process.platform === 'linux')('/proc/self/environ read through a link', () => {
  // Values of this process's environment that could not appear in a message by chance (a path of the case would).
  const environ = readFileSync('/proc/self/environ', 'latin1').split('\0').map((e) => e.slice(e.indexOf('=') + 1));
  for (const place of SECRET_PLACES) {
    it(`${place.name}: no error holds a value of the environment`, async () => {
      const dir = join(root, 'environ', place.name);
      writeFiles(dir, place.files(LINK));
      const message = await refusal(() => place.attempt(dir));
      const leaked = environ.filter((v) => v.length >= 12 && !dir.includes(v) && message.includes(v));
      expect(leaked, message).toEqual([]);
    });
  }
});
