/**
 * The incremental markdown engine: text deltas in, DOM patches out.
 *
 * `write` only appends text. `flush` lexes the uncommitted tail (`text.slice(committedOffset)`) with
 * marked, commits the blocks the finality rule says are final (one `commit` each, rendered once),
 * and renders the rest — repaired so that no half-typed syntax flickers — as the tail (`append` when
 * only text grew at its end, else `tail`). Work per flush depends on the size of the open block,
 * never on the size of the document. `end` lexes and commits the remaining tail as is, so that the
 * applied patches equal `renderMarkdown(text)` exactly.
 *
 * Reference definitions can come after their use. The committed definitions seed every tail lexer
 * (first definition wins, like marked); when a committed block defines a new label, the committed
 * blocks that mention it are re-rendered (`replace`).
 *
 * The time budget protects, it never decides. Input that is hostile by its shape (the pre-screen) or
 * that crashes marked (stack overflow on deep nesting) degrades for the rest of the stream: the
 * remaining text is shown as escaped plain text in `<pre class="llm-stream-plain">`, extended with
 * `append` (a `<pre>` keeps the author's line breaks, the most readable form of text that failed to
 * parse). A flush that merely *took* longer than `budgetMs` proves nothing about the text — the
 * worker may have been descheduled on a busy machine — so it shows the plain tail only for a while:
 * parsing is retried after 2, 4, 8, 16 flushes, and a retry within budget restores the rendered
 * tail. Only when every retry is slow too does the stream stay plain. `end()` then tries once more:
 * it times a probe (the prefix that was slow) and, when that is within budget, renders the whole
 * rest, so ordinary text always ends identical to `renderMarkdown(text)` whatever the CPU did.
 */

import type { Links, Token, Tokens } from 'marked';
import type { MarkdownOptions, Patch } from '../types.js';
import { isHostileMarkdown } from './budget.js';
import { countFinalTokens } from './finality.js';
import { escapeHtml, textRunEnd } from './dom-contract.js';
import { diffTail } from './html-model.js';
import { createMarkdownRenderer, inLinkAfter, resolveMarkdownOptions } from './renderer.js';
import type { Highlighter, MarkdownRenderer } from './renderer.js';
import { repairTail } from './tail-repair.js';
import type { MathSyntax } from './math-syntax.js';

/** Options of the engine: the markdown policy plus the time budget and the clock. */
export interface MarkdownEngineOptions extends MarkdownOptions {
  /** Longest a tail lex + render may take before the engine degrades to plain text, in ms. */
  budgetMs: number;
  /**
   * The clock, in ms (src/ owns no clock: the worker injects `performance.now`). Defaults to
   * `Date.now`, the only clock ECMAScript itself has — coarse, but enough for a budget of 250 ms.
   */
  now: () => number;
  /**
   * Optional syntax highlighter for fenced code: committed blocks are highlighted once, whole; with
   * `live`, the tail's growing blocks line by line (the line still being typed stays plain).
   */
  highlight?: Highlighter | null;
  /**
   * Optional math: loads the math syntax (the worker: from the file beside the script), called once,
   * the first time the text holds a math opener (`$`, `\(`, `\[`). Without it, or when it returns
   * null, `$` is plain text.
   */
  math?: (() => MathSyntax | null) | null;
}

export interface MarkdownEngine {
  /** Append raw markdown. Cheap: no parsing here (called per network delta). */
  write(text: string): void;
  /** Parse what changed since the last flush (called ~once per animation frame); returns patches (maybe []). */
  flush(): Patch[];
  /** Stream ended: commit everything, reconcile late reference definitions, return the final patches. */
  end(): Patch[];
  /** The markdown received so far, with line endings normalized to `\n`. */
  readonly text: string;
  /** True once a block fell back to plain text (budget exceeded, hostile input, or parser crash). */
  readonly degraded: boolean;
}

/** The default per-block time budget, in ms. */
export const defaultBudgetMs = 250;

function resolveEngineOptions(options: Partial<MarkdownEngineOptions> = {}): MarkdownEngineOptions {
  return {
    ...resolveMarkdownOptions(options),
    budgetMs: options.budgetMs ?? defaultBudgetMs,
    now: options.now ?? Date.now,
    highlight: options.highlight ?? null,
    math: options.math ?? null,
  };
}

