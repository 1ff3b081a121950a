/**
 * DOMPurify's own test fixtures (../shared/corpora/xss-dompurify.json, 221 payloads, read in place),
 * streamed through the real element: every payload in a block context and an inline context, on both
 * sink paths (setHTML + Sanitizer, DOMPurify), with `html` unset (escape) and `sanitized`, written at
 * seeded random splits with frames in between so intermediate states render. Each run: nothing
 * forbidden in the DOM at any moment (a MutationObserver checks every batch), no canary fires, nothing
 * is fetched, and the stream ends `done` with `text` exactly what was written.
 */
import { expect } from 'chai';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import { seededRandom } from '../seeded-random.js';
import { createElement } from './helpers.js';
import { watchContent } from './dom-safety.js';

interface Fixture {
  id: string;
  md: string;
  class: string;
}

const response = await fetch('/__shared/corpora/xss-dompurify.json');
const FIXTURES = response.ok ? ((await response.json()) as Fixture[]) : [];

const MODES = ['sanitizer', 'dompurify'] as const;
const HTML_MODES = [null, 'sanitized'] as const;
const CONTEXTS = {
  block: (payload: string) => `A paragraph before.\n\n${payload}\n\nA paragraph after.\n`,
  inline: (payload: string) => `Text before ${payload} and text after.`,
} as const;

const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const canary = window as unknown as Record<string, unknown>;
const calls: string[] = [];
const originals = new Map<string, unknown>();
const CANARIES = ['alert', 'confirm', 'prompt', 'print'];

function settled(element: LlmStreamElement): Promise<void> {
  return new Promise((resolve, reject) => {
    element.addEventListener('llm-done', () => resolve(), { once: true });
    element.addEventListener('llm-error', (event) => reject((event as CustomEvent<{ error: Error }>).detail.error), { once: true });
  });
}

/** Resources the page fetched since `since` that the test itself did not ask for. */
function fetchedSince(since: number): string[] {
  return performance
    .getEntriesByType('resource')
    .filter((entry) => entry.startTime >= since)
    .map((entry) => entry.name)
    // Lazily loaded modules of our own (the DOMPurify chunk on first use) are not payload fetches.
    .filter((url) => !/\/(node_modules|components|src|worker|__web-dev-server|__wds)[/-]/.test(new URL(url).pathname));
}

async function run(mode: (typeof MODES)[number], html: (typeof HTML_MODES)[number], markdown: string, seed: number): Promise<{ element: LlmStreamElement; problems: string[] }> {
  const element = createElement({ manual: '', sanitizer: mode, ...(html ? { html } : {}) });
  await element.updateComplete;
  const watcher = watchContent(element, new Set());
  const done = settled(element);
  const random = seededRandom(seed);
  for (let i = 0; i < markdown.length;) {
    const size = 1 + Math.floor(random() * 24);
    element.write(markdown.slice(i, i + size));
    i += size;
    if (random() < 0.3) await frame();
  }
  element.end();
  await done;
  await frame();
  expect(element.sinkMode, 'sink mode').to.equal(mode);
  return { element, problems: watcher.stop().problems };
}

describe('outside suite: DOMPurify fixtures through the element', function () {
  this.timeout(60000);

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

  it('the corpus is read in place: 221 payloads with ids', () => {
    expect(response.ok, 'GET /__shared/corpora/xss-dompurify.json').to.equal(true);
    expect(FIXTURES.length).to.equal(221);
    expect(new Set(FIXTURES.map((fixture) => fixture.id)).size).to.equal(FIXTURES.length);
  });

  for (const mode of MODES) {
    for (const html of HTML_MODES) {
      for (const [context, wrap] of Object.entries(CONTEXTS)) {
        it(`${mode} · html=${html ?? 'unset'} · ${context}: nothing forbidden, nothing runs or loads, done with exact text`, async () => {
          const failures: string[] = [];
          for (const fixture of FIXTURES) {
            const markdown = wrap(fixture.md);
            const since = performance.now();
            const seed = hash(`${mode}|${html}|${context}|${fixture.id}`);
            let outcome: { element: LlmStreamElement; problems: string[] };
            try {
              outcome = await run(mode, html, markdown, seed);
            } catch (error) {
              failures.push(`${fixture.id}: stream failed: ${String(error)}`);
              continue;
            }
            const { element, problems } = outcome;
            if (problems.length) failures.push(`${fixture.id} (${fixture.class}): ${problems.join('; ')}`);
            if (element.status !== 'done') failures.push(`${fixture.id}: status ${element.status}`);
            if (element.text !== markdown) failures.push(`${fixture.id}: text differs (${element.text.length} vs ${markdown.length} characters)`);
            const fetched = fetchedSince(since);
            if (fetched.length) failures.push(`${fixture.id}: fetched ${fetched.join(', ')}`);
            if (calls.length) failures.push(`${fixture.id}: canary ${calls.splice(0).join(', ')}`);
            element.remove();
          }
          expect(failures, failures.slice(0, 10).join('\n')).to.deep.equal([]);
        });
      }
    }
  }
});
