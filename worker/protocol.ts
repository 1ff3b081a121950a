/**
 * The wire contract between the element (main thread) and the worker. Types only: `components/`
 * imports this file for types and never pulls worker code into the page bundle.
 *
 * Comlink carries the control plane (open, write, end, abort, ping); each stream gets one proxied
 * sink that receives batched messages, about one call per animation frame.
 */
import type { FinishReason, MarkdownOptions, ProviderEvent, StreamErrorData, StreamFormat, StreamRequest, Usage } from '../src/types.js';
import type { StreamMessage } from '../src/answer/messages.js';
import type { Pricing } from '../src/answer/metrics.js';
import type { RetryOptions } from '../src/transport/retry-policy.js';

export type Pacing = 'none' | 'smooth' | 'word' | 'sentence';

/**
 * How a push stream ends. Default: `done` with `stop`. A replayed recording ends as it ended when it
 * was recorded: `incomplete` with its reason, or `error` with its error, and with its usage.
 */
export type PushEnding =
  | { status: 'done' | 'incomplete'; finishReason?: FinishReason; reason?: string; usage?: Usage }
  | { status: 'error'; error: StreamErrorData; usage?: Usage };

/** What push mode feeds: the parts of a response a page obtained itself (any SDK, a UIMessage). */
export type PushEvent = Extract<ProviderEvent, { type: 'text' | 'reasoning' | 'tool-call' | 'source' }>;

/** Everything the worker needs to run one stream. Structured-clone safe. */
export interface StreamOptions {
  format: StreamFormat;
  markdown: MarkdownOptions;
  /** No response headers within this many ms → `timeout`. */
  firstByteTimeoutMs: number;
  /** No byte for this many ms once the body flows → `timeout`. */
  idleTimeoutMs: number;
  /** Overrides of the SDK-like defaults (`defaultRetryOptions`); the page usually sends only `maxRetries`. */
  retry: Partial<RetryOptions>;
  pacing: Pacing;
  /** Minimum ms between two batches to the page (≈ one frame). */
  batchMs: number;
  pricing?: Pricing;
  /** Regex sources (flags `g` implied) whose matches are replaced before rendering. */
  redact?: { patterns: string[]; replacement: string };
  /** Max size of one event/line in the decoder. */
  maxEventSize?: number;
  /** URL of the worker's optional stages (pacing other than `none`, redaction), loaded when a stream uses them. */
  extrasUrl?: string;
  /**
   * Highlight fenced code — committed blocks whole, the growing block line by line — with the
   * highlighter script at `url`, loaded by the first fenced code that names a language (once per worker).
   */
  highlight?: { url: string };
  /** Render math with the math script at `url`, loaded once per worker when a text first holds `$`, `\(` or `\[`. */
  math?: { url: string };
}

/** One message from the worker about one stream (pure data, defined beside the pipeline that makes it). */
export type { StreamMessage, PatchMessage } from '../src/answer/messages.js';

export interface StreamSink {
  /**
   * Settles once the page has taken the batch in (applied it, or is holding it for a hidden page);
   * the worker sends the next batch only then, so a page that applies less often (an answer whose end
   * is out of view) also receives less often.
   */
  receive(messages: StreamMessage[]): void | Promise<void>;
}

/** A request for the worker: a URL to fetch, or a page-owned byte stream, or push mode. */
export type StreamSource =
  | { kind: 'fetch'; request: StreamRequest; baseUrl: string }
  | { kind: 'bytes'; stream: ReadableStream<Uint8Array>; contentType: string | null; headers?: Record<string, string> }
  | { kind: 'push' };

/** The API the worker exposes over Comlink. */
export interface WorkerApi {
  /** Answers at once; the main thread's start-up check and watchdog use it. */
  ping(): number;
  open(id: number, source: StreamSource, options: StreamOptions, sink: StreamSink): void;
  /** Push mode: more of the response (text, reasoning, tool-call changes, sources), in order. */
  write(id: number, events: PushEvent[]): void;
  /** Push mode: the response is complete (or ends as `ending` says). */
  end(id: number, ending?: PushEnding): void;
  /** Stop a stream: aborts its fetch; no message for `id` is sent afterwards. */
  abort(id: number): void;
  /** How many streams are live (tests use it to prove cleanup). */
  activeStreams(): number;
  /** The page became hidden or visible: while hidden, pacing releases everything at once. */
  setHidden(hidden: boolean): void;
}
