import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import type { FinishReason, ProviderEvent, StreamFormat, Usage } from '../../../src/types.js';
import { createStreamDecoder } from '../../../src/decoding/stream-decoder.js';
import {
  byteByByte,
  decode,
  fixturesUrl,
  randomSplits,
  readFixture,
  readJsonFixture,
  summarize,
  utf8,
  whole,
  type Decoded,
} from './helpers.js';

interface FixtureSpec {
  file: string;
  contentType: string;
  headers?: Record<string, string>;
  format?: StreamFormat;
  expected: {
    format: StreamFormat | null;
    text: string;
    usage?: Usage;
    finishReason?: FinishReason;
    /** The reasoning text, when the fixture carries some (absent: none). */
    reasoning?: string;
    complete: boolean;
    reason?: string;
    error?: { code: string; message?: string; messageIncludes?: string; providerType?: string };
  };
}

const specs = readdirSync(new URL('streams/', fixturesUrl))
  .filter((name) => name.endsWith('.expected.json'))
  .sort()
  .map((name) => readJsonFixture<FixtureSpec>(`streams/${name}`));

function assertFixture(spec: FixtureSpec, decoded: Decoded, how: string): void {
  const label = `${spec.file} (${how})`;
  const summary = summarize(decoded.events);
  const { expected } = spec;
  assert.equal(summary.text, expected.text, `${label}: text`);
  assert.equal(summary.reasoning, expected.reasoning ?? '', `${label}: reasoning`);
  assert.deepEqual(summary.usage, expected.usage, `${label}: usage`);
  assert.equal(summary.finishReason, expected.finishReason, `${label}: finish reason`);
  assert.equal(decoded.end.complete, expected.complete, `${label}: complete`);
  assert.equal(decoded.format, expected.format, `${label}: format`);
  assert.equal(summary.ends, expected.complete && !expected.error && expected.format !== 'text' ? 1 : 0, `${label}: end events`);
  if (expected.reason !== undefined) assert.equal(decoded.end.reason, expected.reason, `${label}: reason`);
  if (expected.error) {
    assert.equal(summary.errors.length, 1, `${label}: one error`);
    const error = summary.errors[0];
    assert.equal(error?.code, expected.error.code, `${label}: error code`);
    if (expected.error.message !== undefined) assert.equal(error?.message, expected.error.message, `${label}: error message`);
    if (expected.error.messageIncludes !== undefined) assert.ok(error?.message.includes(expected.error.messageIncludes), `${label}: error message ${error?.message}`);
    assert.equal(error?.providerType, expected.error.providerType, `${label}: provider type`);
    // The error is the last event: the decoder is terminated.
    assert.equal(decoded.events.at(-1)?.type, 'error', `${label}: error is last`);
    assert.equal(decoded.end.reason, error?.message, `${label}: end reason is the error`);
  } else {
    assert.deepEqual(summary.errors, [], `${label}: no errors`);
  }
}

test('there is a fixture for every format', () => {
  const formats = new Set(specs.map((spec) => spec.expected.format));
  for (const format of ['openai', 'openai-completions', 'openai-responses', 'anthropic', 'gemini', 'ollama', 'ai-sdk', 'relay', 'text']) {
    assert.ok(formats.has(format as StreamFormat), format);
  }
});

for (const spec of specs) {
  const bytes = readFixture(`streams/${spec.file}`);
  const options = { contentType: spec.contentType, headers: spec.headers ?? {}, format: spec.format ?? 'auto' };
  for (const splitter of [whole, byteByByte, randomSplits(1), randomSplits(42, 64), randomSplits(7, 3)]) {
    test(`fixture ${spec.file} decodes the same ${splitter.name}`, () => {
      assertFixture(spec, decode(bytes, options, splitter.cuts(bytes.length)), splitter.name);
    });
  }
  test(`fixture ${spec.file} yields identical events whole and byte by byte, apart from how text is cut`, () => {
    // Text and reasoning may be cut differently (plain text, a <think> block); nothing else may differ.
    const merge = (events: ProviderEvent[]): ProviderEvent[] =>
      events.reduce<ProviderEvent[]>((out, event) => {
        const last = out.at(-1);
        if (event.type === 'text' && last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text + event.text };
        else if (event.type === 'reasoning' && last?.type === 'reasoning') out[out.length - 1] = { type: 'reasoning', text: last.text + event.text };
        else out.push(event);
        return out;
      }, []);
    assert.deepEqual(merge(decode(bytes, options, byteByByte.cuts(bytes.length)).events), merge(decode(bytes, options).events));
  });
}