/** A math opener: only text with one loads the math file. */
const mathOpener = /\$|\\[([]/;

/** The HTML of text shown unparsed. */
export function plainTextHtml(text: string): string {
  return `<pre part="pre" class="llm-stream-plain">${escapeHtml(text)}</pre>\n`;
}

/**
 * marked's label normalization (trim, collapse whitespace, case-fold), further relaxed for the
 * "does this block mention the label" test: whitespace and `>` are removed, because a label can
 * span lines inside a blockquote or list (`> [foo\n> bar]`). False positives cost a re-render that
 * yields the same HTML (no patch); false negatives would leave a stale block, so we relax.
 */
function mentionKey(text: string): string {
  return text.toLowerCase().toUpperCase().toLowerCase().replace(/[\s>]+/g, '');
}

/** Definitions inside a token tree, in document order (blockquotes and list items define too). */
function collectDefinitions(tokens: readonly Token[], out: Array<{ tag: string; href: string; title: string }>): void {
  for (const token of tokens) {
    if (token.type === 'def') {
      out.push({ tag: String(token.tag), href: String(token.href), title: String(token.title ?? '') });
    } else if (token.type === 'list') {
      for (const item of token.items) collectDefinitions(item.tokens, out);
    } else if (token.type === 'blockquote') {
      collectDefinitions(token.tokens ?? [], out);
    }
  }
}

interface CommittedBlock {
  raw: string;
  key: string;
  /** Index among `commit` patches, or -1 when the block rendered to nothing (space, definition). */
  index: number;
  /** marked's `inLink` lexer state before this block (see `inLinkAfter`). */
  inLinkBefore: boolean;
  html: string;
}

/** Thrown inside the engine when the pre-screen refuses the tail (hostile by its shape). */
class HostileInput extends Error {}
/** Thrown inside the engine when one parse took longer than the budget (which may be the machine's fault). */
class BudgetExceeded extends Error {}

/** Flushes after a slow one before parsing is retried; doubles after each slow retry. */
const firstRetryAfter = 2;
/** Slow attempts (the first and its retries) after which the stream stays plain until `end()`. */
const maxSlowAttempts = 5;

export function createMarkdownEngine(options: Partial<MarkdownEngineOptions> = {}): MarkdownEngine {
  const config = resolveEngineOptions(options);
  const renderer: MarkdownRenderer = createMarkdownRenderer(config);

  let text = '';
  /** A `\r` ended the last write: a `\n` starting the next one belongs to it. */
  let pendingCarriageReturn = false;
  let committedOffset = 0;
  const committed: CommittedBlock[] = [];
  let commitCount = 0;
  /** Definitions from committed blocks only: what seeds every tail lexer. */
  const links: Links = Object.create(null) as Links;
  /** marked's `inLink` lexer state after the committed blocks. */
  let inLink = false;
  let tailHtml = '';
  /** Length of `text` at the last flush: nothing new, nothing to do. */
  let flushedLength = -1;
  let degraded = false;
  /** Degraded for good: the text is hostile by shape or crashed marked (time alone never sets this). */
  let permanent = false;
  /** While degraded by time: flushes left before the next retry, the current back-off, slow attempts. */
  let retryIn = 0;
  let backoff = firstRetryAfter;
  let slowAttempts = 0;
  /** Length of the tail source whose parse was slow (the size of `end()`'s probe). */
  let slowLength = 0;
  /** In degraded mode: how much of `text` the plain `<pre>` shows. */
  let plainShown = 0;

  /** Math: the loader until the first opener, then the syntax (null: off, or it could not load). */
  let loadMath = config.math;
  let math: MathSyntax | null = null;
  /** How much of `text` was searched for a math opener. */
  let mathSearched = 0;

  /** Loads math the first time the text holds an opener (from one character back: `\` + `(` may straddle writes). */
  function mathOnFirstOpener(): void {
    if (loadMath && mathOpener.test(text.slice(mathSearched && mathSearched - 1))) {
      math = loadMath();
      loadMath = null;
      if (math) renderer.extend(math.extension);
    }
    mathSearched = text.length;
  }

  function lex(src: string, withLinks: Links): Token[] {
    if (isHostileMarkdown(src)) throw new HostileInput('hostile markdown');
    return renderer.lex(src, withLinks, inLink);
  }

  const highlight = config.highlight ?? null;
  /** This stream's highlighting of growing code blocks: each complete line once (src/markdown/highlight.ts). */
  const live = highlight?.live?.() ?? null;

  function renderBlock(token: Token): string {
    return renderer.render([token], highlight);
  }

  /** Re-renders a committed block from its source with the committed definitions. */
  function rerender(block: CommittedBlock): string {
    return renderer.render(renderer.lex(block.raw, links, block.inLinkBefore), highlight);
  }

  /**
   * Commits `tokens` (final, lexed with `lexLinks`): one `commit` patch per non-empty block, then
   * the `replace` patches for earlier blocks that mention a label these blocks define.
   */
  function commitTokens(tokens: readonly Token[], lexLinks: Links, patches: Patch[]): void {
    const definitions: Array<{ tag: string; href: string; title: string }> = [];
    collectDefinitions(tokens, definitions);
    const newLabels: string[] = [];
    for (const def of definitions) {
      if (!Object.hasOwn(links, def.tag)) {
        links[def.tag] = { href: def.href, title: def.title };
        newLabels.push(def.tag);
      }
    }
    // Labels the tail lexer knew from definitions that are not committed yet: a block that mentions
    // one must not keep that rendering (the definition may still change), so it is re-lexed.
    const uncommittedKeys = Object.keys(lexLinks).filter((tag) => !Object.hasOwn(links, tag)).map(mentionKey);

    const previouslyCommitted = committed.length;
    for (const token of tokens) {
      // Code renders the same whatever is defined later: it is never re-rendered (nor re-highlighted).
      const key = token.type === 'code' ? '' : mentionKey(token.raw);
      const inLinkBefore = inLink;
      inLink = inLinkAfter([token], inLink);
      let html = '';
      if (token.type !== 'space' && token.type !== 'def') {
        html = uncommittedKeys.some((k) => key.includes(k))
          ? renderer.render(renderer.lex(token.raw, links, inLinkBefore), highlight)
          : renderBlock(token);
      }
      const block: CommittedBlock = { raw: token.raw, key, index: -1, html, inLinkBefore };
      if (html !== '') {
        block.index = commitCount++;
        patches.push({ op: 'commit', html });
      }
      committed.push(block);
      committedOffset += token.raw.length;
    }

    if (newLabels.length === 0) return;
    const keys = newLabels.map(mentionKey);
    for (let i = 0; i < previouslyCommitted; i++) {
      const block = committed[i];
      if (!block || block.index === -1 || !block.raw.includes('[')) continue;
      if (!keys.some((k) => block.key.includes(k))) continue;
      const html = rerender(block);
      if (html !== block.html) {
        block.html = html;
        patches.push({ op: 'replace', index: block.index, html });
      }
    }
  }

  /** Enters degraded mode: the whole uncommitted text becomes the plain tail. */
  function degrade(patches: Patch[]): void {
    degraded = true;
    plainShown = text.length;
    tailHtml = plainTextHtml(text.slice(committedOffset));
    patches.push({ op: 'tail', html: tailHtml });
  }

  /** A parse failed: for good when the text itself is to blame, else for a while (see the header). */
  function onParseFailure(thrown: unknown, srcLength: number, patches: Patch[]): void {
    if (thrown instanceof BudgetExceeded) {
      slowAttempts++;
      slowLength = srcLength;
      if (slowAttempts >= maxSlowAttempts) permanent = true;
      else {
        retryIn = backoff;
        backoff *= 2;
      }
    } else permanent = true; // hostile by shape, or marked crashed: deterministic, retrying cannot help
    degrade(patches);
  }

  function flushDegraded(patches: Patch[]): void {
    if (text.length > plainShown) {
      const added = text.slice(plainShown);
      plainShown = text.length;
      // An empty `<pre>` has no text node to append to: send it whole once.
      const canAppend = textRunEnd(tailHtml) !== -1;
      tailHtml = plainTextHtml(text.slice(committedOffset));
      patches.push(canAppend ? { op: 'append', text: added } : { op: 'tail', html: tailHtml });
    }
  }

  /** Lexes the tail, commits what is final and renders the rest; throws on hostile, crash or slow. */
  function renderTail(patches: Patch[]): void {
    const started = config.now();
    const src = text.slice(committedOffset);
    const lexLinks: Links = { ...links };
    // With math, the same lex tells what an open formula holds back from commit and display.
    const { tokens, hold, hide } = math ? math.lexTail(src, () => lex(src, lexLinks)) : { tokens: lex(src, lexLinks), hold: 0, hide: 0 };
    const final = Math.max(0, countFinalTokens(tokens, src) - hold);
    if (final > 0) commitTokens(tokens.slice(0, final), lexLinks, patches);

    const tailSrc = text.slice(committedOffset);
    const shown = tailSrc.slice(0, tailSrc.length - hide);
    const repaired = math ? math.repair(shown, repairTail) : repairTail(shown);
    const tailTokens = repaired === tailSrc ? tokens.slice(final) : lex(repaired, { ...links });
    // The code block the text ends in, if it does: its last line is still being typed — when the
    // text ends with that line (not with a container's `>` or indentation for the next one; a list
    // item's text loses trailing blanks).
    let leaf: Token | undefined = tailTokens.at(-1);
    while (leaf && leaf.type !== 'code') leaf = ((leaf as Tokens.List).items ?? (leaf as Tokens.Generic).tokens)?.at(-1);
    const lastLine = (text: string): string => text.slice(text.lastIndexOf('\n') + 1).replace(/[ \t]+$/, '');
    const typing = !repaired.endsWith('\n') && leaf && lastLine(repaired).endsWith(lastLine(leaf.text));
    let html = renderer.render(tailTokens, live, typing ? leaf : undefined);
    // marked ends a code block's text with `\n` even while its last line is still being typed.
    // Leaving that newline out of the open block's tail lets the next characters be an `append`
    // at the end of the text node (the newline comes back, appended, when the line completes).
    if (!repaired.endsWith('\n') && html.endsWith('\n</code></pre>\n')) {
      html = html.slice(0, -'\n</code></pre>\n'.length) + '</code></pre>\n';
    }
    if (config.now() - started > config.budgetMs) throw new BudgetExceeded('time budget exceeded');
    const patch = diffTail(tailHtml, html);
    tailHtml = html;
    if (patch) patches.push(patch);
  }

  function flush(): Patch[] {
    const patches: Patch[] = [];
    if (degraded) {
      retryIn--;
      if (permanent || retryIn > 0) {
        flushDegraded(patches);
        return patches;
      }
    } else if (text.length === flushedLength) return patches;
    flushedLength = text.length;
    mathOnFirstOpener();
    const srcLength = text.length - committedOffset;
    try {
      renderTail(patches);
      // Within budget again (after a retry): the rendered tail replaced the plain one.
      degraded = false;
      backoff = firstRetryAfter;
    } catch (thrown) {
      // Commits already made in this flush stay valid; the rest shows as plain text.
      onParseFailure(thrown, srcLength, patches);
    }
    return patches;
  }

  function end(): Patch[] {
    const patches: Patch[] = [];
    pendingCarriageReturn = false;
    mathOnFirstOpener();
    if (degraded && !permanent) {
      // Slow flushes are not proof: time a probe of the prefix that was slow. Within budget, the
      // slowness was the machine's, and the whole rest is rendered; slow again, it was the text's.
      const started = config.now();
      try {
        lex(text.slice(committedOffset, committedOffset + Math.max(1, slowLength)), { ...links });
        if (config.now() - started <= config.budgetMs) degraded = false;
      } catch {
        /* hostile or crashing: stays plain */
      }
    }
    if (!degraded) {
      try {
        // No time check here: the parse is done, and discarding it would protect nothing. What is
        // too slow to parse was refused by the pre-screen, a crash, or the probe above.
        const src = text.slice(committedOffset);
        const lexLinks: Links = { ...links };
        const tokens = lex(src, lexLinks);
        commitTokens(tokens, lexLinks, patches);
        if (tailHtml !== '') patches.push({ op: 'tail', html: '' });
        tailHtml = '';
        return patches;
      } catch {
        degrade(patches);
      }
    }
    // The plain tail is final now: commit it like any block (the rest of its text included).
    const rest = text.slice(committedOffset);
    plainShown = text.length;
    if (rest !== '') {
      const html = plainTextHtml(rest);
      committed.push({ raw: rest, key: '', index: commitCount++, html, inLinkBefore: inLink });
      patches.push({ op: 'commit', html });
    }
    committedOffset = text.length;
    if (tailHtml !== '') patches.push({ op: 'tail', html: '' });
    tailHtml = '';
    return patches;
  }

  return {
    write(chunk: string): void {
      if (chunk === '') return;
      let s = chunk;
      if (pendingCarriageReturn && s.charCodeAt(0) === 10) s = s.slice(1);
      pendingCarriageReturn = chunk.charCodeAt(chunk.length - 1) === 13;
      // marked normalizes line endings itself; doing it here keeps raw offsets equal to ours.
      text += s.replace(/\r\n?/g, '\n');
    },
    flush,
    end,
    get text() {
      return text;
    },
    get degraded() {
      return degraded;
    },
  };
}

/** One-shot render of a whole text with the same renderer and policy (the reference for tests). */
export function renderMarkdown(text: string, options: Partial<MarkdownEngineOptions> = {}): string {
  const renderer = createMarkdownRenderer(resolveEngineOptions(options));
  const math = options.math && mathOpener.test(text) ? options.math() : null;
  if (math) renderer.extend(math.extension);
  return renderer.render(renderer.lex(text.replace(/\r\n?/g, '\n'), Object.create(null) as Links), options.highlight ?? null);
}
