/**
 * Server-Sent Events framing: decoded text in, dispatched messages out, per the WHATWG
 * "event stream interpretation" rules.
 *
 * Why our own framer and not eventsource-parser 3.1.1: fed our 33 conformance cases
 * (test/fixtures/sse-cases.json) whole, byte by byte and split at every position, it fails 2 in
 * every mode:
 * - `cr-only-lines`: a body ending in `\r\r` never dispatches its last event. The parser holds a
 *   trailing `\r` back (it might be half of `\r\n`), and at the end of the body that `\r` is lost.
 * - `id-only-block-no-event`: `id: 42\n\n` without data must still set the last event ID that later
 *   events inherit; the parser resets the id with the block and has no callback to observe it.
 * Its buffering is linear and it has a size cap, so the rest of its design is the model here.
 *
 * The input must already be UTF-8 decoded with one leading BOM removed (a streaming `TextDecoder`
 * does exactly that). The framer does not strip a BOM itself: a second BOM is part of the first
 * field name, so stripping twice would dispatch an event the spec discards.
 */

const LF = 0x0a;

/** One dispatched event. */
export interface SseMessage {
  /** The event type; `message` when no `event:` field (or an empty one) was given. */
  type: string;
  data: string;
  /** The last event ID as the spec defines it: inherited from earlier events until changed. */
  lastEventId: string;
  /** The `id:` field carried by this very event, when it had one (used to drop replays). */
  id?: string;
}

export interface SseFramerOptions {
  onMessage: (message: SseMessage) => void;
  /** A valid `retry:` field (reconnection time, ms). */
  onRetry?: (ms: number) => void;
  /**
   * Largest line or event (data plus pending line), in UTF-16 code units. Beyond it the framer
   * calls `onError` once and ignores all further input: a stream that never sends a line break
   * must not grow memory without bound.
   */
  maxEventSize?: number;
  onError?: (message: string) => void;
}

export interface SseFramerEnd {
  /** True when the body stopped inside an event (fields or a partial line without the blank line). */
  pendingEvent: boolean;
}

export interface SseFramer {
  feed(text: string): void;
  /** The body ended: discards an unfinished event (the spec never dispatches it) and says so. */
  end(): SseFramerEnd;
}

export function createSseFramer(options: SseFramerOptions): SseFramer {
  const { onMessage, onRetry, onError } = options;
  const maxSize = options.maxEventSize ?? Number.POSITIVE_INFINITY;

  // The partial line, as fragments: appending to an array and joining once when the line ends keeps
  // buffering linear. `buffer += chunk` followed by a scan from 0 is the classic O(n²) trap.
  const partial: string[] = [];
  let partialLength = 0;
  // A `\r` ended the previous chunk: if the next chunk starts with `\n`, that is the same line break.
  // The line itself is processed at once — holding the `\r` back instead would lose a final event of
  // a body that ends in `\r\r`.
  let skipLeadingLf = false;

  // Per-event buffers.
  const dataLines: string[] = [];
  let dataLength = 0;
  let eventType = '';
  let ownId: string | undefined;
  // Persists across events, as the spec's "last event ID buffer".
  let lastEventIdBuffer = '';
  let lastEventId = '';
  let terminated = false;

  function fail(message: string): void {
    terminated = true;
    partial.length = 0;
    dataLines.length = 0;
    onError?.(message);
  }

  function dispatch(): void {
    lastEventId = lastEventIdBuffer;
    const id = ownId;
    const type = eventType;
    ownId = undefined;
    eventType = '';
    if (dataLines.length === 0) return;
    const data = dataLines.join('\n');
    dataLines.length = 0;
    dataLength = 0;
    const message: SseMessage = { type: type === '' ? 'message' : type, data, lastEventId };
    if (id !== undefined) message.id = id;
    onMessage(message);
  }

  function processField(field: string, value: string): void {
    switch (field) {
      case 'data':
        dataLines.push(value);
        dataLength += value.length + 1;
        if (dataLength > maxSize) fail(`an SSE event exceeded the maximum size of ${maxSize} characters`);
        return;
      case 'event':
        eventType = value;
        return;
      case 'id':
        // An id containing NUL is ignored as a whole (it could never be sent back in a header).
        if (!value.includes('\0')) {
          lastEventIdBuffer = value;
          ownId = value;
        }
        return;
      case 'retry':
        if (/^[0-9]+$/.test(value)) onRetry?.(Number.parseInt(value, 10));
        return;
      default:
        // Unknown fields (including a field name with a trailing space or a BOM) are ignored.
        return;
    }
  }

  function processLine(line: string): void {
    if (line === '') return dispatch();
    const colon = line.indexOf(':');
    if (colon === 0) return; // A comment, e.g. a `: ping` heartbeat.
    if (colon === -1) return processField(line, '');
    // Exactly one leading space is stripped; a second space or a tab is part of the value.
    const valueStart = line.charCodeAt(colon + 1) === 0x20 ? colon + 2 : colon + 1;
    processField(line.slice(0, colon), line.slice(valueStart));
  }

  function feed(text: string): void {
    if (terminated || text === '') return;
    let start = 0;
    if (skipLeadingLf) {
      skipLeadingLf = false;
      if (text.charCodeAt(0) === LF) start = 1;
    }
    // Both positions are searched forward only, so every character is scanned once.
    let cr = text.indexOf('\r', start);
    let lf = text.indexOf('\n', start);
    while (cr !== -1 || lf !== -1) {
      const isCr = cr !== -1 && (lf === -1 || cr < lf);
      const lineEnd = isCr ? cr : lf;
      if (partialLength + (lineEnd - start) > maxSize) {
        return fail(`an SSE line exceeded the maximum size of ${maxSize} characters`);
      }
      let line = text.slice(start, lineEnd);
      if (partialLength > 0) {
        partial.push(line);
        line = partial.join('');
        partial.length = 0;
        partialLength = 0;
      }
      processLine(line);
      if (terminated) return;
      start = lineEnd + 1;
      if (isCr) {
        if (start === text.length) skipLeadingLf = true;
        else if (text.charCodeAt(start) === LF) start++;
      }
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
    }
    if (start < text.length) {
      partial.push(start === 0 ? text : text.slice(start));
      partialLength += text.length - start;
      if (partialLength + dataLength > maxSize) {
        fail(`an SSE line exceeded the maximum size of ${maxSize} characters`);
      }
    }
  }

  function end(): SseFramerEnd {
    if (terminated) return { pendingEvent: false };
    const rest = partial.join('');
    // A trailing comment without its line break is harmless; any other partial line or buffered
    // field means the server stopped in the middle of an event.
    const pendingEvent = dataLines.length > 0 || (rest.trim() !== '' && !rest.startsWith(':'));
    partial.length = 0;
    partialLength = 0;
    dataLines.length = 0;
    dataLength = 0;
    eventType = '';
    ownId = undefined;
    terminated = true;
    return { pendingEvent };
  }

  return { feed, end };
}