// UTF-8

test('emoji and CJK split at every byte position decode intact (SSE)', () => {
  const text = '😀 中文 é 👩‍👩‍👧 𝄞';
  const bytes = utf8(`data: ${JSON.stringify({ type: 'token', content: text })}\n\ndata: {"type":"done"}\n\n`);
  for (let at = 1; at < bytes.length; at++) {
    const decoded = decode(bytes, { contentType: 'text/event-stream' }, [at]);
    assert.equal(summarize(decoded.events).text, text, `split at ${at}`);
    assert.equal(decoded.end.complete, true);
  }
});

test('emoji and CJK split at every byte position decode intact (plain text)', () => {
  const text = '😀中文é👩‍👩‍👧𝄞';
  const bytes = utf8(text);
  for (let at = 1; at < bytes.length; at++) {
    assert.equal(summarize(decode(bytes, { contentType: 'text/plain' }, [at]).events).text, text, `split at ${at}`);
  }
  assert.equal(summarize(decode(bytes, { contentType: 'text/plain' }, byteByByte.cuts(bytes.length)).events).text, text);
});

test('emoji and CJK split at every byte position decode intact (NDJSON)', () => {
  const text = '😀中文é𝄞';
  const bytes = utf8(`${JSON.stringify({ model: 'm', message: { content: text }, done: false })}\n{"model":"m","done":true}\n`);
  for (let at = 1; at < bytes.length; at++) {
    assert.equal(summarize(decode(bytes, { contentType: 'application/x-ndjson' }, [at]).events).text, text, `split at ${at}`);
  }
});

test('a truncated UTF-8 sequence at the end of the body becomes U+FFFD, not an exception', () => {
  const bytes = utf8('Hi 😀').subarray(0, 5);
  assert.equal(summarize(decode(bytes, { contentType: 'text/plain' }).events).text, 'Hi \uFFFD');
});

test('one leading BOM is stripped; a second BOM makes the first field unknown', () => {
  const event = (n: number) => `data: {"type":"token","content":"${n}"}\n\n`;
  const bom = '\uFEFF';
  assert.equal(summarize(decode(utf8(`${bom}${event(1)}${event(2)}`), { contentType: 'text/event-stream' }).events).text, '12');
  assert.equal(summarize(decode(utf8(`${bom}${bom}${event(1)}${event(2)}`), { contentType: 'text/event-stream' }).events).text, '2');
});

// Size and linearity

