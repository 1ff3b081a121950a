/**
 * One stream inside the worker, as wiring: I/O (fetch, page-owned byte streams, push mode), time
 * (timeouts, retries, the batching timer) and the sink. What the answer computes from the decoded
 * events — redaction, pacing, markdown, metrics, how it ends — is the pure pipeline in `src/answer/`.
 */
import type { Remote } from 'comlink';
import { releaseProxy } from 'comlink';
import { createAnswerPipeline, type AnswerEnding, type AnswerPipeline } from '../src/answer/answer-pipeline.js';
import { createStreamDecoder } from '../src/decoding/stream-decoder.js';
import { loadHighlighter } from './highlighter-loader.js';
import { loadOptionalScript } from './optional-script.js';
import type { MathSyntax } from '../src/markdown/math-syntax.js';
import { useNamedReferences } from '../src/markdown/url-policy.js';
import { bundledExtras, bundledNamedReference } from './bundled-extras.js';
import { useAdapterLoader } from '../src/decoding/providers/index.js';
import type { WorkerExtras } from './worker-extras.js';
import type { AttemptFailure } from '../src/transport/retry-policy.js';
import { prepareRequest } from '../src/transport/stream-request.js';
import { LlmStreamError } from '../src/errors.js';
import type { ProviderEvent } from '../src/types.js';
import type { PushEnding, PushEvent, StreamMessage, StreamOptions, StreamSink, StreamSource } from './protocol.js';

export interface StreamSession {
  /** Push mode: more of the response. */
  write(events: PushEvent[]): void;
  /** Push mode: the response is complete (or ends as `ending` says). */
  end(ending?: PushEnding): void;
  abort(): void;
}

const now = (): number => performance.now();
/** The math file at `url`, loaded (once per worker) by the first text with a math opener. */
const mathLoader = (url: string) => (): MathSyntax | null => loadOptionalScript<MathSyntax>(url, 'llmStreamMath');

/** The page is hidden: nobody watches an answer type, so pacing releases everything. */
let pageHidden = false;
export function setPageHidden(hidden: boolean): void {
  pageHidden = hidden;
}
/** The most bytes one step of decoding and rendering takes from a network read. */
const READ_SLICE = 64 * 1024;
/** Push mode takes the parts of a response, never control events (`end`, `error`) from the page. */
const PUSHABLE = new Set<string>(['text', 'reasoning', 'tool-call', 'source']);

/** Thrown inside the session to end it with a typed error; never leaves the session. */
class SessionFailure extends Error {
  constructor(readonly error: LlmStreamError) {
    super(error.message);
  }
}

