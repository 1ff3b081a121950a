/**
 * Decorates committed code blocks with a language label and a copy button. The decoration lives inside
 * the `<pre>` (marked `data-llm-decoration`), so a re-rendered block takes its decoration with it and
 * `code.textContent` — what the button copies — stays exactly the code.
 */
import { CODE_LANGUAGE_PREFIX, CODE_LINE_CLASS, CODE_LINE_OPEN } from '../src/markdown/dom-contract.js';
import { EXTRAS_STRINGS } from './extras-strings.js';

export interface CodeBlockLabels {
  copy?: string;
  copied?: string;
}

export const DECORATION_ATTRIBUTE = 'data-llm-decoration';

export function decorateCodeBlocks(nodes: readonly Node[], strings: CodeBlockLabels): void {
  const labels = { ...EXTRAS_STRINGS, ...strings };
  for (const node of nodes) {
    if (!(node instanceof Element)) continue;
    const blocks = node.matches('pre') ? [node] : Array.from(node.querySelectorAll('pre'));
    for (const pre of blocks) decorate(pre, labels);
  }
}

function decorate(pre: Element, labels: Required<CodeBlockLabels>): void {
  const code = pre.querySelector(':scope > code');
  if (!code || pre.querySelector(`:scope > [${DECORATION_ATTRIBUTE}]`)) return;
  const doc = pre.ownerDocument;
  const bar = doc.createElement('div');
  bar.setAttribute(DECORATION_ATTRIBUTE, '');
  bar.setAttribute('part', 'code-toolbar');
  bar.className = 'code-toolbar';
  const language = code.className
    .split(/\s+/)
    .find((name) => name.startsWith(CODE_LANGUAGE_PREFIX) && name.length > CODE_LANGUAGE_PREFIX.length)
    ?.slice(CODE_LANGUAGE_PREFIX.length);
  if (language) {
    const label = doc.createElement('span');
    label.className = 'code-language';
    label.textContent = language;
    bar.append(label);
  }
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'code-copy';
  button.setAttribute('part', 'copy-button');
  const name = `${labels.copy}${language ? ` ${language}` : ''} code`;
  button.setAttribute('aria-label', name);
  button.textContent = labels.copy;
  let restore: ReturnType<typeof setTimeout> | undefined;
  button.addEventListener('click', () => {
    const text = code.textContent ?? '';
    const done = (): void => {
      // The confirmation is the button's name too, so a screen reader on the button hears it.
      button.textContent = labels.copied;
      button.setAttribute('aria-label', labels.copied);
      clearTimeout(restore);
      restore = setTimeout(() => {
        button.textContent = labels.copy;
        button.setAttribute('aria-label', name);
      }, 1500);
    };
    void copyText(doc, text).then((ok) => ok && done());
  });
  bar.append(button);
  pre.prepend(bar);
}

/** Put `text` on the clipboard: the Clipboard API, else (refused, insecure context) the selection route. */
export function copyText(doc: Document, text: string): Promise<boolean> {
  return (navigator.clipboard?.writeText(text) ?? Promise.reject(new Error('no clipboard'))).then(
    () => true,
    () => fallbackCopy(doc, text),
  );
}

/** Clipboard API refused (no permission, insecure context): the selection + execCommand route. */
function fallbackCopy(doc: Document, text: string): boolean {
  const area = doc.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  doc.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = doc.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/**
 * The streaming code block `code` shows `oldHtml`, the tail's HTML; `html` is the new tail, which
 * keeps its lines up to some line (a line highlighted again with the next, as an open comment is;
 * after a backlog, many lines): only the lines from there are parsed again (`parse` sanitizes), in
 * place. False when `html` is not such a tail. A 30 KB block re-rendered whole cost one frame 50 ms
 * of parse, style and layout on the bench's 1 MB answer.
 */
export function replaceCodeLines(code: Node | null | undefined, oldHtml: string, html: string, parse: (html: string) => DocumentFragment): boolean {
  const end = html.lastIndexOf('</code>');
  const oldEnd = oldHtml.lastIndexOf('</code>');
  if (!(code instanceof Element) || code.localName !== 'code' || end < 0 || html.slice(end) !== oldHtml.slice(oldEnd)) return false;
  let same = 0;
  while (same < oldEnd && html.charCodeAt(same) === oldHtml.charCodeAt(same)) same++;
  const start = oldHtml.lastIndexOf(CODE_LINE_OPEN, same);
  const lines = oldHtml.split(CODE_LINE_OPEN);
  // The lines are the code's element children, one each (the tail's other blocks hold none).
  const line = start < 0 || lines.length - 1 !== code.children.length ? null : code.children[oldHtml.slice(0, start).split(CODE_LINE_OPEN).length - 1];
  const middle = html.slice(start, end);
  if (line?.className !== CODE_LINE_CLASS || /<(?!\/?span[ >])/.test(middle)) return false;
  while (line.nextSibling) line.nextSibling.remove();
  line.replaceWith(parse(middle));
  return true;
}
