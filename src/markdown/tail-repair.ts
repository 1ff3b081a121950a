/**
 * No-flicker repair of the tail text before it is rendered (never of committed text, never at end()).
 *
 * While a block is being typed, its markdown is often a prefix of something else: `**bold` is not
 * yet bold, `[text](https://exa` is not yet a link, `| a | b |` is not yet a table, `1` is not yet a
 * list. Rendered as is, syntax characters show up and vanish a moment later. The repair makes the
 * prefix render like the finished block will: it closes what can be closed (remend: emphasis, code
 * spans, strikethrough, links as inert text, images) and hides what cannot be decided yet (a line
 * that is only a block marker, a table header waiting for its delimiter row, the start of a closing
 * fence, a half-typed character reference or autolink, a lone trailing backslash).
 */

import remend from 'remend';

/** remend options: close inline constructs, but never rewrite what the final render will show. */
const remendOptions = {
  linkMode: 'text-only',
  // Our own rules below hide such lines; remend's zero-width space would itself be visible text.
  setextHeadings: false,
  // These escape text that the final render may well parse as markdown (`- > 25` is a quote).
  comparisonOperators: false,
  singleTilde: false,
  katex: false,
  inlineKatex: false,
} as const;

/** remend's placeholder for an image whose URL is still arriving; we render nothing instead. */
const incompleteImage = /!\[[^\n]*?\]\(streamdown:incomplete-image\)$/;

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
 * Closes an unclosed code span at the end of the last paragraph. remend closes it too, but after
 * closing `**` (`**`x` → `**`x**``, which leaves the `**` visible inside the code), so we do it first.
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
      // An opening delimiter run with nothing after it yet (`a **`, `` a ` ``): remend leaves it
      // visible, and it vanishes as soon as the first emphasized character arrives.
      .replace(/(^|[\s([{])[*_~`]+$/, '$1')
      // `[text]` not yet followed by `(`: drop the `]` so that remend shows the text without
      // brackets, as it does for `[text` (the brackets would vanish when `(` arrives).
      .replace(/(\[[^\[\]\n]*)\]$/, (m, open: string) => (/\\$/.test(open) ? m : open));
    text = closeCodeSpan(text);
  }
  text = remend(text, remendOptions);
  const image = incompleteImage.exec(text);
  if (image) text = text.slice(0, image.index);
  return text;
}
