/**
 * Seeded random projection of per-example gradients from P dimensions to k (TRAK, Park et al. 2023, §3:
 * φ(x) = Pᵀ∇θ f(x), P ∈ ℝ^{P×k} with i.i.d. Rademacher or Gaussian entries, a Johnson–Lindenstrauss map).
 *
 * The P×k matrix is never stored whole (203k parameters × 2048 is 1.7 GB): it is defined chunk by chunk
 * of 256 rows, each chunk drawn from its own Rng seeded by (seed, chunk index, kind, k), and regenerated
 * whenever it is needed. So the matrix depends only on the seed, k and kind, not on the block size used to
 * apply it, and the first rows do not change when more parameters are selected. Chunks are kept in a cache
 * up to `cacheBytes`, the rest are regenerated on every call.
 *
 * Entries are scaled by 1/√k so E‖Pᵀg‖² = ‖g‖²: feature norms stay those of the gradients, and the kernel
 * damping λ means the same thing at every k.
 */
import { totalmem } from 'node:os';
import { LetheError } from '../util/errors';
import { Rng } from '../util/rng';
import type { Gemm } from './gemm';

export type ProjectionKind = 'rademacher' | 'gaussian';

export interface ProjectionSpec {
  /** Target dimension k (TRAK's proj_dim; its default is 2048). */
  dim: number;
  kind: ProjectionKind;
  seed: number;
}

export interface ProjectorOptions {
  /** Rows of P applied per matrix product (memory: blockRows × k floats, plus count × blockRows of gradients). */
  blockRows?: number;
  /**
   * Bytes of generated projection rows kept between calls. Default: an eighth of the machine's memory, between
   * 256 MB and 4 GB (on 16 GB, the whole 203k × 2048 matrix of the fixture MLP). Rows beyond it are regenerated
   * on every call, which dominates the cost when the matrix is much larger than the cache.
   */
  cacheBytes?: number;
}

/** Rows per independently seeded chunk: fixed, so the matrix is the same for every block size. */
export const CHUNK_ROWS = 256;

export class Projector {
  readonly blockRows: number;
  private readonly cache = new Map<number, Float32Array>();
  private cachedBytes = 0;
  private readonly cacheBytes: number;

  constructor(
    /** P: length of one gradient. */
    readonly inputDim: number,
    readonly spec: ProjectionSpec,
    private readonly gemm: Gemm,
    opts: ProjectorOptions = {},
  ) {
    if (!Number.isInteger(inputDim) || inputDim < 1) throw new LetheError(`gradient length ${inputDim} must be a positive integer`, undefined, 'projection');
    if (!Number.isInteger(spec.dim) || spec.dim < 1 || spec.dim > 65536) throw new LetheError(`projection dimension ${spec.dim} must be an integer in 1..65536`, undefined, 'projection');
    if (spec.kind !== 'rademacher' && spec.kind !== 'gaussian') throw new LetheError(`projection kind "${String(spec.kind)}" must be rademacher or gaussian`, undefined, 'projection');
    const rows = opts.blockRows ?? 4096;
    this.blockRows = Math.max(CHUNK_ROWS, Math.ceil(rows / CHUNK_ROWS) * CHUNK_ROWS);
    this.cacheBytes = opts.cacheBytes ?? Math.min(4 * 2 ** 30, Math.max(256 * 2 ** 20, totalmem() / 8));
  }

  get dim(): number {
    return this.spec.dim;
  }

  /** Rows start..start+count−1 of the projection matrix (count × k), start a multiple of CHUNK_ROWS. */
  rows(start: number, count: number): Float32Array {
    const k = this.spec.dim;
    const out = new Float32Array(count * k);
    for (let r = 0; r < count; r += CHUNK_ROWS) {
      const chunk = this.chunk((start + r) / CHUNK_ROWS);
      const n = Math.min(CHUNK_ROWS, count - r);
      out.set(chunk.subarray(0, n * k), r * k);
    }
    return out;
  }

  /** Project `count` gradients (count × P, row-major) to count × k. */
  async project(grads: Float32Array, count: number): Promise<Float32Array> {
    const P = this.inputDim;
    const k = this.spec.dim;
    if (grads.length < count * P) throw new LetheError(`gradient block holds ${grads.length} values, not ${count} × ${P}`, undefined, 'projection');
    const out = new Float32Array(count * k);
    const sub = new Float32Array(count * this.blockRows);
    for (let p0 = 0; p0 < P; p0 += this.blockRows) {
      const rows = Math.min(this.blockRows, P - p0);
      // The gradients' columns p0..p0+rows are not contiguous: gather them into a count × rows block.
      const g = rows === P ? grads : sub.subarray(0, count * rows);
      if (rows !== P) for (let c = 0; c < count; c++) g.set(grads.subarray(c * P + p0, c * P + p0 + rows), c * rows);
      const part = await this.gemm.multiply(g, count, rows, this.rows(p0, rows), rows, k);
      for (let i = 0; i < part.length; i++) out[i] += part[i];
    }
    return out;
  }

  private chunk(index: number): Float32Array {
    const hit = this.cache.get(index);
    if (hit) return hit;
    const k = this.spec.dim;
    const out = new Float32Array(CHUNK_ROWS * k);
    const rng = new Rng(chunkSeed(this.spec, index));
    const scale = 1 / Math.sqrt(k);
    if (this.spec.kind === 'rademacher') {
      for (let i = 0; i < out.length; i += 32) {
        const bits = rng.nextU32();
        const n = Math.min(32, out.length - i);
        for (let b = 0; b < n; b++) out[i + b] = (bits >>> b) & 1 ? scale : -scale;
      }
    } else {
      for (let i = 0; i < out.length; i++) out[i] = rng.normal() * scale;
    }
    if (this.cachedBytes + out.byteLength <= this.cacheBytes) {
      this.cache.set(index, out);
      this.cachedBytes += out.byteLength;
    }
    return out;
  }
}

/** A 32-bit seed per chunk, mixing every input that defines the matrix (murmur3 finaliser). */
function chunkSeed(spec: ProjectionSpec, index: number): number {
  let h = spec.seed >>> 0;
  for (const v of [index, spec.dim, spec.kind === 'rademacher' ? 1 : 2]) {
    h = Math.imul(h ^ (v >>> 0), 0x9e3779b1) >>> 0;
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
  }
  return h >>> 0;
}
