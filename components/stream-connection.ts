/**
 * The running stream of one <llm-stream>, as a Lit ReactiveController: the worker handle, push-mode
 * buffering, abort, worker death, the inbox of worker messages applied once per frame, and settling
 * the `start()` promise. The element owns attributes, events' names and the shell; this file owns
 * what happens between `start()` and the promise settling.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { proxy, transfer } from 'comlink';
import { LlmStreamError } from '../src/errors.js';
import { compactBacklog } from '../src/answer/messages.js';
import type { Metrics, Source, StreamRequest, StreamResult, StreamStatus, ToolCall } from '../src/types.js';
import type { PatchMessage, PushEnding, PushEvent, StreamMessage, StreamOptions, StreamSink, StreamSource } from '../worker/protocol.js';
import { createDomPatcher, type DomPatcher } from './dom-patcher.js';
import { scheduleFrameJob } from './frame-scheduler.js';
import { createHtmlSink, type HtmlSink, type HtmlSinkOptions, type SinkMode } from './html-sink.js';
import { llmEvent } from './events.js';
import type { Recorder, Recording } from './recorder.js';
import type { ExtrasModule } from './extras-loader.js';
import type { PartsData, ResponseParts } from './response-parts.js';
import type { LlmStreamStrings } from './strings.js';
import { getWorker, type WorkerHandle } from './worker-client.js';

/** What the connection needs from its element. */
export interface StreamConnectionHost extends ReactiveControllerHost, HTMLElement {
  /** The content container the patcher owns; undefined before the first render. */
  readonly contentContainer: HTMLElement | undefined;
  /** Options for the worker and for the sink, read when a stream opens. */
  connectionOptions(): { stream: StreamOptions; sink: HtmlSinkOptions };
  /** Decorate freshly inserted nodes (code-block toolbars). */
  decorate(nodes: readonly Node[]): void;
  /** Politely announce a message (start, end, stop); '' clears. */
  announce(message: string): void;
  /** Called after patches were applied (auto-scroll follows). */
  applied(): void;
  /** A status change the shell shows now (aria-busy, error block). */
  statusChanged(): void;
  readonly strings: LlmStreamStrings;
  /** Keep a recording of each stream (the `record` attribute). */
  readonly record: boolean;
  /** The extras, loaded on first use (with their styles in place). */
  extras(): ExtrasModule | Promise<ExtrasModule>;
  /** An empty marker where the answer ends; undefined before the first render. */
  readonly endMarker: HTMLElement | undefined;
}

export const EMPTY_METRICS: Metrics = { ttftMs: 0, totalMs: 0, outputTokens: 0, tokensPerSecond: 0, tpotMs: 0, reasoningMs: 0 };
/** One frame at 60 Hz: patches are applied at most about this often. */
const FRAME_MS = 16;
/**
 * DOM work one frame may do: a huge batch (one network read of a whole long answer) goes on in the
 * next frame instead of blocking this one. At least one patch is applied per frame.
 */
const APPLY_BUDGET_MS = 8;
/**
 * The style and layout to come for the HTML applied, charged to the frame's budget per character:
 * on the bench's 1 MB answer, 55 KB of committed blocks applied in 6 ms of script cost the frame 45
 * ms more of style and layout.
 */
const RENDER_MS_PER_CHAR = 1 / 2048;
/** A long answer whose end is out of view (and a hidden page) is patched (checked) this often; at once when its end comes into view. */
const OUT_OF_VIEW_MS = 100;

let nextStreamId = 1;

interface RunningStream {
  id: number;
  resolve: (result: StreamResult) => void;
  reject: (error: LlmStreamError) => void;
  /** Push mode: what waits for the next microtask, so per-token writes cost one message. */
  pushBuffer: PushEvent[];
  pushEnded: boolean;
  pushEnding?: PushEnding;
  worker: Promise<WorkerHandle>;
  offDeath: (() => void) | null;
}

export class StreamConnection implements ReactiveController {
  status: StreamStatus = 'idle';
  text = '';
  result: StreamResult | null = null;
  metrics: Metrics = EMPTY_METRICS;
  errorMessage = '';

