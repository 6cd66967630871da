/**
 * A `*.lethe.yaml` job file written for the user to edit: the job the picker would have run, with every
 * parameter of the chosen method at its default and its description, type and range as a comment above it.
 * Pure, so its output is unit-tested against the engine's own parsers.
 */
import { stringify } from 'yaml';
import type { JobSpecInput } from '../../engine/contracts/jobSpec';
import type { MethodDescription } from '../../engine/methods/registry';
import type { RecipeInfo } from './methodChoices';

type Param = MethodDescription['params'][number];

/** "number, 0 to 10" / "one of: a, b" / "true or false". */
function paramKind(p: Param): string {
  if (p.type === 'enum') return `one of: ${p.values.join(', ')}`;
  if (p.type === 'boolean') return 'true or false';
  const range = p.min !== undefined && p.max !== undefined ? `, ${p.min} to ${p.max}` : p.min !== undefined ? `, at least ${p.min}` : p.max !== undefined ? `, at most ${p.max}` : '';
  return `${p.type}${range}`;
}

const comment = (text: string, indent = '') => `${indent}# ${text.replace(/\s*\n\s*/g, ' ')}\n`;

/** `spec` carries `training` only when the recipe is known (recorded in the model or given by a training config). */
export function jobFileText(spec: JobSpecInput, method: MethodDescription, recipe: RecipeInfo): string {
  const { params: _ignored, training, output, threads, ...head } = spec;
  let text =
    comment(`Lethe job: ${method.title} (${method.citation}).`) +
    comment('Change the parameters below, then click "Run unlearning" above this file (or run `lethe unlearn --job <this file>`).') +
    comment('Parameters you delete take their defaults; `lethe methods` lists every method.') +
    stringify({ version: 1, ...head, method: method.name });
  text += method.params.length ? 'params:\n' : 'params: {}\n';
  for (const p of method.params) text += comment(`${p.description} (${paramKind(p)})`, '  ') + `  ${stringify({ [p.name]: p.default })}`;
  if (training) {
    text += comment(
      recipe.source === 'model'
        ? 'How the original was trained, as recorded in its metadata (lethe.recipe): the retrain reference follows it.'
        : 'How the original was trained: the retrain reference follows it.',
    );
    text += stringify({ training });
  }
  const tail = Object.fromEntries(Object.entries({ output, threads }).filter(([, v]) => v !== undefined));
  return Object.keys(tail).length ? text + stringify(tail) : text;
}
