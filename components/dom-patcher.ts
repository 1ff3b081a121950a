/**
 * Applies the worker's patches to the rendered DOM (DESIGN.md §4): committed blocks are appended once
 * and keep their nodes (a reader's selection inside them survives the stream); the tail is replaced
 * from its first changed block on, or — in the common case — extended in place with a text node
 * append, which parses no HTML at all. A block committed as the tail showed it keeps the tail's nodes.
 */
import { CODE_LINE_CLASS, closingTagCount, escapeHtml, splitBlocks, textRunEnd } from '../src/markdown/dom-contract.js';
import type { Patch } from '../src/types.js';
import { loadExtras } from './extras-loader.js';
import type { HtmlSink } from './html-sink.js';

export interface DomPatcher {
  apply(patches: readonly Patch[]): void;
  /** Remove everything rendered. */
  clear(): void;
  /** Committed blocks so far (tests and code-block decorations use it). */
  readonly committedCount: number;
  /** A long answer: its committed blocks go into chunks. */
  readonly long: boolean;
}

/**
 * A long answer's committed blocks after the first FLAT_BLOCKS go into chunks of CHUNK_BLOCKS
 * (`.llm-stream-chunk`); a full chunk, once laid out, is sealed (`content-visibility: auto`) and is
 * skipped by style, layout and paint while off screen, so a frame of a long answer costs about what
 * a frame of a short one does. Measured in Chromium: 5 000 flat paragraphs cost 2.6 ms of
 * compositing inputs and 3.5 ms of layout per frame, growing with the answer; in chunks, 0.04 and
 * 0.2 ms. Chunks start early: 100 KB (282 blocks) in interleaved runs cost 1.07× the per-frame
 * floor with 200 flat blocks, 0.99× with 32, 0.87× with none. Answers of up to FLAT_BLOCKS blocks
 * (about 10 KB) stay flat: their blocks are the content's own children, as a one-shot render's are.
 */
const FLAT_BLOCKS = 32;
const CHUNK_BLOCKS = 32;

