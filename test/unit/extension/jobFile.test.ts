import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseJobSpec } from '../../../src/engine/job/load';
import { TrainingRecipe } from '../../../src/engine/contracts/recipe';
import { describeMethods, getMethod, resolveParams } from '../../../src/engine/methods/registry';
import { jobFileText } from '../../../src/extension/methods/jobFile';
import { recipeOf } from '../../../src/extension/methods/recordedRecipe';

const spec = { name: 'fashion-cnn-unlearn', kind: 'unlearn' as const, model: 'fashion-cnn.onnx', data: 'data', forget: 'sandals.forget.json', threads: 0 };
const recorded = TrainingRecipe.parse({ epochs: 4, lr: 0.05 });

describe('the job file written by "Edit parameters…"', () => {
  it.each(describeMethods().map((m) => [m.name, m] as const))('%s: a valid job whose params are the defaults, each with its description', (_name, method) => {
    const text = jobFileText({ ...spec, method: method.name, training: recorded }, method, { recipe: recorded, source: 'model' });
    const job = parseJobSpec(parse(text), 'x.lethe.yaml');
    expect(job.method).toBe(method.name);
    expect(job.model).toBe('fashion-cnn.onnx');
    expect(job.forget).toBe('sandals.forget.json');
    expect(job.training).toMatchObject({ epochs: 4, lr: 0.05 });
    expect(job.params).toEqual(Object.fromEntries(method.params.map((p) => [p.name, p.default])));
    expect(resolveParams(getMethod(method.name), job.params)).toEqual(job.params);
    for (const p of method.params) expect(text).toContain(`  # ${p.description.replace(/\s*\n\s*/g, ' ')} (`);
    expect(text).toContain(method.citation);
  });

  it('says where the recipe came from, and leaves training out when it is unknown', () => {
    const method = describeMethods().find((m) => m.name === 'finetune')!;
    const withRecipe = jobFileText({ ...spec, method: 'finetune', training: recorded }, method, { recipe: recorded, source: 'model' });
    expect(withRecipe).toMatch(/# How the original was trained, as recorded in its metadata \(lethe\.recipe\)/);
    const without = jobFileText({ ...spec, method: 'finetune' }, method, { recipe: TrainingRecipe.parse({}), source: 'default' });
    expect(without).not.toMatch(/^training:/m);
    expect(without).toMatch(/\n  # Learning rate [^\n]*\(number, 0 to 10\)\n  lr: 0\.01\n/);
  });
});

describe('the recipe a job started from a model uses', () => {
  it('is the one recorded in the metadata', () => {
    expect(recipeOf({ 'lethe.recipe': JSON.stringify({ epochs: 4, batchSize: 128, optimizer: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 5e-4, schedule: 'cosine' }) })).toEqual({
      recipe: TrainingRecipe.parse({ epochs: 4, batchSize: 128, optimizer: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 5e-4, schedule: 'cosine' }),
      source: 'model',
    });
  });

  it("a training config's keys win over the metadata; a wrong one is left to the job spec's validation", () => {
    const metadata = { 'lethe.recipe': JSON.stringify({ epochs: 4 }) };
    expect(recipeOf(metadata, { epochs: 9 })).toEqual({ recipe: TrainingRecipe.parse({ epochs: 9 }), source: 'config' });
    expect(recipeOf(metadata, { epochs: -1 })).toEqual({ recipe: TrainingRecipe.parse({}), source: 'default' });
  });

  it('falls back to the defaults, saying why, when there is none or it is malformed', () => {
    expect(recipeOf({})).toEqual({ recipe: TrainingRecipe.parse({}), source: 'default' });
    expect(recipeOf({ 'lethe.recipe': '{not json' }).problem).toBe('metadata "lethe.recipe" is not valid JSON');
    expect(recipeOf({ 'lethe.recipe': '{"epochs":0}' }).problem).toMatch(/^metadata "lethe\.recipe": epochs: /);
  });
});
