/**
 * One stream inside the worker: I/O (fetch, page-owned byte streams, push mode), time (timeouts,
 * retries, batching) and the pure pipeline from `src/` (decoder → redaction → pacing → markdown).
 */
import type { Remote } from 'comlink';
import { releaseProxy } from 'comlink';
import { createStreamDecoder } from '../src/decoding/stream-decoder.js';
import { createMarkdownEngine } from '../src/markdown/markdown-engine.js';
import { loadHighlighter } from './highlighter-loader.js';
import { createMetricsTracker } from '../src/answer/metrics.js';
import { createPacer } from '../src/answer/pacer.js';
import { createRedactor, type Redactor } from '../src/answer/redactor.js';
import { defaultRetryOptions, parseRetryAfter, retryDelay, type AttemptFailure } from '../src/transport/retry-policy.js';
import { prepareRequest } from '../src/transport/stream-request.js';
import { LlmStreamError } from '../src/errors.js';
import type { FinishReason, Patch, ProviderEvent, StreamResult } from '../src/types.js';
import type { StreamMessage, StreamOptions, StreamSink, StreamSource } from './protocol.js';

export interface StreamSession {
  write(text: string): void;
  end(): void;
  abort(): void;
}

const now = (): number => performance.now();

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
  const startMs = now();
  const retryOptions = { ...defaultRetryOptions, ...options.retry };
  const metrics = createMetricsTracker(startMs, options.pricing);
  const engine = createMarkdownEngine({
    ...options.markdown,
    highlight: options.highlight ? loadHighlighter(options.highlight.url) : null,
  });
  const pacer = createPacer(options.pacing);
  const redactor: Redactor | null = options.redact?.patterns.length
    ? createRedactor({ patterns: options.redact.patterns, replacement: options.redact.replacement })
    : null;
  let redactedReported = 0;

  let closed = false;
  let answerShown = false;
  let finishReason: FinishReason = 'unknown';
  let queue: StreamMessage[] = [];
  let pendingText = '';
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let lastFlush = 0;
  let controller: AbortController | null = null;
  /** Why the current fetch was aborted by us (timeouts), so the abort is reported as what it is. */
  let abortCause: LlmStreamError | null = null;

  const post = (message: StreamMessage): void => {
    queue.push(message);
    scheduleFlush();
  };

  const send = (): void => {
    if (queue.length === 0 || closed) return;
    const batch = queue;
    queue = [];
    sink.receive(batch).catch(() => {
      /* the page went away; nothing to tell */
    });
  };

  /** Move text through redaction and pacing into the markdown engine; produce one patch message. */
  const flush = (final: boolean): void => {
    flushTimer = null;
    if (closed) return;
    lastFlush = now();
    const text = final ? pacer.drain() : pacer.take(lastFlush);
    if (text) {
      engine.write(text);
      pendingText += text;
    }
    let patches: Patch[];
    try {
      patches = final ? [...engine.flush(), ...engine.end()] : engine.flush();
    } catch (thrown) {
      // A bug in rendering must not look like a finished answer: end the stream with a `worker`
      // error (closing it, so no later flush runs). The raw text still reaches `text`; the page
      // keeps what was already rendered.
      queue.push({ kind: 'patch', patches: [], text: pendingText, metrics: metrics.snapshot(now()) });
      pendingText = '';
      queue.push({
        kind: 'error',
        error: { code: 'worker', message: `rendering failed: ${thrown instanceof Error ? thrown.message : String(thrown)}` },
        finishReason: 'error',
        metrics: metrics.snapshot(now(), true),
      });
      send();
      close();
      return;
    }
    if (patches.length > 0 || pendingText) {
      queue.push({ kind: 'patch', patches, text: pendingText, metrics: metrics.snapshot(now()) });
      pendingText = '';
    }
    if (redactor && redactor.count !== redactedReported) {
      redactedReported = redactor.count;
      queue.push({ kind: 'redact', count: redactor.count });
    }
    send();
    if (!final && pacer.pending > 0) scheduleFlush();
  };

  const scheduleFlush = (): void => {
    if (flushTimer !== null || closed) return;
    flushTimer = setTimeout(() => flush(false), Math.max(0, options.batchMs - (now() - lastFlush)));
  };

  const acceptText = (raw: string): void => {
    const text = redactor ? redactor.push(raw) : raw;
    metrics.text(raw, now());
    answerShown = true;
    if (text) pacer.push(text);
    scheduleFlush();
  };

  const close = (): void => {
    if (closed) return;
    closed = true;
    if (flushTimer !== null) clearTimeout(flushTimer);
    onClose();
    // Let the last batch reach the page before the proxy's port is closed.
    setTimeout(() => sink[releaseProxy](), 0);
  };

  /** The stream is ending: release what redaction and pacing held back, and render it all. */
  const settleText = (): void => {
    if (redactor) {
      const rest = redactor.flush();
      if (rest) pacer.push(rest);
    }
    flush(true);
  };

  const finish = (status: 'done' | 'incomplete', reason?: string): void => {
    if (closed) return;
    settleText();
    if (closed) return;
    const result: StreamResult = {
      text: engine.text,
      finishReason,
      metrics: metrics.snapshot(now(), true),
      status,
    };
    const usage = metrics.mergedUsage;
    if (usage) result.usage = usage;
    if (reason) result.reason = reason;
    queue.push({ kind: 'end', result });
    send();
    close();
  };

  const fail = (error: LlmStreamError): void => {
    if (closed) return;
    settleText();
    if (closed) return;
    const message: StreamMessage = {
      kind: 'error',
      error: error.toData(),
      finishReason: 'error',
      metrics: metrics.snapshot(now(), true),
    };
    const usage = metrics.mergedUsage;
    if (usage) message.usage = usage;
    queue.push(message);
    send();
    close();
  };

  /** Returns true when the format's end marker arrived (the stream is complete). */
  const onProviderEvent = (event: ProviderEvent): boolean => {
    switch (event.type) {
      case 'text':
        if (event.text) acceptText(event.text);
        return false;
      case 'usage':
        metrics.usage(event.usage);
        return false;
      case 'finish':
        finishReason = event.reason;
        return false;
      case 'error':
        throw new SessionFailure(
          new LlmStreamError(event.code, event.message, event.providerType ? { providerType: event.providerType } : {}),
        );
      case 'end':
        return true;
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
    const drainEvents = (): void => {
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
        decoder.feed(value);
        drainEvents();
        if (complete) break;
      }
      if (!complete) {
        const ending = decoder.end();
        drainEvents();
        if (!complete && ending.complete) complete = true;
        if (!complete) {
          finish('incomplete', ending.reason ?? 'the body ended before the end marker');
          return;
        }
      }
      finish('done');
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
          const retryAfterMs = parseRetryAfter((name) => response.headers.get(name), Date.now());
          const detail = await readErrorBody(response);
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
          post({ kind: 'open', status: response.status });
          await consume(response.body, response.headers.get('content-type'), headers, () =>
            arm(options.idleTimeoutMs, 'data'),
          );
          return;
        }
      } catch (thrown) {
        if (closed) return;
        if (thrown instanceof SessionFailure) failure = { error: thrown.error, retry: null };
        else if (abortCause) failure = { error: abortCause, retry: answerShown ? null : { kind: 'network' } };
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
      const delay = failure.retry ? retryDelay(failure.retry, attempt + 1, answerShown, retryOptions) : null;
      if (delay === null) {
        if (answerShown && failure.error.code !== 'provider' && failure.error.code !== 'protocol') {
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
    post({ kind: 'open', status: 200 });
    await consume(bytes.stream, bytes.contentType, bytes.headers ?? {}, () => {});
  };

  const guard = (work: Promise<void>): void => {
    work.catch((thrown: unknown) => {
      if (closed) return;
      if (thrown instanceof SessionFailure) fail(thrown.error);
      else fail(new LlmStreamError('protocol', thrown instanceof Error ? thrown.message : String(thrown)));
    });
  };

  if (source.kind === 'fetch') guard(runFetch(source));
  else if (source.kind === 'bytes') guard(runBytes(source));
  else post({ kind: 'open', status: 200 });

  return {
    write(text) {
      if (!closed && source.kind === 'push' && text) acceptText(text);
    },
    end() {
      if (source.kind === 'push') {
        finishReason = 'stop';
        finish('done');
      }
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

/** The first 500 characters of an error body, preferring the provider's own message. */
async function readErrorBody(response: Response): Promise<string> {
  let text = '';
  try {
    text = (await response.text()).slice(0, 2000);
  } catch {
    return '';
  }
  try {
    const json: unknown = JSON.parse(text);
    const message = findMessage(json);
    if (message) return message.slice(0, 500);
  } catch {
    /* not JSON: use the text */
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}

function findMessage(json: unknown): string | null {
  if (typeof json !== 'object' || json === null) return typeof json === 'string' ? json : null;
  const record = json as Record<string, unknown>;
  if (typeof record.message === 'string') return record.message;
  if (typeof record.error === 'string') return record.error;
  if (record.error) return findMessage(record.error);
  return null;
}