export function createDomPatcher(container: HTMLElement, sink: HtmlSink, onCommit?: (nodes: Node[]) => void): DomPatcher {
  let blocks: Node[][] = [];
  /** The tail's top-level blocks as rendered: one that comes again unchanged keeps its nodes. */
  let parts: Array<{ html: string; nodes: Node[] }> = [];
  /** The chunk taking new committed blocks, and how many it holds. */
  let chunk: HTMLElement | null = null;
  let chunkBlocks = 0;
  const sealer = createChunkSealer();
  /** The tail's HTML as last rendered, so an `append` can be re-rendered if the DOM shape differs. */
  let tailHtml = '';

  /** Where the next committed block goes: before the tail, directly or in the current chunk. */
  const commitPlace = (): { parent: Node; before: Node | null } => {
    const before = parts[0]?.nodes[0] ?? null;
    if (blocks.length < FLAT_BLOCKS) return { parent: container, before };
    if (!chunk || chunkBlocks >= CHUNK_BLOCKS) {
      chunk = document.createElement('div');
      chunk.className = 'llm-stream-chunk';
      chunk.dir = 'auto';
      container.insertBefore(chunk, before);
      chunkBlocks = 0;
    }
    if (++chunkBlocks === CHUNK_BLOCKS) sealer.seal(chunk);
    return { parent: chunk, before: null };
  };

  const insert = (html: string, before: Node | null, parent: Node = container): Node[] => {
    const fragment = sink.fragment(html);
    const nodes = Array.from(fragment.childNodes);
    // Right-to-left answers read right: each block and list item finds its own direction; code stays
    // left-to-right. Set here, on parsed nodes, so every sink path and raw-HTML mode gets it.
    for (const node of nodes) if (node instanceof HTMLElement) node.dir = node.localName === 'pre' ? 'ltr' : 'auto';
    for (const item of Array.from(fragment.querySelectorAll('li'))) item.dir = 'auto';
    parent.insertBefore(fragment, before);
    return nodes;
  };

  /**
   * Render `html` as the tail: its leading blocks that are shown already stay (the paragraph after
   * a table or a list streams while they wait to be committed: they were parsed again every frame).
   */
  const renderTail = (html: string): void => {
    const next = splitBlocks(html);
    let keep = 0;
    while (keep < parts.length && parts[keep]!.html === next[keep]) keep++;
    // The first block that changed, if a streaming code block whose later lines did, is patched in place.
    const part = parts[keep];
    const block = next[keep];
    const extras = block?.includes(CODE_LINE_CLASS) && loadExtras();
    if (part && extras && !(extras instanceof Promise) && extras.replaceCodeLines(lastElement(part.nodes)?.firstChild, part.html, block!, sink.fragment)) {
      part.html = block!;
      keep++;
    }
    for (const gone of parts.splice(keep)) for (const node of gone.nodes) node.parentNode?.removeChild(node);
    for (const added of next.slice(keep)) parts.push({ html: added, nodes: insert(added, null) });
    tailHtml = html;
  };

  /** The tail is `html` now, changed only inside its last block (which keeps its nodes). */
  const changedTail = (html: string): true => {
    const last = parts[parts.length - 1];
    if (last) last.html = html.slice(tailHtml.length - last.html.length);
    tailHtml = html;
    return true;
  };

  /** The element holding the tail's last text run: the one closed by the first tag after it. */
  const runElement = (runEnd: number): Node | undefined => {
    const depth = runEnd === -1 ? 0 : closingTagCount(tailHtml, runEnd);
    let element: Node | undefined = depth ? lastElement(parts.flatMap((part) => part.nodes)) : undefined;
    for (let level = 1; level < depth && element; level++) element = lastElement(Array.from(element.childNodes));
    return element;
  };

  /**
   * Append text where the HTML says it goes (the contract's closing-tag suffix rule, the one the
   * engine chose `append` by): inside the element closed by the first tag after the text run.
   * False when the DOM must be re-rendered from the updated HTML instead.
   */
  const appendText = (text: string): void => {
    const runEnd = textRunEnd(tailHtml);
    const element = runElement(runEnd);
    const cut = runEnd === -1 ? tailHtml.length : runEnd;
    const html = tailHtml.slice(0, cut) + escapeHtml(text) + tailHtml.slice(cut);
    if (!element) return renderTail(html);
    const last = element.lastChild;
    if (last && last.nodeType === Node.TEXT_NODE) (last as Text).appendData(text);
    else element.appendChild(document.createTextNode(text));
    changedTail(html);
  };

  /**
   * A new tail that differs from the one shown only in its last text run, now text and highlight
   * spans (a streaming line of code completed and was highlighted): parse only that part, in place.
   * (Lines before it highlighted again, as an open comment is: `renderTail`.) Re-rendering the
   * whole tail instead made a 2 000-line block streamed at 4 000 tokens/s take 36 s instead of 8 s,
   * in long tasks.
   */
  const replaceRun = (html: string): boolean => {
    const runEnd = textRunEnd(tailHtml);
    const last = runElement(runEnd)?.lastChild;
    if (last?.nodeType !== Node.TEXT_NODE) return false;
    const run = escapeHtml(last.textContent ?? '');
    const start = runEnd - run.length;
    const rest = tailHtml.slice(runEnd);
    if (tailHtml.slice(start, runEnd) !== run || tailHtml[start - 1] !== '>' || !html.endsWith(rest)) return false;
    const middle = html.slice(start, html.length - rest.length);
    if (!html.startsWith(tailHtml.slice(0, start)) || html.length < start + rest.length || /<(?!\/?span[ >])/.test(middle)) return false;
    last.replaceWith(sink.fragment(middle));
    return changedTail(html);
  };

  return {
    apply(patches) {
      for (const patch of patches) {
        switch (patch.op) {
          case 'commit': {
            const place = commitPlace();
            let nodes: Node[];
            if (parts[0]?.html === patch.html) {
              // Shown in the tail already (a block completed a flush before it was final): its nodes stay.
              nodes = parts.shift()!.nodes;
              tailHtml = tailHtml.slice(patch.html.length);
              if (place.parent !== container) (place.parent as Element).append(...nodes);
            } else nodes = insert(patch.html, place.before, place.parent);
            blocks.push(nodes);
            onCommit?.(nodes);
            break;
          }
          case 'replace': {
            const old = blocks[patch.index];
            if (!old) break;
            // In the old block's place (in its chunk, if it is in one); an empty old block: before the next one.
            const anchor = old.find((node) => node.parentNode) ?? blocks[patch.index + 1]?.find((node) => node.parentNode) ?? parts[0]?.nodes[0] ?? null;
            const nodes = insert(patch.html, anchor, anchor?.parentNode ?? container);
            for (const node of old) node.parentNode?.removeChild(node);
            blocks[patch.index] = nodes;
            onCommit?.(nodes);
            break;
          }
          case 'tail':
            if (!replaceRun(patch.html)) renderTail(patch.html);
            break;
          case 'append':
            appendText(patch.text);
            break;
          case 'reset':
            this.clear();
            break;
        }
      }
    },
    clear() {
      sealer.clear();
      container.replaceChildren();
      blocks = [];
      parts = [];
      chunk = null;
      chunkBlocks = 0;
      tailHtml = '';
    },
    get committedCount() {
      return blocks.length;
    },
    get long() {
      return blocks.length >= FLAT_BLOCKS;
    },
  };
}

