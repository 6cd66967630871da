/** Shared pieces of the method tests: a small MLP built in code, the fixture data, a MethodContext. */
import { loadDataset } from '../../../src/engine/data/load';
import { firstFractionPerClass, subset } from '../../../src/engine/data/splits';
import type { Dataset } from '../../../src/engine/data/types';
import { DataType, type Model, type Node, type Tensor } from '../../../src/engine/graph/ir';
import type { TrainingRecipe } from '../../../src/engine/contracts/recipe';
import type { MethodContext } from '../../../src/engine/methods/types';
import { accuracyOn } from '../../../src/engine/methods/common/predict';
import { freshInit, parameterRoles } from '../../../src/engine/train/init';
import { withParameters } from '../../../src/engine/train/params';
import { Rng } from '../../../src/engine/util/rng';

import { FASHION_MNIST_SMALL as FIXTURE_DATA } from '../../fixtures/paths';

export { FIXTURE_DATA };

const f32 = (name: string, dims: number[]): Tensor => ({ name, dataType: DataType.FLOAT, dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)) });
const node = (opType: string, inputs: string[], outputs: string[], attrs: Node['attrs'] = {}): Node => ({ name: `${opType}_${outputs[0]}`, opType, domain: '', inputs, outputs, attrs });

/**
 * An MLP in = prod(inputShape) → hidden… → classes with ReLU, PyTorch layout (Gemm transB = 1), freshly
 * initialised with `seed`. `layout: 'tfjs'` stores the second layer as Gemm transB = 0 ([in, out]).
 */
export function mlp(inputShape: number[], hidden: number[], classes: number, seed: number, opts: { secondLayerTfjs?: boolean } = {}): Model {
  const inits: Tensor[] = [];
  const nodes: Node[] = [node('Flatten', ['input'], ['flat'], { axis: { type: 'int', value: 1 } })];
  let prev = 'flat';
  let width = inputShape.reduce((a, b) => a * b, 1);
  const sizes = [...hidden, classes];
  sizes.forEach((out, l) => {
    const tfjs = opts.secondLayerTfjs && l === 1;
    inits.push(f32(`fc${l}.weight`, tfjs ? [width, out] : [out, width]), f32(`fc${l}.bias`, [out]));
    const y = l === sizes.length - 1 ? 'logits' : `h${l}`;
    nodes.push(node('Gemm', [prev, `fc${l}.weight`, `fc${l}.bias`], [l === sizes.length - 1 ? y : `${y}_pre`], { transB: { type: 'int', value: tfjs ? 0 : 1 } }));
    if (l < sizes.length - 1) nodes.push(node('Relu', [`${y}_pre`], [y]));
    prev = y;
    width = out;
  });
  const model: Model = {
    graph: {
      name: 'mlp',
      nodes,
      inputs: [{ name: 'input', elemType: DataType.FLOAT, shape: ['batch', ...inputShape] }],
      outputs: [{ name: 'logits', elemType: DataType.FLOAT, shape: ['batch', classes] }],
      initializers: new Map(inits.map((t) => [t.name, t])),
    },
    opsets: [{ domain: '', version: 13 }],
    irVersion: 8,
    producerName: 'lethe-test',
    producerVersion: '0',
    metadata: {},
  };
  return withParameters(model, freshInit(model, new Rng(seed), parameterRoles(model).keys()));
}

let cached: { train: Dataset; test: Dataset } | undefined;

/** The fixture data, cut to `trainCount` stratified training examples (first per class) and `testCount` test examples. */
export async function fixtureData(trainCount: number, testCount: number): Promise<{ train: Dataset; test: Dataset }> {
  cached ??= await loadDataset(FIXTURE_DATA, { inputShape: ['batch', 1, 28, 28] });
  const train = subset(cached.train, firstFractionPerClass(cached.train, trainCount / cached.train.n));
  const test = subset(cached.test, Int32Array.from({ length: testCount }, (_, i) => i));
  return { train, test };
}

export const RECIPE: TrainingRecipe = { epochs: 1, batchSize: 64, optimizer: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 5e-4, schedule: 'constant' };

export function context(over: Partial<MethodContext> & Pick<MethodContext, 'model' | 'train' | 'test' | 'forget' | 'retain'>): MethodContext {
  return {
    validation: new Int32Array(0),
    params: {},
    recipe: RECIPE,
    rng: new Rng(7),
    threads: 1,
    progress: () => {},
    log: () => {},
    ...over,
  };
}

/** Indices 0..n-1 not in `forget`. */
export function complement(n: number, forget: Int32Array): Int32Array {
  const inF = new Uint8Array(n);
  for (const i of forget) inF[i] = 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (!inF[i]) out.push(i);
  return Int32Array.from(out);
}

export const all = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

export async function acc(model: Model, ds: Dataset, idx: Int32Array): Promise<number> {
  return accuracyOn(model, ds, idx, 1);
}

export function params(model: Model): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [name, t] of model.graph.initializers) if (t.data instanceof Float32Array) out.set(name, t.data);
  return out;
}

/** A small trained setting for invariant tests: 500 train / 200 test examples, MLP 784-32-10, 5 epochs. */
export async function smallSetting(seed = 1): Promise<{ model: Model; train: Dataset; test: Dataset }> {
  const { train, test } = await fixtureData(500, 200);
  const { trainSupervised } = await import('../../../src/engine/train/supervised');
  const { model } = await trainSupervised(mlp([1, 28, 28], [32], 10, seed), train, all(train.n), { recipe: { ...RECIPE, epochs: 5 }, rng: new Rng(seed), threads: 1 });
  return { model, train, test };
}

/** smallSetting with a random 10%-per-class forget set and its retain set. */
export async function smallForgetSetting(): Promise<{ model: Model; train: Dataset; test: Dataset; forget: Int32Array; retain: Int32Array }> {
  const setting = await smallSetting();
  const forget = tenPercent(setting.train);
  return { ...setting, forget, retain: complement(setting.train.n, forget) };
}

/** Training indices of the given classes. */
export function ofClasses(ds: Dataset, classes: number[]): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < ds.n; i++) if (classes.includes(ds.y[i])) out.push(i);
  return Int32Array.from(out);
}

/** Every 10th example of each class (a stratified 10% random-like forget set). */
export function tenPercent(ds: Dataset): Int32Array {
  const seen = new Int32Array(ds.classNames.length);
  const out: number[] = [];
  for (let i = 0; i < ds.n; i++) if (seen[ds.y[i]]++ % 10 === 0) out.push(i);
  return Int32Array.from(out);
}

/** Copies of every float initializer (to check that θ₀ is never modified). */
export function snapshot(model: Model): Map<string, Float32Array> {
  return new Map([...params(model)].map(([k, v]) => [k, v.slice()]));
}

/** Names of the tensors that differ (bitwise) between two parameter maps; [] when identical. Fast on large models. */
export function differing(a: ReadonlyMap<string, Float32Array>, b: ReadonlyMap<string, Float32Array>): string[] {
  const out: string[] = [];
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(name);
    const y = b.get(name);
    if (!x || !y || x.length !== y.length) {
      out.push(name);
      continue;
    }
    for (let i = 0; i < x.length; i++) {
      if (!Object.is(x[i], y[i])) {
        out.push(name);
        break;
      }
    }
  }
  return out;
}
