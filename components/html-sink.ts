/**
 * The authoritative sanitizer: every HTML string from the worker passes through here before it
 * touches the page (DESIGN.md §1). The worker's renderer is only the first layer.
 *
 * Parsing happens in an inert document (`document.implementation.createHTMLDocument`): nothing in it
 * loads or runs. Only after sanitizing and re-checking links and images are the nodes adopted into
 * the page, so a blocked `<img>` never exists in the page's document, not even detached.
 */
import { LINK_REL, isPartTag, resolveImageOrigins } from '../src/markdown/dom-contract.js';
import { MATHML_NAMESPACE, MATH_ATTRIBUTES, MATH_ELEMENTS, TEX_ANNOTATION } from '../src/markdown/math-contract.js';
import { loadPurify, type PurifyFactory } from './purify.js';

export type SinkMode = 'sanitizer' | 'dompurify' | 'text';

export interface HtmlSinkOptions {
  /** `auto` picks `setHTML` + `Sanitizer` where they exist, else DOMPurify, else plain text. */
  mode: 'auto' | SinkMode;
  /** Schemes links may use (lower case, no colon). Relative URLs are always fine. */
  linkSchemes: string[];
  /** Origins images may load from; `self` is the page's origin. */
  imageOrigins: string[];
  allowDataImages: boolean;
  /** Let the sanitized subset of raw HTML through (the worker escapes it by default). */
  rawHtml: boolean;
  linkTarget: string | null;
}

export interface HtmlSink {
  readonly mode: SinkMode;
  /** Settles when the sanitizer is loaded (the CDN build loads its DOMPurify fallback on demand); null when ready. */
  readonly ready: Promise<void> | null;
  /** Sanitize `html` into nodes owned by the page's document, ready to insert. */
  fragment(html: string): DocumentFragment;
}

/** Exactly what our renderer emits. Anything else is dropped. */
const ELEMENTS: Record<string, string[]> = {
  p: [], br: [], hr: [], h1: [], h2: [], h3: [], h4: [], h5: [], h6: [],
  em: [], strong: [], del: [], s: [], code: [], pre: [], blockquote: [], span: [], div: [],
  ul: [], ol: ['start'], li: [], input: ['type', 'checked', 'disabled'],
  table: [], thead: [], tbody: [], tr: [], th: ['align'], td: ['align'],
  a: ['href', 'title', 'rel', 'target'], img: ['src', 'alt', 'title'],
};
// MathML exactly as the math renderer emits it (src/markdown/math-contract.ts), and only in the
// MathML namespace (both sanitizers check namespaces: an HTML `<mi>` is not MathML).
for (const name of MATH_ELEMENTS) ELEMENTS[name] = MATH_ATTRIBUTES as string[];
/** Extra elements a page may opt into with raw HTML passthrough. */
const RAW_HTML_ELEMENTS: Record<string, string[]> = {
  b: [], i: [], u: [], sub: [], sup: [], mark: [], kbd: [], small: [], abbr: ['title'], details: ['open'], summary: [],
  dl: [], dt: [], dd: [],
};
const GLOBAL_ATTRIBUTES = ['class', 'part', 'lang', 'dir'];

interface SanitizerLike {
  readonly _brand?: never;
}
type SetHtml = (html: string, options: { sanitizer: SanitizerLike }) => void;
type SanitizerConstructor = new (config: object) => SanitizerLike;

function nativeSanitizer(): SanitizerConstructor | null {
  const ctor = (globalThis as { Sanitizer?: SanitizerConstructor }).Sanitizer;
  const setHTML = (Element.prototype as unknown as { setHTML?: SetHtml }).setHTML;
  return typeof ctor === 'function' && typeof setHTML === 'function' ? ctor : null;
}

/** Which sanitizer this browser offers, best first. */
export function detectSinkMode(): SinkMode {
  if (nativeSanitizer()) return 'sanitizer';
  return typeof DOMParser === 'function' ? 'dompurify' : 'text';
}

