/**
 * The parts of a response beside its text (CONTRACT.md "The whole response"): the reasoning
 * `<details>` before the content, the tool calls between it and the content, and the list of sources
 * after it. Each exists only once the stream carried one. The reasoning is model markdown, so it goes
 * through the same patcher and sink as the content; tool calls and sources are set as text and
 * attributes only (never parsed as HTML), and a source's URL passes the link policy again here.
 */
import { LINK_REL } from '../src/markdown/dom-contract.js';
import type { Metrics, Source, ToolCall } from '../src/types.js';
import type { PatchMessage } from '../worker/protocol.js';
import { createDomPatcher, type DomPatcher } from './dom-patcher.js';
import { llmEvent } from './events.js';
import { withDefaults } from './extras-strings.js';
import type { HtmlSink } from './html-sink.js';
import type { LlmStreamStrings } from './strings.js';

/** What the parts need from the element. */
export interface ResponsePartsHost {
  readonly strings: LlmStreamStrings;
  decorate(nodes: readonly Node[]): void;
}

const element = <K extends keyof HTMLElementTagNameMap>(tag: K, part: string, text?: string): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  node.setAttribute('part', part);
  node.className = part;
  if (text !== undefined) node.textContent = text;
  return node;
};

/** The parts' data so far: what `reasoning`, `toolCalls`, `sources` and a local `result` report. */
export interface PartsData {
  reasoning: string;
  toolCalls: ToolCall[];
  sources: Source[];
}

/** Fold one batch into `data` and fire its events on `target`: new reasoning, a call that appeared or changed its status (or output), a new source. */
export function foldParts(data: PartsData, message: PatchMessage, target: EventTarget): void {
  const { reasoning, toolCalls, sources } = message;
  if (reasoning?.text) {
    data.reasoning += reasoning.text;
    target.dispatchEvent(llmEvent('llm-reasoning', { text: reasoning.text }));
  }
  for (const call of toolCalls ?? []) {
    const index = data.toolCalls.findIndex((known) => known.id === call.id);
    const previous = data.toolCalls[index];
    if (index < 0) data.toolCalls.push(call);
    else data.toolCalls[index] = call;
    if (!previous || previous.status !== call.status || previous.name !== call.name || previous.output !== call.output || previous.error !== call.error) {
      target.dispatchEvent(llmEvent('llm-tool-call', { toolCall: { ...call } }));
    }
  }
  for (const source of sources ?? []) {
    data.sources.push(source);
    target.dispatchEvent(llmEvent('llm-source', { source: { ...source } }));
  }
}

/** JSON text pretty-printed; anything else exactly as sent. */
const pretty = (text: string): string => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

/** The arguments as shown: pretty-printed once complete and valid JSON, else exactly as streamed. */
export function formatArguments(call: ToolCall): string {
  return call.status === 'complete' ? pretty(call.arguments) : call.arguments;
}

/** "Thought for 12 s": whole seconds, at least 1. */
export function thoughtFor(strings: LlmStreamStrings, reasoningMs: number): string {
  return withDefaults(strings).thoughtFor.replace('{seconds}', String(Math.max(1, Math.round(reasoningMs / 1000))));
}

/**
 * The DOM of the parts. Their data is the connection's (`foldParts` keeps it), so `result` holds
 * them whatever has rendered.
 */
export class ResponseParts {
  private details: HTMLDetailsElement | null = null;
  private summary: HTMLElement | null = null;
  private reasoningPatcher: DomPatcher | null = null;
  /** The reader opened or closed the reasoning: it stays as they left it. */
  private toggled = false;
  /** The answer text started (or the stream ended): the model is no longer thinking. */
  private thought = false;
  private calls: HTMLElement | null = null;
  private callNodes = new Map<string, HTMLElement>();
  private list: HTMLOListElement | null = null;
  private shownSources = new Set<string>();

  constructor(
    private readonly host: ResponsePartsHost,
    private readonly content: HTMLElement,
    private readonly sink: HtmlSink,
    private readonly linkTarget: string | null,
  ) {}

