import { proxy, transfer } from 'comlink';
import { LlmStreamError } from '../src/errors.js';
import type { Metrics, StreamFormat, StreamRequest, StreamResult, StreamStatus } from '../src/types.js';
import type { Pacing, StreamMessage, StreamOptions, StreamSink, StreamSource } from '../worker/protocol.js';
import type { Pricing } from '../src/answer/metrics.js';
import { createAutoScroller, type AutoScroller } from './auto-scroll.js';
import { decorateCodeBlocks } from './code-blocks.js';
import { createDomPatcher, type DomPatcher } from './dom-patcher.js';
import { scheduleFrameJob } from './frame-scheduler.js';
import { createHtmlSink, type HtmlSink, type SinkMode } from './html-sink.js';
import { llmEvent } from './events.js';
import { styles } from './llm-stream.styles.js';
import { ElementBase, reflectProperties, type ReflectedProperty } from './reflected-properties.js';
import { getWorker, workerSettings, type WorkerHandle } from './worker-client.js';

let nextStreamId = 1;

const EMPTY_METRICS: Metrics = { ttftMs: 0, totalMs: 0, outputTokens: 0, tokensPerSecond: 0, tpotMs: 0 };
const DEFAULT_TIMEOUT_MS = 30_000;
/** Automatic retries before any text was shown, like the official SDKs (the worker owns the rest of the policy). */
const DEFAULT_MAX_RETRIES = 2;
/** One frame at 60 Hz: the element applies patches at most about this often. */
const FRAME_MS = 16;

/** Every user-visible string, replaceable for localization. */
export interface LlmStreamStrings {
  /** Announced politely when a response starts. */
  started: string;
  /** Announced politely when a response ends. */
  complete: string;
  /** Announced when the reader stops a response. */
  stopped: string;
  /** Label of the retry button under an error. */
  retry: string;
  /** Label of a code block's copy button, and its confirmation. */
  copy: string;
  copied: string;
}

const DEFAULT_STRINGS: LlmStreamStrings = {
  started: 'Response started',
  complete: 'Response complete',
  stopped: 'Response stopped',
  retry: 'Retry',
  copy: 'Copy',
  copied: 'Copied',
};

interface RunningStream {
  id: number;
  resolve: (result: StreamResult) => void;
  reject: (error: LlmStreamError) => void;
  /** Push mode: text waiting for the next microtask, so per-token writes cost one message. */
  pushBuffer: string;
  pushEnded: boolean;
  worker: Promise<WorkerHandle>;
  offDeath: (() => void) | null;
}

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
 * @attr {boolean} highlight - Syntax-highlight committed code blocks in the worker; the highlighter loads only when used.
 *
 * @csspart content - The container of the rendered markdown.
 * @csspart p - Paragraphs. Also: h1–h6, pre, code, table, blockquote, ul, ol, li, a, img, hr.
 * @csspart error - The inline error message under the partial text.
 * @csspart retry-button - The retry button inside the error message.
 * @csspart code-toolbar - The language label and copy button of a code block.
 * @csspart copy-button - A code block's copy button.
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
 * @cssprop --llm-stream-muted-color - Secondary text: a code block's language label and copy button.
 */
export class LlmStreamElement extends ElementBase {
  /** @internal Attributes reflected to properties (the attribute is the source of truth). */
  static readonly properties: Record<string, ReflectedProperty> = {
    src: { attribute: 'src', type: 'string', default: null },
    format: { attribute: 'format', type: 'string', default: 'auto' },
    manual: { attribute: 'manual', type: 'boolean', default: false },
    imageOrigins: { attribute: 'image-origins', type: 'string', default: '' },
    pacing: { attribute: 'pacing', type: 'string', default: 'none' },
    html: { attribute: 'html', type: 'string', default: 'escape' },
    linkTarget: { attribute: 'link-target', type: 'string', default: null },
    sanitizer: { attribute: 'sanitizer', type: 'string', default: 'auto' },
    firstByteTimeout: { attribute: 'first-byte-timeout', type: 'number', default: DEFAULT_TIMEOUT_MS },
    idleTimeout: { attribute: 'idle-timeout', type: 'number', default: DEFAULT_TIMEOUT_MS },
    maxRetries: { attribute: 'max-retries', type: 'number', default: DEFAULT_MAX_RETRIES },
    scrollContainer: { attribute: 'scroll-container', type: 'string', default: 'self' },
    lightDom: { attribute: 'light-dom', type: 'boolean', default: false },
    highlight: { attribute: 'highlight', type: 'boolean', default: false },
  };

