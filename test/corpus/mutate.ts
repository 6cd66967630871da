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

/** Values that break assumptions: wrong types, extremes, path tricks, deep nesting, large sizes. */
const HOSTILE_VALUES: (() => unknown)[] = [
  () => null, () => true, () => -1, () => 0, () => 1.5, () => 1e308, () => -0, () => 2 ** 53 + 2, () => Number.MAX_SAFE_INTEGER,
  () => '', () => ' ', () => '../../../../etc/passwd', () => '/dev/zero', () => 'train:-1', () => 'train:1e3', () => 'row:x.csv:0',
  () => '\u0000', () => 'é\u202e', () => 'x'.repeat(100_000), () => [], () => {}, () => ({ kind: 'ids' }),
  () => Array.from({ length: 50_000 }, (_, i) => i), () => JSON.parse('['.repeat(2000) + ']'.repeat(2000)),
];

/**
 * A structure-aware mutant of a JSON document: one value somewhere in the tree replaced by a hostile one, a key
 * removed, or an unknown key added. Reaches the validation behind the parser, which byte mutations rarely do.
 */
export function mutateJson(doc: unknown, rng: Rng): Mutant {
  const copy = JSON.parse(JSON.stringify(doc)) as unknown;
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number; path: string }[] = [];
  const visit = (v: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => (slots.push({ parent: v, key: i, path: `${path}[${i}]` }), visit(x, `${path}[${i}]`)));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (slots.push({ parent: v as Record<string, unknown>, key: k, path: `${path}.${k}` }), visit(x, `${path}.${k}`));
  };
  visit(copy, '$');
  const slot = slots[rng.int(slots.length)];
  const action = rng.int(5);
  let how: string;
  if (action === 0 && !Array.isArray(slot.parent)) {
    delete slot.parent[slot.key as string];
    how = `removed ${slot.path}`;
  } else if (action === 1 && !Array.isArray(slot.parent)) {
    slot.parent[`unexpected${rng.int(100)}`] = 1;
    how = `added a key beside ${slot.path}`;
  } else {
    const i = rng.int(HOSTILE_VALUES.length);
    (slot.parent as Record<string | number, unknown>)[slot.key] = HOSTILE_VALUES[i]();
    how = `${slot.path} := hostile value ${i}`;
  }
  return { bytes: new TextEncoder().encode(JSON.stringify(copy)), how };
}
