/**
 * Diagram attack vectors (issue 14 items 3 and 8): mermaid sources and raw SVG a model could write,
 * through the real element with `diagrams`, on both sink paths (setHTML + Sanitizer, DOMPurify) and
 * both `html` modes (unset = escape, `sanitized`). Each run: nothing forbidden in the content at any
 * moment (a MutationObserver checks every batch: HTML by the shared inspector, a diagram's SVG by the
 * SVG profile's rules), nothing forbidden in the page while mermaid draws off screen, no `<style>` in
 * the content, nothing runs (canaries), nothing is fetched, and the block ends as expected: drawn, or
 * refused with its code and a note.
 */
import { expect } from 'chai';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import { inspectElement } from './dom-safety.js';
import { contentOf, createElement, waitFor } from './helpers.js';

const SVG = 'http://www.w3.org/2000/svg';
const SVG_ELEMENTS = new Set(['svg', 'g', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'tspan', 'defs', 'marker', 'title', 'desc']);
/** Elements that must never appear in the page, not even in mermaid's off-screen drawing. */
const NEVER_IN_PAGE = new Set(['script', 'iframe', 'object', 'embed', 'foreignobject', 'img', 'image', 'use', 'link', 'meta', 'base', 'frame', 'animate', 'set']);

interface Vector {
  title: string;
  markdown: string;
  /** `diagram`: drawn as a figure; `refused`: the code stays with a note. */
  expect: 'diagram' | 'refused';
  /** Click every shape of the drawn diagram (a reader clicking a `click` target). */
  click?: boolean;
}

const fence = (source: string): string => `Before.\n\n\`\`\`mermaid\n${source}\`\`\`\n\nAfter.\n`;

const VECTORS: Vector[] = [
  {
    title: 'click … href "javascript:…" (issue 14 item 8)',
    markdown: fence('graph TD\n  A[Click me] --> B[Or me]\n  click A href "javascript:alert(1)"\n  click B "javascript:alert(2)" "tip"\n'),
    expect: 'diagram',
    click: true,
  },
  {
    title: 'click … callback and click … call (page functions)',
    markdown: fence('graph TD\n  A[Call back] --> B[Call]\n  click A callback "tip"\n  click B call callback("x")\n'),
    expect: 'diagram',
    click: true,
  },
  {
    title: '%%{init}%% asking for securityLevel loose and a themeCSS that loads a URL (issue 14 item 3)',
    markdown: fence('%%{init: {"securityLevel":"loose","themeCSS":"* { background: url(https://evil.example/x) }"}}%%\ngraph TD\n  A --> B\n  click A call alert(1)\n'),
    expect: 'refused',
  },
  {
    title: '%%{init}%% turning HTML labels, loose security and mermaid\'s DOMPurify settings on, with HTML in labels',
    markdown: fence('%%{init: {"securityLevel":"loose","htmlLabels":true,"flowchart":{"htmlLabels":true},"themeCSS":".node rect { fill: red }","dompurifyConfig":{"ADD_TAGS":["script","foreignObject","img"],"ADD_ATTR":["onerror"]}}}%%\ngraph TD\n  A["<img src=x onerror=alert(1)>"] --> B["<script>alert(2)</script>"]\n  click A call alert(3)\n'),
    expect: 'diagram',
    click: true,
  },
  {
    title: 'front matter turning HTML labels on',
    markdown: fence('---\nconfig:\n  htmlLabels: true\n  securityLevel: loose\n  flowchart:\n    htmlLabels: true\n---\ngraph TD\n  A["<b>bold</b><img src=https://evil.example/h.png onerror=alert(1)>"] --> B\n'),
    expect: 'diagram',
  },
  {
    title: 'labels with <img onerror> and <script>',
    markdown: fence('graph TD\n  A["<img src=x onerror=alert(1)>"] --> B["<script>alert(1)</script>"]\n  B --> C["<svg onload=alert(1)><use href=https://evil.example/u.svg#x /></svg>"]\n'),
    expect: 'diagram',
  },
  {
    title: 'sequence messages and notes with <img onerror>, <script> and <iframe>',
    markdown: fence('sequenceDiagram\n  participant A\n  participant B\n  A->>B: <img src=x onerror=alert(1)><script>alert(2)</script>\n  Note over A,B: <iframe src=javascript:alert(3)></iframe>\n'),
    expect: 'diagram',
    click: true,
  },
  {
    title: 'a sequence participant with a javascript: link menu (mermaid draws it with an inline onclick)',
    markdown: fence('sequenceDiagram\n  participant A\n  link A: Evil @ javascript:alert(1)\n  links A: {"More": "javascript:alert(2)"}\n  A->>A: hi\n'),
    expect: 'refused',
  },
  {
    title: 'classDef with fill:url(…) (fetched while mermaid draws, unless refused)',
    markdown: fence('stateDiagram-v2\n  classDef evil fill:url(https://evil.example/c),background-image:url(https://evil.example/d)\n  [*] --> A\n  class A evil\n'),
    expect: 'refused',
  },
  {
    title: 'the same url(…) behind a CSS escape',
    markdown: fence('classDiagram\n  class A\n  style A fill:u\\72 l(https://evil.example/e)\n'),
    expect: 'refused',
  },
  {
    title: 'a flowchart node with an image (img shape data)',
    markdown: fence('flowchart LR\n  A@{ img: "https://evil.example/img.png", label: "x", pos: "t", w: 60, h: 60 }\n  A --> B\n'),
    expect: 'refused',
  },
  {
    title: 'a sequence participant with an icon (properties)',
    markdown: fence('sequenceDiagram\n  participant A\n  properties A: {"icon": "https://evil.example/icon.png"}\n  A->>A: hi\n'),
    expect: 'refused',
  },
  {
    title: 'raw <svg><use href>, <foreignObject> and <svg onload> written in the text around a diagram',
    markdown: `<svg><use href="https://evil.example/u.svg#x"/></svg> and <svg onload=alert(1)><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>\n\n<svg><style>*{background:url(https://evil.example/s)}</style><a href="javascript:alert(1)"><text>x</text></a><animate attributeName=href to=javascript:alert(1) /></svg>\n\n${fence('graph LR\n  A --> B\n')}`,
    expect: 'diagram',
  },
];

