/** The `lethe` command line: the same engine as the extension, headless, for CI pipelines and benchmarks. */
import { isLetheError } from '../engine/util/errors';
import * as attribute from './commands/attribute';
import * as audit from './commands/audit';
import * as calibrate from './commands/calibrate';
import * as evaluate from './commands/evaluate';
import * as grad from './commands/grad';
import * as logits from './commands/logits';
import * as methods from './commands/methods';
import * as train from './commands/train';
import * as unlearn from './commands/unlearn';
import * as verify from './commands/verify';

interface Command {
  help: string;
  run(argv: string[]): Promise<void>;
}

const COMMANDS: Record<string, Command> = { unlearn, calibrate, audit, attribute, methods, verify, eval: evaluate, logits, grad, train };

const USAGE = `lethe: audit classifiers and make them forget chosen training data

Usage: lethe <command> [options]   (lethe <command> --help for details)

${Object.values(COMMANDS).map((c) => c.help.split('\n')[0]).join('\n')}`;

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`lethe: unknown command "${name}"\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help + '\n');
    return;
  }
  await command.run(rest);
}

/** What the system said, in words, for the errors a full disk or a forbidden folder raise. */
const SYSTEM_CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/**
 * One line for every failure: a LetheError as it is; a system error (a full disk, a forbidden folder) as its path and
 * cause; anything else is Lethe's bug, named as one. The stack only with LETHE_DEBUG=1, so a CI log holds no trace.
 */
function oneLine(e: unknown): string {
  if (isLetheError(e)) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code === 'string' && err.syscall) {
    const cause = SYSTEM_CAUSES[err.code] ?? err.code;
    return `${err.path ? `${err.path}: ` : ''}${cause} (${err.code}${err.code in SYSTEM_CAUSES ? '' : `, ${err.syscall}`})`;
  }
  const message = (err?.message ?? String(e)).split('\n')[0];
  return `internal error: ${message} (a bug in Lethe; LETHE_DEBUG=1 shows the stack)`;
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`lethe: ${oneLine(e)}\n`);
  if (process.env.LETHE_DEBUG === '1' && !isLetheError(e)) process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
