/**
 * Math in markdown: the marked extension that finds formulas, and what the engine needs to show an
 * open formula without flicker. It ships in the optional math file (worker/math.ts) together with the
 * renderer, so a page whose answers have no `$` never loads either.
 *
 * Syntax (CONTRACT.md "Rich content"), pandoc's `tex_math_dollars` and `tex_math_single_backslash`:
 *
 * - `$…$` inline: the opening `$` has a non-space character right after it; the closing `$` is the
 *   first unescaped `$` after it, has a non-space character right before it (whitespace followed by
 *   `$` ends the attempt) and no digit right after it (`$5 and $10`, `$5-$10`, `costs $3.50.` stay
 *   text). A `\` takes the next character with it (`\$` is a dollar sign inside math), and
 *   `\text{…}` may hold `$`.
 * - `$$…$$` and `\[…\]` display, `\(…\)` inline: up to the first closer, not across a blank line.
 *   A `$$` that does not open display math is text, both dollars (it never opens inline math).
 * - What is inside a formula reaches the renderer exactly: marked's escapes, emphasis, code spans,
 *   links and HTML never apply inside it (`\,`, `\\`, `\{`, `_`, `*` arrive as written). Emphasis
 *   cannot close inside a formula either (the formula is masked while emphasis looks for a closer).
 * - A line that starts (after up to three spaces) with `$$` or `\[` whose formula closes starts a
 *   block of its own that runs to the end of the line where the formula closes. Its lines are never
 *   read as list items, headings, quotes or setext underlines (`+ b`, `= c`, `- d` are common in
 *   multi-line formulas), it interrupts a paragraph and never merges with one. When the formula does
 *   not close before a blank line or the end of the text, the line is ordinary markdown (CommonMark's
 *   `\[` is an escaped bracket). While streaming, a display formula still open at the end is such a
 *   block too: the engine then holds back the block before it (`lexTail`'s `hold`), which the lines
 *   would continue if the formula never closes.
 *
 * Streaming: a formula still open at the end of the text (`$E = mc`, `$$\n\int`), or closed right at
 * the end where a digit may still follow (`$x$`), is not shown at all: `lexTail` reports how much of
 * the text it holds (`hide`) and the engine leaves that out of the tail. Shown as source it would vanish once rendered;
 * shown as math, it would turn back to text for money (`$5 for the basic plan`). The cost: a `$`
 * that never closes holds back the rest of its paragraph until the paragraph ends (blank line),
 * whitespace meets a `$`, or the stream ends.
 */

import type { MarkedExtension, Token, Tokens, TokenizerThis } from 'marked';
import { escapeHtml } from './dom-contract.js';
import { MATH_ERROR_CLASS } from './math-contract.js';

/** LaTeX in, MathML out, or null when the formula is invalid or refused (it then shows as code). */
export type MathRenderer = (tex: string, display: boolean) => string | null;

/** What the engine gets from the math file. */
export interface MathSyntax {
  /** The marked extension: the block and inline tokenizers, their renderers, the emphasis mask. */
  readonly extension: MarkedExtension;
  /**
   * The engine's lex of the uncommitted text `src` (`lex`), streaming: its tokens; `hold`, how many
   * of the blocks the finality rule would commit must wait (1 when the last is a display formula
   * still open: if it never closes, its lines continue the block before it); `hide`, how many
   * characters at the end of `src` the tail must not show (a formula still open, or closed right at
   * the end, may still change).
   */
  lexTail(src: string, lex: () => Token[]): { tokens: Token[]; hold: number; hide: number };
  /**
   * The tail repair (`repairTail`, which knows no math) with every formula guarded from it: `_`, `*`
   * or `[` inside a formula are no emphasis or link to close or drop.
   */
  repair(text: string, repairTail: (text: string) => string): string;
}

/** A formula found at an opener. */
interface Formula {
  /** Index just past the closer. */
  end: number;
  tex: string;
  display: boolean;
  /** Closed right at the end of the source: a digit after the closing `$` would still undo it. */
  undecided: boolean;
}

/** The source ended with the formula still open: it may close once more text arrives. */
const OPEN = 'open';
type Scan = Formula | typeof OPEN | null;

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** The index of the `}` closing the `{` at `open` (escapes skipped), or -1 when the source ends first. */
function closingBrace(src: string, open: number): number {
  let depth = 0;
  for (let j = open; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return j;
  }
  return -1;
}

