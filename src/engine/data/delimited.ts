/** CSV/TSV records with quoting (RFC 4180: "" inside quotes is a quote), each tagged with the 1-based line it starts on. */
import { LetheError } from '../util/errors';

export interface TextRecord {
  /** Line where the record starts, counting from 1 as an editor does. */
  line: number;
  fields: string[];
}

/** Yields non-blank records; a record may span lines only inside quotes. */
export function* delimitedRecords(text: string, delimiter: string, file: string): Generator<TextRecord> {
  const length = text.length;
  let pos = 0;
  let line = 1;
  while (pos < length) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let blank = true;
    for (;;) {
      if (pos >= length) break;
      const ch = text[pos];
      if (ch === '"' && field.trim() === '') {
        blank = false;
        const close = readQuoted(text, pos + 1, file, startLine);
        field = close.value;
        line += close.newlines;
        pos = close.end;
        continue;
      }
      if (ch === delimiter) {
        fields.push(field);
        field = '';
        blank = false;
        pos++;
        continue;
      }
      if (ch === '\n' || ch === '\r') {
        pos += ch === '\r' && text[pos + 1] === '\n' ? 2 : 1;
        line++;
        break;
      }
      if (blank && ch !== ' ' && ch !== '\t') blank = false;
      field += ch;
      pos++;
    }
    fields.push(field);
    if (!blank) yield { line: startLine, fields };
  }
}

function readQuoted(text: string, start: number, file: string, line: number): { value: string; end: number; newlines: number } {
  let value = '';
  let newlines = 0;
  let pos = start;
  while (pos < text.length) {
    const ch = text[pos];
    if (ch === '"') {
      if (text[pos + 1] === '"') {
        value += '"';
        pos += 2;
        continue;
      }
      return { value, end: pos + 1, newlines };
    }
    if (ch === '\n') newlines++;
    value += ch;
    pos++;
  }
  throw new LetheError('quoted field is never closed', file, `line ${line}`);
}
