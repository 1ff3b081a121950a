/**
 * Diagrams (attribute `diagrams`): a committed ```mermaid block becomes an SVG figure.
 *
 * Mermaid is big and measures text in a live document, so it runs on the main thread: loaded on first
 * use (components/mermaid-loader.ts), one diagram per idle period (`requestIdleCallback`, a timeout
 * where it is missing), and only for blocks the patcher has committed — the tail is re-rendered as it
 * grows and would be drawn for nothing. Mermaid draws in an off-screen container in the page's body;
 * its SVG loses its `<style>`, passes the sink's SVG profile (`sanitizeSvg` in html-sink.ts, on the
 * sink path the content uses) and replaces the `<pre>` as `<figure part="diagram" class="diagram">`,
 * which keeps the source in a hidden `<pre>` (copy and `copy()` still find it). The element's own
 * stylesheet (extras.styles.ts) styles it. A diagram that cannot be drawn keeps its code, with a short
 * note (`part="diagram-error"`).
 *
 * A model steers mermaid only as far as the page lets it: `securityLevel: 'strict'`, labels as SVG
 * text (no HTML labels), and every setting that reaches CSS, HTML labels or mermaid's sanitizer is
 * `secure`, so `%%{init}%%` directives and front matter cannot change it. Nothing may load while
 * mermaid draws in the page (its `<style>` and inline styles are live there for that moment): a
 * source that writes a CSS resource function (`url(`, `image-set(`, …, also behind CSS escapes), and
 * a diagram whose nodes or participants carry images, are refused before mermaid draws them.
 */
import type { Mermaid, MermaidConfig } from 'mermaid';
import { CODE_LANGUAGE_PREFIX } from '../src/markdown/dom-contract.js';
import { DECORATION_ATTRIBUTE } from './code-blocks.js';
import { sanitizeSvg, type SinkMode } from './html-sink.js';
import { loadMermaid } from './mermaid-loader.js';

/** What the diagrams need from the element. */
export interface DiagramHost {
  /** Still on when the diagram's turn comes (the attribute may have been removed since). */
  readonly diagrams: boolean;
  /** The sink path of the content; diagrams take the same one (`text`: no diagrams). */
  readonly sinkMode: SinkMode | null;
}

export interface DiagramLabels {
  /** The diagram's accessible name; `{type}` is mermaid's diagram type. */
  diagram?: string;
  /** The note under a diagram that could not be drawn; `{reason}` says why. */
  diagramError?: string;
}

const DEFAULT_LABELS: Required<DiagramLabels> = {
  diagram: 'Diagram ({type})',
  diagramError: 'Diagram not drawn: {reason}',
};

const SOURCE = `pre > code.${CODE_LANGUAGE_PREFIX}mermaid`;

/** Mermaid's defaults plus everything a diagram's own configuration must not change. */
const SECURE_KEYS = [
  'secure', 'securityLevel', 'startOnLoad', 'maxTextSize', 'suppressErrorRendering', 'maxEdges',
  // CSS: the theme, its variables and fonts end up in the `<style>` mermaid puts in the page.
  'theme', 'themeCSS', 'themeVariables', 'fontFamily', 'altFontFamily', 'darkMode', 'look',
  // HTML labels (foreignObject) and mermaid's own DOMPurify settings.
  'htmlLabels', 'dompurifyConfig', 'arrowMarkerAbsolute', 'legacyMathML', 'forceLegacyMathML',
];

const CONFIG: MermaidConfig = {
  startOnLoad: false,
  securityLevel: 'strict',
  htmlLabels: false,
  flowchart: { htmlLabels: false },
  // A failed parse throws (the code stays) instead of drawing mermaid's error picture.
  suppressErrorRendering: true,
  secure: SECURE_KEYS,
};

/**
 * CSS functions that load a resource. Mermaid copies `style` / `classDef` declarations into the
 * page verbatim (an inline `style`, and rules of its `<style>`), and several grammars take any text
 * there; `fill:url(https://…)` fetched while the diagram was being laid out.
 */
const CSS_RESOURCE = /\b(?:url|image|image-set|cross-fade|src)\s*\(|@import/i;

/** Presentation properties kept from mermaid's inline styles, as attributes the SVG profile allows. */
const PRESENTATION = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity',
  'text-anchor', 'dominant-baseline', 'font-size', 'font-weight', 'font-style',
];

interface Job {
  pre: Element;
  host: DiagramHost;
  labels: Required<DiagramLabels>;
}

const queue: Job[] = [];
const queued = new WeakSet<Element>();
let scheduled = false;
let renders = 0;
let configured: Mermaid | null = null;

/**
 * Queue the committed mermaid blocks among `nodes` (blocks, or what contains blocks). `strings`: the
 * element's strings, which may carry `DiagramLabels`.
 */
export function renderDiagrams(nodes: readonly Node[], host: DiagramHost, strings: object = {}): void {
  const given = strings as DiagramLabels;
  const merged = { diagram: given.diagram ?? DEFAULT_LABELS.diagram, diagramError: given.diagramError ?? DEFAULT_LABELS.diagramError };
  for (const node of nodes) {
    if (!(node instanceof Element)) continue;
    for (const code of Array.from(node.querySelectorAll(SOURCE))) {
      const pre = code.parentElement;
      if (!pre || queued.has(pre)) continue;
      queued.add(pre);
      queue.push({ pre, host, labels: merged });
    }
  }
  schedule();
}

function schedule(): void {
  if (scheduled || queue.length === 0) return;
  scheduled = true;
  const run = (): void => {
    void drawNext().finally(() => {
      scheduled = false;
      schedule();
    });
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 1000 });
  else setTimeout(run, 50);
}