test('a 10 MB answer decodes completely, fed in 64 KiB chunks', () => {
  const piece = 'The quick brown fox jumps over the lazy dog 😀 中文. '.repeat(4);
  const events: string[] = [];
  let length = 0;
  while (length < 10_000_000) {
    events.push(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: piece } }] })}\n\n`);
    length += piece.length;
  }
  events.push('data: [DONE]\n\n');
  const bytes = utf8(events.join(''));
  const cuts: number[] = [];
  for (let at = 65_536; at < bytes.length; at += 65_536) cuts.push(at);
  let textLength = 0;
  const decoder = createStreamDecoder({ contentType: 'text/event-stream', onEvent: (e) => { if (e.type === 'text') textLength += e.text.length; } });
  let previous = 0;
  for (const cut of [...cuts, bytes.length]) {
    decoder.feed(bytes.subarray(previous, cut));
    previous = cut;
  }
  assert.deepEqual(decoder.end(), { complete: true });
  assert.equal(textLength, length);
});

test('a 10 MB single event (one data line) fed in 4 KiB chunks decodes within the default cap', () => {
  const content = 'x'.repeat(10_000_000);
  const bytes = utf8(`data: ${JSON.stringify({ type: 'token', content })}\n\ndata: {"type":"done"}\n\n`);
  const cuts: number[] = [];
  for (let at = 4096; at < bytes.length; at += 4096) cuts.push(at);
  const decoded = decode(bytes, { contentType: 'text/event-stream' }, cuts);
  assert.equal(summarize(decoded.events).text.length, 10_000_000);
  assert.equal(decoded.end.complete, true);
});

test('an event larger than maxEventSize is a protocol error and terminates the decoder', () => {
  const bytes = utf8(`data: {"type":"token","content":"${'x'.repeat(2000)}"}\n\ndata: {"type":"done"}\n\n`);
  const decoded = decode(bytes, { contentType: 'text/event-stream', maxEventSize: 1024 });
  const summary = summarize(decoded.events);
  assert.equal(summary.errors[0]?.code, 'protocol');
  assert.match(summary.errors[0]?.message ?? '', /maximum size/);
  assert.equal(summary.text, '');
  assert.equal(decoded.end.complete, false);
});

test('an NDJSON line larger than maxEventSize is a protocol error', () => {
  const bytes = utf8(`{"model":"m","response":"${'x'.repeat(2000)}","done":false}\n`);
  const summary = summarize(decode(bytes, { contentType: 'application/x-ndjson', maxEventSize: 1024 }).events);
  assert.equal(summary.errors[0]?.code, 'protocol');
});

// Honest endings

test('a stream without [DONE] is incomplete even after a finish_reason', () => {
  const body = 'data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}\n\n';
  const decoded = decode(utf8(body), { contentType: 'text/event-stream' });
  assert.deepEqual(decoded.end, { complete: false, reason: 'the body ended before data: [DONE]' });
  assert.equal(summarize(decoded.events).finishReason, 'stop');
});

test('a final event without its blank line is not dispatched and the ending says so', () => {
  const body = 'data: {"type":"token","content":"a"}\n\ndata: {"type":"done"}\n';
  const decoded = decode(utf8(body), { contentType: 'text/event-stream' });
  assert.deepEqual(decoded.end, { complete: false, reason: 'the last event had no terminating blank line' });
});

test('the end marker in an event without its blank line does not count', () => {
  const decoded = decode(utf8('data: {"type":"token","content":"a"}\n\ndata: {"type":"done"}'), { contentType: 'text/event-stream' });
  assert.equal(decoded.end.complete, false);
  assert.equal(summarize(decoded.events).ends, 0);
});

test('an NDJSON stream whose done line has no newline is complete', () => {
  const decoded = decode(utf8('{"model":"m","response":"a","done":false}\n{"model":"m","response":"","done":true}'), { contentType: 'application/x-ndjson' });
  assert.deepEqual(decoded.end, { complete: true });
});

test('an NDJSON stream without its done line is incomplete', () => {
  const decoded = decode(utf8('{"model":"m","response":"a","done":false}\n'), { contentType: 'application/x-ndjson' });
  assert.deepEqual(decoded.end, { complete: false, reason: 'the body ended before a line with "done": true' });
});

test('an Anthropic stream without message_stop is incomplete', () => {
  const body = 'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":1}}}\n\n';
  assert.deepEqual(decode(utf8(body), { contentType: 'text/event-stream' }).end, { complete: false, reason: 'the body ended before message_stop' });
});

test('plain text is complete when the body ends', () => {
  assert.deepEqual(decode(utf8('just text'), { contentType: 'text/plain' }).end, { complete: true });
  assert.deepEqual(decode(utf8('just text'), { format: 'text', contentType: 'text/event-stream' }).end, { complete: true });
});

test('an empty body is not complete', () => {
  assert.deepEqual(decode(new Uint8Array(), { contentType: 'text/event-stream' }).end, { complete: false, reason: 'the body was empty' });
  assert.deepEqual(decode(utf8('\n\n'), { contentType: null }).end, { complete: false, reason: 'the body was empty' });
});

test('a body of heartbeats only ended before any event', () => {
  assert.deepEqual(decode(utf8(': ping\n\n: ping\n\n'), { contentType: 'text/event-stream' }).end, { complete: false, reason: 'the body ended before any event' });
});

test('end marker is emitted once and later bytes are ignored', () => {
  const events: ProviderEvent[] = [];
  const decoder = createStreamDecoder({ contentType: 'text/event-stream', onEvent: (e) => events.push(e) });
  decoder.feed(utf8('data: {"type":"token","content":"a"}\n\ndata: {"type":"done"}\n\n'));
  decoder.feed(utf8('data: {"type":"token","content":"late"}\n\ndata: {"type":"done"}\n\n\n\n'));
  assert.deepEqual(decoder.end(), { complete: true });
  assert.deepEqual(events, [{ type: 'text', text: 'a' }, { type: 'finish', reason: 'stop', raw: 'end marker' }, { type: 'end' }]);
});

test('an end marker without a stated reason is a normal stop; a stated reason wins', () => {
  const plain = decode(utf8('data: {"type":"token","content":"a"}\n\ndata: {"type":"done"}\n\n'), { contentType: 'text/event-stream' });
  assert.equal(summarize(plain.events).finishReason, 'stop');
  const stated = decode(utf8('data: {"type":"token","content":"a"}\n\ndata: {"type":"done","finishReason":"length"}\n\n'), { contentType: 'text/event-stream' });
  assert.equal(summarize(stated.events).finishReason, 'length');
  const cut = decode(utf8('data: {"type":"token","content":"a"}\n\n'), { contentType: 'text/event-stream' });
  assert.equal(summarize(cut.events).finishReason, undefined);
});

test('AI SDK: [DONE] after finish is accepted silently; [DONE] without finish ends too', () => {
  const headers = { 'x-vercel-ai-ui-message-stream': 'v1' };
  const withFinish = decode(utf8('data: {"type":"text-delta","id":"t","delta":"a"}\n\ndata: {"type":"finish"}\n\ndata: [DONE]\n\n'), { contentType: 'text/event-stream', headers });
  assert.equal(summarize(withFinish.events).ends, 1);
  assert.deepEqual(withFinish.end, { complete: true });
  const doneOnly = decode(utf8('data: {"type":"text-delta","id":"t","delta":"a"}\n\ndata: [DONE]\n\n'), { contentType: 'text/event-stream', headers });
  assert.deepEqual(doneOnly.end, { complete: true });
});

test('end() is idempotent and feed() after end() is ignored', () => {
  const events: ProviderEvent[] = [];
  const decoder = createStreamDecoder({ contentType: 'text/plain', onEvent: (e) => events.push(e) });
  decoder.feed(utf8('a'));
  const first = decoder.end();
  decoder.feed(utf8('b'));
  assert.deepEqual(decoder.end(), first);
  assert.equal(summarize(events).text, 'a');
});

// Errors

test('invalid JSON in a data line is a protocol error quoting at most 200 characters, never text', () => {
  const payload = `not json ${'y'.repeat(500)}`;
  const decoded = decode(utf8(`data: ${payload}\n\n`), { contentType: 'text/event-stream' });
  const summary = summarize(decoded.events);
  assert.equal(summary.text, '');
  assert.equal(summary.errors[0]?.code, 'protocol');
  assert.ok((summary.errors[0]?.message.length ?? 0) < 260);
  assert.ok(summary.errors[0]?.message.includes(payload.slice(0, 200)));
});

test('data: [DONE] with a trailing space is not the sentinel', () => {
  const decoded = decode(utf8('data: {"choices":[{"index":0,"delta":{"content":"a"}}]}\n\ndata: [DONE] \n\n'), { contentType: 'text/event-stream' });
  assert.equal(summarize(decoded.events).errors[0]?.code, 'protocol');
  assert.equal(decoded.end.complete, false);
});

test('a JSON value that is not an object is a protocol error', () => {
  assert.equal(summarize(decode(utf8('data: 42\n\n'), { contentType: 'text/event-stream' }).events).errors[0]?.code, 'protocol');
});

test('an unrecognized first event is a protocol error naming what was seen', () => {
  const seen = JSON.stringify({ hello: 'world', pad: 'z'.repeat(400) });
  const error = summarize(decode(utf8(`data: ${seen}\n\n`), { contentType: 'text/event-stream' }).events).errors[0];
  assert.equal(error?.code, 'protocol');
  assert.ok(error?.message.includes(seen.slice(0, 200)));
  assert.ok(!error?.message.includes(seen.slice(0, 201)));
});

test('event: error with a plain-text payload is a provider error', () => {
  const error = summarize(decode(utf8('event: error\ndata: upstream exploded\n\n'), { contentType: 'text/event-stream' }).events).errors[0];
  assert.deepEqual(error, { type: 'error', code: 'provider', message: 'upstream exploded' });
});

test('after an error the decoder ignores further input', () => {
  const events: ProviderEvent[] = [];
  const decoder = createStreamDecoder({ contentType: 'text/event-stream', onEvent: (e) => events.push(e) });
  decoder.feed(utf8('data: {"type":"error","message":"x"}\n\ndata: {"type":"token","content":"late"}\n\n'));
  decoder.feed(utf8('data: {"type":"token","content":"later"}\n\n'));
  assert.deepEqual(decoder.end(), { complete: false, reason: 'x' });
  assert.equal(events.length, 1);
});

test('a 2xx text/html body is a content_type error quoting its first 500 characters', () => {
  const page = `<html><body>${'<p>login</p>'.repeat(100)}</body></html>`;
  const error = summarize(decode(utf8(page), { contentType: 'text/html' }).events).errors[0];
  assert.equal(error?.code, 'content_type');
  assert.ok(error?.message.includes(page.slice(0, 500)));
  assert.ok(!error?.message.includes(page.slice(0, 501)));
});

test('the content_type error is emitted as soon as 500 characters arrived, before the body ends', () => {
  const events: ProviderEvent[] = [];
  const decoder = createStreamDecoder({ contentType: 'text/html', onEvent: (e) => events.push(e) });
  decoder.feed(utf8('<p>'.repeat(100)));
  assert.equal(events.length, 0);
  decoder.feed(utf8('<p>'.repeat(100)));
  assert.equal(events[0]?.type, 'error');
});

test('a short text/html body is reported when the body ends', () => {
  const decoded = decode(utf8('<h1>502 Bad Gateway</h1>'), { contentType: 'text/html', format: 'openai' });
  assert.equal(summarize(decoded.events).errors[0]?.code, 'content_type');
  assert.match(decoded.end.reason ?? '', /502 Bad Gateway/);
});

test('an application/json error body is a provider error with the server message', () => {
  for (const [body, message, type] of [
    ['{"error":{"message":"Invalid key","type":"invalid_request_error"}}', 'Invalid key', 'invalid_request_error'],
    ['{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}', 'invalid x-api-key', 'authentication_error'],
    ['{"message":"Unauthorized"}', 'Unauthorized', undefined],
    ['[{"error":{"code":400,"message":"API key not valid","status":"INVALID_ARGUMENT"}}]', 'API key not valid', 'INVALID_ARGUMENT'],
  ] as const) {
    const error = summarize(decode(utf8(body), { contentType: 'application/json' }).events).errors[0];
    assert.equal(error?.code, 'provider', body);
    assert.equal(error?.message, message, body);
    assert.equal(error?.providerType, type, body);
  }
});

test('a non-streamed JSON completion is decoded as one complete message', () => {
  const body = JSON.stringify({ object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Whole answer' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
  const decoded = decode(utf8(body), { contentType: 'application/json' }, byteByByte.cuts(body.length));
  const summary = summarize(decoded.events);
  assert.equal(summary.text, 'Whole answer');
  assert.equal(summary.finishReason, 'stop');
  assert.deepEqual(decoded.end, { complete: true });
  assert.equal(decoded.format, 'openai');
});

test('NDJSON mislabelled as application/json is read line by line', () => {
  const body = '{"model":"m","response":"a","done":false}\n{"model":"m","response":"b","done":true,"done_reason":"stop"}\n';
  const decoded = decode(utf8(body), { contentType: 'application/json' });
  assert.equal(summarize(decoded.events).text, 'ab');
  assert.deepEqual(decoded.end, { complete: true });
});

// Auto-detection

test('the format getter is null until detected, then names the format', () => {
  const decoder = createStreamDecoder({ contentType: 'text/event-stream', onEvent: () => {} });
  assert.equal(decoder.format, null);
  decoder.feed(utf8('data: {"type":"message_start","message":{}}\n\n'));
  assert.equal(decoder.format, 'anthropic');
});

test('an explicit format is reported before any byte arrives', () => {
  assert.equal(createStreamDecoder({ format: 'gemini', onEvent: () => {} }).format, 'gemini');
});

test('the AI SDK header selects ai-sdk before any byte arrives', () => {
  assert.equal(createStreamDecoder({ contentType: 'text/event-stream', headers: { 'x-vercel-ai-ui-message-stream': 'v1' }, onEvent: () => {} }).format, 'ai-sdk');
});

test('without a Content-Type, SSE is recognized from its first bytes, even split', () => {
  const body = '\n: hi\ndata: {"type":"token","content":"a"}\n\ndata: {"type":"done"}\n\n';
  for (const type of [null, 'application/octet-stream']) {
    const decoded = decode(utf8(body), { contentType: type }, byteByByte.cuts(body.length));
    assert.equal(summarize(decoded.events).text, 'a');
    assert.deepEqual(decoded.end, { complete: true });
  }
});

test('without a Content-Type, NDJSON is recognized from a first {', () => {
  const body = '{"type":"token","content":"a"}\n{"type":"done"}\n';
  const decoded = decode(utf8(body), { contentType: null }, byteByByte.cuts(body.length));
  assert.equal(decoded.format, 'relay');
  assert.deepEqual(decoded.end, { complete: true });
});

test('without a Content-Type, anything else is plain text, including leading whitespace', () => {
  const decoded = decode(utf8('  da Vinci said'), { contentType: null }, byteByByte.cuts(15));
  assert.equal(summarize(decoded.events).text, '  da Vinci said');
  assert.equal(decoded.format, 'text');
  assert.deepEqual(decoded.end, { complete: true });
});

test('a short plain-text body that could have been a field name is text at the end', () => {
  const decoded = decode(utf8('dat'), { contentType: null });
  assert.equal(summarize(decoded.events).text, 'dat');
});

test('text/plain with format auto is plain text even when it looks like SSE', () => {
  assert.equal(summarize(decode(utf8('data: x\n\n'), { contentType: 'text/plain' }).events).text, 'data: x\n\n');
});

test('an explicit provider format with a text/plain Content-Type still reads SSE', () => {
  const decoded = decode(utf8('data: {"type":"token","content":"a"}\n\n'), { contentType: 'text/plain', format: 'relay' });
  assert.equal(summarize(decoded.events).text, 'a');
});

test('an explicit provider format with a plain-text body is a protocol error', () => {
  const decoded = decode(utf8('Internal error'), { contentType: null, format: 'openai' });
  const error = summarize(decoded.events).errors[0];
  assert.equal(error?.code, 'protocol');
  assert.match(error?.message ?? '', /Internal error/);
});

test('an error as the very first event is a provider error, whatever the format', () => {
  const error = summarize(decode(utf8('data: {"error":{"message":"quota","type":"insufficient_quota"}}\n\n'), { contentType: 'text/event-stream' }).events).errors[0];
  assert.deepEqual(error, { type: 'error', code: 'provider', message: 'quota', providerType: 'insufficient_quota' });
});

test('a role-only first chunk and a usage-only chunk detect OpenAI chat', () => {
  const body = [
    'data: {"choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]}',
    'data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}]}',
    'data: {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}',
    'data: [DONE]',
  ].join('\n\n') + '\n\n';
  const decoded = decode(utf8(body), { contentType: 'text/event-stream' });
  assert.equal(decoded.format, 'openai');
  assert.deepEqual(summarize(decoded.events).usage, { inputTokens: 1, outputTokens: 1, totalTokens: 2 });
  const usageFirst = decode(utf8('data: {"choices":[],"usage":{"prompt_tokens":1}}\n\ndata: [DONE]\n\n'), { contentType: 'text/event-stream' });
  assert.equal(usageFirst.format, 'openai');
});

// Duplicates

test('an event repeating its own id is dropped; inherited ids are not duplicates', () => {
  const body =
    'id: 1\ndata: {"type":"token","content":"a"}\n\n' +
    'data: {"type":"token","content":"b"}\n\n' +
    'id: 1\ndata: {"type":"token","content":"a"}\n\n' +
    'id: 2\ndata: {"type":"token","content":"c"}\n\n' +
    'data: {"type":"done"}\n\n';
  assert.equal(summarize(decode(utf8(body), { contentType: 'text/event-stream' }).events).text, 'abc');
});

test('Responses events whose sequence_number is not above the last are dropped', () => {
  const body =
    'data: {"type":"response.output_text.delta","sequence_number":1,"delta":"a"}\n\n' +
    'data: {"type":"response.output_text.delta","sequence_number":1,"delta":"a"}\n\n' +
    'data: {"type":"response.output_text.delta","sequence_number":0,"delta":"z"}\n\n' +
    'data: {"type":"response.output_text.delta","sequence_number":2,"delta":"b"}\n\n' +
    'data: {"type":"response.completed","sequence_number":3,"response":{}}\n\n';
  const decoded = decode(utf8(body), { contentType: 'text/event-stream' });
  assert.equal(summarize(decoded.events).text, 'ab');
  assert.deepEqual(decoded.end, { complete: true });
});

test('empty data lines (keep-alives) are skipped, not parsed as JSON', () => {
  const decoded = decode(utf8('data:\n\ndata: {"type":"token","content":"a"}\n\ndata: \n\ndata: {"type":"done"}\n\n'), { contentType: 'text/event-stream' });
  assert.equal(summarize(decoded.events).text, 'a');
  assert.deepEqual(decoded.end, { complete: true });
});

// Formerly "ends at the chunk with finishReason": Gemini has no end marker, so the stream is complete
// when the body closes after a finish reason (issue 13); the expectation itself is unchanged.
test('Gemini separated by \\r\\r is complete when the body closes after a finishReason', () => {
  const body = 'data: {"candidates":[{"content":{"parts":[{"text":"a"}]},"index":0}]}\r\r' + 'data: {"candidates":[{"content":{"parts":[{"text":"b"}]},"finishReason":"STOP","index":0}]}\r\r';
  for (const cuts of [[], byteByByte.cuts(body.length)]) {
    const decoded = decode(utf8(body), { contentType: 'text/event-stream' }, cuts);
    assert.equal(summarize(decoded.events).text, 'ab');
    assert.deepEqual(decoded.end, { complete: true });
  }
});

test('without a Content-Type, a body starting with < is an HTML page', () => {
  const decoded = decode(utf8('<!DOCTYPE html><title>Error</title>'), { contentType: null });
  assert.equal(summarize(decoded.events).errors[0]?.code, 'content_type');
});

test('an application/json error body is a provider error even when a format was requested', () => {
  const decoded = decode(utf8('{"message":"Unauthorized"}'), { contentType: 'application/json; charset=utf-8', format: 'openai' });
  assert.deepEqual(summarize(decoded.events).errors, [{ type: 'error', code: 'provider', message: 'Unauthorized' }]);
});

test('plain text that is not JSON under application/json is a protocol error, not answer text', () => {
  const decoded = decode(utf8('Internal Server Error'), { contentType: 'application/json' });
  const summary = summarize(decoded.events);
  assert.equal(summary.text, '');
  assert.equal(summary.errors[0]?.code, 'protocol');
});

test('endless leading whitespace of an unlabelled body is capped like an event', () => {
  const decoded = decode(utf8(' '.repeat(300)), { contentType: null, maxEventSize: 100 }, [50, 100, 150, 200]);
  assert.equal(summarize(decoded.events).errors[0]?.code, 'protocol');
});
