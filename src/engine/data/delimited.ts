/**
 * CSV/TSV records with quoting (RFC 4180: a field that starts with a quote runs to the closing quote, "" inside is a
 * quote), each tagged with the 1-based line it starts on. Unquoted fields are sliced, not built char by char:
 * tables of images have hundreds of fields per row.
 */
import { LetheError } from '../util/errors';

export interface TextRecord {
  /** Line where the record starts, counting from 1 as an editor does. */
  line: number;
  fields: string[];
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Yields records that are not blank; a record spans lines only inside quotes. */
export function* delimitedRecords(text: string, delimiter: ',' | '\t', file: string): Generator<TextRecord> {
  const delim = delimiter.charCodeAt(0);
  const length = text.length;
  let pos = 0;
  let line = 1;
  while (pos < length) {
    const startLine = line;
    const fields: string[] = [];
    for (;;) {
      let field: string;
      if (text.charCodeAt(pos) === QUOTE) {
        const quoted = readQuoted(text, pos + 1, file, line);
        line += quoted.newlines;
        pos = quoted.end;
        field = quoted.value;
      } else field = '';
      let end = pos;
      for (let c = text.charCodeAt(end); end < length && c !== delim && c !== LF && c !== CR; c = text.charCodeAt(++end));
      fields.push(end > pos ? field + text.slice(pos, end) : field);
      pos = end;
      if (pos < length && text.charCodeAt(pos) === delim) {
        pos++;
        continue;
      }
      // End of record: a newline (LF, CRLF or CR) or the end of the text.
      if (pos < length) {
        pos += text.charCodeAt(pos) === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
        line++;
      }
      break;
    }
    if (fields.length > 1 || fields[0].trim() !== '') yield { line: startLine, fields };
  }
}

function readQuoted(text: string, start: number, file: string, line: number): { value: string; end: number; newlines: number } {
  let value = '';
  let newlines = 0;
  let from = start;
  for (;;) {
    const close = text.indexOf('"', from);
    if (close < 0) throw new LetheError('quoted field is never closed', file, `line ${line}`);
    const chunk = text.slice(from, close);
    for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) newlines++;
    value += chunk;
    if (text.charCodeAt(close + 1) !== QUOTE) return { value, end: close + 1, newlines };
    value += '"';
    from = close + 2;
  }
}
