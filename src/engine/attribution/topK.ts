/**
 * The K training examples with the largest (most supporting) and smallest (most opposing) scores for each
 * target: what `lethe attribute --targets … --top K` prints. Works on an in-memory matrix or streams a score
 * file block by block, keeping only K candidates per target.
 */
import { LetheError } from '../util/errors';
import type { ScoreFileReader } from './scoreFile';

export interface Ranked {
  /** Row of the score matrix (training example position). */
  row: number;
  score: number;
}

export interface TopK {
  /** Per target column: the K highest scores, highest first. */
  top: Ranked[][];
  /** Per target column: the K lowest scores, lowest first. */
  bottom: Ranked[][];
}

/** Keeps the K best entries under `better` in a small sorted array (K is small: tens). */
class Best {
  readonly items: Ranked[] = [];
  constructor(
    private readonly k: number,
    private readonly better: (a: number, b: number) => boolean,
  ) {}
  offer(row: number, score: number): void {
    const it = this.items;
    if (it.length === this.k && !this.better(score, it[it.length - 1].score)) return;
    let i = it.length;
    while (i > 0 && this.better(score, it[i - 1].score)) i--;
    it.splice(i, 0, { row, score });
    if (it.length > this.k) it.pop();
  }
}

function check(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new LetheError(`--top ${k} must be a positive integer`, undefined, 'attribute');
}

/** Streaming top/bottom K per column: feed row blocks in any order, read the result at the end. */
export class TopKCollector {
  private readonly top: Best[];
  private readonly bottom: Best[];

  constructor(
    private readonly cols: number,
    k: number,
  ) {
    check(k);
    this.top = Array.from({ length: cols }, () => new Best(k, (a, b) => a > b));
    this.bottom = Array.from({ length: cols }, () => new Best(k, (a, b) => a < b));
  }

  add(values: Float32Array, firstRow: number, count: number): void {
    const cols = this.cols;
    for (let r = 0; r < count; r++) {
      for (let c = 0; c < cols; c++) {
        const v = values[r * cols + c];
        if (Number.isNaN(v)) throw new LetheError(`score of row ${firstRow + r}, column ${c} is NaN`, undefined, 'attribute');
        this.top[c].offer(firstRow + r, v);
        this.bottom[c].offer(firstRow + r, v);
      }
    }
  }

  result(): TopK {
    return { top: this.top.map((b) => b.items), bottom: this.bottom.map((b) => b.items) };
  }
}

const collector = (cols: number, k: number): TopKCollector => new TopKCollector(cols, k);

/** Top/bottom K rows per column of a rows × cols matrix. */
export function topKOfMatrix(scores: Float32Array, rows: number, cols: number, k: number): TopK {
  check(k);
  if (scores.length !== rows * cols) throw new LetheError(`score matrix holds ${scores.length} values, not ${rows} × ${cols}`, undefined, 'attribute');
  const c = collector(cols, k);
  c.add(scores, 0, rows);
  return c.result();
}

/** Top/bottom K rows per column of a score file, read `blockRows` rows at a time. */
export async function topKOfScoreFile(reader: ScoreFileReader, k: number, blockRows = 1024): Promise<TopK> {
  check(k);
  const c = collector(reader.cols, k);
  for await (const b of reader.blocks(blockRows)) c.add(b.values, b.start, b.count);
  return c.result();
}