  /** @internal */
  static get observedAttributes(): string[] {
    return Object.values(LlmStreamElement.properties).map((property) => property.attribute);
  }

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
  /** Syntax-highlight committed code blocks in the worker (loads `llm-stream.highlight.js` on first use). */
  declare highlight: boolean;

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

  private _statusValue: StreamStatus = 'idle';
  private _errorMessage = '';
  private _text = '';
  private _result: StreamResult | null = null;
  private _metrics: Metrics = EMPTY_METRICS;
  private _running: RunningStream | null = null;
  private _patcher: DomPatcher | null = null;
  private _sink: HtmlSink | null = null;
  private _inbox: StreamMessage[] = [];
  private _frameQueued = false;
  private _lastApply = -Infinity;
  private _content = '';
  private _root: ShadowRoot | HTMLElement | null = null;
  private _contentPart: HTMLElement | null = null;
  private _announcer: HTMLElement | null = null;
  private _errorPart: HTMLElement | null = null;
  private _scroller: AutoScroller | null = null;
  private _lastStart: (() => Promise<StreamResult>) | null = null;
  private _srcChanged = false;
  private _autoStartQueued = false;

  /** Resolves once the element's DOM reflects its state; rendering here is synchronous, so at once. */
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }

  /** The raw markdown received so far. */
  get text(): string {
    return this._text;
  }

  /** `idle` · `connecting` · `streaming` · `done` · `incomplete` · `error` · `aborted`. */
  get status(): StreamStatus {
    return this._statusValue;
  }

  private get _status(): StreamStatus {
    return this._statusValue;
  }
  private set _status(value: StreamStatus) {
    if (value === this._statusValue) return;
    this._statusValue = value;
    this._syncState();
  }

  /** The last stream's result, or null. */
  get result(): StreamResult | null {
    return this._result;
  }

  /** Live metrics of the current stream (final ones are in `result`). */
  get metrics(): Metrics {
    return this._metrics;
  }

  /**
   * Controlled mode: the whole text so far (e.g. from framework state). A value that extends the
   * previous one is appended; anything else re-renders from scratch.
   */
  get content(): string {
    return this._content;
  }
  set content(value: string) {
    const next = value ?? '';
    if (next === this._content) return;
    if (next.startsWith(this._content) && this._running && !this._running.pushEnded) {
      const added = next.slice(this._content.length);
      this.write(added);
      this._content = next;
      return;
    }
    this.reset();
    if (next) this.write(next);
    this._content = next;
  }

  connectedCallback(): void {
    this._ensureRoot();
    this._setupScroller();
    this._syncState();
    this._queueAutoStart();
  }

  disconnectedCallback(): void {
    this._scroller?.dispose();
    this._scroller = null;
    // A framework moving the element re-connects it in the same task: keep the stream then.
    setTimeout(() => {
      if (!this.isConnected && this._running) this.abort();
    }, 0);
  }

  attributeChangedCallback(name: string, previous: string | null, value: string | null): void {
    if (previous === value) return;
    if (name === 'src') {
      this._srcChanged = true;
      this._queueAutoStart();
    } else if (name === 'scroll-container' && this.isConnected) this._setupScroller();
  }

  /** Start from `src` once per change of `src`, after the current task's attribute changes settle. */
  private _queueAutoStart(): void {
    if (this._autoStartQueued) return;
    this._autoStartQueued = true;
    queueMicrotask(() => {
      this._autoStartQueued = false;
      if (!this.isConnected || !this.src || this.manual || !this._srcChanged) return;
      this._srcChanged = false;
      this.start().catch(() => {
        /* reported through llm-error and `status` */
      });
    });
  }

  /** The static shell, built once: content, live region. The error block comes and goes. */
  private _ensureRoot(): ShadowRoot | HTMLElement {
    if (this._root) return this._root;
    let root: ShadowRoot | HTMLElement;
    if (this.hasAttribute('light-dom')) root = this;
    else {
      root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
      root.adoptedStyleSheets = [styles()];
    }
    // A polite live region that is busy while a stream runs: assistive technology holds the changes
    // and reads the finished answer once, never token by token (CONTRACT.md "Rendered DOM").
    const content = createElement('div', { part: 'content', class: 'content', 'aria-live': 'polite' });
    const announcer = createElement('div', { class: 'announcer', role: 'status', 'aria-live': 'polite' });
    // In the light DOM no shadow stylesheet hides it: visually hidden inline (CSSOM, CSP-safe).
    if (root === this) announcer.style.cssText = 'position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap';
    root.append(content, announcer);
    this._root = root;
    this._contentPart = content;
    this._announcer = announcer;
    return root;
  }

  /** Reflect the state: `aria-busy` while streaming; the error block (message + retry) on error. */
  private _syncState(): void {
    const busy = this._statusValue === 'connecting' || this._statusValue === 'streaming';
    for (const target of [this, this._contentPart]) {
      if (!target) continue;
      if (busy) target.setAttribute('aria-busy', 'true');
      else if (target.hasAttribute('aria-busy')) target.removeAttribute('aria-busy');
    }
    const showError = this._statusValue === 'error' && this._errorMessage !== '';
    if (!showError) {
      this._errorPart?.remove();
      this._errorPart = null;
      return;
    }
    if (!this._root) return;
    const block = createElement('div', { part: 'error', class: 'error', role: 'alert' });
    const slot = createElement('slot', { name: 'error' });
    slot.append(createElement('span', { class: 'error-message' }, this._errorMessage));
    if (this._lastStart) {
      const retry = createElement('button', { type: 'button', class: 'retry', part: 'retry-button' }, this.strings.retry);
      retry.addEventListener('click', this._retry);
      slot.append(retry);
    }
    block.append(slot);
    this._errorPart?.remove();
    this._errorPart = block;
    this._root.append(block);
  }

  private _setupScroller(): void {
    this._scroller?.dispose();
    this._scroller = null;
    const spec = (this.scrollContainer || 'self').trim();
    if (spec === 'none' || !this.isConnected) return;
    const container = spec === 'self' ? this : spec === 'document' ? window : this.closest(spec) ?? document.querySelector(spec);
    if (container) this._scroller = createAutoScroller(container);
  }

  private _retry = (): void => {
    this._lastStart?.().catch(() => {
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
      const url = effective.url ?? this.src ?? undefined;
      source = { kind: 'fetch', request: { ...effective, url }, baseUrl: document.baseURI };
    }
    if (source.kind === 'fetch') this._lastStart = () => this.start(request);
    return this._open(source, effective);
  }

  /** Stop the stream. The worker aborts its fetch; the text so far stays. */
  abort(): void {
    if (!this._running) return;
    this._drainInbox();
    const running = this._stopRunning();
    if (!running) return;
    this._status = 'aborted';
    const result: StreamResult = {
      text: this._text,
      finishReason: 'abort',
      metrics: this._metrics,
      status: 'aborted',
    };
    this._result = result;
    this.dispatchEvent(llmEvent('llm-abort', { text: this._text }));
    this._announce(this.strings.stopped);
    running.resolve(result);
  }

  /** Push mode: feed text you obtained yourself. Starts a push stream if none runs. */
  write(text: string): void {
    if (!text) return;
    let running = this._running;
    if (!running || running.pushEnded) {
      void this._open({ kind: 'push' }, {}).catch(() => {});
      running = this._running;
    }
    if (!running) return;
    const wasEmpty = running.pushBuffer === '';
    running.pushBuffer += text;
    if (wasEmpty) queueMicrotask(() => this._sendPush(running));
  }

  /** Push mode: the text is complete. */
  end(): void {
    const running = this._running;
    if (!running || running.pushEnded) return;
    running.pushEnded = true;
    queueMicrotask(() => this._sendPush(running));
  }

  /** Back to `idle`, empty. */
  reset(): void {
    this._stopRunning()?.resolve({ text: this._text, finishReason: 'abort', metrics: this._metrics, status: 'aborted' });
    this._inbox = [];
    this._patcher?.clear();
    this._text = '';
    this._content = '';
    this._result = null;
    this._metrics = EMPTY_METRICS;
    this._errorMessage = '';
    this._status = 'idle';
  }

  private _sendPush(running: RunningStream): void {
    const text = running.pushBuffer;
    running.pushBuffer = '';
    const ended = running.pushEnded;
    void running.worker.then((handle) => {
      if (text) void handle.api.write(running.id, text);
      if (ended) void handle.api.end(running.id);
    });
  }

  private _open(source: StreamSource, request: StreamRequest): Promise<StreamResult> {
    if (this._running) this.abort();
    this.reset();
    const id = nextStreamId++;
    const worker = getWorker();
    let running!: RunningStream;
    const promise = new Promise<StreamResult>((resolve, reject) => {
      running = { id, resolve, reject, pushBuffer: '', pushEnded: false, worker, offDeath: null };
    });
    this._running = running;
    this._status = 'connecting';
    this._ensurePatcher(true);
    this.dispatchEvent(llmEvent('llm-start', { request }));
    this._announce(this.strings.started);
    this._scroller?.pin();

    const options = this._streamOptions();
    const sink: StreamSink = {
      receive: (messages) => {
        if (this._running?.id !== id) return;
        this._inbox.push(...messages);
        this._scheduleFrame();
      },
    };
    worker.then(
      (handle) => {
        if (this._running?.id !== id) return;
        running.offDeath = handle.onDeath((error) => this._fail(id, error));
        // A page-owned byte stream moves into the worker (transferred, not cloned).
        const sent = source.kind === 'bytes' ? transfer(source, [source.stream as unknown as Transferable]) : source;
        return handle.api.open(id, sent, options, proxy(sink));
      },
      (error: unknown) => {
        this._fail(id, error instanceof LlmStreamError ? error : new LlmStreamError('worker', String(error)));
      },
    ).catch((error: unknown) => this._fail(id, new LlmStreamError('worker', error instanceof Error ? error.message : String(error))));
    return promise;
  }

  private _streamOptions(): StreamOptions {
    const origins = (this.imageOrigins ?? '').split(/\s+/).filter(Boolean);
    return {
      format: this.format || 'auto',
      markdown: {
        html: this.html === 'sanitized' ? 'sanitized' : 'escape',
        linkTarget: this.linkTarget || null,
        urls: {
          linkSchemes: ['http', 'https', 'mailto'],
          imageOrigins: origins.map((origin) => (origin === 'self' ? location.origin : origin)),
          allowDataImages: false,
          baseUrl: document.baseURI,
        },
      },
      firstByteTimeoutMs: this.firstByteTimeout || DEFAULT_TIMEOUT_MS,
      idleTimeoutMs: this.idleTimeout || DEFAULT_TIMEOUT_MS,
      retry: { maxRetries: Number.isFinite(this.maxRetries) ? this.maxRetries : DEFAULT_MAX_RETRIES },
      pacing: this.pacing || 'none',
      batchMs: 16,
      ...(this.pricing ? { pricing: this.pricing } : {}),
      ...(this.redact.length ? { redact: { patterns: this.redact, replacement: this.redactReplacement } } : {}),
      maxEventSize: this.maxEventSize,
      // Absolute: the worker's own base URL is a blob: URL that resolves nothing.
      ...(this.highlight ? { highlight: { url: new URL(workerSettings.highlighterUrl, document.baseURI).href } } : {}),
    };
  }

  private _ensurePatcher(fresh: boolean): void {
    this._ensureRoot();
    const target = this._contentPart;
    if (!target) throw new Error('llm-stream: content container missing');
    if (!this._patcher || fresh) {
      const origins = (this.imageOrigins ?? '').split(/\s+/).filter(Boolean);
      this._sink = createHtmlSink({
        mode: this.sanitizer || 'auto',
        linkSchemes: ['http', 'https', 'mailto'],
        imageOrigins: origins,
        allowDataImages: false,
        rawHtml: this.html === 'sanitized',
        linkTarget: this.linkTarget || null,
      });
      target.replaceChildren();
      this._patcher = createDomPatcher(target, this._sink, (nodes) => decorateCodeBlocks(nodes, this.strings));
    }
  }

  /** The sink mode in use (`sanitizer`, `dompurify` or `text`); null before the first stream. */
  get sinkMode(): SinkMode | null {
    return this._sink?.mode ?? null;
  }

  private _scheduleFrame(): void {
    if (this._frameQueued) return;
    const waiting = this._sink?.ready;
    if (waiting) {
      // The sanitizer is still loading: hold patches back rather than render anything unsanitized.
      this._frameQueued = true;
      void waiting.then(() => {
        this._frameQueued = false;
        this._scheduleFrame();
      });
      return;
    }
    // Leading edge: if nothing was applied for a frame's time, apply now instead of waiting up to a
    // frame for the next rAF (that wait was most of the chunk → DOM latency). Later batches within
    // the same frame interval go to the shared frame loop, so it stays about one apply per frame.
    if (performance.now() - this._lastApply >= FRAME_MS) {
      this._applyInbox();
      return;
    }
    this._frameQueued = true;
    scheduleFrameJob(this._frameJob);
  }

  private _frameJob = (): void => {
    this._frameQueued = false;
    this._applyInbox();
  };

  /** Apply everything that arrived, once per frame, then keep the bottom in view. */
  private _applyInbox(): void {
    this._lastApply = performance.now();
    this._applyMessages();
    this._scroller?.follow();
  }

  private _applyMessages(): void {
    const running = this._running;
    const messages = this._inbox;
    this._inbox = [];
    if (!running) return;
    let delta = '';
    for (const message of messages) {
      switch (message.kind) {
        case 'open':
          this._status = 'streaming';
          break;
        case 'patch':
          this._status = 'streaming';
          this._patcher?.apply(message.patches);
          this._text += message.text;
          delta += message.text;
          this._metrics = message.metrics;
          break;
        case 'retry':
          this.dispatchEvent(llmEvent('llm-retry', {
            attempt: message.attempt,
            delayMs: message.delayMs,
            error: LlmStreamError.from(message.error),
          }));
          break;
        case 'redact':
          this.dispatchEvent(llmEvent('llm-redact', { count: message.count }));
          break;
        case 'end': {
          if (delta) this.dispatchEvent(llmEvent('llm-delta', { text: delta }));
          delta = '';
          this._finishRunning();
          const result = { ...message.result, text: this._text };
          this._result = result;
          this._metrics = result.metrics;
          this._status = result.status === 'done' ? 'done' : 'incomplete';
          this.dispatchEvent(llmEvent('llm-done', result));
          this._announce(this.strings.complete);
          running.resolve(result);
          return;
        }
        case 'error': {
          if (delta) this.dispatchEvent(llmEvent('llm-delta', { text: delta }));
          delta = '';
          this._metrics = message.metrics;
          const result: StreamResult = {
            text: this._text,
            finishReason: 'error',
            metrics: message.metrics,
            status: 'incomplete',
            ...(message.usage ? { usage: message.usage } : {}),
          };
          this._result = result;
          this._fail(running.id, LlmStreamError.from(message.error));
          return;
        }
      }
    }
    if (delta) this.dispatchEvent(llmEvent('llm-delta', { text: delta }));
  }

  private _fail(id: number, error: LlmStreamError): void {
    const running = this._running;
    if (!running || running.id !== id) return;
    // Patches that arrived before the failure still render: nothing received is lost.
    this._drainInbox();
    this._finishRunning();
    this._errorMessage = error.message;
    this._statusValue = 'error';
    this._syncState();
    this.dispatchEvent(llmEvent('llm-error', { error, text: this._text }));
    // The error itself is announced assertively by its role="alert" block.
    this._announce('');
    running.reject(error);
  }

  /** Apply the running stream's queued patches right away (before an abort or failure settles it). */
  private _drainInbox(): void {
    const pending = this._inbox;
    this._inbox = [];
    for (const message of pending) {
      if (message.kind !== 'patch') continue;
      this._patcher?.apply(message.patches);
      this._text += message.text;
      this._metrics = message.metrics;
    }
  }

  /** End the running stream here and in the worker (which aborts its fetch); returns it, to settle. */
  private _stopRunning(): RunningStream | null {
    const running = this._running;
    if (!running) return null;
    this._finishRunning();
    void running.worker.then((handle) => handle.api.abort(running.id)).catch(() => {});
    return running;
  }

  private _finishRunning(): void {
    const running = this._running;
    if (!running) return;
    running.offDeath?.();
    this._running = null;
  }

  private _announce(message: string): void {
    if (this._announcer) this._announcer.textContent = message;
  }
}

reflectProperties(LlmStreamElement, LlmStreamElement.properties);

/** An element of the static shell, with its attributes and optional text. */
function createElement<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string>, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}
