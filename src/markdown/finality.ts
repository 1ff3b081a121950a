/**
 * The finality rule: which top-level blocks of the lexed tail can no longer change, whatever text
 * arrives later.
 *
 * DESIGN.md §2: *a block is final when it lies before the last non-`space` token and that last
 * token's first line is complete* (the text from its start contains a `\n`). "All blocks but the last"
 * is not enough in marked: a half-typed line can still join the previous block (`2` → `2.` continues
 * an ordered list; an indented line continues a list or an indented code block; a blank line and a
 * new item make a list loose). Once the next block has a complete first line, it has been told apart
 * from the previous one for good.
 */

import type { Token } from 'marked';

/**
 * How many leading tokens of `tokens` (the lexed `src`) are final. Their `raw`s concatenate to the
 * start of `src`, so the caller advances its committed offset by their total length.
 */
export function countFinalTokens(tokens: readonly Token[], src: string): number {
  let last = tokens.length - 1;
  while (last >= 0 && tokens[last]?.type === 'space') last--;
  if (last <= 0) return 0;
  let start = 0;
  for (let i = 0; i < last; i++) start += tokens[i]?.raw.length ?? 0;
  const firstLineEnd = src.indexOf('\n', start);
  if (firstLineEnd === -1) return 0;
  const token = tokens[last];
  // Strengthened (found by streaming concatenated spec examples): a block whose *type* depends on
  // its second line can still dissolve into the previous paragraph. `foo\nbar\n-` lexes as a
  // paragraph `foo` plus a setext heading `bar`; when the `-` line becomes `- a`, `bar` is a
  // paragraph continuation again. Same for a table whose delimiter row is still incomplete
  // (`a | b\n--|--x` is no table). So these need their second line complete too.
  if (token && (isSetextHeading(token) || token.type === 'table')) {
    if (src.indexOf('\n', firstLineEnd + 1) === -1) return 0;
  }
  return last;
}

/** A heading written with an `===`/`---` underline rather than `#`. */
function isSetextHeading(token: Token): boolean {
  // An ATX heading is one line; the raw of a setext heading spans its content and underline lines.
  // (Testing for a leading `#` is wrong: `  #→Foo\n---` is a setext heading.)
  return token.type === 'heading' && token.raw.replace(/\n+$/, '').includes('\n');
}
