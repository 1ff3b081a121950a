/**
 * Applies the worker's patches to the rendered DOM (DESIGN.md §4): committed blocks are appended once
 * and keep their nodes (a reader's selection inside them survives the stream); the tail is replaced,
 * or — in the common case — extended in place with a text node append, which parses no HTML at all.
 */
import { closingTagCount, escapeHtml, textRunEnd } from '../src/markdown/dom-contract.js';
import type { Patch } from '../src/types.js';
import type { HtmlSink } from './html-sink.js';

export interface DomPatcher {
  apply(patches: readonly Patch[]): void;
  /** Remove everything rendered. */
  clear(): void;
  /** Committed blocks so far (tests and code-block decorations use it). */
  readonly committedCount: number;
}

export function createDomPatcher(container: HTMLElement, sink: HtmlSink, onCommit?: (nodes: Node[]) => void): DomPatcher {
  let blocks: Node[][] = [];
  let tail: Node[] = [];
  /** The tail's HTML as last rendered, so an `append` can be re-rendered if the DOM shape differs. */
  let tailHtml = '';

  const insert = (html: string, before: Node | null): Node[] => {
    const fragment = sink.fragment(html);
    const nodes = Array.from(fragment.childNodes);
    // Right-to-left answers read right: each block and list item finds its own direction; code stays
    // left-to-right. Set here, on parsed nodes, so every sink path and raw-HTML mode gets it.
    for (const node of nodes) if (node instanceof HTMLElement) node.dir = node.localName === 'pre' ? 'ltr' : 'auto';
    for (const item of Array.from(fragment.querySelectorAll('li'))) item.dir = 'auto';
    container.insertBefore(fragment, before);
    return nodes;
  };

  const renderTail = (): void => {
    for (const node of tail) node.parentNode?.removeChild(node);
    tail = tailHtml ? insert(tailHtml, null) : [];
  };

  /** The element holding the tail's last text run: the one closed by the first tag after it. */
  const runElement = (runEnd: number): Node | undefined => {
    const depth = runEnd === -1 ? 0 : closingTagCount(tailHtml, runEnd);
    let element: Node | undefined = depth ? lastElement(tail) : undefined;
    for (let level = 1; level < depth && element; level++) element = lastElement(Array.from(element.childNodes));
    return element;
  };

  /**
   * Append text where the HTML says it goes (the contract's closing-tag suffix rule, the one the
   * engine chose `append` by): inside the element closed by the first tag after the text run.
   * False when the DOM must be re-rendered from the updated HTML instead.
   */
  const appendText = (text: string): boolean => {
    const runEnd = textRunEnd(tailHtml);
    const element = runElement(runEnd);
    const cut = runEnd === -1 ? tailHtml.length : runEnd;
    tailHtml = tailHtml.slice(0, cut) + escapeHtml(text) + tailHtml.slice(cut);
    if (!element) return false;
    const last = element.lastChild;
    if (last && last.nodeType === Node.TEXT_NODE) (last as Text).appendData(text);
    else element.appendChild(document.createTextNode(text));
    return true;
  };

  /**
   * A new tail that differs from the one shown only in its end — the last text run, or that and
   * the highlighted line before it — now text and highlight spans (a streaming line of code
   * completed and was highlighted): parse only that part, in place. Re-rendering the whole tail
   * instead made a 2 000-line block streamed at 4 000 tokens/s take 36 s instead of 8 s, in long tasks.
   */
  const replaceRun = (html: string): boolean => {
    const runEnd = textRunEnd(tailHtml);
    const last = runElement(runEnd)?.lastChild;
    if (last?.nodeType !== Node.TEXT_NODE) return false;
    const run = escapeHtml(last.textContent ?? '');
    let start = runEnd - run.length;
    const rest = tailHtml.slice(runEnd);
    if (tailHtml.slice(start, runEnd) !== run || tailHtml[start - 1] !== '>' || !html.endsWith(rest)) return false;
    const old: ChildNode[] = [last];
    if (!html.startsWith(tailHtml.slice(0, start))) {
      // The line before changed too: its run was highlighted again (an open comment), or its final newline moved.
      const line = last.previousSibling;
      start = tailHtml.lastIndexOf('<span class="hljs-line">', start);
      if (!(line instanceof Element) || line.className !== 'hljs-line' || start < 0 || !html.startsWith(tailHtml.slice(0, start))) return false;
      old.unshift(line);
    }
    const middle = html.slice(start, html.length - rest.length);
    if (html.length < start + rest.length || /<(?!\/?span[ >])/.test(middle)) return false;
    old[0]?.before(sink.fragment(middle));
    for (const node of old) node.remove();
    tailHtml = html;
    return true;
  };

  return {
    apply(patches) {
      for (const patch of patches) {
        switch (patch.op) {
          case 'commit': {
            const nodes = insert(patch.html, tail[0] ?? null);
            blocks.push(nodes);
            onCommit?.(nodes);
            break;
          }
          case 'replace': {
            const old = blocks[patch.index];
            if (!old) break;
            const anchor = old[0] ?? null;
            const nodes = insert(patch.html, anchor && anchor.parentNode === container ? anchor : (blocks[patch.index + 1]?.[0] ?? tail[0] ?? null));
            for (const node of old) node.parentNode?.removeChild(node);
            blocks[patch.index] = nodes;
            onCommit?.(nodes);
            break;
          }
          case 'tail':
            if (!replaceRun(patch.html)) {
              tailHtml = patch.html;
              renderTail();
            }
            break;
          case 'append':
            if (!appendText(patch.text)) renderTail();
            break;
          case 'reset':
            this.clear();
            break;
        }
      }
    },
    clear() {
      container.replaceChildren();
      blocks = [];
      tail = [];
      tailHtml = '';
    },
    get committedCount() {
      return blocks.length;
    },
  };
}

/** The last element among `nodes`, skipping the whitespace text between blocks. */
function lastElement(nodes: Node[]): Element | undefined {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (node && node.nodeType === Node.ELEMENT_NODE) return node as Element;
    if (node && node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== '') return undefined;
  }
  return undefined;
}
