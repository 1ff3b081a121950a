/**
 * What "nothing forbidden in the DOM at any moment" means in browser tests: an inspector for one
 * element, a walk of a subtree, and a MutationObserver watch of an element's content that checks every
 * mutation batch (nodes added and removed again within a batch included).
 */
import type { LlmStreamElement } from '../../components/llm-stream.js';
import { MATHML_NAMESPACE, MATH_ATTRIBUTES, MATH_ELEMENTS, TEX_ANNOTATION } from '../../src/markdown/math-contract.js';

export const REL = 'noopener noreferrer nofollow ugc';
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
export const FORBIDDEN_ELEMENTS = new Set([
  'script', 'iframe', 'object', 'embed', 'form', 'style', 'link', 'meta', 'base', 'svg', 'math', 'noscript',
  'template', 'source', 'video', 'audio', 'frame', 'frameset', 'picture', 'image', 'use', 'input', 'button',
  'textarea', 'select', 'title', 'body', 'html', 'head', 'marquee', 'applet', 'portal', 'track',
]);
/** Attributes that carry a URL something could fetch or run. Only `a[href]` and `img[src]` are ever OK. */
const URL_ATTRIBUTES = new Set([
  'href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'srcset', 'imagesrcset', 'background', 'ping',
  'data', 'codebase', 'cite', 'longdesc', 'lowsrc', 'dynsrc', 'manifest', 'icon', 'srcdoc', 'archive', 'content',
]);
const SCRIPT_URL = /^(javascript|vbscript|data:text\/html)/i;

/**
 * The element's own decoration (components/code-blocks.ts and table tools): buttons with fixed
 * attributes inside a `[data-llm-decoration]` toolbar. Nothing of it comes from the model's text.
 */
function isDecorationButton(element: Element): boolean {
  return element.localName === 'button'
    && element.parentElement?.hasAttribute('data-llm-decoration') === true
    && element.getAttributeNames().every((attr) => ['type', 'class', 'part', 'aria-label'].includes(attr))
    && element.getAttribute('type') === 'button';
}

/** A task-list checkbox, as the sink leaves every `<input>` it keeps: a disabled checkbox, nothing else. */
function isTaskCheckbox(element: Element): boolean {
  return element.localName === 'input'
    && element.getAttribute('type') === 'checkbox'
    && element.hasAttribute('disabled')
    && element.getAttributeNames().every((attr) => ['type', 'checked', 'disabled', 'part', 'class'].includes(attr));
}

/**
 * MathML as the math renderer emits it (src/markdown/math-contract.ts): its elements in the MathML
 * namespace with its presentational attributes only, and an annotation only with the TeX source.
 */
