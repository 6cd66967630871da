/** Reading a node's attributes, and errors that name the file, the node and the attribute. */
import { LetheError } from '../util/errors';
import type { AttrValue, Node } from './ir';

export function nodeWhere(node: Node, attribute?: string): string {
  return `node "${node.name}" (${node.opType})` + (attribute ? `, attribute "${attribute}"` : '');
}

export function nodeError(at: { file?: string }, node: Node, message: string, attribute?: string): LetheError {
  return new LetheError(message, at.file, nodeWhere(node, attribute));
}

/** Typed attribute access: an absent attribute gives the fallback, one of another type an error naming it. */
export class Attrs {
  constructor(
    private readonly node: Node,
    private readonly file?: string,
  ) {}

  int(name: string, fallback: number): number {
    return this.get(name, 'int', fallback) as number;
  }
  float(name: string, fallback: number): number {
    return this.get(name, 'float', fallback) as number;
  }
  ints(name: string, fallback: number[]): number[] {
    return this.get(name, 'ints', fallback) as number[];
  }
  string(name: string, fallback: string): string {
    return this.get(name, 'string', fallback) as string;
  }
  has(name: string): boolean {
    return name in this.node.attrs;
  }
  raw(name: string): AttrValue | undefined {
    return this.node.attrs[name];
  }
  fail(name: string, message: string): LetheError {
    return nodeError({ file: this.file }, this.node, message, name);
  }

  /** Refuses values other than the supported ones, naming the attribute and the value. */
  only<T extends number | string>(name: string, value: T, supported: T[], why = ''): T {
    if (!supported.includes(value)) {
      throw this.fail(name, `unsupported value ${JSON.stringify(value)} (supported: ${supported.map((s) => JSON.stringify(s)).join(', ')})${why ? `; ${why}` : ''}`);
    }
    return value;
  }

  private get(name: string, type: AttrValue['type'], fallback: unknown): unknown {
    const a = this.node.attrs[name];
    if (!a) return fallback;
    if (a.type !== type) throw this.fail(name, `expected ${type}, found ${a.type}`);
    return a.value;
  }
}