async function drawNext(): Promise<void> {
  const job = queue.shift();
  if (!job) return;
  const { pre, host, labels } = job;
  const code = pre.querySelector(':scope > code');
  // Gone (a reset, a re-rendered block) or turned off meanwhile: nothing to draw.
  if (!code || !pre.isConnected || !host.diagrams) return;
  const source = code.textContent ?? '';
  let figure: HTMLElement;
  try {
    figure = await draw(source, host.sinkMode, labels, pre.ownerDocument);
  } catch (error) {
    if (pre.isConnected) showError(pre, labels, error);
    return;
  }
  if (!pre.isConnected || code.textContent !== source) return;
  // The `<pre>` stays the block's node the patcher knows (committed code blocks are never re-rendered:
  // their HTML does not change), now hidden inside the figure: the source, for copies.
  pre.replaceWith(figure);
  pre.setAttribute('hidden', '');
  figure.append(pre);
}

async function draw(source: string, mode: SinkMode | null, labels: Required<DiagramLabels>, doc: Document): Promise<HTMLElement> {
  if (mode !== 'sanitizer' && mode !== 'dompurify') throw new Error('no sanitizer for SVG in this browser');
  if (CSS_RESOURCE.test(decodeCssEscapes(source))) throw new Error('it names an external resource');
  const mermaid = await loadMermaid();
  if (configured !== mermaid) {
    mermaid.initialize(CONFIG);
    configured = mermaid;
  }
  const parsed = await mermaid.mermaidAPI.getDiagramFromText(source);
  const refusal = refusalOf(parsed.db);
  if (refusal) throw new Error(refusal);
  const container = doc.createElement('div');
  // Through the CSSOM (a strict CSP refuses a `style` attribute, not this): laid out, never seen.
  container.style.cssText = 'position:fixed;left:-10000px;top:0;width:1000px;visibility:hidden;pointer-events:none';
  container.setAttribute('aria-hidden', 'true');
  doc.body.append(container);
  let rendered: { svg: string; diagramType: string };
  try {
    rendered = await mermaid.render(`llm-stream-diagram-${++renders}`, source, container);
  } finally {
    container.remove();
  }
  const svg = await sanitizeSvg(withoutStyles(rendered.svg, doc), mode);
  if (!svg) throw new Error('its SVG did not pass the sanitizer');
  // Mermaid sizes the SVG with an inline `max-width`; the viewBox gives the same, without a style.
  const width = svg.viewBox.baseVal?.width;
  if (width) svg.setAttribute('width', String(Math.ceil(width)));
  svg.removeAttribute('height');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', labels.diagram.replace('{type}', rendered.diagramType));
  const figure = doc.createElement('figure');
  figure.className = 'diagram';
  figure.setAttribute('part', 'diagram');
  figure.dir = 'ltr';
  figure.append(svg);
  return figure;
}

/**
 * Mermaid's SVG without what the SVG profile refuses anyway but that carries meaning: the `<style>`
 * goes (the element's stylesheet styles diagrams), inline styles become presentation attributes
 * (text alignment, sizes, the colours a diagram sets), and links (`click … href`) become their
 * content. Parsed in an inert document: nothing in it loads or runs.
 */
function withoutStyles(markup: string, doc: Document): string {
  const holder = doc.implementation.createHTMLDocument('').createElement('div');
  holder.innerHTML = markup;
  for (const style of Array.from(holder.querySelectorAll('style'))) style.remove();
  for (const link of Array.from(holder.querySelectorAll('a'))) link.replaceWith(...Array.from(link.childNodes));
  for (const element of Array.from(holder.querySelectorAll<SVGElement>('[style]'))) {
    for (const name of PRESENTATION) {
      const value = element.style.getPropertyValue(name);
      if (value && !element.hasAttribute(name)) element.setAttribute(name, value);
    }
    element.removeAttribute('style');
  }
  return holder.innerHTML;
}

/**
 * What a parsed diagram would do in the page while mermaid draws it (checked on the parsed diagram,
 * where YAML and JSON escapes in the source cannot hide it): an image on a flowchart node
 * (`@{ img: … }`) or a participant's icon loads; a participant's link menu comes with an inline
 * `onclick`. Null when there is nothing of the kind.
 */
function refusalOf(db: unknown): string | null {
  const diagram = db as {
    getVertices?: () => Map<string, { img?: unknown }> | undefined;
    getActors?: () => Map<string, { properties?: Record<string, unknown>; links?: Record<string, unknown> }> | undefined;
  };
  for (const vertex of diagram.getVertices?.()?.values() ?? []) if (vertex.img) return 'it shows images';
  for (const actor of diagram.getActors?.()?.values() ?? []) {
    if (actor.properties?.['icon']) return 'it shows images';
    if (actor.links && Object.keys(actor.links).length > 0) return 'it has link menus';
  }
  return null;
}

/** CSS escapes (`\75 rl(`, `u\rl(`) resolved, so that the resource check sees what CSS would. */
function decodeCssEscapes(text: string): string {
  return text
    .replace(/\\([0-9a-f]{1,6})\s?/gi, (_, hex: string) => String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff) || 0xfffd))
    .replace(/\\(.)/g, '$1')
    .replace(/\/\*[\s\S]*?\*\//g, '');
}

function showError(pre: Element, labels: Required<DiagramLabels>, error: unknown): void {
  if (pre.querySelector(':scope > [part="diagram-error"]')) return;
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 120) || 'unknown error';
  const note = pre.ownerDocument.createElement('div');
  // A decoration (code-blocks.ts): inside the `<pre>`, left out of copies, never part of the code.
  note.setAttribute(DECORATION_ATTRIBUTE, '');
  note.setAttribute('part', 'diagram-error');
  note.className = 'diagram-error';
  note.textContent = labels.diagramError.replace('{reason}', reason);
  pre.append(note);
}
