/**
 * Guards against input that makes marked slow or crash (DESIGN.md §6): `'**_* '.repeat(n)` is
 * quadratic in the emphasis scanner, and tens of thousands of nested `>` or list markers overflow the
 * stack. The pre-screen catches the known shapes before marked sees them; the per-block time budget
 * (measured by the engine with the injected clock) and a `try/catch` catch the rest.
 */

/** Below this size marked is fast on any input we know of; the pre-screen does not look. */
export const prescreenMinLength = 4096;
/** Share of `*`, `_`, `[`, `]` above which a large tail is treated as hostile (prose is ~1%). */
export const maxDelimiterDensity = 0.2;
/** Container nesting (`>` and list markers at a line start) above which marked may overflow. */
export const maxNestingDepth = 100;

/** Container depth at the start of one line: `>` markers and list markers, possibly mixed. */
function lineNestingDepth(text: string, from: number): number {
  let depth = 0;
  let i = from;
  for (;;) {
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
    const c = text.charAt(i);
    if (c === '>') {
      depth++;
      i++;
    } else if ((c === '*' || c === '-' || c === '+') && /[ \t]/.test(text.charAt(i + 1))) {
      depth++;
      i += 2;
    } else {
      const ordered = /^\d{1,9}[.)][ \t]/.exec(text.slice(i, i + 12));
      if (!ordered) return depth;
      depth++;
      i += ordered[0].length;
    }
    if (depth > maxNestingDepth) return depth;
  }
}

/** A fence line (opening or closing), after optional indentation and container markers. */
const fenceLine = /^[ \t>]*(`{3,}|~{3,})/;

/**
 * True when `src` must not be given to marked: larger than `prescreenMinLength` and either dense in
 * inline delimiters outside fenced code (`*`, `_`: the quadratic emphasis scanner; `[`, `]`: the
 * link scanner, e.g. 50 000 `[` cost ~130 ms per lex) or nested deeper than `maxNestingDepth` at
 * some line start. Fenced code is not counted: a large JSON or regex block is dense in brackets, but
 * marked does not scan code for inline syntax. Linear time.
 */
export function isHostileMarkdown(src: string): boolean {
  if (src.length <= prescreenMinLength) return false;
  let delimiters = 0;
  let counted = 0;
  let fence = '';
  let lineStart = 0;
  while (lineStart < src.length) {
    let lineEnd = src.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = src.length;
    const head = fenceLine.exec(src.slice(lineStart, Math.min(lineEnd, lineStart + 200)));
    if (head) {
      const marker = head[1] ?? '';
      if (fence === '') fence = marker;
      else if (marker.charAt(0) === fence.charAt(0) && marker.length >= fence.length) fence = '';
    } else if (fence === '') {
      if (lineNestingDepth(src, lineStart) > maxNestingDepth) return true;
      for (let i = lineStart; i < lineEnd; i++) {
        const c = src.charCodeAt(i);
        if (c === 42 /* * */ || c === 95 /* _ */ || c === 91 /* [ */ || c === 93 /* ] */) delimiters++;
      }
      counted += lineEnd - lineStart + 1;
    }
    lineStart = lineEnd + 1;
  }
  return counted > prescreenMinLength && delimiters / counted > maxDelimiterDensity;
}
