/**
 * Newline-delimited JSON framing: decoded text in, one line per JSON value out. Parsing the JSON is
 * left to the caller so that SSE data and NDJSON lines go through one parser with one error message.
 *
 * Accepted variants: `\n` or `\r\n` line ends, blank lines (skipped), a last line without a line
 * break (emitted by `end()`), and JSON text sequences (RFC 7464), whose records start with U+001E.
 */

export interface NdjsonFramerOptions {
  /** One non-blank line, trimmed, without its line break. */
  onLine: (line: string) => void;
  /** Largest line, in UTF-16 code units. Beyond it: `onError` once, then all input is ignored. */
  maxLineSize?: number;
  onError?: (message: string) => void;
}

export interface NdjsonFramer {
  feed(text: string): void;
  /** The body ended: emits the last line if it had no line break. */
  end(): void;
}

const RECORD_SEPARATOR = /^\u001e+/;

export function createNdjsonFramer(options: NdjsonFramerOptions): NdjsonFramer {
  const { onLine, onError } = options;
  const maxSize = options.maxLineSize ?? Number.POSITIVE_INFINITY;
  // Fragments of the partial line, joined once when it ends: linear, unlike `buffer += chunk`.
  const partial: string[] = [];
  let partialLength = 0;
  let terminated = false;

  function fail(): void {
    terminated = true;
    partial.length = 0;
    onError?.(`an NDJSON line exceeded the maximum size of ${maxSize} characters`);
  }

  function emit(line: string): void {
    // trim() also removes the `\r` of a CRLF line end.
    const trimmed = line.trim().replace(RECORD_SEPARATOR, '');
    if (trimmed !== '') onLine(trimmed);
  }

  function feed(text: string): void {
    if (terminated || text === '') return;
    let start = 0;
    let lf = text.indexOf('\n');
    while (lf !== -1) {
      if (partialLength + (lf - start) > maxSize) return fail();
      let line = text.slice(start, lf);
      if (partialLength > 0) {
        partial.push(line);
        line = partial.join('');
        partial.length = 0;
        partialLength = 0;
      }
      emit(line);
      if (terminated) return;
      start = lf + 1;
      lf = text.indexOf('\n', start);
    }
    if (start < text.length) {
      partial.push(start === 0 ? text : text.slice(start));
      partialLength += text.length - start;
      if (partialLength > maxSize) fail();
    }
  }

  function end(): void {
    if (terminated) return;
    const rest = partial.join('');
    partial.length = 0;
    partialLength = 0;
    terminated = true;
    emit(rest);
  }

  return { feed, end };
}
