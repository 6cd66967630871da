/** Seeded mutations of a valid file, the way disks, downloads and hand edits corrupt them. */
import { Rng } from '../../src/engine/util/rng';

export interface Mutant {
  bytes: Uint8Array;
  /** What was done, to reproduce a failure by hand. */
  how: string;
}

/**
 * One mutant of `base`. `hot` bytes at the start (headers, protobuf framing) are hit more often than the
 * bulk (pixel or weight payloads), where a flip rarely changes anything but a value.
 */
export function mutate(original: Uint8Array, rng: Rng, hot = 4096): Mutant {
  const base = new Uint8Array(original); // a plain copy: a Buffer's slice() would share (and corrupt) the original
  const pick = () => (rng.uniform() < 0.75 ? rng.int(Math.min(hot, base.length)) : rng.int(base.length));
  switch (rng.int(6)) {
    case 0: {
      const b = base.slice();
      const flips = 1 + rng.int(8);
      const at: number[] = [];
      for (let i = 0; i < flips; i++) {
        const p = pick();
        b[p] ^= 1 << rng.int(8);
        at.push(p);
      }
      return { bytes: b, how: `bit flips at ${at.join(',')}` };
    }
    case 1: {
      const end = rng.uniform() < 0.5 ? pick() : rng.int(base.length);
      return { bytes: base.slice(0, end), how: `truncated to ${end} bytes` };
    }
    case 2: {
      // 0xff runs read as huge varints: absurd lengths, dims and counts.
      const b = base.slice();
      const p = pick();
      const n = 1 + rng.int(10);
      b.fill(0xff, p, p + n);
      return { bytes: b, how: `0xff × ${n} at ${p}` };
    }
    case 3: {
      const b = base.slice();
      const p = pick();
      b[p] = [0x00, 0x7f, 0x80, 0xff][rng.int(4)];
      return { bytes: b, how: `byte ${p} := ${b[p]}` };
    }
    case 4: {
      const p = pick();
      const n = 1 + rng.int(64);
      const b = new Uint8Array(base.length - Math.min(n, base.length - p));
      b.set(base.subarray(0, p));
      b.set(base.subarray(p + n), p);
      return { bytes: b, how: `deleted ${n} bytes at ${p}` };
    }
    default: {
      const p = pick();
      const junk = new Uint8Array(1 + rng.int(32)).map(() => rng.int(256));
      const b = new Uint8Array(base.length + junk.length);
      b.set(base.subarray(0, p));
      b.set(junk, p);
      b.set(base.subarray(p), p + junk.length);
      return { bytes: b, how: `inserted ${junk.length} random bytes at ${p}` };
    }
  }
}