const MODES = ['sanitizer', 'dompurify'] as const;
const HTML_MODES = [null, 'sanitized'] as const;

const canary = window as unknown as Record<string, unknown>;
const calls: string[] = [];
const originals = new Map<string, unknown>();
const CANARIES = ['alert', 'confirm', 'prompt', 'print', 'callback'];

/** Everything wrong with one element of a drawn diagram's SVG (empty when it is what the SVG profile allows). */
function inspectSvgElement(element: Element, svg: Element): string[] {
  const problems: string[] = [];
  const where = `<svg:${element.localName}>`;
  if (element.namespaceURI !== SVG || !SVG_ELEMENTS.has(element.localName)) problems.push(`${where} (${element.namespaceURI}) in a diagram`);
  for (const { name, value } of Array.from(element.attributes)) {
    if (/^on/i.test(name) || name === 'style' || /href$|^src$/i.test(name)) problems.push(`${where} ${name}="${value}"`);
    if (/javascript:/i.test(value)) problems.push(`${where} ${name} holds javascript:`);
    if (name === 'id' && !/^llm-stream-svg-\d+$/.test(value)) problems.push(`${where} id "${value}" not minted by the sink`);
    if (/url\(/i.test(value)) {
      const target = /^url\(#(llm-stream-svg-\d+)\)$/.exec(value)?.[1];
      if (!target || !svg.querySelector(`[id="${target}"]`)) problems.push(`${where} ${name}="${value}" is not a reference inside the diagram`);
    }
  }
  return problems;
}

/** Every problem in the content under `root`: a diagram's SVG by the SVG rules, the rest by the shared inspector. */
function inspectContent(root: Node, into: Set<string>): void {
  if (root.nodeType !== Node.ELEMENT_NODE && root.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return;
  const elements = root.nodeType === Node.ELEMENT_NODE ? [root as Element, ...Array.from((root as Element).querySelectorAll('*'))] : Array.from((root as ParentNode).querySelectorAll('*'));
  for (const element of elements) {
    if (element.localName === 'style') into.add('a <style> in the content');
    if (element.shadowRoot) into.add(`<${element.localName}> has a shadow root`);
    const svg = element.closest('figure.diagram[part="diagram"] > svg');
    if (svg && svg.parentElement?.firstElementChild === svg) {
      for (const problem of inspectSvgElement(element, svg)) into.add(problem);
    } else {
      for (const problem of inspectElement(element, new Set())) into.add(problem);
    }
  }
}

/** Watches the element's content and the page (mermaid's off-screen drawing) until stopped. */
function watch(element: LlmStreamElement): () => string[] {
  const content = contentOf(element);
  const problems = new Set<string>();
  const contentObserver = new MutationObserver((records) => {
    for (const record of records) for (const node of Array.from(record.addedNodes)) inspectContent(node, problems);
    for (const record of records) if (record.type === 'attributes') inspectContent(record.target, problems);
  });
  contentObserver.observe(content, { subtree: true, childList: true, attributes: true });
  const inPage = (node: Node): void => {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    for (const el of [node as Element, ...Array.from((node as Element).querySelectorAll('*'))]) {
      if (NEVER_IN_PAGE.has(el.localName.toLowerCase())) problems.add(`page: <${el.localName}> while drawing`);
      for (const { name, value } of Array.from(el.attributes)) {
        if (/^on/i.test(name)) problems.add(`page: <${el.localName}> ${name} while drawing`);
        if (/href$|^src$/i.test(name) && /javascript:/i.test(value.replace(/\s/g, ''))) problems.add(`page: <${el.localName}> ${name}="${value}" while drawing`);
      }
    }
  };
  const pageObserver = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of Array.from(record.addedNodes)) inPage(node);
      if (record.type === 'attributes') inPage(record.target);
    }
  });
  pageObserver.observe(document.body, { subtree: true, childList: true, attributes: true });
  return () => {
    for (const records of [contentObserver.takeRecords()]) for (const record of records) for (const node of Array.from(record.addedNodes)) inspectContent(node, problems);
    contentObserver.disconnect();
    pageObserver.disconnect();
    inspectContent(content, problems);
    return [...problems];
  };
}

