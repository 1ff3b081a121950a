/**
 * LaTeX → MathML with Temml, serialized through the MathML contract (math-contract.ts).
 *
 * Temml, not KaTeX (measured, README "Math"): its bundle is smaller (60 vs 78 KB gzip for the MathML
 * output alone) and it writes MathML Core that Chromium renders: `\mathbb{R}` becomes `ℝ`,
 * `\mathbf{F}` a bold letter, where KaTeX's `mathvariant` attributes are ignored by Chromium.
 *
 * Temml's own markup is not passed on: it carries inline `style` (padding, borders, colours) and would
 * carry whatever a newer Temml adds. The tree is walked instead and written with exactly the
 * contract's elements and attributes; anything else is dropped (its children kept), text is escaped,
 * attribute values that are not plain words, numbers or lengths are dropped. A `\color` becomes
 * `mathcolor` (MathML Core's own attribute) rather than a style.
 *
 * Refused: Temml runs untrusted (`trust: false`), so `\href`, `\url`, `\includegraphics`, `\class`,
 * `\style`, `\data`, `\html…` and `\id` are parse errors, and the formula shows as its source (the
 * caller renders `null` as code). Macros are per formula (no `\gdef` leaking into the next one),
 * expansion is capped (`\def\a{\a\a}\a` is an error, not a hang), sizes are capped.
 */
import temml from 'temml';
import { escapeHtml } from './dom-contract.js';
import { MATH_ATTRIBUTES, MATH_ELEMENTS, TEX_ANNOTATION } from './math-contract.js';

/** The parts of Temml's tree nodes we read (MathNode, TextNode, and wrappers without a `type`). */
interface TemmlNode {
  type?: unknown;
  text?: unknown;
  attributes?: Record<string, unknown>;
  classes?: unknown[];
  style?: Record<string, unknown>;
  children?: TemmlNode[];
}

const elements = new Set(MATH_ELEMENTS);
/** Attributes allowed on any emitted element (`display` and `encoding` are handled apart). */
const attributes = new Set(MATH_ATTRIBUTES.filter((name) => name !== 'display' && name !== 'encoding'));
/** Words, numbers, lengths, colours (`#ff0000`, `red`), lists of them: nothing that can name a URL. */
const plainValue = /^[\w\s#.,%+-]{0,200}$/;
const className = /^[a-zA-Z][\w-]{0,63}$/;

function attributesOf(node: TemmlNode, type: string): string {
  let out = '';
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    const text = String(value);
    if (!plainValue.test(text)) continue;
    if (name === 'display' ? type === 'math' && text === 'block' : name === 'encoding' ? false : attributes.has(name)) {
      out += ` ${name}="${escapeHtml(text)}"`;
    }
  }
  // `\color` is a style in Temml's tree; MathML Core has an attribute for it.
  const color = node.style?.['color'];
  if (typeof color === 'string' && plainValue.test(color) && !('mathcolor' in (node.attributes ?? {}))) {
    out += ` mathcolor="${escapeHtml(color)}"`;
  }
  const classes = (node.classes ?? []).map(String).filter((name) => className.test(name));
  if (classes.length > 0) out += ` class="${escapeHtml(classes.join(' '))}"`;
  return out;
}

function serialize(node: TemmlNode, out: string[]): void {
  if (typeof node.type !== 'string') {
    // A text node, or a wrapper that is no MathML element (a fragment; `\ref`'s link): its content only.
    if (typeof node.text === 'string') out.push(escapeHtml(node.text));
    for (const child of node.children ?? []) serialize(child, out);
    return;
  }
  const type = node.type;
  if (type === 'annotation') {
    // The TeX source, and nothing else: never `annotation-xml`, never another encoding.
    const encoding = node.attributes?.['encoding'];
    if (encoding !== TEX_ANNOTATION) return;
    const text: string[] = [];
    for (const child of node.children ?? []) serialize(child, text);
    out.push(`<annotation encoding="${TEX_ANNOTATION}">${text.join('')}</annotation>`);
    return;
  }
  const known = elements.has(type);
  if (known) out.push(`<${type}${attributesOf(node, type)}>`);
  for (const child of node.children ?? []) serialize(child, out);
  if (known) out.push(`</${type}>`);
}

/** Recent results: the tail re-renders its formulas every frame until they are committed. */
const cache = new Map<string, string | null>();
const CACHE_SIZE = 256;

/** MathML for `tex`, or null when it is invalid or uses a refused command. Never throws. */
export function renderMath(tex: string, display: boolean): string | null {
  const key = (display ? 'D' : 'I') + tex;
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  let html: string | null;
  try {
    const tree = temml.__renderToMathMLTree(tex, {
      displayMode: display,
      annotate: true,
      throwOnError: true,
      trust: false,
      strict: false,
      maxSize: [50, 50],
      maxExpand: 1000,
    }) as TemmlNode;
    const out: string[] = [];
    serialize(tree, out);
    html = out.join('');
    if (!html.startsWith('<math')) html = null;
  } catch {
    html = null;
  }
  cache.set(key, html);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value ?? '');
  return html;
}
