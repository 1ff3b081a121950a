import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSseFramer, type SseMessage } from '../../../src/decoding/sse-framer.js';
import { chunk, readJsonFixture } from './helpers.js';

interface ConformanceCase {
  name: string;
  input: string;
  input_utf8_hex: string;
  expected: { type: string; data: string; lastEventId: string }[];
  expected_reconnection_time_ms: number | null;
}

const cases = readJsonFixture<ConformanceCase[]>('sse-cases.json');

interface Framed {
  messages: SseMessage[];
  retry: number | null;
  pendingEvent: boolean;
  errors: string[];
}

/** Text chunks through the framer. */
function frameText(chunks: readonly string[], maxEventSize?: number): Framed {
  const framed: Framed = { messages: [], retry: null, pendingEvent: false, errors: [] };
  const framer = createSseFramer({
    onMessage: (message) => framed.messages.push(message),
    onRetry: (ms) => (framed.retry = ms),
    onError: (message) => framed.errors.push(message),
    ...(maxEventSize === undefined ? {} : { maxEventSize }),
  });
  for (const text of chunks) framer.feed(text);
  framed.pendingEvent = framer.end().pendingEvent;
  return framed;
}

/** Bytes through a streaming TextDecoder into the framer: the decoder's own path. */
function frameBytes(bytes: Uint8Array, cuts: readonly number[]): Framed {
  const utf8 = new TextDecoder('utf-8', { fatal: false });
  const texts = chunk(bytes, cuts).map((part) => utf8.decode(part, { stream: true }));
  texts.push(utf8.decode());
  return frameText(texts);
}

function assertMatches(framed: Framed, expected: ConformanceCase, how: string): void {
  const events = framed.messages.map(({ type, data, lastEventId }) => ({ type, data, lastEventId }));
  assert.deepEqual(events, expected.expected, `${expected.name} (${how})`);
  assert.equal(framed.retry, expected.expected_reconnection_time_ms, `${expected.name} retry (${how})`);
}

test('the conformance file holds 33 cases', () => {
  assert.equal(cases.length, 33);
});

for (const c of cases) {
  const bytes = new Uint8Array(Buffer.from(c.input_utf8_hex, 'hex'));
  test(`conformance: ${c.name} — bytes fed whole`, () => assertMatches(frameBytes(bytes, []), c, 'whole'));
  test(`conformance: ${c.name} — bytes fed one at a time`, () => {
    const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    assertMatches(frameBytes(bytes, cuts), c, 'byte by byte');
  });
  test(`conformance: ${c.name} — bytes split in two at every position`, () => {
    for (let at = 1; at < bytes.length; at++) assertMatches(frameBytes(bytes, [at]), c, `split at byte ${at}`);
  });
  test(`conformance: ${c.name} — decoded text split in two at every position`, () => {
    const text = new TextDecoder().decode(bytes);
    for (let at = 1; at < text.length; at++) assertMatches(frameText([text.slice(0, at), text.slice(at)]), c, `split at char ${at}`);
  });
}

test('stream ending in \\r\\r still dispatches', () => {
  const framed = frameText(['data: a\rdata: b\r\r']);
  assert.deepEqual(framed.messages.map((m) => m.data), ['a\nb']);
  assert.equal(framed.pendingEvent, false);
});

test('a \\r at the end of a chunk and a \\n at the start of the next are one line break', () => {
  const framed = frameText(['data: a\r', '\ndata: b\r', '\n\r', '\n']);
  assert.deepEqual(framed.messages.map((m) => m.data), ['a\nb']);
});

test('empty chunks change nothing, even between \\r and \\n', () => {
  const framed = frameText(['data: a\r', '', '\n', '', '\r\n']);
  assert.deepEqual(framed.messages.map((m) => m.data), ['a']);
});

test('an event carries its own id only when it had an id field', () => {
  const framed = frameText(['id: 7\ndata: a\n\ndata: b\n\n']);
  assert.equal(framed.messages[0]?.id, '7');
  assert.equal(framed.messages[0]?.lastEventId, '7');
  assert.equal(framed.messages[1]?.id, undefined);
  assert.equal(framed.messages[1]?.lastEventId, '7');
});

test('a final event without its blank line is not dispatched and end() reports it', () => {
  const framed = frameText(['data: a\n\ndata: b\n']);
  assert.deepEqual(framed.messages.map((m) => m.data), ['a']);
  assert.equal(framed.pendingEvent, true);
});

test('a final line without its line break is reported as a pending event', () => {
  assert.equal(frameText(['data: a\n\ndata: b']).pendingEvent, true);
});

test('a trailing comment or whitespace without a line break is not a pending event', () => {
  assert.equal(frameText(['data: a\n\n: ping']).pendingEvent, false);
  assert.equal(frameText(['data: a\n\n  ']).pendingEvent, false);
});

test('a line longer than maxEventSize is an error, even before its line break arrives', () => {
  const framed = frameText(['data: ', 'x'.repeat(50), 'x'.repeat(50)], 64);
  assert.equal(framed.errors.length, 1);
  assert.match(framed.errors[0] ?? '', /maximum size of 64/);
});

test('an event whose data lines add up past maxEventSize is an error', () => {
  const line = `data: ${'x'.repeat(30)}\n`;
  const framed = frameText([line, line, line, '\n'], 64);
  assert.equal(framed.messages.length, 0);
  assert.equal(framed.errors.length, 1);
});

test('after a size error the framer ignores all further input', () => {
  const framed = frameText([`data: ${'x'.repeat(100)}\n\n`, 'data: ok\n\n'], 64);
  assert.equal(framed.messages.length, 0);
  assert.equal(framed.errors.length, 1);
});

test('an event exactly at maxEventSize passes', () => {
  const framed = frameText([`data: ${'x'.repeat(58)}\n\n`], 64);
  assert.deepEqual(framed.errors, []);
  assert.equal(framed.messages[0]?.data.length, 58);
});

test('a 2 MB line fed one character at a time is buffered linearly (joined once, never rescanned)', () => {
  // With `buffer += chunk` and a scan from 0, this would be ~2·10¹² character visits.
  const framer = createSseFramer({ onMessage: (m) => messages.push(m) });
  const messages: SseMessage[] = [];
  framer.feed('data: ');
  for (let i = 0; i < 2_000_000; i++) framer.feed('x');
  framer.feed('\n\n');
  assert.equal(messages[0]?.data.length, 2_000_000);
});

test('many small events in one large chunk are all dispatched', () => {
  const framed = frameText(['data: x\n\n'.repeat(100_000)]);
  assert.equal(framed.messages.length, 100_000);
});
