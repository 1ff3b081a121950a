/**
 * Syntax highlighting with highlight.js, for committed code and for code that is still streaming.
 *
 * A committed block is highlighted once, whole. A growing block is highlighted line by line: a
 * flush must not re-highlight the whole block (a 2 000-line TypeScript block is ~80 KB, ~40 ms of
 * highlight.js, on every frame), so each block keeps what it has highlighted and only new
 * complete lines are highlighted. Lines cannot simply be highlighted one at a time: a line may end
 * inside a construct that spans lines (a block comment, a docstring, a template string), and the
 * next line has to start in it. highlight.js 11 has no public way to resume from a state, but its
 * result says where it ended (`_top`: the language's root mode when every construct is closed).
 * A line that ends at the root is a safe place to restart, so the block's lines are kept as
 * `done` (up to the last such line, with its HTML) and `pending` (the lines after it, highlighted
 * together as one run, again, when a line is added). Measured on the bench corpus (8 languages,
 * 3 500 lines): every line ended at the root, and line-by-line HTML equalled the whole block's.
 * Constructs that only a later line decides (a setext heading in markdown, a heredoc in Ruby, a
 * YAML block scalar) show as they read so far and take their final colours at commit.
 *
 * A run inside a construct that never closes is capped (`maxPending` characters): beyond it the
 * run is taken as done and the next line starts afresh, so the cost per flush stays bounded.
 *
 * Each highlighted run is wrapped in `<span class="hljs-line">`, displayed as a block (the extras'
 * styles): the page then lays out only the new line. One inline run of a 2 000-line highlighted
 * block took 17 ms of layout per change in Chromium, lines as blocks 0.9 ms (committed blocks, laid
 * out once, are not wrapped).
 *
 * This module is pure; the worker's highlighter file (worker/highlighter.ts) passes highlight.js in,
 * and so can Node tests.
 */

import { CODE_LINE_OPEN, escapeHtml } from './dom-contract.js';
import type { Highlighter } from './renderer.js';

/** The part of highlight.js used here. */
export interface HljsApi {
  getLanguage(name: string): unknown;
  highlight(code: string, options: { language: string; ignoreIllegals: boolean }): HljsResult;
}

/** A highlight.js result: the HTML, and the mode it ended in (`_top.parent` is unset at the root). */
export interface HljsResult {
  value: string;
  _top?: { parent?: unknown };
}

export interface HighlighterOptions {
  /** Longest run of lines inside one unclosed construct that is highlighted again as a whole, in characters. Default 8192. */
  maxPending: number;
  /** Growing blocks one stream remembers (the least recently used is forgotten). Default 8. */
  maxBlocks: number;
}

/** One growing block: its lines highlighted so far. */
interface BlockState {
  language: string;
  /** The lines up to the last one that ended at the root, each with its `\n`, and their HTML. */
  done: string;
  doneHtml: string;
  /** The complete lines after `done`, and their HTML as one run. */
  pending: string;
  pendingHtml: string;
}

/** A highlighter over `hljs`: whole blocks, and (`live()`) one stream's growing blocks. */
export function createHighlighter(hljs: HljsApi, options: Partial<HighlighterOptions> = {}): Highlighter {
  const maxPending = options.maxPending ?? 8192;
  const maxBlocks = options.maxBlocks ?? 8;
  /** highlight.js escapes `'` as `&#x27;`; as `&#39;`, like the rest of the tail, its text can be appended to. */
  const run = (code: string, language: string): HljsResult => {
    const result = hljs.highlight(code, { language, ignoreIllegals: true });
    return { value: result.value.replace(/&#x27;/g, '&#39;'), _top: result._top };
  };

  const highlight: Highlighter = (code, language) => (hljs.getLanguage(language) ? run(code, language).value : null);

  highlight.live = () => {
    /** Most recently used first. Blocks are found by content, so a stale one is never wrong, only unused. */
    const blocks: BlockState[] = [];

    /** The state whose `done` lines start `complete` (the longest), moved to the front; else a new one. */
    const find = (complete: string, language: string): BlockState => {
      let best = -1;
      blocks.forEach((block, i) => {
        if (block.language === language && complete.startsWith(block.done) && (best === -1 || block.done.length > (blocks[best]?.done.length ?? 0))) best = i;
      });
      const block = best === -1 ? { language, done: '', doneHtml: '', pending: '', pendingHtml: '' } : blocks.splice(best, 1)[0]!;
      blocks.unshift(block);
      blocks.length = Math.min(blocks.length, maxBlocks);
      return block;
    };

    return (code, language, open = false) => {
      if (!hljs.getLanguage(language)) return null;
      // The complete lines, each with its `\n`; an open block's last line stays plain. (marked's text
      // of an open fence drops the last `\n` of `a\n` but not of `a\n\n`; its renderer, like ours,
      // drops one and adds one: so do the complete lines, which then only ever grow.)
      const cut = open ? code.lastIndexOf('\n') + 1 : code.length;
      const complete = open ? code.slice(0, cut) : `${code.replace(/\n$/, '')}\n`;
      const block = find(complete, language);
      const lines = complete.slice(block.done.length);
      if (lines === '') block.pending = block.pendingHtml = '';
      else if (lines !== block.pending) {
        const result = run(lines, language);
        const html = `${CODE_LINE_OPEN}${result.value}</span>`;
        if (!result._top?.parent || lines.length > maxPending) {
          block.done = complete;
          block.doneHtml += html;
          block.pending = block.pendingHtml = '';
        } else {
          block.pending = lines;
          block.pendingHtml = html;
        }
      }
      const html = block.doneHtml + block.pendingHtml;
      if (open) return html + escapeHtml(code.slice(cut));
      // Without an open line the renderer adds the final `\n` itself (as for committed code): drop
      // ours, which may sit inside closing spans (found from the end: the HTML can be long).
      let end = html.length;
      while (html.endsWith('</span>', end)) end -= '</span>'.length;
      return html.charAt(end - 1) === '\n' ? html.slice(0, end - 1) + html.slice(end) : html;
    };
  };

  return highlight;
}
