/**
 * The worker-side URL policy for links and images (first layer; the sink sanitizer is authoritative).
 *
 * A URL is judged on what the *browser* will see, not on what the markdown says: marked leaves
 * character references in an `href`, and the HTML attribute parser decodes them
 * (`jav&#x09;ascript:` → `jav\tascript:`), then the URL parser drops ASCII tab/newline and trims
 * leading/trailing C0 controls and spaces (→ `javascript:`). So we decode, strip, and only then look
 * at the scheme. What we emit is the string we checked (re-encoded), never the original, so there is
 * no second interpretation.
 */

import type { UrlPolicy } from '../types.js';
import { DEFAULT_LINK_SCHEMES, resolveImageOrigins } from './dom-contract.js';

/** The defaults: ordinary web links, no remote images. */
export const defaultUrlPolicy: UrlPolicy = {
  linkSchemes: [...DEFAULT_LINK_SCHEMES],
  imageOrigins: [],
  allowDataImages: false,
  baseUrl: 'http://localhost/',
};

/**
 * Named character references that matter for the check (a scheme can be smuggled with them) plus the
 * common ones. The full HTML table has ~2 000 entries; an unknown reference left in the scheme part
 * makes the URL rejected (see `schemeOf`), so the short table is a safe subset.
 */
const namedEntities: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0',
  Tab: '\t', NewLine: '\n', colon: ':', sol: '/', bsol: '\\', lpar: '(', rpar: ')', period: '.',
  comma: ',', excl: '!', num: '#', percnt: '%', quest: '?', equals: '=', plus: '+', semi: ';',
  lowbar: '_', hyphen: '-', dash: '-', commat: '@', lsqb: '[', rsqb: ']', lbrack: '[', rbrack: ']',
  lcub: '{', rcub: '}', verbar: '|', grave: '`', Hat: '^', ast: '*', dollar: '$',
};

/**
 * The full table of named references (~2 200 names) is too big to ship in every worker: it is looked
 * up through `namedReference`, which the worker connects to a file it loads the first time a URL holds
 * a name the short table above does not know (Node tests connect it directly). Unset, such a name
 * stays undecoded, and a URL whose scheme it could hide is refused (see `schemeOf`).
 */
let namedReference: ((name: string) => string | undefined) | null = null;
export function useNamedReferences(lookup: ((name: string) => string | undefined) | null): void {
  namedReference = lookup;
}

/** Decodes character references the way an HTML attribute value does (numeric ones in full). */
export function decodeCharacterReferences(value: string): string {
  return value.replace(/&(?:#[xX]([0-9a-fA-F]{1,8});?|#([0-9]{1,9});?|([a-zA-Z][a-zA-Z0-9]{1,31});)/g,
    (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
      if (name !== undefined) return namedEntities[name] ?? namedReference?.(name) ?? whole;
      const code = hex !== undefined ? parseInt(hex, 16) : parseInt(dec ?? '', 10);
      // As the HTML tokenizer: NUL, surrogates and out-of-range code points become U+FFFD.
      if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        return '\ufffd';
      }
      return String.fromCodePoint(code);
    });
}

/**
 * What the URL parser works on: references decoded, ASCII tab/LF/CR removed anywhere, leading and
 * trailing C0 controls and spaces trimmed.
 */
export function normalizeUrl(raw: string): string {
  return decodeCharacterReferences(raw)
    .replace(/[\t\n\r]/g, '')
    // eslint-disable-next-line no-control-regex
    .replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
}

/**
 * The lower-case scheme of a normalized URL, `''` for a relative URL, or `null` when the URL is
 * ambiguous: a `:` before any `/?#` behind something that is not a clean scheme but holds an
 * undecoded `&name;` (which could hide one) — ambiguous URLs are refused rather than guessed. Any
 * other text before the colon cannot be a scheme for the URL parser either (`foo):` is a relative
 * path, as the browser reads it: what is emitted is escaped, so it sees exactly this string).
 */
export function schemeOf(url: string): string | null {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
  if (match) return (match[1] ?? '').toLowerCase();
  const colon = url.indexOf(':');
  if (colon === -1) return '';
  const firstDelimiter = url.search(/[/?#]/);
  if (firstDelimiter !== -1 && firstDelimiter < colon) return '';
  return url.slice(0, colon).includes('&') ? null : '';
}

/** Like marked's `cleanUrl`: percent-encode what must be, keep existing escapes. */
function encodeUrl(url: string): string | null {
  try {
    return encodeURI(url).replace(/%25/g, '%');
  } catch {
    return null; // lone surrogate
  }
}

/**
 * The `href` to emit for a link, or `null` when the link must render as plain text.
 * Relative URLs are always allowed; absolute ones only with a configured scheme.
 */
export function checkLinkUrl(raw: string, policy: UrlPolicy): string | null {
  const url = normalizeUrl(raw);
  const scheme = schemeOf(url);
  if (scheme === null) return null;
  if (scheme !== '' && !policy.linkSchemes.some((s) => s.toLowerCase() === scheme)) return null;
  return encodeUrl(url);
}

/** How an image is rendered: loaded, degraded to a link, or degraded to its alt text. */
export type ImageDecision =
  | { kind: 'img'; src: string }
  | { kind: 'link'; href: string }
  | { kind: 'text' };

/** The allowed image origins, with `self` resolved against the base URL; bad entries are dropped. */
function allowedOrigins(policy: UrlPolicy): Set<string> {
  let pageOrigin = '';
  try {
    pageOrigin = new URL(policy.baseUrl).origin;
  } catch {
    // No usable base URL: `self` allows nothing (the empty string is not a URL).
  }
  return new Set(resolveImageOrigins(policy.imageOrigins, pageOrigin));
}

/**
 * Decides an image: it may load only from an allowed origin (relative URLs resolve against
 * `baseUrl`) or as `data:image/...` when allowed. Anything else becomes a link when its scheme is
 * link-allowed, else plain alt text — never an `<img>`, because a detached `<img>` already fetches.
 */
export function checkImageUrl(raw: string, policy: UrlPolicy): ImageDecision {
  const url = normalizeUrl(raw);
  const scheme = schemeOf(url);
  if (scheme === 'data') {
    if (policy.allowDataImages && /^data:image\/[a-z0-9.+-]+[;,]/i.test(url)) {
      const src = encodeUrl(url);
      if (src !== null) return { kind: 'img', src };
    }
    return { kind: 'text' };
  }
  if (scheme !== null) {
    let resolved: URL | null = null;
    try {
      resolved = new URL(url, policy.baseUrl);
    } catch {
      resolved = null;
    }
    if (resolved && (resolved.protocol === 'http:' || resolved.protocol === 'https:')
      && allowedOrigins(policy).has(resolved.origin)) {
      const src = encodeUrl(url);
      if (src !== null) return { kind: 'img', src };
    }
  }
  const href = checkLinkUrl(raw, policy);
  return href === null ? { kind: 'text' } : { kind: 'link', href };
}
