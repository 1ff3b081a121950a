/**
 * No-flicker repair of the tail text before it is rendered (never of committed text, never at end()).
 *
 * While a block is being typed, its markdown is often a prefix of something else: `**bold` is not
 * yet bold, `[text](https://exa` is not yet a link, `| a | b |` is not yet a table, `1` is not yet a
 * list. Rendered as is, syntax characters show up and vanish a moment later. The repair makes the
 * prefix render like the finished block will: it closes what can be closed (emphasis, code spans,
 * strikethrough; an unfinished link shows as its text, an unfinished image not at all) and hides
 * what cannot be decided yet (a line that is only a block marker, a table header waiting for its
 * delimiter row, the start of a closing fence, a half-typed character reference, autolink or HTML
 * tag, a lone trailing backslash).
 */

/** Container prefixes a line may start with (blockquote markers, indentation). */
const containerPrefix = String.raw`^(?:[ \t]*>)*[ \t]*`;

/**
 * An unfinished line that is only a block marker or a prefix of one: `-`, `*`, `+`, `#`, `1`, `1.`,
 * `- [`, `---` (setext underline / thematic break), backticks or tildes (a fence), `===`.
 */
const markerOnlyLine = new RegExp(containerPrefix + String.raw`(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*`
  + String.raw`(?:[-*+]|#{1,6}|\d{1,9}[.)]?|[-*+][ \t]+\[[ xX]?\]?|[-=_* \t]+|` + '`+|~+' + String.raw`)[ \t]*$`);

/** A prefix of a table delimiter row (`|---|:--`). */
const delimiterRowPrefix = new RegExp(containerPrefix + String.raw`\|?[ \t]*:?-*:?[ \t]*(?:\|[ \t]*:?-*:?[ \t]*)*\|?[ \t]*$`);

/** A fence opening or closing line, after container prefixes. */
const fenceLine = new RegExp(containerPrefix + String.raw`(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(` + '`{3,}|~{3,})');

/** Does the text end inside a fenced code block? (A heuristic scan; it only steers the display.) */
function endsInsideFence(lines: readonly string[]): string | null {
  let open: string | null = null;
  for (const line of lines) {
    const match = fenceLine.exec(line);
    if (!match) continue;
    const fence = match[1] ?? '';
    if (open === null) {
      // An info string with a backtick does not open a backtick fence.
      if (!(fence.startsWith('`') && line.slice(match[0].length).includes('`'))) open = fence;
    } else if (fence.charAt(0) === open.charAt(0) && fence.length >= open.length
      && line.slice(match[0].length).trim() === '') {
      open = null;
    }
  }
  return open;
}

/** Is `line` a row-ish line (it has a pipe)? */
const hasPipe = (line: string | undefined): boolean => line !== undefined && line.includes('|');

/**
 * Closes an unclosed code span at the end of the last paragraph. It runs before `closeInline`, so
 * that `**`x` becomes `**`x`**` (closing `**` first would leave it visible inside the code).
 */
