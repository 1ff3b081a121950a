/**
 * The patch model as strings: what the main-thread patcher does to the DOM, done to HTML text.
 * The engine uses `diffTail` to choose between `append` and `tail`; tests and the worker's
 * self-check use `applyPatchesToHtml` to prove that the patches rebuild the document exactly.
 */

import type { Patch } from '../types.js';
import { escapeHtml, textRunEnd } from './dom-contract.js';

/** The rendered document as the patcher holds it: committed blocks, then the tail. */
export interface HtmlState {
  blocks: string[];
  tail: string;
}

/** The whole HTML of a state. */
export function joinHtml(state: HtmlState): string {
  return state.blocks.join('') + state.tail;
}

/** Applies patches to a string model of the container (pure; returns a new state). */
export function applyPatchesToHtml(state: HtmlState, patches: readonly Patch[]): HtmlState {
  let blocks = state.blocks.slice();
  let tail = state.tail;
  for (const patch of patches) {
    switch (patch.op) {
      case 'commit':
        blocks.push(patch.html);
        break;
      case 'replace':
        if (patch.index < 0 || patch.index >= blocks.length) {
          throw new RangeError(`replace of block ${patch.index}, but only ${blocks.length} are committed`);
        }
        blocks[patch.index] = patch.html;
        break;
      case 'tail':
        tail = patch.html;
        break;
      case 'append': {
        const end = textRunEnd(tail);
        if (end === -1) throw new Error('append to a tail without a trailing text run');
        tail = tail.slice(0, end) + escapeHtml(patch.text) + tail.slice(end);
        break;
      }
      case 'reset':
        blocks = [];
        tail = '';
        break;
    }
  }
  return { blocks, tail };
}

const decodeMap: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * The patch that turns the tail `before` into `after`: an `append` when only text was inserted at
 * the end of the last text run (and the text decodes exactly, i.e. holds no other reference),
 * else a full `tail`, or nothing when they are equal.
 */
export function diffTail(before: string, after: string): Patch | null {
  if (before === after) return null;
  const end = textRunEnd(before);
  if (end !== -1 && after.length > before.length) {
    const suffixLength = before.length - end;
    if (after.startsWith(before.slice(0, end)) && after.endsWith(before.slice(end))) {
      const inserted = after.slice(end, after.length - suffixLength);
      if (!inserted.includes('<') && !inserted.includes('>')) {
        const decoded = inserted.replace(/&amp;|&lt;|&gt;|&quot;|&#39;/g, (e) => decodeMap[e] ?? e);
        // Any other reference would not survive the round trip through escapeHtml: send the tail.
        if (escapeHtml(decoded) === inserted) return { op: 'append', text: decoded };
      }
    }
  }
  return { op: 'tail', html: after };
}
