/** Shared helpers for browser tests. */
import '../../components/index.js';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import type { LlmStreamEventMap } from '../../components/events.js';
import { createDomPatcher } from '../../components/dom-patcher.js';
import { createHtmlSink } from '../../components/html-sink.js';
import { renderMarkdown } from '../../src/markdown/markdown-engine.js';

export interface MockRecord {
  id: number;
  key: string | null;
  url: string;
  route: string;
  status: number | null;
  closedBy: 'client' | 'server' | null;
  closedAt: number | null;
  startedAt: number;
  completed: boolean;
  bytesSent: number;
  method: string;
  body: string | null;
}

let counter = 0;
/** A key unique to this test run, so a test finds its own requests in the mock's log. */
export function uniqueKey(prefix = 'k'): string {
  return `${prefix}-${Date.now().toString(36)}-${++counter}`;
}

/** URL of the mock LLM's chat endpoint with the given parameters. */
export function mockUrl(params: Record<string, string | number>): string {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  return `/mock/chat?${query}`;
}

export async function mockLog(key: string): Promise<MockRecord[]> {
  const response = await fetch(`/mock/log?key=${encodeURIComponent(key)}`);
  return (await response.json()) as MockRecord[];
}

export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const start = performance.now();
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function nextEvent<K extends keyof LlmStreamEventMap>(target: EventTarget, type: K): Promise<LlmStreamEventMap[K]> {
  return new Promise((resolve) => target.addEventListener(type, (event) => resolve(event as LlmStreamEventMap[K]), { once: true }));
}

/** A fresh <llm-stream> in the document (manual unless attributes say otherwise). */
export function createElement(attributes: Record<string, string> = { manual: '' }): LlmStreamElement {
  const element = document.createElement('llm-stream');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  document.body.append(element);
  return element;
}

export function contentOf(element: LlmStreamElement): HTMLElement {
  const content = element.shadowRoot?.querySelector<HTMLElement>('[part="content"]');
  if (!content) throw new Error('no content part');
  return content;
}

export async function testEnv(): Promise<{ cdnOrigin: string }> {
  return (await (await fetch('/__test-env.json')).json()) as { cdnOrigin: string };
}

/** An element's rendered shadow DOM as markup, without its styles, the announcer, and what depends on time (the seconds of "Thought for N s"). */
export function renderedShadow(element: LlmStreamElement): string {
  return Array.from(element.shadowRoot!.children)
    .filter((node) => node.localName !== 'style' && !node.classList.contains('announcer'))
    .map((node) => node.outerHTML)
    .join('')
    .replace(/Thought for \d+ s/g, 'Thought for N s');
}

/** What the one-shot render of `text` looks like after the same sink (the element's default options). */
export function oneShot(text: string, mode: 'sanitizer' | 'dompurify'): string {
  const sink = createHtmlSink({ mode, linkSchemes: ['http', 'https', 'mailto'], imageOrigins: [], allowDataImages: false, rawHtml: false, linkTarget: null });
  const div = document.createElement('div');
  // Through a patcher, as the element does (it also sets each block's direction).
  createDomPatcher(div, sink).apply([{ op: 'commit', html: renderMarkdown(text, { urls: { linkSchemes: ['http', 'https', 'mailto'], imageOrigins: [], allowDataImages: false, baseUrl: document.baseURI } }) }]);
  return div.innerHTML;
}
