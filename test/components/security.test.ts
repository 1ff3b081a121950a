/**
 * Issue 5: the attack corpus (test/fixtures/security/attacks.json) streamed through the real element,
 * on both sink paths, at random splits (push mode, frames between writes so intermediate states
 * render) and once through the mock LLM. A MutationObserver checks every mutation batch — including
 * nodes that were added and removed again within the batch — for handlers, script-capable or
 * exfiltrating URLs, forbidden elements, foreign images and clobbering attributes. A canary
 * (`alert`, `window.__llmCanary`) must never fire, and the mock's log must show no image request for
 * any key an attack used. Positive controls: an allow-listed image loads exactly once.
 */
import { seededRandom } from '../seeded-random.js';
import { expect } from 'chai';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import { createElement, mockLog, mockUrl, uniqueKey, type MockRecord } from './helpers.js';
import { REL, watchContent as watch } from './dom-safety.js';

interface Attack {
  title: string;
  markdown: string;
  why: string;
}

const corpus = (await (await fetch('/test/fixtures/security/attacks.json')).json()) as { attacks: Attack[] };
const ATTACKS = corpus.attacks;

const MODES = ['sanitizer', 'dompurify'] as const;
type Mode = (typeof MODES)[number];

/** The test page's origin and a second origin (localhost vs 127.0.0.1) served by the same mock. */
const SAME_ORIGIN = location.origin;
const OTHER_ORIGIN = `${location.protocol}//${location.hostname === 'localhost' ? '127.0.0.1' : 'localhost'}:${location.port}`;