/** Does a blank line start at the `\n` at index `j`? */
function blankLineAt(src: string, j: number): boolean {
  let k = j + 1;
  while (src[k] === ' ' || src[k] === '\t') k++;
  return k < src.length ? src[k] === '\n' : false;
}

/** `$$…$$`, `\(…\)`, `\[…\]`: up to the first closer, not across a blank line, `\` escaping. */
function scanDelimited(src: string, at: number, closer: string, display: boolean): Scan {
  const from = at + 2;
  for (let j = from; j < src.length; j++) {
    if (src.startsWith(closer, j)) {
      const tex = src.slice(from, j);
      return tex.trim() === '' ? null : { end: j + 2, tex, display, undecided: false };
    }
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '\n' && blankLineAt(src, j)) return null;
  }
  return OPEN;
}

/** `$…$` with pandoc's rules (see the header). */
function scanDollar(src: string, at: number): Scan {
  const first = src[at + 1];
  if (first === undefined) return OPEN;
  if (isSpace(first)) return null;
  let j = at + 1;
  while (j < src.length) {
    const c = src[j] ?? '';
    if (c === '$') {
      const next = src[j + 1];
      if (next !== undefined && isDigit(next)) return null;
      return { end: j + 1, tex: src.slice(at + 1, j), display: false, undecided: next === undefined };
    }
    if (c === '\\') {
      if (src.startsWith('\\text{', j)) {
        const close = closingBrace(src, j + 5);
        if (close === -1) return OPEN;
        j = close + 1;
      } else j += 2;
    } else if (isSpace(c)) {
      while (j < src.length && isSpace(src[j] ?? '')) {
        if (src[j] === '\n' && blankLineAt(src, j)) return null;
        j++;
      }
      if (src[j] === '$') return null;
    } else j++;
  }
  return OPEN;
}

/** The formula that starts at `src[at]` (an opener: `$`, `$$`, `\(`, `\[`), if any. */
function scanFormula(src: string, at: number): Scan {
  const c = src[at];
  if (c === '$') return src[at + 1] === '$' ? scanDelimited(src, at, '$$', true) : scanDollar(src, at);
  if (c === '\\') {
    const next = src[at + 1];
    if (next === '(') return scanDelimited(src, at, '\\)', false);
    if (next === '[') return scanDelimited(src, at, '\\]', true);
  }
  return null;
}

/** Past the code span whose backtick run starts at `at` (or past the run, when it closes nowhere). */
function afterCodeSpan(src: string, at: number): number {
  let n = 1;
  while (src[at + n] === '`') n++;
  const run = '`'.repeat(n);
  let close = src.indexOf(run, at + n);
  while (close !== -1 && (src[close + n] === '`' || src[close - 1] === '`')) {
    let k = close;
    while (src[k] === '`') k++;
    close = src.indexOf(run, k);
  }
  return close === -1 ? at + n : close + n;
}

