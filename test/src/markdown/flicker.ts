/**
 * Flicker measurement: how many visible characters appear while streaming and then vanish.
 *
 * After each flush we take the rendered *visible text* (tags removed, references decoded,
 * whitespace collapsed). Streaming should only ever extend it. Between two consecutive snapshots,
 * every character of the earlier one past their common prefix was shown and then disappeared or
 * changed (a `*` shown before `**` closed, a `|` before the table formed, `[` before the link
 * resolved, a word moved because a marker appeared before it). Those are counted; the sum over the
 * stream (including the final render) is the flicker count. Style-only changes (text becoming bold)
 * are not counted: they do not move text.
 */

import { Marked } from 'marked';
import type { MarkdownEngineOptions } from '../../../src/markdown/markdown-engine.js';
import { createMarkdownEngine } from '../../../src/markdown/markdown-engine.js';
import { applyPatchesToHtml, joinHtml } from '../../../src/markdown/html-model.js';
import type { HtmlState } from '../../../src/markdown/html-model.js';

/** Tags whose boundaries separate words (so `<li>a</li><li>b</li>` reads `a b`). */
const blockTags = /^\/?(?:p|h[1-6]|pre|table|thead|tbody|tr|td|th|blockquote|ul|ol|li|hr|br|div|input)\b/i;

const references: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The text a reader sees in `html`, with whitespace collapsed. */
export function visibleText(html: string): string {
  return html
    .replace(/<([^>]*)>/g, (_, inside: string) => (blockTags.test(inside) ? ' ' : ''))
    .replace(/&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|(\w+));/g, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
      if (dec !== undefined) return String.fromCodePoint(Number(dec));
      if (hex !== undefined) return String.fromCodePoint(parseInt(hex, 16));
      return references[name ?? ''] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** Characters shown in one snapshot and gone or changed in the next, summed over the sequence. */
export function countVanished(snapshots: readonly string[]): number {
  let vanished = 0;
  for (let i = 1; i < snapshots.length; i++) {
    const before = snapshots[i - 1] ?? '';
    const after = snapshots[i] ?? '';
    let common = 0;
    const limit = Math.min(before.length, after.length);
    while (common < limit && before.charCodeAt(common) === after.charCodeAt(common)) common++;
    vanished += before.length - common;
  }
  return vanished;
}

/** Flicker of our engine over a stream of deltas (one write + flush per chunk, then end()). */
export function countFlicker(chunks: readonly string[], options: Partial<MarkdownEngineOptions> = {}): number {
  const engine = createMarkdownEngine(options);
  let state: HtmlState = { blocks: [], tail: '' };
  const snapshots: string[] = [];
  for (const chunk of chunks) {
    engine.write(chunk);
    state = applyPatchesToHtml(state, engine.flush());
    snapshots.push(visibleText(joinHtml(state)));
  }
  state = applyPatchesToHtml(state, engine.end());
  snapshots.push(visibleText(joinHtml(state)));
  return countVanished(snapshots);
}

/** Flicker of the naive approach: `marked.parse` of the raw prefix after every delta. */
export function countNaiveFlicker(chunks: readonly string[]): number {
  const marked = new Marked({ gfm: true, async: false });
  const snapshots: string[] = [];
  let text = '';
  for (const chunk of chunks) {
    text += chunk;
    snapshots.push(visibleText(marked.parse(text, { async: false })));
  }
  return countVanished(snapshots);
}
