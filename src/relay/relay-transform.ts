/**
 * Provider stream → relay events, on the core decoder. The relay has no parser and no finish-reason
 * table of its own: bytes go through `createStreamDecoder` (the same framing, detection, adapters and
 * end-of-stream rule as the element), and its normalized events are re-encoded. So a client decoding
 * the relay's output with format `relay` sees the ending the core saw upstream:
 *
 * - complete upstream → `{"type":"done","finishReason":…}` with the core's finish reason;
 * - provider/protocol/content-type error → `{"type":"error","message":…}` (status `error`);
 * - incomplete upstream (no end marker, a last event without its blank line, an empty body) →
 *   no `done`: the stream just ends, and the client's decoder reports `incomplete` itself.
 *   (An `error` event would turn `incomplete` into `error`, and the relay format has no event that
 *   carries a finish reason without ending the stream, so an incomplete stream's finish reason — if
 *   the provider sent one before being cut — does not reach the client: it sees `unknown`.)
 */
import { createStreamDecoder, type StreamEnd } from '../decoding/stream-decoder.js';
import type { FinishReason, ProviderEvent, StreamFormat, Usage } from '../types.js';
import type { ProviderKind, RelayEvent } from './types.js';

/** The core format each wire protocol is decoded as. */
const FORMAT_OF_KIND: Readonly<Record<ProviderKind, StreamFormat>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  ollama: 'ollama',
  // Servers called "OpenAI-compatible" differ (and `path`/`url` may point anywhere): detect, as the
  // element does with format="auto".
  compatible: 'auto',
};

/** Options of {@link createRelayTransform} beyond the wire protocol. */
export interface RelayTransformOptions {
  /** The upstream Content-Type (decides SSE vs NDJSON vs a whole JSON/HTML body). */
  contentType?: string | null;
  /** Upstream response headers, names lower-cased. */
  headers?: Record<string, string>;
  /** Decode as this core format instead of the kind's own. */
  format?: StreamFormat;
}

/** An incremental converter from a provider stream to relay events. */
export interface RelayTransform {
  /** Feeds upstream bytes (or text, encoded as UTF-8); returns the relay events they completed. */
  push(chunk: string | Uint8Array): RelayEvent[];
  /** The upstream body ended: flushes; `done` only when the core decoder says the stream is complete. */
  end(): RelayEvent[];
  /** The upstream connection broke: the usage so far and an `error` event (nothing once terminal). */
  fail(message: string): RelayEvent[];
  /** True once `done` was produced. */
  readonly finished: boolean;
  /** True once `done` or `error` was produced: nothing more will follow. */
  readonly terminated: boolean;
  /** How the upstream stream ended, once known (`complete: false` with the core's reason otherwise). */
  readonly ending: StreamEnd | null;
}

/**
 * Incremental converter from a provider stream (by kind) to relay events.
 * Usage is merged (later fields overwrite earlier ones, as the element does) and sent once, right
 * before the stream's last event, with `totalTokens` filled in when both counts are known.
 */
export function createRelayTransform(kind: ProviderKind, options: RelayTransformOptions = {}): RelayTransform {
  let out: RelayEvent[] = [];
  let usage: Usage | null = null;
  let finishReason: FinishReason | null = null;
  let finished = false;
  let terminated = false;
  let ending: StreamEnd | null = null;
  const utf8 = new TextEncoder();

  const flushUsage = (): void => {
    if (!usage) return;
    const merged: Usage = { ...usage };
    if (merged.totalTokens === undefined && merged.inputTokens !== undefined && merged.outputTokens !== undefined) {
      merged.totalTokens = merged.inputTokens + merged.outputTokens;
    }
    out.push({ type: 'usage', usage: merged });
    usage = null;
  };

  const finish = (): void => {
    flushUsage();
    // The core emits a finish before its end event (a synthetic `stop` when the format's end marker
    // carries no reason); only plain text, complete without any, falls back to `unknown`.
    out.push({ type: 'done', finishReason: finishReason ?? 'unknown' });
    finished = true;
    terminated = true;
    ending = { complete: true };
  };

  const failWith = (message: string): void => {
    flushUsage();
    out.push({ type: 'error', message });
    terminated = true;
    ending = { complete: false, reason: message };
  };

  const onEvent = (event: ProviderEvent): void => {
    if (terminated) return;
    switch (event.type) {
      case 'text':
        if (event.text !== '') out.push({ type: 'token', content: event.text });
        return;
      case 'usage':
        usage = { ...usage };
        for (const [name, value] of Object.entries(event.usage) as [keyof Usage, number | undefined][]) {
          if (value !== undefined) usage[name] = value;
        }
        return;
      case 'finish':
        finishReason = event.reason;
        return;
      case 'error':
        failWith(event.message);
        return;
      case 'end':
        finish();
        return;
      case 'reasoning':
        if (event.text !== '') out.push({ type: 'reasoning', content: event.text });
        return;
      case 'tool-call': {
        const { type: _type, error: _error, ...call } = event;
        out.push({ type: 'tool-call', ...call });
        return;
      }
      case 'source':
        out.push({ type: 'source', url: event.url, ...(event.title ? { title: event.title } : {}) });
        return;
    }
  };

  const decoder = createStreamDecoder({
    format: options.format ?? FORMAT_OF_KIND[kind],
    contentType: options.contentType ?? null,
    headers: options.headers ?? {},
    onEvent,
  });

  const take = (): RelayEvent[] => {
    const events = out;
    out = [];
    return events;
  };

  return {
    push(chunk) {
      if (!terminated) decoder.feed(typeof chunk === 'string' ? utf8.encode(chunk) : chunk);
      return take();
    },
    end() {
      if (terminated) return take();
      const result = decoder.end();
      if (!terminated) {
        // Plain text is complete without an end event: the end of the body is the end of the answer.
        if (result.complete) finish();
        else {
          flushUsage();
          ending = result;
        }
      }
      return take();
    },
    fail(message) {
      if (!terminated) failWith(message);
      return take();
    },
    get finished() {
      return finished;
    },
    get terminated() {
      return terminated;
    },
    get ending() {
      return ending;
    },
  };
}

/** One relay event on the wire: an SSE `data:` event, or one NDJSON line. */
export function encodeRelayEvent(event: RelayEvent, ndjson: boolean): string {
  const json = JSON.stringify(event);
  return ndjson ? `${json}\n` : `data: ${json}\n\n`;
}