function closeCodeSpan(text: string): string {
  const paragraphStart = text.lastIndexOf('\n\n') + 1;
  const runs = text.slice(paragraphStart).matchAll(/(?<!\\)`+/g);
  let open = '';
  for (const run of runs) {
    if (open === '') open = run[0];
    else if (run[0] === open) open = '';
  }
  return open === '' ? text : text + open;
}

/** A line that starts an inline run: a list item, a heading, a fence line or a blank line. */
const runStartLine = new RegExp(containerPrefix
  + String.raw`(?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)|#{1,6}(?:[ \t]|$)|` + '`{3,}|~{3,}|$)');

/** A line whose inline run ends with it: a heading, a fence line or a blank line. */
const singleLine = new RegExp(containerPrefix + String.raw`(?:#{1,6}(?:[ \t]|$)|` + '`{3,}|~{3,}|$)');

/** Where the last inline run (paragraph, list item, heading) of `text` starts. */
function inlineStart(text: string): number {
  let start = 0;
  let pos = 0;
  let next = false;
  // A trailing newline does not end the run: `**a\n` may go on with `b**`.
  const lines = text.replace(/\n$/, '').split('\n');
  for (const [k, line] of lines.entries()) {
    // The last line may still grow: a lone `>` is not yet a blank line.
    const probe = k === lines.length - 1 ? `${line}.` : line;
    if (next || runStartLine.test(probe)) start = pos;
    next = singleLine.test(probe);
    pos += line.length + 1;
  }
  return start;
}

/**
 * The inline tokens `closeInline` cares about: an escape, a code span opener, a delimiter run, a
 * bracket, an inline HTML tag or autolink (maybe unfinished), a bare URL (its `_` are not emphasis),
 * any other character.
 */
const inlineToken = new RegExp(String.raw`\\[!-/:-@[-${'`'}{-~]|${'`'}+|\*+|_+|~+|!?\[|\]\(?|<(?:\/|[a-z])[^<>]*>?`
  + String.raw`|(?<![^\s*_~(])(?:https?:\/\/|www\.)[^\s<]*?(?=[?!.,:*_~]*(?:\s|$))|[^]`, 'iyu');

const isSpace = (c: string): boolean => c === '' || /\s/.test(c);
const isPunct = (c: string): boolean => /[\p{P}\p{S}]/u.test(c);

/**
 * Closes what is open at the end of one inline run: emphasis and strikethrough get their closers
 * (innermost first, before trailing whitespace), a trailing delimiter run is dropped (it can only
 * close, and closing is done here), an unfinished link shows as its text, an unfinished image not
 * at all. Code spans are expected to be closed already.
 */
function closeInline(src: string): string {
  let s = src;
  const brackets: number[] = [];
  const open: Array<{ c: string; n: number }> = [];
  for (let i = 0; i < s.length;) {
    inlineToken.lastIndex = i;
    const token = inlineToken.exec(s)?.[0] ?? s.charAt(i);
    const c = token.charAt(0);
    const at = i;
    i += token.length;
    if (c === '`') {
      // Skip to the closing run of the same length, if any.
      const close = new RegExp(`(?<!\`)${token}(?!\`)`, 'g');
      close.lastIndex = i;
      if (close.exec(s)) i = close.lastIndex;
    } else if (c === '<' && token.length > 1 && !token.endsWith('>')) {
      // A tag still being typed (`<span cla`) is hidden; one that will not close is plain text.
      if (i === s.length) {
        s = s.slice(0, at);
        break;
      }
      i = at + 1;
    } else if (c === '[' || token === '![') {
      brackets.push(at);
    } else if (c === ']') {
      const opener = brackets.pop();
      if (opener === undefined || token === ']') continue;
      let depth = 0;
      while (i < s.length && (s[i] !== ')' || depth-- > 0)) {
        if (s[i] === '\\') i++;
        else if (s[i] === '(') depth++;
        i++;
      }
      if (i >= s.length) {
        // The destination is still arriving: the link shows as its text, an image as nothing.
        return closeInline(s.slice(0, opener) + (s[opener] === '!' ? '' : s.slice(opener + 1, at)));
      }
      i++;
    } else if (c === '*' || c === '_' || c === '~') {
      if (i === s.length) {
        s = s.slice(0, at);
        break;
      }
      let n = token.length;
      if (c === '~' && n !== 2) continue;
      const before = s.charAt(at - 1);
      const after = s.charAt(i);
      const left = !isSpace(after) && (!isPunct(after) || isSpace(before) || isPunct(before));
      const right = !isSpace(before) && (!isPunct(before) || isSpace(after) || isPunct(after));
      if (right && (c !== '_' || !left || isPunct(after))) {
        for (let k = open.length - 1; k >= 0 && n > 0; k--) {
          const opener = open[k];
          if (opener?.c !== c) continue;
          const used = Math.min(n, opener.n);
          opener.n -= used;
          n -= used;
          open.length = opener.n > 0 ? k + 1 : k;
        }
      }
      // `_` does not open inside a word, nor does a single `*` between ASCII letters or digits (`2*3`).
      const word = c === '_' ? right && !isPunct(before) : n === 1 && /^[a-z\d]{2}$/i.test(before + after);
      if (n > 0 && left && !word) open.push({ c, n });
    }
  }
  if (brackets.length > 0) {
    // Unclosed brackets: a link's `[` is dropped, an image is cut off with all that follows.
    for (const opener of brackets.reverse()) s = s.slice(0, opener) + (s[opener] === '!' ? '' : s.slice(opener + 1));
    return closeInline(s);
  }
  const closers = open.reverse().map((d) => d.c.repeat(d.n)).join('');
  // Closers go before trailing whitespace and before a last line that is only `>` (not yet text).
  const body = s.trimEnd().replace(/\n[ \t>]*$/, '').trimEnd();
  const space = s.slice(body.length);
  // A single trailing space shows nothing but would be re-sent as the word grows (no `append`).
  return body + closers + (space === ' ' ? '' : space);
}

/** Returns the text to render in place of the tail `src`. Pure; `src` is returned when nothing to do. */
export function repairTail(src: string): string {
  if (src === '') return src;
  const lines = src.split('\n');
  const lastIndex = lines.length - 1;
  const last = lines[lastIndex] ?? '';
  const lastStart = src.length - last.length;

  const fence = endsInsideFence(lines.slice(0, lastIndex));
  if (fence !== null) {
    // Inside a code block only a growing closing fence can flicker (`` ` `` shown, then gone).
    const closing = new RegExp(containerPrefix + (fence.startsWith('`') ? '`+' : '~+') + '[ \t]*$');
    return last !== '' && closing.test(last) ? src.slice(0, lastStart) : src;
  }

  // An opening fence still being typed (`` ```pyth ``) already renders as an empty code block.
  if (fenceLine.test(last)) return src;

  let cut = src.length;
  // A table header is only a table once its delimiter row is complete: hide both until then.
  const header = lines[lastIndex - 1];
  if (hasPipe(header) && !hasPipe(lines[lastIndex - 2]) && (last === '' || delimiterRowPrefix.test(last))) {
    cut = lastStart - (header ?? '').length - 1;
  } else if (hasPipe(last) && !hasPipe(header)) {
    cut = lastStart;
  } else if (last !== '' && markerOnlyLine.test(last)) {
    cut = lastStart;
  }
  let text = src.slice(0, cut);

  if (cut === src.length) {
    // Inline prefixes whose characters would vanish once complete.
    text = text
      .replace(/(?:^|[^\\])(?:\\\\)*\\$/, (m) => m.slice(0, -1)) // a lone trailing backslash
      .replace(/&#?[a-zA-Z0-9]{0,31}$/, '') // `&am` before `&amp;`
      .replace(/<[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*$/, '') // `<https://exa` before `>`
      .replace(/<[^\s<>@]+@[^\s<>]*$/, '') // `<me@exa` before `>`
      // An opening delimiter run with nothing after it yet (`a **`, `` a ` ``): it would be visible,
      // and vanish as soon as the first emphasized character arrives.
      .replace(/(^|[\s([{])[*_~`]+$/, '$1')
      // `[text]` not yet followed by `(`: drop the `]` so that it shows as `[text` does, as the text
      // without brackets (the brackets would vanish when `(` arrives).
      .replace(/(\[[^\[\]\n]*)\]$/, (m, open: string) => (/\\$/.test(open) ? m : open));
    text = closeCodeSpan(text);
  }
  const start = inlineStart(text);
  return text.slice(0, start) + closeInline(text.slice(start));
}
