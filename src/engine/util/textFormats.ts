/**
 * JSON and YAML text parsed with errors that give the place (line, column) and the cause, never the text itself:
 * a path pointed at a credentials file or /proc/self/environ must not print what it holds (errors land in CI logs).
 * YAML is parsed in linear time (the yaml library's own duplicate-key check is quadratic in the keys of a map).
 */
import { isMap, isScalar, LineCounter, parseDocument, visit, type YAMLError } from 'yaml';
import { LetheError } from './errors';

function lineColumn(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${offset - start + 1}`;
}

/**
 * V8 says "Unexpected token 'x', "<the text>" is not valid JSON" (quoting the input), or a grammar message ending
 * "in JSON at position N": only the grammar part and the position are kept.
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /^(.*?)(?: in JSON)? at position (\d+)/.exec(message);
    if (at && !/token/i.test(at[1])) throw new LetheError(`not valid JSON (${at[1].toLowerCase()})`, file, lineColumn(text, Number(at[2])));
    if (/end of JSON input/.test(message)) throw new LetheError('not valid JSON (the text ends too early)', file);
    if (e instanceof RangeError) throw new LetheError('not valid JSON (nested too deeply)', file);
    throw new LetheError('not valid JSON (unexpected character)', file, at ? lineColumn(text, Number(at[2])) : undefined);
  }
}

const yamlCause = (e: YAMLError) => e.code.toLowerCase().replace(/_/g, ' ');

/** YAML (JSON is YAML too), refusing what the yaml library would refuse, and duplicate keys, with line and column. */
export function parseYamlText(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const place = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `line ${line}, column ${col}`;
  };
  try {
    // Warnings (an unknown tag) would print outside the one error line.
    const doc = parseDocument(text, { lineCounter, logLevel: 'error', uniqueKeys: false, prettyErrors: false });
    const [error] = doc.errors;
    if (error) throw new LetheError(`not valid YAML (${yamlCause(error)})`, file, place(error.pos[0]));
    visit(doc, {
      Map(_, map) {
        if (!isMap(map)) return;
        const seen = new Set<unknown>();
        for (const { key } of map.items) {
          if (!isScalar(key)) continue;
          if (seen.has(key.value)) throw new LetheError('not valid YAML (a key appears twice in one mapping)', file, place(key.range?.[0] ?? 0));
          seen.add(key.value);
        }
      },
    });
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (e instanceof LetheError) throw e;
    // The library's own errors may quote the text; its other failures are nesting too deep or an alias bomb.
    const why = e instanceof RangeError ? 'nested too deeply' : /alias/i.test((e as Error).message) ? 'too many aliases' : 'unreadable';
    throw new LetheError(`not valid YAML (${why})`, file);
  }
}