/** Resources fetched since `since` other than the test's own modules (mermaid's too) and the mock. */
function fetchedSince(since: number): string[] {
  return performance
    .getEntriesByType('resource')
    .filter((entry) => entry.startTime >= since)
    .map((entry) => entry.name)
    .filter((url) => new URL(url).origin !== location.origin || !/^\/(node_modules|components|src|worker|__web-dev-server|__wds|mock)[/-]/.test(new URL(url).pathname));
}

async function run(vector: Vector, mode: (typeof MODES)[number], html: (typeof HTML_MODES)[number]): Promise<string[]> {
  const failures: string[] = [];
  const since = performance.now();
  const element = createElement({ manual: '', diagrams: '', sanitizer: mode, ...(html ? { html } : {}) });
  await element.updateComplete;
  const stop = watch(element);
  const done = new Promise<void>((resolve) => element.addEventListener('llm-done', () => resolve(), { once: true }));
  for (let i = 0; i < vector.markdown.length; i += 17) element.write(vector.markdown.slice(i, i + 17));
  element.end();
  await done;
  const content = contentOf(element);
  try {
    if (vector.expect === 'diagram') {
      const svg = await waitFor(() => content.querySelector('figure[part="diagram"] > svg'), 'the diagram', 15000);
      if (vector.click) for (const shape of Array.from(svg.querySelectorAll('*'))) shape.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    } else {
      await waitFor(() => content.querySelector('pre > [part="diagram-error"]'), 'the refusal note', 15000);
      if (content.querySelector('figure, svg')) failures.push('a refused diagram was drawn');
    }
  } catch (error) {
    failures.push(String(error));
  }
  // Let anything that would load or run have its chance.
  await new Promise((resolve) => setTimeout(resolve, 300));
  failures.push(...stop());
  if (element.status !== 'done') failures.push(`status ${element.status}`);
  if (element.text !== vector.markdown) failures.push('text differs from what was written');
  const fetched = fetchedSince(since);
  if (fetched.length) failures.push(`fetched ${fetched.join(', ')}`);
  if (calls.length) failures.push(`ran ${calls.splice(0).join(', ')}`);
  element.remove();
  return failures;
}

