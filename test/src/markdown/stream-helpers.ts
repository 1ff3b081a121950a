/** Shared helpers of the markdown tests: feeding an engine and rebuilding its HTML from patches. */
import { seededRandom } from '../../seeded-random.js';

import { readFileSync } from 'node:fs';
import spec from 'commonmark-spec';
import { createMarkdownEngine } from '../../../src/markdown/markdown-engine.js';
import type { MarkdownEngineOptions } from '../../../src/markdown/markdown-engine.js';
import { applyPatchesToHtml, joinHtml } from '../../../src/markdown/html-model.js';
import type { HtmlState } from '../../../src/markdown/html-model.js';
import type { Patch } from '../../../src/types.js';

export interface SpecExample {
  markdown: string;
  html: string;
  section: string;
  number: number;
}

export const commonmarkExamples: SpecExample[] = spec.tests;

/** Seeded PRNG (mulberry32), so failures name a seed that reproduces them. */
export const createRandom = seededRandom;

export const gfmExamples: SpecExample[] = (JSON.parse(
  readFileSync(new URL('../../fixtures/markdown/gfm-examples.json', import.meta.url), 'utf8'),
) as { tests: SpecExample[] }).tests;


/** Cuts `text` into chunks of 1..maxSize characters. */
export function randomChunks(text: string, random: () => number, maxSize: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length;) {
    const size = 1 + Math.floor(random() * maxSize);
    chunks.push(text.slice(i, i + size));
    i += size;
  }
  return chunks;
}

/** Fixed-size chunks. */
export function fixedChunks(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

export interface StreamRun {
  html: string;
  /** Patches of every flush, then of end() last. */
  flushes: Patch[][];
  degraded: boolean;
}

/** Streams chunks (write + flush each), ends, and rebuilds the HTML from the patches alone. */
export function streamChunks(chunks: readonly string[], options: Partial<MarkdownEngineOptions> = {}): StreamRun {
  // A frozen clock: the time budget must not trip because the test machine is busy (that would make
  // results depend on load). The budget itself is tested with an explicit clock in budget.test.ts.
  const engine = createMarkdownEngine({ now: () => 0, ...options });
  let state: HtmlState = { blocks: [], tail: '' };
  const flushes: Patch[][] = [];
  for (const chunk of chunks) {
    engine.write(chunk);
    const patches = engine.flush();
    flushes.push(patches);
    state = applyPatchesToHtml(state, patches);
  }
  const last = engine.end();
  flushes.push(last);
  state = applyPatchesToHtml(state, last);
  return { html: joinHtml(state), flushes, degraded: engine.degraded };
}