/**
 * A full chunk becomes skippable (`llm-stream-sealed`: content-visibility: auto) only once it has
 * been laid out whole: a ResizeObserver reports its real height after layout, before paint, and the
 * chunk keeps that height as its intrinsic size. A chunk that filled while off screen, or that one
 * huge batch created below the fold, would otherwise stand in at a placeholder height, and a pinned
 * answer would drift off its bottom.
 */
function createChunkSealer(): { seal(chunk: HTMLElement): void; clear(): void } {
  let observer: ResizeObserver | null = null;
  let pending: Array<[HTMLElement, number]> = [];
  // Sealed at the next frame, not in the observer's callback: a layout change there would raise the
  // page's "ResizeObserver loop completed with undelivered notifications" error.
  const apply = (): void => {
    for (const [chunk, height] of pending) {
      chunk.style.containIntrinsicBlockSize = `auto ${height}px`;
      chunk.classList.add('llm-stream-sealed');
    }
    pending = [];
  };
  const sealed = (entries: ResizeObserverEntry[]): void => {
    for (const entry of entries) {
      const chunk = entry.target as HTMLElement;
      const height = entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height;
      if (height > 0) {
        if (pending.length === 0) requestAnimationFrame(apply);
        pending.push([chunk, height]);
      }
      // Done with it once measured, or once removed before it could be.
      if (height > 0 || !chunk.isConnected) observer?.unobserve(chunk);
    }
  };
  return {
    seal(chunk) {
      if (typeof ResizeObserver === 'undefined') return;
      (observer ??= new ResizeObserver(sealed)).observe(chunk);
    },
    clear() {
      observer?.disconnect();
      observer = null;
      pending = [];
    },
  };
}

/** The class the caret's styles hang off: on the content's last block while a stream runs. */
export const CARET_CLASS = 'llm-stream-caret';

/** Move the caret mark from `from` to `to`; a block left without classes loses the attribute too, so its DOM is a one-shot render's again. */
export function moveCaretMark(from: Element | null, to: Element | null): void {
  if (from) {
    from.classList.remove(CARET_CLASS);
    if (from.classList.length === 0) from.removeAttribute('class');
  }
  to?.classList.add(CARET_CLASS);
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