let warned = false;

export function createHtmlSink(options: HtmlSinkOptions): HtmlSink {
  let mode: SinkMode = options.mode === 'auto' ? detectSinkMode() : options.mode;
  if (mode === 'sanitizer' && !nativeSanitizer()) mode = detectSinkMode();
  const warnText = (): void => {
    if (warned) return;
    warned = true;
    console.warn('llm-stream: no HTML sanitizer is available in this browser; rendering plain text.');
  };
  if (mode === 'text') warnText();
  let ready: Promise<void> | null = null;
  const elements = options.rawHtml ? { ...ELEMENTS, ...RAW_HTML_ELEMENTS } : ELEMENTS;
  const inert = document.implementation.createHTMLDocument('');
  const imageOrigins = new Set(resolveImageOrigins(options.imageOrigins, location.origin));
  const linkSchemes = new Set(options.linkSchemes.map((scheme) => `${scheme.toLowerCase()}:`));

  let sanitize: (html: string) => Node;
  if (mode === 'sanitizer') {
    const Sanitizer = nativeSanitizer() as SanitizerConstructor;
    const sanitizer = new Sanitizer({
      elements: Object.entries(elements).map(([name, attributes]) => ({ name, attributes, ...(MATH_ELEMENTS.includes(name) && { namespace: MATHML_NAMESPACE }) })),
      attributes: GLOBAL_ATTRIBUTES,
      comments: false,
      dataAttributes: false,
    });
    sanitize = (html) => {
      const holder = inert.createElement('div');
      (holder as unknown as { setHTML: SetHtml }).setHTML(html, { sanitizer });
      // setHTML parses declarative shadow DOM (`<template shadowrootmode>`) into shadow roots, and
      // what is inside one is out of reach of the checks below (an `<img>` there fetches once
      // adopted). Rendered content never has shadow roots, so drop them all; a closed root cannot
      // even be seen, hence every element is rebuilt. The attribute name cannot be encoded, so its
      // absence from the markup proves there is no such root.
      if (/shadowrootmode/i.test(html)) dropShadowRoots(holder);
      return holder;
    };
  } else if (mode === 'dompurify') {
    let purifier: ReturnType<PurifyFactory> | null = null;
    const adopt = (factory: PurifyFactory): void => {
      const instance = purifierFor(factory);
      if (instance.isSupported) purifier = instance;
      else {
        mode = 'text';
        warnText();
      }
    };
    const loaded = loadPurify();
    if (loaded instanceof Promise) {
      ready = loaded.then(adopt, () => {
        mode = 'text';
        warnText();
      }).finally(() => {
        ready = null;
      });
    } else adopt(loaded);
    const config = {
      ALLOWED_TAGS: Object.keys(elements),
      ALLOWED_ATTR: [...new Set([...GLOBAL_ATTRIBUTES, ...Object.values(elements).flat()])],
      ALLOW_DATA_ATTR: false,
      ALLOW_ARIA_ATTR: false,
      RETURN_DOM_FRAGMENT: true as const,
      // Clobbering-proof: no id/name attributes are allowed at all, but keep the guard on.
      SANITIZE_DOM: true,
    };
    // Fail closed: without a loaded sanitizer, only text goes through.
    sanitize = (html) => (purifier ? purifier.sanitize(html, config) : inert.createTextNode(textOf(html)));
  } else {
    sanitize = (html) => {
      // No sanitizer: never parse. Show the text content of the markup as plain text.
      return inert.createTextNode(textOf(html));
    };
  }

  const enforce = (root: Node): void => {
    if (root.nodeType !== Node.ELEMENT_NODE && root.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return;
    const container = root as ParentNode;
    // Per-element attribute lists: DOMPurify's ALLOWED_ATTR is one list for every tag (it kept
    // `<p src>`, `<input type=checkbox src>`), so hold both paths to exactly the table above.
    for (const element of Array.from(container.querySelectorAll('*'))) {
      // A MathML annotation only with the TeX source (neither sanitizer checks attribute values).
      if (element.localName === 'annotation' && element.getAttribute('encoding') !== TEX_ANNOTATION) {
        element.remove();
        continue;
      }
      const allowed = elements[element.localName];
      for (const name of element.getAttributeNames()) {
        if (!allowed?.includes(name) && !GLOBAL_ATTRIBUTES.includes(name)) element.removeAttribute(name);
      }
      // Raw HTML passthrough: the worker adds no `part` names (a regex over raw HTML is unsafe), so
      // they are set here on parsed elements — and a model cannot claim a part of its own choosing.
      if (options.rawHtml) {
        if (isPartTag(element.localName)) element.setAttribute('part', element.localName);
        else element.removeAttribute('part');
      }
    }
    for (const img of Array.from(container.querySelectorAll('img'))) {
      const src = img.getAttribute('src') ?? '';
      if (imageAllowed(src)) continue;
      // Inside a link, a blocked image is its alt text in that link (never an <a> inside an <a>).
      const alt = img.getAttribute('alt') ?? '';
      img.replaceWith(img.closest('a') ? img.ownerDocument.createTextNode(alt) : blockedImage(img.ownerDocument, src, alt));
    }
    for (const link of Array.from(container.querySelectorAll('a'))) {
      const href = link.getAttribute('href');
      if (href !== null && !linkAllowed(href)) link.removeAttribute('href');
      if (link.hasAttribute('href')) {
        link.setAttribute('rel', LINK_REL);
        if (options.linkTarget) link.setAttribute('target', options.linkTarget);
        else link.removeAttribute('target');
      }
    }
    for (const input of Array.from(container.querySelectorAll('input'))) {
      if (input.getAttribute('type') !== 'checkbox') input.remove();
      else input.setAttribute('disabled', '');
    }
  };

  const imageAllowed = (src: string): boolean => {
    const url = parseUrl(src);
    if (!url) return false;
    if (url.protocol === 'data:') return options.allowDataImages && /^data:image\/(png|gif|jpe?g|webp|avif);/i.test(src.trim());
    return (url.protocol === 'https:' || url.protocol === 'http:') && imageOrigins.has(url.origin);
  };
  const linkAllowed = (href: string): boolean => {
    // Defence in depth: a script scheme hidden behind whitespace, control or invisible format
    // characters that the URL parser would not strip (U+00A0, U+1680, U+0001, U+00AD inside the word),
    // or behind the U+FFFD the HTML parser makes of a NUL (`javascript\0:`), is harmless today, yet
    // never a link a reader wants; drop it rather than rely on every browser's URL parser.
    if (SCRIPT_SCHEME.test(href.replace(/[\s\p{Cc}\p{Cf}\ufffd]/gu, ''))) return false;
    const url = parseUrl(href);
    return url !== null && linkSchemes.has(url.protocol);
  };
  const blockedImage = (doc: Document, src: string, alt: string): Node => {
    const label = alt || src;
    if (!linkAllowed(src)) return doc.createTextNode(label);
    const link = doc.createElement('a');
    link.setAttribute('href', src);
    link.setAttribute('rel', LINK_REL);
    link.setAttribute('part', 'a');
    link.className = 'llm-stream-blocked-image';
    link.textContent = label;
    return link;
  };

  return {
    get mode() {
      return mode;
    },
    get ready() {
      return ready;
    },
    fragment(html) {
      // The sink never throws: a sanitizer that returns something unexpected (DOMPurify returns
      // null for a `<frameset>` block; a document; a node of another kind) or throws turns this
      // block into its plain text, and the stream goes on with `text` exact.
      let root: Node;
      try {
        const output: unknown = sanitize(html);
        if (!isSanitizedRoot(output)) throw new Error('unexpected sanitizer output');
        root = output;
        enforce(root);
      } catch {
        root = inert.createTextNode(textOf(html));
      }
      const fragment = document.createDocumentFragment();
      // appendChild adopts each node into the page's document; images left here are allowed ones.
      while (root.firstChild) fragment.appendChild(root.firstChild);
      if (root.nodeType === Node.TEXT_NODE) fragment.appendChild(document.createTextNode(root.textContent ?? ''));
      return fragment;
    },
  };
}

/**
 * One DOMPurify instance per page, shared by every sink. Each instance creates its own Trusted Types
 * policy named `dompurify` on first use; under `trusted-types … dompurify` (no 'allow-duplicates') a
 * second instance — the second stream's sink — is refused the name, then DOMPurify's parse is a
 * Trusted Types violation and fails. The instance is kept on the factory itself, not in this module:
 * the CDN build's extras file carries its own copy of this module (for the SVG profile below) and
 * must share it too.
 */
const PURIFIER = Symbol.for('llm-stream.purifier');
function purifierFor(factory: PurifyFactory): ReturnType<PurifyFactory> {
  return ((factory as unknown as Record<symbol, ReturnType<PurifyFactory> | undefined>)[PURIFIER] ??= factory(window));
}

const SCRIPT_SCHEME = /^(javascript|vbscript|data|livescript):/i;

/** What `enforce` can walk: an element or a fragment (a text node from the fallback is fine too). */
function isSanitizedRoot(value: unknown): value is Node {
  if (typeof value !== 'object' || value === null || typeof (value as Node).nodeType !== 'number') return false;
  const type = (value as Node).nodeType;
  return type === Node.ELEMENT_NODE || type === Node.DOCUMENT_FRAGMENT_NODE || type === Node.TEXT_NODE;
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value, document.baseURI);
  } catch {
    return null;
  }
}