describe('diagram attack vectors on both sink paths and both html modes', function () {
  this.timeout(120000);

  before(() => {
    performance.setResourceTimingBufferSize(100000);
    for (const name of CANARIES) {
      originals.set(name, canary[name]);
      canary[name] = (...args: unknown[]) => void calls.push(`${name}(${args.map(String).join(', ')})`);
    }
  });
  after(() => {
    for (const [name, value] of originals) canary[name] = value;
  });
  afterEach(() => document.body.replaceChildren());

  for (const vector of VECTORS) {
    it(vector.title, async () => {
      const failures: string[] = [];
      for (const mode of MODES) {
        for (const html of HTML_MODES) {
          for (const failure of await run(vector, mode, html)) failures.push(`${mode} · html=${html ?? 'unset'}: ${failure}`);
        }
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
    });
  }

  it('the SVG profile itself: mermaid-like markup with every forbidden part, on both paths', async () => {
    const { sanitizeSvg } = await import('../../components/html-sink.js');
    const markup = '<svg id="m" viewBox="0 0 10 10" style="max-width:9px" onload="alert(1)"><style>*{background:url(https://evil.example/p)}</style>'
      + '<defs><marker id="arrow"><path d="M0 0L10 5z"/></marker></defs>'
      + '<a xlink:href="javascript:alert(1)" href="javascript:alert(1)"><text x="1" onclick="alert(1)">linked</text></a>'
      + '<foreignObject><div><img src=x onerror="alert(1)"></div></foreignObject><use href="https://evil.example/u.svg#x"/>'
      + '<image href="https://evil.example/i.png"/><animate attributeName="href" to="javascript:alert(1)"/><script>alert(1)</script>'
      + '<path id="window" d="M0 0" marker-end="url(#arrow)" fill="url(https://evil.example/f)" stroke="u\\rl(#arrow)" data-x="1" name="n"/>'
      + '<g class="node" transform="translate(1, 2)"><rect x="1" y="2" width="3" height="4" fill="#fde68a"/><text text-anchor="middle">ok</text></g></svg>';
    // Each path twice, in turns: one path's run must not change what the other keeps.
    for (const mode of [...MODES, ...MODES].reverse()) {
      const svg = await sanitizeSvg(markup, mode);
      expect(svg, mode).to.not.equal(null);
      const root = svg as SVGSVGElement;
      expect(root.ownerDocument, `${mode}: adopted into the page`).to.equal(document);
      const problems = new Set<string>();
      for (const element of [root, ...Array.from(root.querySelectorAll('*'))]) for (const problem of inspectSvgElement(element, root)) problems.add(problem);
      expect([...problems], mode).to.deep.equal([]);
      expect(root.querySelector('style, a, foreignObject, use, image, animate, script'), mode).to.equal(null);
      const path = root.querySelector('path[d="M0 0"]') as SVGPathElement;
      const marker = root.querySelector('marker') as SVGMarkerElement;
      expect(path.getAttribute('marker-end'), `${mode}: the local reference, renamed`).to.equal(`url(#${marker.id})`);
      expect(path.hasAttribute('fill') || path.hasAttribute('stroke') || path.hasAttribute('data-x') || path.hasAttribute('name'), mode).to.equal(false);
      expect(root.querySelector('rect')?.getAttribute('fill'), mode).to.equal('#fde68a');
      expect(root.querySelector('g')?.getAttribute('transform'), mode).to.equal('translate(1, 2)');
      expect(root.getAttribute('viewBox'), mode).to.equal('0 0 10 10');
      expect(Array.from(root.querySelectorAll('text')).map((text) => text.textContent), mode).to.deep.equal(['ok']);
    }
    expect(await sanitizeSvg(markup, 'text')).to.equal(null);
    expect(await sanitizeSvg('<p>not svg</p>', 'sanitizer')).to.equal(null);
  });
});