function imageUrls(origin: string, key: string): Record<string, string> {
  const absolute = `${origin}/mock/image.png?key=${key}`;
  return {
    IMG: absolute,
    IMG_ENC: absolute.replace(/:/g, '&#58;').replace(/\//g, '&#x2F;'),
    IMG_REL: `/mock/image.png?key=${key}`,
    IMG_PR: absolute.replace(/^https?:/, ''),
  };
}

function fill(markdown: string, origin: string, key: string): string {
  const urls = imageUrls(origin, key);
  return markdown.replace(/\{\{(IMG(?:_ENC|_REL|_PR)?)\}\}/g, (_, name: string) => urls[name] ?? '');
}


function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

function settled(element: LlmStreamElement): Promise<void> {
  return new Promise((resolve, reject) => {
    element.addEventListener('llm-done', () => resolve(), { once: true });
    element.addEventListener('llm-error', (event) => reject((event as CustomEvent<{ error: Error }>).detail.error), { once: true });
  });
}

interface Run {
  element: LlmStreamElement;
  problems: string[];
  batches: number;
}

/** Push mode at random splits: pieces of 1–12 characters, a frame after about half of them. */
async function pushRun(mode: Mode, attributes: Record<string, string>, markdown: string, seed: number, origins: Set<string>): Promise<Run> {
  const element = createElement({ manual: '', sanitizer: mode, ...attributes });
  await element.updateComplete;
  const watcher = watch(element, origins);
  const done = settled(element);
  const random = seededRandom(seed);
  for (let i = 0; i < markdown.length;) {
    const size = 1 + Math.floor(random() * 12);
    element.write(markdown.slice(i, i + size));
    i += size;
    if (random() < 0.5) await frame();
  }
  element.end();
  await done;
  await frame();
  expect(element.sinkMode, 'sink mode').to.equal(mode);
  return { element, ...watcher.stop() };
}

/** The same text from the mock LLM (OpenAI wire format, ~4 characters per event). */
async function mockRun(mode: Mode, attributes: Record<string, string>, markdown: string, origins: Set<string>): Promise<Run> {
  const element = createElement({ manual: '', sanitizer: mode, ...attributes });
  await element.updateComplete;
  const watcher = watch(element, origins);
  await element.start({ url: mockUrl({ tps: 'max', text: markdown }) });
  await frame();
  expect(element.sinkMode, 'sink mode').to.equal(mode);
  return { element, ...watcher.stop() };
}

async function imageRequests(keys: string[]): Promise<MockRecord[]> {
  const logs = await Promise.all(keys.map((key) => mockLog(key)));
  return logs.flat();
}

const canary = window as unknown as { __llmCanary?: unknown; alert: (message?: unknown) => void };
const alerts: unknown[] = [];
const originalAlert = window.alert;
const allKeys: string[] = [];

function expectNoCanary(context: string): void {
  expect(canary.__llmCanary, `${context}: window.__llmCanary`).to.equal(undefined);
  expect(alerts, `${context}: alert() calls`).to.deep.equal([]);
}

describe('security: attack corpus through the element', function () {
  this.timeout(20000);

  before(() => {
    expect(ATTACKS.length, 'corpus size').to.be.at.least(40);
    canary.alert = (message?: unknown) => void alerts.push(message);
  });
  after(() => {
    canary.alert = originalAlert;
  });
  afterEach(() => document.body.replaceChildren());

  it('the corpus is well-formed: unique titles naming a vector class, a reason each', () => {
    const titles = new Set<string>();
    for (const attack of ATTACKS) {
      expect(attack.title).to.match(/^(scheme|raw-html|mxss|fence|clobbering|css|exfil): \S/);
      expect(attack.why.length, attack.title).to.be.greaterThan(10);
      expect(titles.has(attack.title), `duplicate ${attack.title}`).to.equal(false);
      titles.add(attack.title);
    }
  });

  for (const mode of MODES) {
    describe(`sink: ${mode}`, () => {
      ATTACKS.forEach((attack, index) => {
        it(attack.title, async () => {
          const none = new Set<string>();
          const keys: string[] = [];
          const runs: Array<{ label: string; run: () => Promise<Run> }> = [];
          // Raw HTML reaches the sink only with html="sanitized": that run tests the sink alone. The
          // mock run uses the shipped defaults (html="escape"). Short markdown-syntax payloads get a
          // second split with the defaults (for raw HTML that run would only show escaped text).
          const rawHtml = /^(raw-html|mxss|css):/.test(attack.title);
          const variants: Array<{ html: 'sanitized' | 'escape'; origin: string }> = [
            { html: 'sanitized', origin: SAME_ORIGIN },
            ...(!rawHtml && attack.markdown.length < 160 ? [{ html: 'escape' as const, origin: OTHER_ORIGIN }] : []),
          ];
          variants.forEach((variant, v) => {
            const key = uniqueKey('sec');
            keys.push(key);
            const seed = hash(`${mode}|${attack.title}|${v}`);
            const text = fill(attack.markdown, variant.origin, key);
            runs.push({
              label: `push html=${variant.html} seed=${seed} origin=${variant.origin}`,
              run: () => pushRun(mode, { html: variant.html }, text, seed, none),
            });
          });
          const mockKey = uniqueKey('sec');
          keys.push(mockKey);
          const mockText = fill(attack.markdown, index % 2 ? SAME_ORIGIN : OTHER_ORIGIN, mockKey);
          runs.push({ label: 'mock html=escape (defaults)', run: () => mockRun(mode, {}, mockText, none) });
          allKeys.push(...keys);

          for (const { label, run } of runs) {
            const result = await run();
            expect(result.problems, `${attack.title} [${label}]`).to.deep.equal([]);
            expect(result.batches, `${attack.title} [${label}] mutation batches`).to.be.greaterThan(0);
            expect(result.element.status, label).to.equal('done');
            expectNoCanary(`${attack.title} [${label}]`);
            result.element.remove();
          }
          if (attack.markdown.includes('{{IMG')) {
            const requests = await imageRequests(keys);
            expect(requests.map((r) => r.url), `${attack.title}: image requests`).to.deep.equal([]);
          }
        });
      });
    });
  }

  it('after a grace period: no request from any attack reached the mock, and no canary fired', async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const requests = await imageRequests(allKeys);
    expect(requests.map((r) => r.url)).to.deep.equal([]);
    expectNoCanary('end of corpus');
  });
});