  #running: RunningStream | null = null;
  #patcher: DomPatcher | null = null;
  /** The patcher must start from an empty container at the next apply (a new stream). */
  #freshPatcher = true;
  #sink: HtmlSink | null = null;
  /** The DOM of reasoning, tool calls and sources (from the extras, loaded on first use). */
  #parts: ResponseParts | null = null;
  /** Their data, kept here so that `result` is exact whatever has rendered. */
  #partsData: PartsData = { reasoning: '', toolCalls: [], sources: [] };
  /** The extras could not load: parts keep their data but are not shown. */
  #extrasFailed = false;
  #linkTarget: string | null = null;
  #recorder: Recorder | null = null;
  /** The running stream records (`record`); its recorder comes with the extras. */
  #recording_ = false;
  #openedAt = 0;
  #inbox: StreamMessage[] = [];
  /**
   * Settle the worker's delivery: its batch is applied (or held for a hidden page). One at a time:
   * the worker sends the next batch only then (settling twice is harmless).
   */
  #take: () => void = () => {};
  #frameQueued = false;
  #lastApply = -Infinity;
  /** The style and layout this frame's applied HTML will cost, in ms (RENDER_MS_PER_CHAR). */
  #charged = 0;

  constructor(private readonly host: StreamConnectionHost) {
    host.addController(this);
  }

  /**
   * Is the end of the answer in view (clipping by scroll containers counts)? Watched on the end
   * marker; while it is not, nothing that changes at the end can be seen.
   */
  #endInView = true;
  /** Called when the end comes into view. */
  #onEndInView: (() => void) | null = null;
  #endObserver: IntersectionObserver | null = null;

  /** Messages that arrived before the first render are applied once the container exists. */
  hostUpdated(): void {
    const marker = this.host.endMarker;
    // (Observing a target again is a no-op.)
    if (marker) {
      (this.#endObserver ??= new IntersectionObserver((entries) => {
        this.#endInView = entries[entries.length - 1]!.isIntersecting;
        if (this.#endInView) this.#onEndInView?.();
      })).observe(marker);
    }
    if (this.#inbox.length > 0 && !this.#frameQueued) this.#scheduleFrame();
  }

  hostDisconnected(): void {
    // A framework moving the element re-connects it in the same task: keep the stream then.
    setTimeout(() => {
      if (!this.host.isConnected && this.#running) this.abort();
    }, 0);
  }

  /** True while a push-mode stream accepts writes. */
  get acceptsPush(): boolean {
    return this.#running !== null && !this.#running.pushEnded;
  }

  /** The sink mode in use; null before the first stream. */
  get sinkMode(): SinkMode | null {
    return this.#sink?.mode ?? null;
  }

  #setStatus(status: StreamStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.host.statusChanged();
  }

