import { describeMethods } from '../../engine/methods/registry';
import { parse } from '../args';
import { print } from '../common';

export const help = `lethe methods [--json]
  Every unlearning method with its citation, what it needs and its parameters (type, reference default, range,
  and how a job derives it from the original's training recipe when it is left unset).`;

export async function run(argv: string[]): Promise<void> {
  const v = parse('methods', argv, {});
  const methods = describeMethods();
  print(v.json === true, methods, () =>
    methods
      .map((m) => `${m.name.padEnd(16)} ${m.title}\n${' '.repeat(17)}${m.citation}\n${' '.repeat(17)}needs: ${m.needs.join(', ') || '—'}; params: ${m.params.map((p) => `${p.name}=${String(p.default)}${p.derivation ? '*' : ''}`).join(', ') || '—'}`)
      .concat("* in a job, derived from the original's training recipe unless set (docs/methods.md §2.7; the rules: lethe methods --json)")
      .join('\n'),
  );
}