export function createStreamSession(
  source: StreamSource,
  options: StreamOptions,
  sink: Remote<StreamSink>,
  onClose: () => void,
): StreamSession {
  // Pacing, redaction and the full named-reference table: in the worker, or (CDN build) from a file
  // beside it, loaded by the streams that use them.
  const loadExtras = (): WorkerExtras | null =>
    bundledExtras ?? (options.extrasUrl ? loadOptionalScript<WorkerExtras>(options.extrasUrl, 'llmStreamWorkerExtras') : null);
  const extras = options.pacing !== 'none' || options.redact?.patterns.length ? loadExtras() : null;
  // Files beside the optional stages' one (CDN build): the full named-reference table, the less
  // common formats' adapters. Each loads the first time a stream needs it.
  const beside = <T>(file: string, global: string): T | null =>
    options.extrasUrl ? loadOptionalScript<T>(new URL(file, options.extrasUrl).href, global) : null;
  useNamedReferences((name) => (bundledNamedReference ?? beside<(name: string) => string | undefined>('llm-stream.entities.js', 'llmStreamEntities'))?.(name));
  useAdapterLoader(() => beside('llm-stream.formats.js', 'llmStreamFormats'));
  let pipeline: AnswerPipeline;
  let startError: LlmStreamError | null = null;
  const pipelineOptions = {
    markdown: options.markdown,
    pacing: options.pacing,
    ...(options.pricing ? { pricing: options.pricing } : {}),
    highlight: options.highlight ? loadHighlighter(options.highlight.url) : null,
    ...(options.math ? { math: mathLoader(options.math.url) } : {}),
    ...(extras ?? {}),
    now,
  };
  try {
    pipeline = createAnswerPipeline({ ...pipelineOptions, ...(options.redact ? { redact: options.redact } : {}) });
  } catch (thrown) {
    // Redaction could not load: never show the unredacted answer. The stream fails before it starts.
    startError = thrown instanceof LlmStreamError ? thrown : new LlmStreamError('worker', String(thrown));
    pipeline = createAnswerPipeline(pipelineOptions);
  }

  let closed = false;
  let queue: StreamMessage[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let lastFlush = 0;
  let controller: AbortController | null = null;
  /** Why the current fetch was aborted by us (timeouts), so the abort is reported as what it is. */
  let abortCause: LlmStreamError | null = null;

  const post = (message: StreamMessage): void => {
    queue.push(message);
    scheduleFlush();
  };

  /** A batch the page has not taken in yet: what follows waits and goes with the next one. */
  let inFlight = false;
  const send = (): void => {
    if (queue.length === 0 || closed || inFlight) return;
    const batch = queue;
    queue = [];
    inFlight = true;
    sink.receive(batch).then(
      () => {
        inFlight = false;
        send();
      },
      () => {
        /* the page went away; nothing to tell */
      },
    );
  };

  /** Send the pipeline's messages with whatever is queued; close when the pipeline closed. */
  const deliver = (messages: StreamMessage[]): void => {
    queue.push(...messages);
    send();
    if (pipeline.closed) close();
  };

  /** The batching timer fired: one batch from the pipeline, and another timer while pacing holds text. */
  const flush = (): void => {
    flushTimer = null;
    if (closed) return;
    lastFlush = now();
    deliver(pipeline.flush(pageHidden));
    if (!closed && pipeline.pending > 0) scheduleFlush();
  };

  const scheduleFlush = (): void => {
    if (flushTimer !== null || closed) return;
    flushTimer = setTimeout(flush, Math.max(0, options.batchMs - (now() - lastFlush)));
  };

  const close = (): void => {
    if (closed) return;
    // The last batch goes now, taken in or not.
    inFlight = false;
    send();
    closed = true;
    if (flushTimer !== null) clearTimeout(flushTimer);
    onClose();
    // Let the last batch reach the page before the proxy's port is closed.
    setTimeout(() => sink[releaseProxy](), 0);
  };

  const finish = (ending: AnswerEnding): void => {
    if (!closed) deliver(pipeline.end(ending));
  };

  const fail = (error: LlmStreamError): void => {
    if (!closed) deliver(pipeline.fail(error));
  };

  /** Returns true when the format's end marker arrived (the stream is complete). */
  const onProviderEvent = (event: ProviderEvent): boolean => {
    const outcome = pipeline.push(event);
    switch (outcome.kind) {
      case 'accepted':
        if (outcome.render) scheduleFlush();
        return false;
      case 'complete':
        return true;
      case 'failed':
        throw new SessionFailure(outcome.error);
    }
  };

  /** Decode a body to its end (or to its end marker). */
  const consume = async (
    body: ReadableStream<Uint8Array>,
    contentType: string | null,
    headers: Record<string, string>,
    resetIdle: () => void,
  ): Promise<void> => {
    let complete = false;
    const events: ProviderEvent[] = [];
    const decoder = createStreamDecoder({
      format: options.format,
      contentType,
      headers,
      ...(options.maxEventSize ? { maxEventSize: options.maxEventSize } : {}),
      onEvent: (event) => events.push(event),
    });
    const reader = body.getReader();
    let formatReported = false;
    const drainEvents = (): void => {
      if (!formatReported && decoder.format) {
        formatReported = true;
        post({ kind: 'format', format: decoder.format });
      }
      for (const event of events.splice(0)) {
        if (onProviderEvent(event)) complete = true;
      }
    };
    try {
      for (;;) {
        resetIdle();
        const { done, value } = await reader.read();
        if (closed) return;
        if (done) break;
        // A huge read (a whole long answer at once) is decoded and rendered in bounded slices, each
        // sent as its own batch, so the page gets the answer progressively and no flush is unbounded.
        for (let at = 0; at < value.length && !complete && !closed; at += READ_SLICE) {
          if (at > 0) {
            if (flushTimer !== null) clearTimeout(flushTimer);
            flush();
            await new Promise((resolve) => setTimeout(resolve, 0));
            if (closed) return;
          }
          decoder.feed(value.length <= READ_SLICE ? value : value.subarray(at, at + READ_SLICE));
          drainEvents();
        }
        if (complete) break;
      }
      if (!complete) {
        const ending = decoder.end();
        drainEvents();
        if (!complete && ending.complete) complete = true;
        if (!complete) {
          finish({ status: 'incomplete', reason: ending.reason ?? 'the body ended before the end marker' });
          return;
        }
      }
      finish({ status: 'done' });
    } finally {
      // After the end marker or an error, stop reading: the server sees the connection close.
      reader.cancel().catch(() => {});
    }
  };

  const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });

  const runFetch = async (request: Extract<StreamSource, { kind: 'fetch' }>): Promise<void> => {
    const prepared = prepareRequest(request.request, request.baseUrl);
    const lifetime = new AbortController();
    controller = lifetime;
    for (let attempt = 0; ; attempt++) {
      const attemptController = new AbortController();
      const onLifetimeAbort = (): void => attemptController.abort();
      lifetime.signal.addEventListener('abort', onLifetimeAbort, { once: true });
      let timer: ReturnType<typeof setTimeout> | null = null;
      const arm = (ms: number, what: string): void => {
        if (timer !== null) clearTimeout(timer);
        timer = setTimeout(() => {
          abortCause = new LlmStreamError('timeout', `no ${what} for ${ms} ms`);
          attemptController.abort();
        }, ms);
      };
      let failure: { error: LlmStreamError; retry: AttemptFailure | null } | null = null;
      try {
        arm(options.firstByteTimeoutMs, 'response from the server');
        const response = await fetch(prepared.url, {
          method: prepared.method,
          headers: prepared.headers,
          body: prepared.body,
          credentials: prepared.credentials,
          signal: attemptController.signal,
          cache: 'no-store',
        });
        if (!response.ok) {
          // What a failure needs comes with the optional stages (CDN build: loaded now, once).
          const extras = loadExtras();
          const retryAfterMs = extras?.parseRetryAfter((name) => response.headers.get(name), Date.now());
          const body = await response.text().catch(() => '');
          const detail = extras ? extras.summarizeErrorBody(body) : '';
          const error = new LlmStreamError('http', `HTTP ${response.status}${detail ? `: ${detail}` : ''}`, {
            status: response.status,
            ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
          });
          failure = {
            error,
            retry: { kind: 'http', status: response.status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
          };
        } else if (!response.body) {
          failure = { error: new LlmStreamError('protocol', 'the response has no body'), retry: null };
        } else {
          const headers: Record<string, string> = {};
          response.headers.forEach((value, name) => (headers[name] = value));
          post({ kind: 'open', status: response.status, contentType: response.headers.get('content-type') });
          await consume(response.body, response.headers.get('content-type'), headers, () =>
            arm(options.idleTimeoutMs, 'data'),
          );
          return;
        }
      } catch (thrown) {
        if (closed) return;
        if (thrown instanceof SessionFailure) failure = { error: thrown.error, retry: null };
        else if (abortCause) failure = { error: abortCause, retry: pipeline.answerShown ? null : { kind: 'network' } };
        else {
          const message = thrown instanceof Error ? thrown.message : String(thrown);
          failure = { error: new LlmStreamError('network', `network error: ${message}`), retry: { kind: 'network' } };
        }
      } finally {
        if (timer !== null) clearTimeout(timer);
        lifetime.signal.removeEventListener('abort', onLifetimeAbort);
        abortCause = null;
      }
      if (closed) return;
      const extras = failure.retry ? loadExtras() : null;
      const delay = extras && failure.retry
        ? extras.retryDelay(failure.retry, attempt + 1, pipeline.answerShown, { ...extras.defaultRetryOptions, ...options.retry })
        : null;
      if (delay === null) {
        if (pipeline.answerShown && failure.error.code !== 'provider' && failure.error.code !== 'protocol') {
          fail(
            new LlmStreamError(failure.error.code, `${failure.error.message} — the answer was cut off`, failure.error.toData()),
          );
        } else fail(failure.error);
        return;
      }
      post({ kind: 'retry', attempt: attempt + 1, delayMs: delay, error: failure.error.toData() });
      await sleep(delay, lifetime.signal);
      if (closed) return;
    }
  };

  const runBytes = async (bytes: Extract<StreamSource, { kind: 'bytes' }>): Promise<void> => {
    post({ kind: 'open', status: 200, contentType: bytes.contentType });
    await consume(bytes.stream, bytes.contentType, bytes.headers ?? {}, () => {});
  };

  const guard = (work: Promise<void>): void => {
    work.catch((thrown: unknown) => {
      if (closed) return;
      if (thrown instanceof SessionFailure) fail(thrown.error);
      else fail(new LlmStreamError('protocol', thrown instanceof Error ? thrown.message : String(thrown)));
    });
  };

  if (startError) fail(startError);
  else if (source.kind === 'fetch') guard(runFetch(source));
  else if (source.kind === 'bytes') guard(runBytes(source));
  else post({ kind: 'open', status: 200 });

  return {
    write(events) {
      if (closed || source.kind !== 'push') return;
      for (const event of events) if (PUSHABLE.has(event.type)) onProviderEvent(event);
    },
    end(ending) {
      if (source.kind !== 'push' || closed) return;
      if (ending?.usage) pipeline.push({ type: 'usage', usage: ending.usage });
      if (ending?.status === 'error') fail(LlmStreamError.from(ending.error));
      else if (ending?.status === 'incomplete') finish({ status: 'incomplete', reason: ending.reason ?? '', ...(ending.finishReason ? { finishReason: ending.finishReason } : {}) });
      else finish({ status: 'done', finishReason: ending?.finishReason ?? 'stop' });
    },
    abort() {
      if (closed) return;
      closed = true;
      if (flushTimer !== null) clearTimeout(flushTimer);
      controller?.abort();
      if (source.kind === 'bytes') source.stream.cancel().catch(() => {});
      onClose();
      sink[releaseProxy]();
    },
  };
}