function mathProblems(element: Element): string[] {
  const name = element.localName;
  if (!MATH_ELEMENTS.includes(name)) return [`MathML element <${name}> outside the renderer's set`];
  if (name === 'annotation' && element.getAttribute('encoding') !== TEX_ANNOTATION) return [`<annotation encoding="${element.getAttribute('encoding')}">`];
  return element.getAttributeNames()
    .filter((attr) => (!MATH_ATTRIBUTES.includes(attr) && !['class', 'part', 'lang', 'dir'].includes(attr)) || /url\(|script:/i.test(element.getAttribute(attr) ?? ''))
    .map((attr) => `<${name}> MathML attribute ${attr}="${element.getAttribute(attr)}"`);
}

/** Everything that makes `element` unsafe, as readable strings (empty when safe). */
export function inspectElement(element: Element, imageOrigins: Set<string>): string[] {
  const problems: string[] = [];
  const name = element.localName;
  const where = `<${name}>`;
  if (element.namespaceURI === MATHML_NAMESPACE) return mathProblems(element);
  if (element.namespaceURI !== 'http://www.w3.org/1999/xhtml') problems.push(`${where} in namespace ${element.namespaceURI}`);
  if (FORBIDDEN_ELEMENTS.has(name) && !isDecorationButton(element) && !isTaskCheckbox(element)) problems.push(`forbidden element ${where}`);
  for (const attribute of Array.from(element.attributes)) {
    const attr = attribute.name.toLowerCase();
    const value = attribute.value;
    const squeezed = value.replace(/[\u0000-\u0020\u00a0]/g, '');
    if (attr.startsWith('on')) problems.push(`${where} handler ${attr}`);
    if (attr === 'id' || attr === 'name' || attr === 'form') problems.push(`${where} clobbering attribute ${attr}="${value}"`);
    if (attr === 'style') problems.push(`${where} style attribute`);
    if (/url\(/i.test(squeezed)) problems.push(`${where} ${attr} holds url(`);
    if (URL_ATTRIBUTES.has(attr) || attr.endsWith(':href')) {
      if (SCRIPT_URL.test(squeezed)) problems.push(`${where} ${attr} is script-capable: ${value}`);
      const allowedHere = (name === 'a' && attr === 'href') || (name === 'img' && attr === 'src');
      if (!allowedHere) problems.push(`${where} carries URL attribute ${attr}="${value}"`);
    }
  }
  if (name === 'a' && element.hasAttribute('href')) {
    let protocol = '';
    try {
      protocol = new URL(element.getAttribute('href') ?? '', document.baseURI).protocol;
    } catch {
      protocol = 'unparseable';
    }
    if (!LINK_PROTOCOLS.has(protocol)) problems.push(`<a> href with scheme ${protocol}: ${element.getAttribute('href')}`);
    if (element.getAttribute('rel') !== REL) problems.push(`<a> rel is "${element.getAttribute('rel')}"`);
  }
  if (name === 'img') {
    let origin = 'none';
    try {
      const url = new URL(element.getAttribute('src') ?? '', document.baseURI);
      origin = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
    } catch {
      origin = 'unparseable';
    }
    if (!imageOrigins.has(origin)) problems.push(`<img> from a non-allow-listed source: ${element.getAttribute('src')}`);
  }
  return problems;
}

export function inspectTree(root: Node, imageOrigins: Set<string>, into: Set<string>): void {
  if (root.nodeType === Node.ELEMENT_NODE) for (const p of inspectElement(root as Element, imageOrigins)) into.add(p);
  if (root.nodeType !== Node.ELEMENT_NODE && root.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return;
  for (const element of Array.from((root as ParentNode).querySelectorAll('*'))) {
    for (const p of inspectElement(element, imageOrigins)) into.add(p);
    // Declarative or scripted shadow roots inside the content would hide markup from this walk.
    if (element.shadowRoot) into.add(`<${element.localName}> has a shadow root`);
  }
}

export interface Watch {
  /** Stop observing; returns every problem seen at any moment, with the number of batches checked. */
  stop(): { problems: string[]; batches: number };
}

/** Watch `element`'s content part from now on; `stop()` also inspects the whole shadow root once. */
export function watchContent(element: LlmStreamElement, imageOrigins: Set<string>): Watch {
  const root = (element.shadowRoot ?? element) as ParentNode & Node;
  const content = root.querySelector('[part~="content"]') as HTMLElement;
  const problems = new Set<string>();
  let batches = 0;
  const check = (records: MutationRecord[]): void => {
    batches++;
    for (const record of records) {
      if (record.type === 'childList') for (const node of Array.from(record.addedNodes)) inspectTree(node, imageOrigins, problems);
      if (record.type === 'attributes') inspectTree(record.target, imageOrigins, problems);
    }
    inspectTree(content, imageOrigins, problems);
  };
  const observer = new MutationObserver(check);
  observer.observe(content, { subtree: true, childList: true, attributes: true, characterData: true });
  inspectTree(content, imageOrigins, problems);
  return {
    stop() {
      check(observer.takeRecords());
      observer.disconnect();
      // The whole shadow root too (shell, error part): nothing outside the content may be unsafe either.
      for (const child of Array.from((root as ParentNode).children)) inspectTree(child, imageOrigins, problems);
      return { problems: [...problems], batches };
    },
  };
}