  /** Show one batch's parts (after its content patches, in the same frame). */
  apply(message: PatchMessage, textSoFar: string): void {
    const { reasoning, toolCalls, sources } = message;
    if (reasoning) this.showReasoning().apply(reasoning.patches);
    if (this.details && !this.thought && textSoFar) this.finishThinking(message.metrics);
    for (const call of toolCalls ?? []) this.showToolCall(call);
    for (const source of sources ?? []) this.showSource(source);
  }

  /** The stream is over: the summary says how long the model thought. */
  finish(metrics: Metrics): void {
    if (this.details && !this.thought) this.finishThinking(metrics);
  }

  /** Remove every part (a new stream, or `reset()`). */
  clear(): void {
    for (const node of [this.details, this.calls, this.list?.parentElement]) node?.remove();
    this.details = this.summary = this.calls = this.list = null;
    this.reasoningPatcher = null;
    this.callNodes.clear();
    this.shownSources.clear();
    this.toggled = this.thought = false;
  }

  private showReasoning(): DomPatcher {
    if (!this.reasoningPatcher) {
      const details = element('details', 'reasoning');
      const summary = element('summary', 'reasoning-summary', withDefaults(this.host.strings).thinking);
      const body = element('div', 'reasoning-content');
      // A click (or Enter / Space, which click a summary) is the reader's choice, kept from then on.
      summary.addEventListener('click', () => (this.toggled = true));
      details.open = true;
      details.append(summary, body);
      this.content.before(details);
      this.details = details;
      this.summary = summary;
      this.reasoningPatcher = createDomPatcher(body, this.sink, (nodes) => this.host.decorate(nodes));
    }
    return this.reasoningPatcher;
  }

  private finishThinking(metrics: Metrics): void {
    this.thought = true;
    this.summary!.textContent = thoughtFor(this.host.strings, metrics.reasoningMs);
    if (!this.toggled) this.details!.open = false;
  }

  private showToolCall(call: ToolCall): void {
    let node = this.callNodes.get(call.id);
    if (!node) {
      if (!this.calls) {
        this.calls = element('div', 'tool-calls');
        this.content.before(this.calls);
      }
      node = element('details', 'tool-call');
      node.dataset.toolCallId = call.id;
      const summary = element('summary', 'tool-summary');
      summary.append(element('span', 'tool-name'), element('span', 'tool-status'));
      const args = element('pre', 'tool-arguments');
      args.append(document.createElement('code'));
      node.append(summary, args);
      this.calls.append(node);
      this.callNodes.set(call.id, node);
    }
    const strings = withDefaults(this.host.strings);
    node.dataset.status = call.status;
    if (call.error !== undefined) node.dataset.error = '';
    node.querySelector('.tool-name')!.textContent = call.name;
    node.querySelector('.tool-status')!.textContent =
      call.error !== undefined ? strings.toolFailed : call.status === 'streaming' ? strings.toolStreaming : call.status === 'complete' ? strings.toolComplete : strings.toolIncomplete;
    node.querySelector('.tool-arguments > code')!.textContent = formatArguments(call);
    const result = call.error ?? call.output;
    if (result !== undefined) {
      let output = node.querySelector<HTMLElement>('.tool-output');
      if (!output) node.append((output = element('pre', 'tool-output')));
      output.textContent = pretty(result);
    }
  }

  private showSource(source: Source): void {
    let url: URL;
    try {
      url = new URL(source.url);
    } catch {
      return;
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || this.shownSources.has(url.href)) return;
    this.shownSources.add(url.href);
    if (!this.list) {
      const nav = element('nav', 'sources');
      nav.setAttribute('aria-label', withDefaults(this.host.strings).sources);
      this.list = document.createElement('ol');
      nav.append(this.list);
      this.content.after(nav);
    }
    const link = element('a', 'source-link', source.title ?? url.host);
    link.href = url.href;
    link.rel = LINK_REL;
    if (this.linkTarget) link.target = this.linkTarget;
    const item = element('li', 'source');
    item.append(link);
    this.list.append(item);
  }
}