/** Replaces every element under `root` by a copy without a shadow root (attributes and children kept). */
function dropShadowRoots(root: Element): void {
  for (const element of Array.from(root.querySelectorAll('*'))) {
    const copy = element.ownerDocument.createElementNS(element.namespaceURI, element.localName);
    for (const name of element.getAttributeNames()) copy.setAttribute(name, element.getAttribute(name) ?? '');
    copy.append(...Array.from(element.childNodes));
    element.replaceWith(copy);
  }
}

/**
 * The SVG profile, for the diagram renderer's output only (components/diagrams.ts: mermaid's SVG) —
 * never for model content, where `<svg>` stays text or is dropped like any tag the tables above lack.
 * Shapes and text, nothing else: no `<style>` (a model steers mermaid's theme CSS through
 * `%%{init}%%`; diagrams take the element's own stylesheet), no `<foreignObject>` (HTML inside), no
 * `<a>`, `<use>`, `<image>`, animation or filters, no `style`, `href` or event attributes. Ids are
 * renamed to fresh ones (nothing a model named can clobber or collide), and the one kind of URL
 * left is a reference to an element of the same diagram, `url(#id)` (its arrowheads).
 */
const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';
const SVG_ELEMENTS = ['svg', 'g', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'tspan', 'defs', 'marker', 'title', 'desc'];
const SVG_ATTRIBUTES = [
  'id', 'class', 'viewBox', 'preserveAspectRatio', 'width', 'height', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'rx', 'ry',
  'd', 'points', 'transform', 'dx', 'dy', 'fill', 'fill-opacity', 'fill-rule', 'clip-rule', 'stroke', 'stroke-width',
  'stroke-dasharray', 'stroke-dashoffset', 'stroke-linecap', 'stroke-linejoin', 'stroke-opacity', 'opacity',
  'marker-start', 'marker-mid', 'marker-end', 'markerWidth', 'markerHeight', 'markerUnits', 'refX', 'refY', 'orient',
  'text-anchor', 'dominant-baseline', 'alignment-baseline', 'font-size', 'font-weight', 'font-style',
];
/** Attributes that may point at another element of the same diagram, as `url(#id)` and nothing else. */
const SVG_REFERENCES = ['fill', 'stroke', 'marker-start', 'marker-mid', 'marker-end'];
let svgIds = 0;

