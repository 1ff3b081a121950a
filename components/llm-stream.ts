import { LitElement, html, nothing, unsafeCSS, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { StreamFormat, StreamRequest, StreamResult, StreamStatus, Metrics, Source, ToolCall } from '../src/types.js';
import type { MessageSnapshot, UIMessageLike } from '../src/decoding/ui-message.js';
import type { Pacing, PushEvent, StreamOptions, StreamSource } from '../worker/protocol.js';
import type { Pricing } from '../src/answer/metrics.js';
import { AutoScrollController } from './auto-scroll.js';
import { moveCaretMark } from './dom-patcher.js';
import { connectionOptions, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, type ElementSettings } from './connection-options.js';
import { loadExtras, type ExtrasModule } from './extras-loader.js';
import type { HtmlSinkOptions, SinkMode } from './html-sink.js';
import { cssText } from './llm-stream.styles.js';
import type { Recording } from './recorder.js';
import { StreamConnection } from './stream-connection.js';
import { DEFAULT_STRINGS, type LlmStreamStrings } from './strings.js';

export type { LlmStreamStrings } from './strings.js';

/** In the light DOM no shadow stylesheet hides the announcer: visually hidden inline (CSSOM, CSP-safe). */
/** In flow, at the end of the answer (it is the end marker too), taking no space: it overlaps the content's last pixel. */
const VISUALLY_HIDDEN = 'width:1px;height:1px;margin-top:-1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap';

/**
 * Renders a streamed LLM response. Fetching, decoding and markdown parsing run in a shared Web Worker;
 * this element applies sanitized DOM patches once per animation frame.
 *
 * @summary Streams an LLM answer as safe, incrementally rendered markdown.
 *
 * @fires llm-start - A stream started. `detail: { request }`.
 * @fires llm-delta - New text arrived (after pacing). `detail: { text }`.
 * @fires llm-done - The stream ended, completely (`status` `done`) or not (`incomplete`). `detail: StreamResult`.
 * @fires llm-error - The stream failed; the partial text stays. `detail: { error: LlmStreamError, text }`.
 * @fires llm-abort - The stream was aborted. `detail: { text }`.
 * @fires llm-retry - A failed request will be retried (only before any text was shown). `detail: { attempt, delayMs, error }`.
 * @fires llm-redact - Redaction patterns matched. `detail: { count }`.
 * @fires llm-reasoning - New reasoning text arrived. `detail: { text }`.
 * @fires llm-tool-call - A tool call appeared or changed its status (or output). `detail: { toolCall }`.
 * @fires llm-source - A new source arrived. `detail: { source }`.
 *
 * @tagname llm-stream
 *
 * @attr {string} src - URL to GET. Setting it on a connected element starts a stream, unless `manual` is present.
 * @attr {string} format - `auto` (default) · `openai` · `openai-completions` · `openai-responses` · `anthropic` · `gemini` · `ollama` · `ai-sdk` · `relay` · `text`.
 * @attr {boolean} manual - Never start by itself.
 * @attr {string} image-origins - Space-separated origins whose images may load (`self` allowed). Default: none.
 * @attr {string} pacing - `none` (default) · `smooth` · `word` · `sentence`.
 * @attr {string} html - Raw HTML in markdown: `escape` (default) · `sanitized`.
 * @attr {string} link-target - `target` of rendered links, e.g. `_blank`. Default: none.
 * @attr {string} sanitizer - Sink sanitizer: `auto` (default) · `sanitizer` · `dompurify` · `text`.
 * @attr {number} first-byte-timeout - Ms to wait for the response to start. Default 30000.
 * @attr {number} idle-timeout - Ms without a byte before the stream times out. Default 30000.
 * @attr {number} max-retries - Automatic retries before any text was shown. Default 2.
 * @attr {string} scroll-container - Auto-scroll container: `self` (default) · `document` · a CSS selector · `none`.
 * @attr {boolean} light-dom - Render into the light DOM (page CSS applies). Set before connecting.
 * @attr {string} highlight - Syntax highlighting of code, also while it streams (in the worker; the highlighter loads with the first fenced code that names a language): `on` (default) · `off`.
 * @attr {string} math - Math (`$…$`, `\(…\)`, `$$…$$`, `\[…\]`) rendered as MathML in the worker; the renderer loads with the first `$`: `on` (default) · `off`.
 * @attr {boolean} record - Keep a recording of each stream in `recording`, for bug reports (`replay()` renders it again).
 * @attr {boolean} diagrams - Draw committed `mermaid` code blocks as SVG (mermaid loads on first use, on the main thread in idle time).
 *
 * @csspart content - The container of the rendered markdown.
 * @csspart p - Paragraphs. Also: h1–h6, pre, code, table, blockquote, ul, ol, li, a, img, hr.
 * @csspart error - The inline error message under the partial text.
 * @csspart retry-button - The retry button inside the error message.
 * @csspart code-toolbar - The language label and copy button of a code block.
 * @csspart copy-button - A code block's copy button.
 * @csspart reasoning - The `<details>` holding the model's reasoning, before the content (only when there is reasoning).
 * @csspart reasoning-summary - Its summary: "Thinking…", then "Thought for N s".
 * @csspart reasoning-content - The reasoning, rendered as markdown.
 * @csspart tool-calls - The container of the tool calls, before the content.
 * @csspart tool-call - One tool call (`<details>`, `data-status` = `streaming` · `complete` · `incomplete`; `data-error` when it failed).
 * @csspart tool-name - A tool call's name. Also: tool-status, tool-arguments, tool-output.
 * @csspart diagram - A drawn mermaid diagram (`<figure>` holding the sanitized SVG; the source stays inside, hidden).
 * @csspart diagram-error - The note under a mermaid block that could not be drawn (its code stays).
 * @csspart sources - The list of sources after the content (only when there are sources). Also: source, source-link.
 *
 * @slot error - Replaces the default error message and retry button.
 *
 * @cssprop --llm-stream-color - Text color.
 * @cssprop --llm-stream-background - Background of the element.
 * @cssprop --llm-stream-font - Font of prose.
 * @cssprop --llm-stream-code-font - Font of code.
 * @cssprop --llm-stream-code-background - Background of code blocks.
 * @cssprop --llm-stream-link-color - Link color.
 * @cssprop --llm-stream-border-color - Borders of tables, quotes and rules.
 * @cssprop --llm-stream-error-color - Color of the error message.
 * @cssprop --llm-stream-caret-color - Color of the streaming caret.
 * @cssprop --llm-stream-muted-color - Secondary text: a code block's language label and copy button, reasoning, tool status.
 * @cssprop --llm-stream-part-background - Background of the reasoning, tool-call and sources blocks.
 */
export class LlmStreamElement extends LitElement implements ElementSettings {
  /** @internal Attributes reflected to properties; defaults do not reflect (`useDefault`). */
  static override properties: PropertyDeclarations = {
    src: { type: String, reflect: true, useDefault: true },
    format: { type: String, reflect: true, useDefault: true },
    manual: { type: Boolean, reflect: true },
    imageOrigins: { type: String, attribute: 'image-origins', reflect: true, useDefault: true },
    pacing: { type: String, reflect: true, useDefault: true },
    html: { type: String, reflect: true, useDefault: true },
    linkTarget: { type: String, attribute: 'link-target', reflect: true, useDefault: true },
    sanitizer: { type: String, reflect: true, useDefault: true },
    firstByteTimeout: { type: Number, attribute: 'first-byte-timeout', reflect: true, useDefault: true },
    idleTimeout: { type: Number, attribute: 'idle-timeout', reflect: true, useDefault: true },
    maxRetries: { type: Number, attribute: 'max-retries', reflect: true, useDefault: true },
    scrollContainer: { type: String, attribute: 'scroll-container', reflect: true, useDefault: true },
    lightDom: { type: Boolean, attribute: 'light-dom', reflect: true },
    highlight: { type: String, reflect: true, useDefault: true },
    record: { type: Boolean, reflect: true },
    math: { type: String, reflect: true, useDefault: true },
    diagrams: { type: Boolean, reflect: true },
  };

  static override styles = unsafeCSS(cssText);

  /** URL to GET. Setting it on a connected element starts a stream, unless `manual` is set. */
  declare src: string | null;
  /** Wire format; `auto` detects it from headers and the first event. */
  declare format: StreamFormat;
  /** Never start by itself. */
  declare manual: boolean;
  /** Space-separated origins whose images may load (`self` allowed). Default: none. */
  declare imageOrigins: string;
  /** How arriving text is released: `none`, `smooth`, `word`, `sentence`. */
  declare pacing: Pacing;
  /** Raw HTML in markdown: `escape` (default, shown as text) or `sanitized` (a safe subset renders). */
  declare html: 'escape' | 'sanitized';
  /** `target` for rendered links (e.g. `_blank`); default none. */
  declare linkTarget: string | null;
  /** Sink sanitizer: `auto` (default), `sanitizer` (setHTML), `dompurify`, or `text`. */
  declare sanitizer: 'auto' | SinkMode;
  /** Ms to wait for the response to start; default 30 000. */
  declare firstByteTimeout: number;
  /** Ms without a byte before the stream times out; default 30 000. */
  declare idleTimeout: number;
  /** Automatic retries before any text was shown; default 2. */
  declare maxRetries: number;
  /**
   * What follows the bottom while an answer grows: `self` (default: this element, when it scrolls),
   * `document` (the page), a CSS selector of an ancestor, or `none` to turn auto-scroll off.
   */
  declare scrollContainer: string;
  /** Render into the light DOM instead of a shadow root, so the page's own prose CSS applies. Set before connecting. */
  declare lightDom: boolean;
  /**
   * Syntax highlighting of code, also while it streams: `on` (default; the bare attribute too) or
   * `off`. Loads `llm-stream.highlight.js` into the worker with the first fenced code that names a language.
   */
  declare highlight: 'on' | 'off';
  /** Keep a recording of each stream in `recording` (for bug reports; see `replay()`). */
  declare record: boolean;
  /** Math rendered as MathML: `on` (default) or `off` (`$` stays text). Loads `llm-stream.math.js` into the worker with the first `$`, `\(` or `\[`. */
  declare math: 'on' | 'off';
  /** Draw committed ```mermaid blocks as SVG diagrams (mermaid loads on first use; see README "Diagrams"). */
  declare diagrams: boolean;

  /** User-visible strings (announcements, buttons), for localization. */
  strings: LlmStreamStrings = { ...DEFAULT_STRINGS };
  /** The request `start()` sends when called without one: `{ url, method, headers, body, credentials }`. */
  request: StreamRequest | null = null;
  /** Optional price table; when set, `metrics.cost` is computed. */
  pricing: Pricing | null = null;
  /** Regex sources redacted before rendering (e.g. emails); see `llm-redact`. */
  redact: string[] = [];
  /** Text shown for each redaction. */
  redactReplacement = '[redacted]';
  /** Largest line, event or NDJSON object accepted (characters); beyond it the stream fails with `protocol`. Default 16 MiB. */
  maxEventSize = 16 * 1024 * 1024;

  readonly #connection = new StreamConnection(this);
  readonly #scroll = new AutoScrollController(this);
  /**
   * A part of the shell: a direct child of the render root with this class, once rendered (the
   * template never replaces it). Direct children only: model content inside the container may carry
   * any class. (Looked up rather than taken with Lit's `ref`, whose directive cost 0.7 KB gzip of the
   * CDN budget.)
   */
  #shell(name: 'content' | 'announcer'): HTMLDivElement | undefined {
    if (!this.hasUpdated) return undefined;
    for (const child of Array.from((this.renderRoot as ParentNode).children)) {
      if (child.localName === 'div' && child.classList.contains(name)) return child as HTMLDivElement;
    }
    return undefined;
  }
  #content = '';
  #message: UIMessageLike | null = null;
  #messageSnapshot: MessageSnapshot | null = null;
  /** A `message` assigned while the extras load (undefined: none waiting). */
  #pendingMessage: UIMessageLike | null | undefined = undefined;
  #extrasStyled = false;
  #lastStart: (() => Promise<StreamResult>) | null = null;
  #srcChanged = false;
  /** What the announcer says (kept for a stream started before the first render). */
  #announcement = '';

  constructor() {
    super();
    // Defaults assigned here (not as class fields, which would shadow Lit's accessors); with
    // `useDefault` they put no attribute on the host, and removing an attribute restores them.
    this.src = null;
    this.format = 'auto';
    this.manual = false;
    this.imageOrigins = '';
    this.pacing = 'none';
    this.html = 'escape';
    this.linkTarget = null;
    this.sanitizer = 'auto';
    this.firstByteTimeout = DEFAULT_TIMEOUT_MS;
    this.idleTimeout = DEFAULT_TIMEOUT_MS;
    this.maxRetries = DEFAULT_MAX_RETRIES;
    this.scrollContainer = 'self';
    this.lightDom = false;
    this.highlight = 'on';
    this.record = false;
    this.math = 'on';
    this.diagrams = false;
  }

  /** The raw markdown received so far. */
  get text(): string {
    return this.#connection.text;
  }

  /** `idle` · `connecting` · `streaming` · `done` · `incomplete` · `error` · `aborted`. */
  get status(): StreamStatus {
    return this.#connection.status;
  }

  /** The last stream's result, or null. */
  get result(): StreamResult | null {
    return this.#connection.result;
  }

  /** Live metrics of the current stream (final ones are in `result`). */
  get metrics(): Metrics {
    return this.#connection.metrics;
  }

  /** The sink mode in use (`sanitizer`, `dompurify` or `text`); null before the first stream. */
  get sinkMode(): SinkMode | null {
    return this.#connection.sinkMode;
  }

  /**
   * Controlled mode: the whole text so far (e.g. from framework state). A value that extends the
   * previous one is appended; anything else re-renders from scratch.
   */
  get content(): string {
    return this.#content;
  }
  set content(value: string) {
    const next = value ?? '';
    if (next === this.#content) return;
    if (next.startsWith(this.#content) && this.#connection.acceptsPush) {
      this.write(next.slice(this.#content.length));
      this.#content = next;
      return;
    }
    this.reset();
    if (next) this.write(next);
    this.#content = next;
  }

  /** The model's reasoning / thinking text so far (`''` if none); never part of `text`. */
  get reasoning(): string {
    return this.#connection.reasoning;
  }

  /** Tool calls so far, in stream order (copies). */
  get toolCalls(): ToolCall[] {
    return this.#connection.toolCalls;
  }

  /** Sources so far, one per URL, in order of first appearance (copies). */
  get sources(): Source[] {
    return this.#connection.sources;
  }

  /**
   * Controlled mode with a Vercel AI SDK `UIMessage` (`{ id, role, parts }`): assign it again as it
   * grows (as `useChat` does). A value that extends the previous one is appended; anything else
   * re-renders. Call `end()` when the message is complete (`useChat`'s status is `ready`).
   */
  get message(): UIMessageLike | null {
    return this.#message;
  }
  set message(value: UIMessageLike | null) {
    const extras = this.extras();
    if (extras instanceof Promise) {
      // Reading messages is in the extras (loaded on first use): each assignment is the whole
      // message, so only the latest one waiting matters.
      const first = this.#pendingMessage === undefined;
      this.#pendingMessage = value;
      if (first) {
        void extras.then(() => {
          const latest = this.#pendingMessage;
          this.#pendingMessage = undefined;
          if (latest !== undefined) this.message = latest;
        }, () => {});
      }
      return;
    }
    const next = extras.snapshotUIMessage(value);
    const previous = this.#messageSnapshot;
    let events = previous && this.#connection.acceptsPush ? extras.diffSnapshots(previous, next) : null;
    if (!events) {
      this.reset();
      events = extras.diffSnapshots({ id: next.id, text: '', reasoning: '', toolCalls: [], sources: [] }, next) ?? [];
    }
    this.#push(events);
    this.#message = value;
    this.#messageSnapshot = next;
  }

  /** Push mode: the response is complete. (After a `message` that waits for the extras, once it is in.) */
  end(): void {
    if (this.#pendingMessage !== undefined) void Promise.resolve(this.extras()).then(() => this.#connection.end(), () => this.#connection.end());
    else this.#connection.end();
  }

  /**
   * With `record`: the last stream as received — `{ version: 1, format, contentType, events:
   * [[ms, channel, text], …], result }`, JSON-serializable (attach it to a bug report). Else null.
   */
  get recording(): Recording | null {
    return this.#connection.recording;
  }

  /**
   * Render a recording again: the same DOM, resolving with the same `StreamResult` (rejecting with
   * the same error). `speed`: 1 (default) at its recorded timing, 2 twice as fast, `Infinity` at once.
   */
  async replay(recording: Recording, { speed = 1 }: { speed?: number } = {}): Promise<StreamResult> {
    const { replay } = await this.extras();
    this.reset();
    this.#scroll.pin();
    return replay(this.#connection, recording, speed);
  }

  /**
   * Put the whole answer on the clipboard: `text/plain` is the markdown, `text/html` the sanitized
   * rendering (without toolbars). Rejects when the clipboard refuses.
   */
  async copy(): Promise<void> {
    return (await this.extras()).copyAnswer(this.text, this.contentContainer);
  }

  /** @internal The container the DOM patcher owns. */
  get contentContainer(): HTMLElement | undefined {
    return this.#shell('content');
  }

  /** @internal Where the answer ends: the announcer, visually hidden in flow after the content and its sources. */
  get endMarker(): HTMLElement | undefined {
    return this.#shell('announcer');
  }

  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    return this.hasAttribute('light-dom') ? this : super.createRenderRoot();
  }

  /**
   * The static shell. Nothing is bound inside the content container: the patcher owns its children
   * (DESIGN.md §4). `aria-busy` sits on the content only, so the announcer, a sibling, is never inside
   * a busy subtree; both it and `aria-busy` are set imperatively (at once, not at the next update).
   */
  protected override render(): unknown {
    const status = this.#connection.status;
    const showError = status === 'error' && this.#connection.errorMessage !== '';
    return html`<div part="content" class="content" aria-live="polite"></div><div class="announcer" role="status" aria-live="polite"></div>${showError
      ? html`<div part="error" class="error" role="alert"><slot name="error"><span class="error-message">${this.#connection.errorMessage}</span>${this.#lastStart
          ? html`<button type="button" class="retry" part="retry-button" @click=${this.#retry}>${this.strings.retry}</button>`
          : nothing}</slot></div>`
      : nothing}`;
  }

  protected override firstUpdated(): void {
    // Through the CSSOM, not a `style` attribute in the template: under a strict CSP (`style-src`
    // without 'unsafe-inline') a style attribute is refused, a CSSOM write is not.
    const announcer = this.#shell('announcer');
    if (announcer && this.renderRoot === this) announcer.style.cssText = VISUALLY_HIDDEN;
    this.announce(this.#announcement);
    this.statusChanged();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('src') && changed.get('src') !== undefined) this.#srcChanged = true;
    this.#queueAutoStart();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The shell exists as soon as the element is in the document (pages and frameworks query its
    // parts right after insertion); later updates stay asynchronous, as Lit's are.
    if (!this.hasUpdated) this.performUpdate();
    if (this.src) this.#srcChanged = this.#srcChanged || this.#connection.status === 'idle';
    this.#queueAutoStart();
  }

  /** Start from `src` once per change of `src`, after the current task's attribute changes settle. */
  #queueAutoStart(): void {
    queueMicrotask(() => {
      if (!this.isConnected || !this.src || this.manual || !this.#srcChanged) return;
      this.#srcChanged = false;
      this.start().catch(() => {
        /* reported through llm-error and `status` */
      });
    });
  }

  #retry = (): void => {
    this.#lastStart?.().catch(() => {
      /* reported through llm-error */
    });
  };

  /**
   * Begin a stream (aborting any running one). Resolves with the result (also for `incomplete`, and
   * with `finishReason: 'abort'` after `abort()`); rejects with an `LlmStreamError` on failure.
   */
  start(request?: StreamRequest & { stream?: ReadableStream<Uint8Array>; contentType?: string }): Promise<StreamResult> {
    const effective: StreamRequest = request ?? this.request ?? { url: this.src ?? undefined };
    let source: StreamSource;
    if (request?.stream) {
      source = { kind: 'bytes', stream: request.stream, contentType: request.contentType ?? null };
    } else {
      source = { kind: 'fetch', request: { ...effective, url: effective.url ?? this.src ?? undefined }, baseUrl: document.baseURI };
      this.#lastStart = () => this.start(request);
    }
    this.#content = '';
    this.#scroll.pin();
    return this.#connection.open(source, effective);
  }

  /** Stop the stream. The worker aborts its fetch; the text so far stays. */
  abort(): void {
    this.#connection.abort();
  }

  /** Push mode: feed text you obtained yourself. Starts a push stream if none runs. */
  write(text: string): void {
    if (text) this.#push([{ type: 'text', text }]);
  }

  /** Push mode: feed reasoning (thinking) text; it renders in the reasoning part, never in `text`. */
  writeReasoning(text: string): void {
    if (text) this.#push([{ type: 'reasoning', text }]);
  }

  #push(events: PushEvent[]): void {
    if (events.length > 0 && !this.#connection.acceptsPush) this.#scroll.pin();
    this.#connection.push(events);
  }


  /** Back to `idle`, empty. */
  reset(): void {
    this.#connection.reset();
    this.#content = '';
    this.#message = null;
    this.#messageSnapshot = null;
    this.#pendingMessage = undefined;
  }

  /** @internal Options for the worker and the sink of a new stream. */
  connectionOptions(): { stream: StreamOptions; sink: HtmlSinkOptions } {
    return connectionOptions(this);
  }


  /** @internal */
  decorate(nodes: readonly Node[]): void {
    // Code blocks and tables get their toolbars from the extras (loaded on first use; the block shows meanwhile).
    if (!nodes.some((node) => node instanceof Element && (node.matches('pre, table') || node.querySelector('pre, table')))) return;
    const apply = (extras: ExtrasModule): void => {
      extras.decorateCodeBlocks(nodes, this.strings);
      extras.decorateTables(nodes, this.strings);
      if (this.diagrams) extras.renderDiagrams(nodes, this, this.strings);
    };
    const extras = this.extras();
    if (extras instanceof Promise) void extras.then(apply, () => {});
    else apply(extras);
  }

  /** @internal The extras (parts, toolbars, message reading), loaded on first use; their styles join this element's. */
  extras(): ExtrasModule | Promise<ExtrasModule> {
    const extras = loadExtras();
    const adopt = (loaded: ExtrasModule): ExtrasModule => {
      if (!this.#extrasStyled) {
        this.#extrasStyled = true;
        loaded.adoptStyles(this.renderRoot);
      }
      return loaded;
    };
    return extras instanceof Promise ? extras.then(adopt) : adopt(extras);
  }

  /** @internal */
  announce(message: string): void {
    this.#announcement = message;
    const announcer = this.#shell('announcer');
    if (announcer) announcer.textContent = message;
  }

  /** @internal */
  applied(): void {
    this.#markCaret(this.#shell('content'));
    this.#scroll.follow();
  }

  /** A stream is connecting or streaming: the content is busy and shows the caret. */
  get #busy(): boolean {
    const status = this.#connection.status;
    return status === 'connecting' || status === 'streaming';
  }

  /** The block the caret's styles hang off (`llm-stream-caret`): the content's last block while busy, none otherwise. */
  #caretBlock: Element | null = null;

  #markCaret(content: HTMLElement | undefined): void {
    const last = this.#busy ? (content?.lastElementChild ?? null) : null;
    if (last === this.#caretBlock) return;
    moveCaretMark(this.#caretBlock, last);
    this.#caretBlock = last;
  }

  /** @internal The shell shows the status at once: `aria-busy` on the content, and (re-rendered) the error block. */
  statusChanged(): void {
    const content = this.#shell('content');
    if (content) {
      if (this.#busy) content.setAttribute('aria-busy', 'true');
      else content.removeAttribute('aria-busy');
      this.#markCaret(content);
    }
    this.requestUpdate();
    // The error block must be there when `llm-error` listeners and the rejected promise look.
    if (this.hasUpdated && this.isConnected) this.performUpdate();
  }
}
