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

main(process.argv.slice(2)).catch((e: unknown) => {
  // Input problems are the user's to fix: one clear line. Anything else is our bug: keep the stack.
  process.stderr.write(isLetheError(e) ? `lethe: ${e.message}\n` : `lethe: internal error: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