/** A line that starts a display block: up to three spaces, then `$$` or `\[`. */
const displayLine = /^ {0,3}(?:\$\$|\\\[)/;
/** The same, as the start of a later line (for clipping a paragraph before it). */
const laterDisplayLine = /\n {0,3}(?:\$\$|\\\[)/;
/** Where an inline formula may start. */
const openerChar = /\$|\\[([]/;

/** What `lexOpen` collects: the rest of an inline source at each formula that may still change. */
type Tracked = Array<{ rest: string; closed: boolean }>;

/**
 * The emphasis mask: `src` with the inside of every formula replaced by `a`, so that `*` and `_`
 * inside math neither close nor open emphasis. Mirrors the inline tokenizer's left-to-right scan,
 * skipping code spans and escapes as marked does. It also reports (to `tracked`) the formulas still
 * open or undecided at the end: one that starts inside emphasis (`**$20** per month`) is never seen
 * by the tokenizer at this level, yet a later `$` can still make it one, undoing the emphasis.
 */
function maskFormulas(src: string, masked: string, tracked: Tracked | null): string {
  let out = '';
  let done = 0;
  for (let i = 0; i < src.length;) {
    const c = src[i];
    if (c === '`') {
      i = afterCodeSpan(src, i);
    } else if (c === '$' || (c === '\\' && (src[i + 1] === '(' || src[i + 1] === '['))) {
      const found = scanFormula(src, i);
      if (found === OPEN || (found !== null && found.undecided)) tracked?.push({ rest: src.slice(i), closed: found !== OPEN });
      if (found === null || found === OPEN) {
        i += c === '$' && src[i + 1] === '$' ? 2 : 1;
        continue;
      }
      const inner = c === '$' && !found.display ? 1 : 2;
      out += masked.slice(done, i + inner) + 'a'.repeat(found.end - i - 2 * inner);
      done = found.end - inner;
      i = found.end;
    } else i += c === '\\' ? 2 : 1;
  }
  return done === 0 ? masked : out + masked.slice(done);
}

/** Placeholders for `guard`: private-use characters, one per formula. */
const PLACEHOLDER_FIRST = 0xe000;
const PLACEHOLDER_COUNT = 0x1000;
const placeholders = /[\ue000-\uefff]/gu;

function guardFormulas(text: string): { text: string; restore(repaired: string): string } {
  const identity = { text, restore: (repaired: string): string => repaired };
  if (!openerChar.test(text) || /[\ue000-\uefff]/u.test(text)) return identity;
  const inner: string[] = [];
  let out = '';
  let done = 0;
  for (let i = 0; i < text.length && inner.length < PLACEHOLDER_COUNT;) {
    const c = text[i];
    if (c === '`') {
      i = afterCodeSpan(text, i);
    } else if (c === '$' || (c === '\\' && (text[i + 1] === '(' || text[i + 1] === '['))) {
      const found = scanFormula(text, i);
      if (found === null || found === OPEN) {
        i += c === '$' && text[i + 1] === '$' ? 2 : 1;
        continue;
      }
      const delimiter = c === '$' && !found.display ? 1 : 2;
      out += text.slice(done, i + delimiter) + String.fromCharCode(PLACEHOLDER_FIRST + inner.length);
      inner.push(text.slice(i + delimiter, found.end - delimiter));
      done = found.end - delimiter;
      i = found.end;
    } else i += c === '\\' ? 2 : 1;
  }
  if (inner.length === 0) return identity;
  return {
    text: out + text.slice(done),
    restore: (repaired) => repaired.replace(placeholders, (p) => inner[p.charCodeAt(0) - PLACEHOLDER_FIRST] ?? p),
  };
}

/**
 * Where `rest` — what was left of an inline run when a formula opened — starts in `src`, if that
 * run reaches the end of `src` (`-1` if not). Containers strip their prefixes (`> `, list
 * indentation) only at line starts, so `rest`'s lines end `src`'s last lines.
 */
function offsetAtEnd(rest: string, src: string, closed: boolean): number {
  const body = src.replace(/\s+$/, '');
  const after = src.slice(body.length);
  // A closed formula is undecided only while nothing follows it; an open one until a blank line.
  if (closed ? after !== '' : /\n[ \t]*\n/.test(after)) return -1;
  const restLines = rest.replace(/\s+$/, '').split('\n');
  const lines = body.split('\n');
  const first = lines.length - restLines.length;
  if (first < 0) return -1;
  for (let k = 0; k < restLines.length; k++) {
    if (!(lines[first + k] ?? '').endsWith(restLines[k] ?? '')) return -1;
  }
  let offset = 0;
  for (let k = 0; k < first; k++) offset += (lines[k] ?? '').length + 1;
  return offset + (lines[first] ?? '').length - (restLines[0] ?? '').length;
}

interface MathToken extends Tokens.Generic {
  type: 'math';
  text: string;
  display: boolean;
}

export function createMathSyntax(render: MathRenderer): MathSyntax {
  /** The inline source being lexed, innermost last (marked's emphasis mask hook is not told it). */
  const inlineSources: string[] = [];
  const wrapped = new WeakSet<object>();
  /** While `lexOpen` runs: what was left of an inline run at each formula that may still change. */
  let tracked: Tracked | null = null;

  /** Makes `lexer.inlineTokens` record the source it lexes (once per lexer). */
  function watchInline(lexer: TokenizerThis['lexer']): void {
    if (wrapped.has(lexer)) return;
    wrapped.add(lexer);
    const inlineTokens = lexer.inlineTokens;
    lexer.inlineTokens = function (this: typeof lexer, src: string, tokens?: Token[]) {
      inlineSources.push(src);
      try {
        return inlineTokens.call(this, src, tokens);
      } finally {
        inlineSources.pop();
      }
    };
  }

  const errorHtml = (raw: string): string => `<code class="${MATH_ERROR_CLASS}">${escapeHtml(raw)}</code>`;

  const extension: MarkedExtension = {
    extensions: [
      {
        name: 'mathBlock',
        level: 'block',
        start(src) {
          const match = laterDisplayLine.exec(src);
          return match ? match.index + 1 : undefined;
        },
        tokenizer(src) {
          watchInline(this.lexer);
          const line = displayLine.exec(src);
          if (!line) return undefined;
          const at = line[0].length - 2;
          const found = scanFormula(src, at);
          // Never closed: ordinary markdown, unless the text may still go on (streaming, `lexOpen`).
          if (found === null || (found === OPEN && tracked === null)) return undefined;
          let end = src.length;
          if (found !== OPEN) {
            const lineEnd = src.indexOf('\n', found.end);
            if (lineEnd !== -1) end = lineEnd + 1;
          }
          const raw = src.slice(0, end);
          const text = raw.slice(at).replace(/\n$/, '');
          return { type: 'mathBlock', raw, text, open: found === OPEN, tokens: this.lexer.inline(text) };
        },
        renderer(token) {
          return `<p>${this.parser.parseInline(token.tokens ?? [])}</p>\n`;
        },
      },
      {
        name: 'math',
        level: 'inline',
        start(src) {
          const match = openerChar.exec(src);
          return match ? match.index : undefined;
        },
        tokenizer(src) {
          if (src[0] !== '$' && src[0] !== '\\') return undefined;
          const found = scanFormula(src, 0);
          if (found === OPEN) tracked?.push({ rest: src, closed: false });
          if (found === null || found === OPEN) {
            // A `$$` that opens no display math is text, both dollars.
            return src.startsWith('$$') ? { type: 'text', raw: '$$', text: '$$' } : undefined;
          }
          if (found.undecided) tracked?.push({ rest: src, closed: true });
          const token: MathToken = { type: 'math', raw: src.slice(0, found.end), text: found.tex, display: found.display };
          return token;
        },
        renderer(token) {
          const math = token as MathToken;
          let html: string | null = null;
          try {
            html = render(math.text, math.display);
          } catch {
            html = null; // a renderer bug never costs the answer: the source shows as code
          }
          return html ?? errorHtml(math.raw);
        },
      },
    ],
    tokenizer: {
      // A setext heading's text may not run across a display line: `foo\n$$\na\n---\n$$` is a
      // paragraph and a formula, not a heading `foo $$ a`. (marked's lheading rule does not know the
      // display block, so the block would otherwise decide after the fact what came before it.)
      lheading(src) {
        const own = Object.getPrototypeOf(this) as { lheading(this: unknown, src: string): Tokens.Heading | undefined };
        const heading = own.lheading.call(this, src);
        return heading && laterDisplayLine.test(heading.raw) ? undefined : heading;
      },
    },
    hooks: {
      emStrongMask(masked) {
        const src = inlineSources.at(-1);
        return src !== undefined && src.length === masked.length && openerChar.test(src) ? maskFormulas(src, masked, tracked) : masked;
      },
    },
  };

  return {
    extension,
    lexTail(src, lex) {
      tracked = [];
      try {
        const tokens = lex();
        let openAt = src.length;
        for (const { rest, closed } of tracked) {
          const at = offsetAtEnd(rest, src, closed);
          if (at !== -1 && at < openAt) openAt = at;
        }
        const last = tokens.at(-1);
        const hold = last?.type === 'mathBlock' && (last as Tokens.Generic)['open'] === true ? 1 : 0;
        return { tokens, hold, hide: src.length - openAt };
      } finally {
        tracked = null;
      }
    },
    repair(text, repairTail) {
      const guarded = guardFormulas(text);
      return guarded.restore(repairTail(guarded.text));
    },
  };
}
