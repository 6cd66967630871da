/**
 * Which YAML/JSON documents get code lenses: Lethe job files (by name), and training configs, meaning
 * a mapping that names a model or checkpoint and a dataset. Pure, so it is cheap to run on every edit.
 */
import { parse as parseYaml } from 'yaml';

export const JOB_FILE = /\.lethe\.(ya?ml|json)$/i;

export type ConfigKind =
  | { kind: 'job' }
  | { kind: 'training'; model: string; data: string; training: Record<string, unknown> };

/** Keys some training configs use for the recipe, mapped to the job spec's `training` keys. */
const RECIPE_KEYS: Record<string, string> = {
  epochs: 'epochs',
  batchSize: 'batchSize',
  batch_size: 'batchSize',
  lr: 'lr',
  learning_rate: 'lr',
  optimizer: 'optimizer',
  momentum: 'momentum',
  nesterov: 'nesterov',
  weightDecay: 'weightDecay',
  weight_decay: 'weightDecay',
  schedule: 'schedule',
};

export function classifyConfig(fileName: string, text: string): ConfigKind | undefined {
  if (JOB_FILE.test(fileName)) return { kind: 'job' };
  if (!/\.(ya?ml|json)$/i.test(fileName) || /\.forget\.json$|\.dataset\.(json|ya?ml)$|(^|[\\/])(package|tsconfig|package-lock)\.json$/i.test(fileName)) return undefined;
  let doc: unknown;
  try {
    doc = parseYaml(text); // YAML is a superset of JSON
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const m = doc as Record<string, unknown>;
  const model = firstString(m.model, m.checkpoint);
  const data = firstString(m.data, m.dataset);
  if (!model || !data) return undefined;
  const training: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(RECIPE_KEYS)) if (m[from] !== undefined) training[to] = m[from];
  return { kind: 'training', model, data, training };
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v.trim() !== '');
}
