/**
 * TF.js weight shards: each manifest group's files, concatenated, hold its weights back to back
 * (little-endian float32 here). Also the one layout difference between TF.js and the IR: Conv2D kernels
 * are [kh, kw, in, out] in TF.js and [out, in, kh, kw] in ONNX.
 */
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { numel } from '../graph/ir';
import { LetheError } from '../util/errors';
import { readRegularFile } from '../util/files';
import type { WeightGroup } from './format';

export interface WeightValue {
  dims: number[];
  data: Float32Array;
}

/** All weights of the manifest, by name, in manifest order. */
export async function readWeights(manifest: WeightGroup[], modelJsonPath: string): Promise<Map<string, WeightValue>> {
  const out = new Map<string, WeightValue>();
  for (const [g, group] of manifest.entries()) {
    const bytes = await readGroup(group, modelJsonPath, g);
    let offset = 0;
    for (const spec of group.weights) {
      const where = `weightsManifest[${g}] weight "${spec.name}"`;
      if (typeof spec.name !== 'string') throw new LetheError('a weight entry has no name', modelJsonPath, `weightsManifest[${g}]`);
      if (spec.quantization !== undefined) throw new LetheError('quantized weights are not supported; re-export the model with float32 weights', modelJsonPath, where);
      if (spec.dtype !== 'float32') throw new LetheError(`dtype "${spec.dtype}" is not supported; only float32 weights are`, modelJsonPath, where);
      if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && d >= 0)) {
        throw new LetheError(`invalid shape ${JSON.stringify(spec.shape)}`, modelJsonPath, where);
      }
      const byteLength = numel(spec.shape) * 4;
      if (offset + byteLength > bytes.length) {
        throw new LetheError(`the shards end after ${bytes.length} bytes, before this weight's ${byteLength} bytes at offset ${offset}`, modelJsonPath, where);
      }
      // Copy so the value is aligned and owns its buffer.
      const data = new Float32Array(bytes.slice(offset, offset + byteLength).buffer);
      if (out.has(spec.name)) throw new LetheError('the weight name appears twice in the manifest', modelJsonPath, where);
      out.set(spec.name, { dims: [...spec.shape], data });
      offset += byteLength;
    }
    if (offset !== bytes.length) {
      throw new LetheError(`the shards hold ${bytes.length} bytes but the manifest describes ${offset}`, modelJsonPath, `weightsManifest[${g}]`);
    }
  }
  return out;
}

async function readGroup(group: WeightGroup, modelJsonPath: string, g: number): Promise<Uint8Array> {
  const dir = dirname(modelJsonPath);
  const parts: Uint8Array[] = [];
  for (const path of group.paths as unknown[]) {
    const rel = typeof path === 'string' ? relative(dir, resolve(dir, path)) : '..';
    // A shard path must stay inside the model's folder: a model file must not make Lethe read elsewhere.
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new LetheError(`shard path ${JSON.stringify(path)} leaves the model's folder`, modelJsonPath, `weightsManifest[${g}].paths`);
    }
    const unreadable = (e: unknown) => new LetheError(`cannot read weight shard "${path}": ${(e as Error).message}`, modelJsonPath, `weightsManifest[${g}].paths`);
    // Links are resolved before anything is read, so a symlinked shard cannot reach outside the folder either.
    const real = await realpath(join(dir, rel)).catch((e: unknown) => {
      throw unreadable(e);
    });
    const realRel = relative(await realpath(dir), real);
    if (realRel.startsWith('..') || isAbsolute(realRel)) {
      throw new LetheError(`shard path ${JSON.stringify(path)} leaves the model's folder (through a link)`, modelJsonPath, `weightsManifest[${g}].paths`);
    }
    try {
      parts.push(await readRegularFile(real, 'weight shard'));
    } catch (e) {
      throw new LetheError(`weight shard "${path}": ${(e as LetheError).reason}`, modelJsonPath, `weightsManifest[${g}].paths`);
    }
  }
  return concatBytes(parts);
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Moves axes of a dense tensor: out dims[i] = dims[perm[i]]. */
function transpose(w: WeightValue, perm: number[]): WeightValue {
  const dims = perm.map((p) => w.dims[p]);
  const rank = dims.length;
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; s *= w.dims[i], i--) inStrides[i] = s;
  const out = new Float32Array(w.data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += idx[i] * inStrides[perm[i]];
    out[o] = w.data[src];
    for (let i = rank - 1; i >= 0 && ++idx[i] === dims[i]; i--) idx[i] = 0;
  }
  return { dims, data: out };
}

/** TF.js Conv2D kernel [kh, kw, in, out] → ONNX Conv weight [out, in, kh, kw]. */
export function convKernelToOnnx(w: WeightValue): WeightValue {
  return transpose(w, [3, 2, 0, 1]);
}

/** ONNX Conv weight [out, in, kh, kw] → TF.js Conv2D kernel [kh, kw, in, out]. */
export function convKernelToTfjs(w: WeightValue): WeightValue {
  return transpose(w, [2, 3, 1, 0]);
}
