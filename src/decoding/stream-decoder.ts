import type { ProviderEvent, StreamFormat, ToolCallStatus } from '../types.js';
import {
  bodyKindFromContentType,
  bodyKindFromPrefix,
  detectFormat,
  excerpt,
  mediaType,
  type BodyKind,
} from './format-detect.js';
import { createNdjsonFramer, type NdjsonFramer } from './ndjson-framer.js';
import { isRecord, type JsonObject, type ProviderAdapter } from './providers/adapter.js';
import { createAdapter } from './providers/index.js';
import { messageOnlyError, providerError } from './providers/provider-error.js';
import { cleanSource } from './source-url.js';
import { createSseFramer, type SseFramer, type SseMessage } from './sse-framer.js';
import { createThinkSplitter } from './think-splitter.js';

/**
 * The decoding pipeline of one response body:
 *   bytes → UTF-8 (streaming TextDecoder) → body kind (Content-Type, else first bytes)
 *         → framer (SSE / NDJSON / plain text / whole JSON) → adapter (detected from the first
 *           message unless given) → normalized ProviderEvents → `<think>` splitter on text, source
 *           URL check → the caller.
 * It is complete only when the format's own end marker arrived; every other ending says why not.
 */

export interface StreamDecoderOptions {
  /** Requested format; 'auto' (default) detects from contentType, headers and the first event. */
  format?: StreamFormat;
  /** The response Content-Type header, or null. */
  contentType?: string | null;
  /** Response headers, names lower-cased (e.g. 'x-vercel-ai-ui-message-stream': 'v1'). */
  headers?: Record<string, string>;
  /**
   * Cap for one line / one event / one NDJSON object, in UTF-16 code units. Default 16 MiB.
   * Exceeding it → a protocol error event, then the decoder is terminated.
   */
  maxEventSize?: number;
  /** Receives normalized events in order. */
  onEvent: (event: ProviderEvent) => void;
}

export interface StreamEnd {
  complete: boolean;
  reason?: string;
}

export interface StreamDecoder {
  /** Feed raw body bytes (any split). */
  feed(chunk: Uint8Array): void;
  /** The body ended. Flushes, and says whether the format's end marker was seen (and if not, why). */
  end(): StreamEnd;
  /** The detected (or given) format, null until known. */
  readonly format: StreamFormat | null;
}

const DEFAULT_MAX_EVENT_SIZE = 16 * 1024 * 1024;
/** How much of an HTML error page the content_type error quotes. */
const HTML_EXCERPT_LENGTH = 500;
/** Enough leading characters to tell `retry:` from text. */
const SNIFF_LENGTH = 8;

type ErrorEvent = Extract<ProviderEvent, { type: 'error' }>;

function protocolError(message: string): ErrorEvent {
  return { type: 'error', code: 'protocol', message };
}