/**
 * Sanitizes the diagram renderer's SVG markup with the SVG profile on the sink path `mode` (the one
 * the content uses: both paths keep exactly the same). Returns the `<svg>`, owned by the page's
 * document, or null when the markup is not one `<svg>` or `mode` cannot sanitize (`text`).
 */
export async function sanitizeSvg(markup: string, mode: SinkMode): Promise<SVGSVGElement | null> {
  const inert = document.implementation.createHTMLDocument('');
  const holder = inert.createElement('div');
  const Sanitizer = nativeSanitizer();
  if (mode === 'sanitizer' && Sanitizer) {
    const sanitizer = new Sanitizer({
      elements: SVG_ELEMENTS.map((name) => ({ name, namespace: SVG_NAMESPACE, attributes: SVG_ATTRIBUTES })),
      attributes: [],
      comments: false,
      dataAttributes: false,
    });
    (holder as unknown as { setHTML: SetHtml }).setHTML(markup, { sanitizer });
    if (/shadowrootmode/i.test(markup)) dropShadowRoots(holder);
  } else if (mode === 'dompurify') {
    const purifier = purifierFor(await loadPurify());
    if (!purifier.isSupported) return null;
    holder.append(purifier.sanitize(markup, {
      // Copies: DOMPurify lower-cases the lists it is given in place (`viewBox` would be lost for both paths).
      ALLOWED_TAGS: [...SVG_ELEMENTS, '#text'],
      ALLOWED_ATTR: [...SVG_ATTRIBUTES],
      // What is dropped goes with its content, as setHTML drops it (an `<a>` with its label).
      KEEP_CONTENT: false,
      ALLOW_DATA_ATTR: false,
      ALLOW_ARIA_ATTR: false,
      RETURN_DOM_FRAGMENT: true,
      SANITIZE_DOM: true,
    }));
  } else return null;
  const svg = holder.firstElementChild;
  if (holder.children.length !== 1 || !(svg instanceof SVGSVGElement) || svg.namespaceURI !== SVG_NAMESPACE) return null;
  // The same checks on both paths, as `enforce` does for HTML: exactly the table's elements and
  // attributes, fresh ids, and no value that could name a resource or a script.
  const ids = new Map<string, string>();
  const elements = [svg, ...Array.from(svg.querySelectorAll('*'))];
  for (const element of elements) {
    if (element.namespaceURI !== SVG_NAMESPACE || !SVG_ELEMENTS.includes(element.localName)) {
      element.remove();
      continue;
    }
    const id = element.getAttribute('id');
    if (id === null) continue;
    const fresh = `llm-stream-svg-${++svgIds}`;
    if (!ids.has(id)) ids.set(id, fresh);
    element.setAttribute('id', fresh);
  }
  for (const element of elements) {
    for (const name of element.getAttributeNames()) {
      if (name === 'id') continue;
      const value = (element.getAttribute(name) ?? '').replace(/[\s\p{Cc}\p{Cf}]/gu, '');
      const reference = /^url\(#([^()]+)\)$/.exec(value);
      const target = reference && SVG_REFERENCES.includes(name) ? ids.get(reference[1] ?? '') : undefined;
      if (target) element.setAttribute(name, `url(#${target})`);
      else if (!SVG_ATTRIBUTES.includes(name) || /url\(|[\\:]/i.test(value)) element.removeAttribute(name);
    }
  }
  return document.adoptNode(svg);
}

/** Markup to visible text without an HTML parser: tags dropped, the few entities we emit decoded. */
function textOf(html: string): string {
  return html
    .replace(/<\/(p|h[1-6]|li|pre|blockquote|tr|table)>/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|quot|#39|amp);/g, (entity) => ({ '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' })[entity] ?? entity);
}