  open(source: StreamSource, request: StreamRequest): Promise<StreamResult> {
    if (this.#running) this.abort();
    this.reset();
    const id = nextStreamId++;
    const worker = getWorker();
    let running!: RunningStream;
    const promise = new Promise<StreamResult>((resolve, reject) => {
      running = { id, resolve, reject, pushBuffer: [], pushEnded: false, worker, offDeath: null };
    });
    this.#running = running;
    const { stream: options, sink: sinkOptions } = this.host.connectionOptions();
    this.#sink = createHtmlSink(sinkOptions);
    this.#linkTarget = options.markdown.linkTarget;
    this.#recorder = null;
    this.#recording_ = this.host.record;
    this.#openedAt = performance.now();
    this.#freshPatcher = true;
    this.#setStatus('connecting');
    this.host.dispatchEvent(llmEvent('llm-start', { request }));
    this.host.announce(this.host.strings.started);

    const sink: StreamSink = {
      receive: (messages) => {
        if (this.#running?.id !== id) return;
        // While taken in, the worker keeps what follows (see StreamSink).
        const taken = new Promise<void>((resolve) => (this.#take = resolve));
        this.#inbox.push(...messages);
        this.#scheduleFrame();
        // In view, taken in at once (waiting for the apply cost a frame of latency); held for an
        // answer out of view (or a hidden page), taken in when it wakes.
        if (!this.#onEndInView) this.#take();
        return taken;
      },
    };
    worker.then(
      (handle) => {
        if (this.#running?.id !== id) return;
        running.offDeath = handle.onDeath((error) => this.#fail(id, error));
        // A page-owned byte stream moves into the worker (transferred, not cloned).
        const sent = source.kind === 'bytes' ? transfer(source, [source.stream as unknown as Transferable]) : source;
        return handle.api.open(id, sent, options, proxy(sink));
      },
      (error: unknown) => {
        this.#fail(id, error instanceof LlmStreamError ? error : new LlmStreamError('worker', String(error)));
      },
    ).catch((error: unknown) => this.#fail(id, new LlmStreamError('worker', error instanceof Error ? error.message : String(error))));
    return promise;
  }

  /** Push mode: feed parts of a response; opens a push stream if none accepts writes. */
  push(events: PushEvent[]): void {
    if (events.length === 0) return;
    if (!this.acceptsPush) void this.open({ kind: 'push' }, {}).catch(() => {});
    const running = this.#running;
    if (!running) return;
    const buffer = running.pushBuffer;
    if (buffer.length === 0) queueMicrotask(() => this.#sendPush(running));
    for (const event of events) {
      const last = buffer[buffer.length - 1];
      // Per-token writes of one channel travel as one event.
      if ((event.type === 'text' || event.type === 'reasoning') && last?.type === event.type) last.text += event.text;
      else buffer.push({ ...event });
    }
  }

  /** The last stream's recording (with `record`), or null. */
  get recording(): Recording | null {
    return this.#recorder?.recording ?? null;
  }

  /** The parts so far (empty before a stream carried any). */
  get reasoning(): string {
    return this.#partsData.reasoning;
  }
  get toolCalls(): ToolCall[] {
    return this.#partsData.toolCalls.map((call) => ({ ...call }));
  }
  get sources(): Source[] {
    return this.#partsData.sources.map((source) => ({ ...source }));
  }

  /** A result that ends here (abort, error): the text and parts as shown. */
  #localResult(finishReason: StreamResult['finishReason'], status: StreamResult['status'], metrics: Metrics): StreamResult {
    this.#parts?.finish(metrics);
    return { text: this.text, finishReason, metrics, status, reasoning: this.reasoning, toolCalls: this.toolCalls, sources: this.sources };
  }

  end(ending?: PushEnding): void {
    const running = this.#running;
    if (!running || running.pushEnded) return;
    running.pushEnded = true;
    if (ending) running.pushEnding = ending;
    queueMicrotask(() => this.#sendPush(running));
  }

  abort(): void {
    if (!this.#running) return;
    this.#drainInbox();
    const running = this.#stopRunning();
    if (!running) return;
    this.#setStatus('aborted');
    const result = this.#localResult('abort', 'aborted', this.metrics);
    this.result = result;
    if (this.#recorder) this.#recorder.recording.result = result;
    this.host.dispatchEvent(llmEvent('llm-abort', { text: this.text }));
    this.host.announce(this.host.strings.stopped);
    running.resolve(result);
  }

  reset(): void {
    this.#stopRunning()?.resolve(this.#localResult('abort', 'aborted', this.metrics));
    this.#inbox = [];
    this.#patcher?.clear();
    this.#parts?.clear();
    this.#parts = null;
    this.#partsData = { reasoning: '', toolCalls: [], sources: [] };
    this.text = '';
    this.result = null;
    this.metrics = EMPTY_METRICS;
    this.errorMessage = '';
    this.#setStatus('idle');
  }

  #sendPush(running: RunningStream): void {
    const events = running.pushBuffer.splice(0);
    const ended = running.pushEnded;
    void running.worker.then((handle) => {
      if (events.length > 0) void handle.api.write(running.id, events);
      if (ended) void handle.api.end(running.id, running.pushEnding);
    });
  }

  /** The patcher for the current stream, once the content container exists. */
  #currentPatcher(): DomPatcher | null {
    const target = this.host.contentContainer;
    if (!target || !this.#sink) return null;
    if (!this.#patcher || this.#freshPatcher) {
      target.replaceChildren();
      this.#patcher = createDomPatcher(target, this.#sink, (nodes) => this.host.decorate(nodes));
      this.#parts?.clear();
      this.#parts = null;
      this.#freshPatcher = false;
    }
    return this.#patcher;
  }

  /**
   * A batch with reasoning, tool calls or sources waits for the extras that render them, and so does
   * a recording stream's first batch (its recorder comes with them), and highlighted code (its colours
   * are in the extras' styles; a streaming block is highlighted before any block is decorated).
   */
  #extrasPending(): Promise<unknown> | null {
    const needed = (this.#recording_ && !this.#recorder) || this.#inbox.some((m) => m.kind === 'patch' && (m.reasoning || m.toolCalls || m.sources || m.patches.some((p) => (p as { html?: string }).html?.includes(' hljs"'))));
    if (this.#extrasFailed || !needed) return null;
    const extras = this.host.extras();
    if (!(extras instanceof Promise)) {
      if (this.#recording_) this.#recorder ??= new extras.Recorder(this.#openedAt);
      return null;
    }
    return extras.catch(() => (this.#extrasFailed = true));
  }

  #scheduleFrame(): void {
    const ending = this.#inbox.some((m) => m.kind === 'end' || m.kind === 'error');
    // An ending does not wait for the slow tick of an answer out of view (below).
    if (this.#frameQueued) return void (ending && this.#onEndInView?.());
    const waiting = this.#sink?.ready ?? this.#extrasPending();
    if (waiting) {
      // The sanitizer is still loading: hold patches back rather than render anything unsanitized.
      this.#frameQueued = true;
      void waiting.then(() => {
        this.#frameQueued = false;
        this.#scheduleFrame();
      });
      return;
    }
    // Before the first render there is no container: hostUpdated() schedules the frame then.
    if (!this.host.contentContainer) return;
    // A hidden page is not painted: patches batch until it is visible again (then one frame applies
    // them all), checked a few times a second. Nor is the end of a long answer that lies out of
    // view (the reader scrolled up, or it runs on below the fold): its patches batch, applied ten
    // times a second (the page's scroll height keeps growing) and all at once when its end comes
    // into view. Every frame's style, layout and paint for a change nobody sees was most of
    // a long answer's main-thread time. An ending applies at once, so the promise settles.
    const hidden = document.hidden;
    if (!ending && (hidden || (!this.#endInView && this.#patcher?.long))) {
      // Hidden: the worker goes on sending (an ending must arrive); out of view, it waits for this batch.
      if (hidden) this.#take();
      this.#frameQueued = true;
      const wake = (): void => {
        clearTimeout(timer);
        document.removeEventListener('visibilitychange', wake);
        this.#onEndInView = null;
        // In a frame: applied from here, the next frame would render this and its own share of the backlog.
        if (!document.hidden) return scheduleFrameJob(this.#frameJob);
        this.#frameQueued = false;
        this.#scheduleFrame();
      };
      const timer = setTimeout(wake, OUT_OF_VIEW_MS);
      document.addEventListener('visibilitychange', wake);
      this.#onEndInView = wake;
      return;
    }
    // Leading edge: if nothing was applied for a frame's time, apply now instead of waiting up to a
    // frame for the next rAF (that wait was most of the chunk → DOM latency). Later batches within
    // the same frame interval go to the shared frame loop, so it stays about one apply per frame.
    if (performance.now() - this.#lastApply >= FRAME_MS) {
      this.#applyInbox();
      return;
    }
    this.#frameQueued = true;
    scheduleFrameJob(this.#frameJob);
  }

  #frameJob = (): void => {
    this.#frameQueued = false;
    this.#applyInbox();
  };

  #applyInbox(): void {
    this.#take();
    this.#lastApply = performance.now();
    this.#applyMessages();
    this.host.applied();
  }

  /**
   * Apply patches; a failure of rendering ends the stream with a typed `worker` error, never `done`
   * (returns false). Patches are applied one by one until `deadline` passes (the HTML's rendering to
   * come counted), and what is left is returned as a message for the next frame.
   */
  #applyPatches(message: PatchMessage, deadline: number): PatchMessage | null | false {
    this.text += message.text;
    this.metrics = message.metrics;
    try {
      const patcher = this.#currentPatcher();
      let count = 0;
      for (const patch of message.patches) {
        if (count && performance.now() + this.#charged > deadline) break;
        patcher?.apply([patch]);
        count++;
        this.#charged += ('html' in patch ? patch.html.length : 0) * RENDER_MS_PER_CHAR;
      }
      this.#applyParts(message);
      return count < message.patches.length ? { kind: 'patch', patches: message.patches.slice(count), text: '', metrics: message.metrics } : null;
    } catch (thrown) {
      const running = this.#running;
      // Stop the worker's side too: nothing more of this stream can be shown.
      if (running) void running.worker.then((handle) => handle.api.abort(running.id)).catch(() => {});
      if (running) this.#fail(running.id, new LlmStreamError('worker', `rendering failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`), false);
      return false;
    }
  }

  #applyMessages(): void {
    const running = this.#running;
    const messages = this.#inbox;
    this.#inbox = [];
    if (!running) return;
    compactBacklog(messages);
    let delta = '';
    const flushDelta = (): void => {
      if (delta) this.host.dispatchEvent(llmEvent('llm-delta', { text: delta }));
      delta = '';
    };
    const started = performance.now();
    this.#charged = 0;
    for (let index = 0; index < messages.length; index++) {
      const message = messages[index]!;
      if (message.kind === 'patch' && index > 0 && performance.now() + this.#charged - started > APPLY_BUDGET_MS) {
        // This frame's budget is spent: the rest (the ending too, which follows it) waits for the next.
        this.#inbox = [...messages.slice(index), ...this.#inbox];
        flushDelta();
        this.#frameQueued = true;
        scheduleFrameJob(this.#frameJob);
        return;
      }
      this.#recorder?.message(message);
      switch (message.kind) {
        case 'open':
          this.#setStatus('streaming');
          break;
        case 'patch': {
          this.#setStatus('streaming');
          delta += message.text;
          // One huge batch is applied over several frames: its rest is the next message.
          const rest = this.#applyPatches(message, started + APPLY_BUDGET_MS);
          if (rest) messages.splice(index + 1, 0, rest);
          if (rest === false) {
            // The text is kept exactly, also what arrived after the failure.
            for (const later of messages.slice(index + 1)) if (later.kind === 'patch') this.text += later.text;
            return;
          }
          break;
        }
        case 'retry':
          this.host.dispatchEvent(llmEvent('llm-retry', {
            attempt: message.attempt,
            delayMs: message.delayMs,
            error: LlmStreamError.from(message.error),
          }));
          break;
        case 'redact':
          this.host.dispatchEvent(llmEvent('llm-redact', { count: message.count }));
          break;
        case 'end': {
          flushDelta();
          this.#finishRunning();
          const result = { ...message.result, text: this.text };
          this.#parts?.finish(result.metrics);
          this.result = result;
          this.metrics = result.metrics;
          this.#setStatus(result.status === 'done' ? 'done' : 'incomplete');
          this.host.dispatchEvent(llmEvent('llm-done', result));
          this.host.announce(this.host.strings.complete);
          running.resolve(result);
          return;
        }
        case 'error': {
          flushDelta();
          this.metrics = message.metrics;
          this.result = {
            ...this.#localResult('error', 'incomplete', message.metrics),
            ...(message.usage ? { usage: message.usage } : {}),
          };
          this.#fail(running.id, LlmStreamError.from(message.error));
          return;
        }
      }
    }
    flushDelta();
  }

  #fail(id: number, error: LlmStreamError, drain = true): void {
    const running = this.#running;
    if (!running || running.id !== id) return;
    // Patches that arrived before the failure still render: nothing received is lost.
    if (drain) this.#drainInbox();
    this.#finishRunning();
    this.errorMessage = error.message;
    if (this.#recorder) {
      this.#recorder.add('meta', JSON.stringify({ error: error.toData() }));
      this.#recorder.recording.result = this.result;
    }
    this.#setStatus('error');
    this.host.dispatchEvent(llmEvent('llm-error', { error, text: this.text }));
    // The error itself is announced assertively by its role="alert" block.
    this.host.announce('');
    running.reject(error);
  }

  /** Reasoning, tool calls and sources of one batch: their data and events, and their DOM (both from the extras). */
  #applyParts(message: PatchMessage): void {
    if (!message.reasoning && !message.toolCalls && !message.sources) {
      if (this.text && this.#parts) this.#parts.apply(message, this.text);
      return;
    }
    const target = this.host.contentContainer;
    const data = this.#partsData;
    const show = (extras: ExtrasModule): void => {
      if (!this.#parts && target && this.#sink) this.#parts = new extras.ResponseParts(this.host, target, this.#sink, this.#linkTarget);
      this.#parts?.apply(message, this.text);
      extras.foldParts(data, message, this.host);
    };
    const extras = this.host.extras();
    // Batches wait for the extras (extrasPending); only a batch drained by an abort may come first.
    if (extras instanceof Promise) void extras.then((loaded) => data === this.#partsData && loaded.foldParts(data, message, this.host), () => {});
    else show(extras);
  }

  /** Apply the running stream's queued patches right away (before an abort or failure settles it). */
  #drainInbox(): void {
    const pending = this.#inbox;
    this.#inbox = [];
    for (const message of pending) {
      if (message.kind !== 'patch') continue;
      this.#recorder?.message(message);
      this.text += message.text;
      this.metrics = message.metrics;
      try {
        this.#currentPatcher()?.apply(message.patches);
        this.#applyParts(message);
      } catch {
        /* already failing: `text` stays exact, the DOM keeps what it has */
      }
    }
  }

  /** End the running stream here and in the worker (which aborts its fetch); returns it, to settle. */
  #stopRunning(): RunningStream | null {
    const running = this.#running;
    if (!running) return null;
    this.#finishRunning();
    void running.worker.then((handle) => handle.api.abort(running.id)).catch(() => {});
    return running;
  }

  #finishRunning(): void {
    const running = this.#running;
    if (!running) return;
    running.offDeath?.();
    this.#running = null;
  }
}