describe('security: image policy controls', function () {
  this.timeout(20000);
  afterEach(() => document.body.replaceChildren());

  for (const mode of MODES) {
    it(`${mode}: with image-origins="self" a same-origin image loads — exactly one request, one <img>`, async () => {
      const key = uniqueKey('ok');
      const url = `${SAME_ORIGIN}/mock/image.png?key=${key}`;
      const origins = new Set([SAME_ORIGIN]);
      const run = await pushRun(mode, { 'image-origins': 'self' }, `Before ![ok](${url}) after.\n\nMore text.`, hash(`${mode}|ok`), origins);
      expect(run.problems).to.deep.equal([]);
      const images = Array.from(run.element.shadowRoot?.querySelectorAll('img') ?? []);
      expect(images.length).to.equal(1);
      const image = images[0] as HTMLImageElement;
      expect(image.getAttribute('src')).to.equal(url);
      expect(image.alt).to.equal('ok');
      await image.decode();
      expect(image.naturalWidth).to.equal(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Partial URLs seen mid-stream would have logged a prefix of the key (or none): count those too.
      const everything = (await (await fetch('/mock/log')).json()) as MockRecord[];
      const mine = everything.filter((r) => r.route === 'image' && (r.key === null || key.startsWith(r.key)) && r.url.includes('/mock/image.png'));
      expect(mine.map((r) => r.url)).to.deep.equal([`/mock/image.png?key=${key}`]);
    });

    it(`${mode}: image-origins="self" does not allow the other origin; the blocked image is a link with its alt text`, async () => {
      const key = uniqueKey('other');
      const url = `${OTHER_ORIGIN}/mock/image.png?key=${key}`;
      const run = await pushRun(mode, { 'image-origins': 'self' }, `![chart](${url})`, hash(`${mode}|other`), new Set([SAME_ORIGIN]));
      expect(run.problems).to.deep.equal([]);
      const content = run.element.shadowRoot?.querySelector('[part="content"]') as HTMLElement;
      expect(content.querySelector('img')).to.equal(null);
      const link = content.querySelector('a') as HTMLAnchorElement;
      expect(link.getAttribute('href')).to.equal(url);
      expect(link.textContent).to.equal('chart');
      expect(link.getAttribute('rel')).to.equal(REL);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await mockLog(key)).to.deep.equal([]);
    });

    it(`${mode}: an allow-listed cross-origin image loads`, async () => {
      const key = uniqueKey('cross');
      const url = `${OTHER_ORIGIN}/mock/image.png?key=${key}`;
      const run = await mockRun(mode, { 'image-origins': OTHER_ORIGIN }, `![x](${url})`, new Set([OTHER_ORIGIN]));
      expect(run.problems).to.deep.equal([]);
      const image = run.element.shadowRoot?.querySelector('img') as HTMLImageElement;
      expect(image.getAttribute('src')).to.equal(url);
      await image.decode();
      expect((await mockLog(key)).length).to.equal(1);
    });

    it(`${mode}: a data: image is blocked by default and renders its alt text`, async () => {
      const run = await mockRun(mode, {}, 'A ![pixel](data:image/gif;base64,R0lGODlhAQABAAAAACw=) here', new Set());
      expect(run.problems).to.deep.equal([]);
      const content = run.element.shadowRoot?.querySelector('[part="content"]') as HTMLElement;
      expect(content.querySelector('img')).to.equal(null);
      expect(content.textContent).to.include('pixel');
    });

    it(`${mode}: links get rel="${REL}" and relative, mailto, http(s) links stay`, async () => {
      const run = await mockRun(mode, {}, '[a](https://example.com/) [b](/relative) [c](mailto:x@example.com) [d](ftp://example.com/)', new Set());
      expect(run.problems).to.deep.equal([]);
      const links = Array.from(run.element.shadowRoot?.querySelectorAll('a[href]') ?? []);
      expect(links.map((l) => l.textContent)).to.deep.equal(['a', 'b', 'c']);
      for (const link of links) expect(link.getAttribute('rel')).to.equal(REL);
    });
  }
});
