/**
 * The DOM contract shared by the worker's renderer and the page's sink: the facts both layers encode
 * about the HTML that crosses between them. It imports nothing, so the page bundle can take it
 * without pulling in marked or any other worker code, and the two layers cannot drift apart.
 */

/**
 * Tags that carry a `part` named after the tag (CONTRACT.md "Rendered DOM"): pages style them with
 * `::part(p)`, `::part(a)`, …. The renderer adds them to what it emits; with raw HTML passthrough the
 * sink sets them on parsed elements instead (and strips any other `part` a model wrote).
 */
export const PART_TAGS: readonly string[] = [
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'code', 'table', 'blockquote', 'ul', 'ol', 'li', 'a', 'img', 'hr',
];

/** True when elements named `tagName` (lower case) carry a `part` of that name. */
export function isPartTag(tagName: string): boolean {
  return PART_TAGS.includes(tagName);
}

/** Every rendered link carries this `rel`: the content is third-party and untrusted. */
export const LINK_REL = 'noopener noreferrer nofollow ugc';

/** Link schemes allowed by default (lower case, no colon). Relative URLs are always allowed. */
export const DEFAULT_LINK_SCHEMES: readonly string[] = ['http', 'https', 'mailto'];

/** The class prefix that names a fenced code block's language on its `<code>` (`language-js`). */
export const CODE_LANGUAGE_PREFIX = 'language-';

const escapeMap: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes all five HTML-special characters (marked's `escape(text, true)`). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapeMap[c] ?? c);
}

/**
 * The closing-tag suffix rule behind the `append` patch: where the tail's last text run ends. That is
 * just before a run of closing tags (with no whitespace between them, else the patcher's `lastChild`
 * walk would land on a whitespace text node) followed only by trailing whitespace. `-1` when the HTML
 * does not end that way or the character before the closing tags is not text (`>` of an element such
 * as `<br>`, or an empty element). The engine sends `append` only when this finds a run; the patcher
 * appends the text inside the element closed by the first of those tags.
 */
export function textRunEnd(html: string): number {
  const match = /(?:<\/[a-zA-Z][a-zA-Z0-9]*>)+\s*$/.exec(html);
  if (!match) return -1;
  const end = match.index;
  if (end === 0 || html.charAt(end - 1) === '>') return -1;
  return end;
}

/**
 * The class of a highlighted line of a growing code block (src/markdown/highlight.ts wraps each
 * run in one); the patcher re-parses a streaming block from its first changed line.
 */
export const CODE_LINE_CLASS = 'hljs-line';
export const CODE_LINE_OPEN = `<span class="${CODE_LINE_CLASS}">`;

/**
 * The top-level blocks of the renderer's HTML (whose elements all close, but for the void ones it
 * emits), each with the newlines after it. Raw HTML that leaves one open makes the rest one block.
 */
export function splitBlocks(html: string): string[] {
  const blocks: string[] = [];
  const tag = /<(\/?)(?:(br|hr|img|input|wbr)\b|[a-z])[^>]*>/gi;
  let depth = 0;
  let start = 0;
  for (let match; (match = tag.exec(html)); ) {
    if (match[1]) depth--;
    else if (!match[2]) depth++;
    if (depth > 0) continue;
    depth = 0;
    let end = tag.lastIndex;
    while (html[end] === '\n') end++;
    blocks.push(html.slice(start, end));
    start = tag.lastIndex = end;
  }
  if (start < html.length) blocks.push(html.slice(start));
  return blocks;
}

/** How many elements the closing tags after a text run end close (the patcher's descent depth). */
export function closingTagCount(html: string, runEnd: number): number {
  return (html.slice(runEnd).match(/<\//g) ?? []).length;
}

/**
 * The origins images may load from, from a list of entries: `self` becomes `pageOrigin`, every
 * other entry is reduced to its origin; entries that are not absolute URLs are dropped, and so are
 * opaque origins (`data:`, `blob:`, `file:` have the origin `null`, which must never match).
 */
export function resolveImageOrigins(entries: readonly string[], pageOrigin: string): string[] {
  const origins = new Set<string>();
  for (const entry of entries) {
    try {
      origins.add(new URL(entry === 'self' ? pageOrigin : entry).origin);
    } catch {
      // An entry that is not a URL allows nothing.
    }
  }
  origins.delete('null');
  return [...origins];
}

/** The `image-origins` attribute (space-separated, `self` allowed) as the list of allowed origins. */
export function parseImageOrigins(attr: string, pageOrigin: string): string[] {
  return resolveImageOrigins(attr.split(/\s+/).filter(Boolean), pageOrigin);
}