export function createStreamDecoder(options: StreamDecoderOptions): StreamDecoder {
  const { onEvent } = options;
  const requested = options.format ?? 'auto';
  const maxSize = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  const headers = options.headers ?? {};

  // fatal: false turns broken UTF-8 into U+FFFD instead of throwing mid-stream. The decoder removes
  // one leading BOM, exactly what the SSE spec asks for; the framers must not remove another.
  const utf8 = new TextDecoder('utf-8', { fatal: false });

  let state: 'open' | 'ended' | 'failed' = 'open';
  let failure = '';
  // How a plain-text body can still be known to be cut (it has no end marker): it stopped inside a
  // UTF-8 character, or so early that it was still a prefix of an SSE field name (`dat`, `retry`).
  let cutInsideCharacter = false;
  let undecidedHead: string | null = null;
  let finishSeen = false;
  let result: StreamEnd | null = null;

  let adapter: ProviderAdapter | null = null;
  if (requested !== 'auto' && requested !== 'text') adapter = createAdapter(requested);
  else if (requested === 'auto' && headers['x-vercel-ai-ui-message-stream'] === 'v1') adapter = createAdapter('ai-sdk');
  let format: StreamFormat | null = requested === 'auto' ? (adapter?.format ?? null) : requested;

  const announced = bodyKindFromContentType(options.contentType);
  let initialKind: BodyKind | null = announced;
  // An HTML page with a 2xx status is a misrouted request (a login page, a proxy error), whatever
  // format was asked for. Otherwise a requested `text` is taken at its word.
  if (announced !== 'html' && requested === 'text') initialKind = 'text';
  // With a provider format requested, `text/plain` is only a careless label: the bytes decide.
  else if (announced === 'text' && adapter) initialKind = null;
  // Set by useKind(), which also creates the framer; null while the first bytes are sniffed.
  let kind: BodyKind | null = null;

  // Text received before the body kind is known, replayed once it is.
  const sniffed: string[] = [];
  let sniffedLength = 0;
  let head = '';
  let sawContent = false;

  let sse: SseFramer | null = null;
  let ndjson: NdjsonFramer | null = null;
  const collected: string[] = [];
  let collectedLength = 0;
  // Ids of dispatched SSE events: a replayed id (a proxy or a reconnect resending) is dropped.
  const seenIds = new Set<string>();

  if (initialKind) useKind(initialKind);

  // Text of every format passes the <think> splitter; what it releases goes straight out.
  const thinkSplitter = createThinkSplitter({
    onText: (text) => onEvent({ type: 'text', text }),
    onReasoning: (text) => onEvent({ type: 'reasoning', text }),
  });
  // Where each tool call stands, so that calls still open when the stream ends can be closed.
  const toolCallStatus = new Map<string, ToolCallStatus>();
  // Source URLs already reported (normalized), so each URL is reported once.
  const sourceUrls = new Set<string>();

  /**
   * The one gate every adapter event passes: it stops after an error or the end marker, splits
   * `<think>` blocks off the text, keeps only clean http(s) sources (once each), and closes what is
   * still open before the stream's last event.
   */
  function emit(event: ProviderEvent): void {
    if (state !== 'open') return;
    switch (event.type) {
      case 'text':
        thinkSplitter.feed(event.text);
        return;
      case 'reasoning':
        if (event.text !== '') onEvent(event);
        return;
      case 'source': {
        const source = cleanSource(event.url, event.title);
        if (!source || sourceUrls.has(source.key)) return;
        sourceUrls.add(source.key);
        onEvent(source.event);
        return;
      }
      case 'tool-call': {
        if (event.id === '') return;
        toolCallStatus.set(event.id, event.status ?? toolCallStatus.get(event.id) ?? 'streaming');
        onEvent(event);
        return;
      }
      case 'error':
        settle();
        state = 'failed';
        failure = event.message;
        onEvent(event);
        return;
      case 'end':
        settle();
        state = 'ended';
        // The format's own end marker with no stated reason (relay `done`, AI SDK `finish`, Responses
        // `response.completed`) is a normal completion. Plain text has no end marker and no reason.
        if (!finishSeen && kind !== 'text') onEvent({ type: 'finish', reason: 'stop', raw: 'end marker' });
        onEvent(event);
        return;
      case 'finish':
        finishSeen = true;
        onEvent(event);
        return;
      default:
        onEvent(event);
        return;
    }
  }

  /**
   * The stream is over (end marker, error, or the body closed): release text the splitter held, and
   * mark every tool call whose arguments were still arriving as incomplete — the stream ended before
   * the call did.
   */
  function settle(): void {
    thinkSplitter.end();
    for (const [id, status] of toolCallStatus) {
      if (status !== 'streaming') continue;
      toolCallStatus.set(id, 'incomplete');
      onEvent({ type: 'tool-call', id, status: 'incomplete' });
    }
  }

  function useKind(next: BodyKind): void {
    kind = next;
    if (next === 'sse') {
      sse = createSseFramer({
        onMessage: handleSseMessage,
        maxEventSize: maxSize,
        onError: (message) => emit(protocolError(message)),
      });
    } else if (next === 'ndjson') {
      ndjson = createNdjsonFramer({
        onLine: (line) => handleData(line, undefined),
        maxLineSize: maxSize,
        onError: (message) => emit(protocolError(message)),
      });
    } else if (next === 'text') {
      if (adapter) {
        // A provider format was requested but the body is neither SSE nor JSON.
        const body = excerpt(sniffed.join(''));
        emit(protocolError(`expected a ${adapter.format} stream, but the body is plain text: ${body}`));
        return;
      }
      format = 'text';
    }
    const pending = sniffed.join('');
    sniffed.length = 0;
    if (pending !== '') deliver(pending);
  }

  function sniff(text: string): void {
    sniffed.push(text);
    sniffedLength += text.length;
    if (head === '') {
      const start = text.search(/\S/);
      if (start === -1) {
        // Only whitespace so far: bounded like any event, so a blank body cannot grow memory forever.
        if (sniffedLength > maxSize) emit(protocolError(`the body began with more than ${maxSize} characters of whitespace`));
        return;
      }
      head = text.slice(start, start + SNIFF_LENGTH);
    } else if (head.length < SNIFF_LENGTH) {
      head += text.slice(0, SNIFF_LENGTH - head.length);
    }
    const detected = bodyKindFromPrefix(head);
    if (detected) useKind(detected);
  }

  function route(text: string): void {
    if (text === '' || state !== 'open') return;
    if (!sawContent && /\S/.test(text)) sawContent = true;
    if (kind === null) sniff(text);
    else deliver(text);
  }

  function deliver(text: string): void {
    switch (kind) {
      case 'sse':
        sse?.feed(text);
        return;
      case 'ndjson':
        ndjson?.feed(text);
        return;
      case 'text':
        emit({ type: 'text', text });
        return;
      case 'json':
        collected.push(text);
        collectedLength += text.length;
        if (collectedLength > maxSize) emit(protocolError(`the JSON body exceeded the maximum size of ${maxSize} characters`));
        return;
      case 'html':
        if (collectedLength < HTML_EXCERPT_LENGTH) {
          collected.push(text);
          collectedLength += text.length;
        }
        if (collectedLength >= HTML_EXCERPT_LENGTH) reportHtml();
        return;
      default:
        return;
    }
  }

  function reportHtml(): void {
    const page = collected.join('').slice(0, HTML_EXCERPT_LENGTH);
    const type = mediaType(options.contentType) || 'no Content-Type';
    emit({
      type: 'error',
      code: 'content_type',
      message: `expected a stream but the server sent an HTML page (${type}): ${page}`,
    });
  }

  function handleSseMessage(message: SseMessage): void {
    if (state !== 'open') return;
    if (message.id !== undefined && message.id !== '') {
      if (seenIds.has(message.id)) return;
      seenIds.add(message.id);
    }
    handleData(message.data, message.type);
  }

  /** One SSE data payload or one NDJSON line. */
  function handleData(data: string, event: string | undefined): void {
    if (state !== 'open') return;
    // Empty data is a keep-alive some servers send; it carries nothing to decode.
    if (data.trim() === '') return;
    // The sentinel is an exact match: `[DONE] ` is not it, and then fails below as invalid JSON.
    if (data === '[DONE]') {
      if (!adapter) return emit({ type: 'end' });
      if (adapter.done) {
        for (const e of adapter.done()) emit(e);
        return;
      }
    }
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      // `event: error` with a plain-text payload is still the provider's error, not garbage.
      if (event === 'error') return emit({ type: 'error', code: 'provider', message: excerpt(data) });
      return emit(protocolError(`invalid JSON in ${kind === 'ndjson' ? 'an NDJSON line' : "an event's data"}: ${excerpt(data)}`));
    }
    if (!isRecord(value)) return emit(protocolError(`expected a JSON object, got: ${excerpt(data)}`));
    handleObject(value, event, data);
  }

  function handleObject(value: JsonObject, event: string | undefined, raw: string): void {
    if (!adapter) {
      const error = providerError(value);
      if (error) return emit(error);
      const detected = detectFormat(value);
      if (!detected) return emit(protocolError(`unrecognized stream format; the first message was: ${excerpt(raw)}`));
      adapter = createAdapter(detected);
      format = detected;
    }
    for (const e of adapter.map(value, event)) {
      emit(e);
      if (state !== 'open') return;
    }
  }

  /** A whole JSON body: an error response, a non-streamed completion, or a JSON array of chunks. */
  function finishJson(): void {
    const body = collected.join('');
    collected.length = 0;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      // Some servers label NDJSON as application/json: read it line by line (errors surface there).
      useKind('ndjson');
      deliver(body);
      ndjson?.end();
      return;
    }
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (state !== 'open') return;
      if (!isRecord(item)) return emit(protocolError(`expected a JSON object, got: ${excerpt(JSON.stringify(item) ?? '')}`));
      // A bare `{"message": …}` is an error only as a whole body, and only if it is no known chunk.
      const error = providerError(item) ?? (detectFormat(item) ? null : messageOnlyError(item));
      if (error) return emit(error);
      handleObject(item, undefined, JSON.stringify(item));
    }
    // A whole document cannot be cut short: if it says why the model stopped, it is complete.
    if (state === 'open' && adapter?.bodyEnd) for (const e of adapter.bodyEnd()) emit(e);
    if (finishSeen) emit({ type: 'end' });
  }

  function feed(chunk: Uint8Array): void {
    if (state !== 'open' || result) return;
    route(utf8.decode(chunk, { stream: true }));
  }

  function end(): StreamEnd {
    if (result) return result;
    let pendingEvent = false;
    if (state === 'open') {
      // The flush returns something only for the bytes of an unfinished character (as U+FFFD).
      const rest = utf8.decode();
      cutInsideCharacter = rest !== '';
      route(rest);
      if (kind === null && sawContent) {
        undecidedHead = head;
        useKind(bodyKindFromPrefix(head, true) ?? 'text');
      }
      switch (kind) {
        case 'sse':
          pendingEvent = sse?.end().pendingEvent ?? false;
          break;
        case 'ndjson':
          ndjson?.end();
          break;
        case 'json':
          if (state === 'open') finishJson();
          break;
        case 'html':
          if (state === 'open') reportHtml();
          break;
        default:
          break;
      }
      // Formats that end with the body (Gemini) decide here; a cut-off last event never completes one.
      if (state === 'open' && !pendingEvent && adapter?.bodyEnd) for (const e of adapter.bodyEnd()) emit(e);
      if (state === 'open') settle();
    }
    result = conclude(pendingEvent);
    return result;
  }

  function conclude(pendingEvent: boolean): StreamEnd {
    if (state === 'ended') return { complete: true };
    if (state === 'failed') return { complete: false, reason: failure };
    // Plain text has no end marker: the end of the body is the end of the answer — unless the body
    // shows that it was cut. The text stays as received either way.
    if (kind === 'text') {
      if (cutInsideCharacter) return { complete: false, reason: 'the body ended inside a UTF-8 character' };
      if (undecidedHead !== null) {
        return { complete: false, reason: `the body ended after ${JSON.stringify(undecidedHead)}, too short to tell plain text from the start of an event stream` };
      }
      return { complete: true };
    }
    if (!sawContent) return { complete: false, reason: 'the body was empty' };
    if (pendingEvent) return { complete: false, reason: 'the last event had no terminating blank line' };
    if (!adapter) return { complete: false, reason: 'the body ended before any event' };
    return { complete: false, reason: `the body ended before ${adapter.endMarker}` };
  }

  return {
    feed,
    end,
    get format() {
      return format;
    },
  };
}
