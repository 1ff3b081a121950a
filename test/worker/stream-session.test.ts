/**
 * The worker's stream session in Node: a fake `fetch` (globalThis.fetch returning a Response over a
 * ReadableStream the test controls) and a fake sink (collects every batch; Comlink's `releaseProxy`
 * is a symbol-keyed method on it). No worker and no browser: the session is wiring around the pure
 * pipeline, and this proves the wiring — retries, timeouts, error bodies, closing.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { releaseProxy, type Remote } from 'comlink';
import { resolveMarkdownOptions } from '../../src/markdown/renderer.js';
import type { StreamMessage, StreamOptions, StreamSink, StreamSource } from '../../worker/protocol.js';
import { createStreamSession, type StreamSession } from '../../worker/stream-session.js';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

const encoder = new TextEncoder();

/** One scripted response: status, headers, body chunks, and how the body goes on after them. */
interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  chunks: string[];
  /** After the chunks: `end` closes the body, `stall` sends nothing more, `break` errors it. */
  then?: 'end' | 'stall' | 'break';
}

/** Installs a fake fetch answering the scripted responses in order; counts the requests it saw. */
function fakeFetch(responses: ScriptedResponse[]): { calls: number } {
  const seen = { calls: 0 };
  globalThis.fetch = (async (_url: string | URL | Request, init?: RequestInit) => {
    const script = responses[seen.calls++];
    if (!script) throw new TypeError('no more scripted responses');
    const signal = init?.signal ?? null;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // Like a real fetch: aborting the request errors the body being read.
        signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')), { once: true });
        for (const chunk of script.chunks) controller.enqueue(encoder.encode(chunk));
        if ((script.then ?? 'end') === 'end') controller.close();
        // Later, not at once: an erroring stream drops the chunks still queued in it.
        else if (script.then === 'break') setTimeout(() => controller.error(new TypeError('terminated')), 20);
      },
    });
    return new Response(body, { status: script.status ?? 200, headers: script.headers ?? {} });
  }) as typeof fetch;
  return seen;
}

function streamOptions(overrides: Partial<StreamOptions> = {}): StreamOptions {
  return {
    format: 'auto',
    markdown: resolveMarkdownOptions(),
    firstByteTimeoutMs: 2000,
    idleTimeoutMs: 2000,
    retry: {},
    pacing: 'none',
    batchMs: 5,
    ...overrides,
  };
}

interface Run {
  messages: StreamMessage[];
  batches: number;
  /** Settles once the session released the sink's proxy (it has closed). */
  closed: Promise<void>;
  onCloseCalls: () => number;
  session: StreamSession;
}

function run(source: StreamSource, options: StreamOptions = streamOptions()): Run {
  const messages: StreamMessage[] = [];
  let batches = 0;
  let onCloseCalls = 0;
  let released: () => void = () => {};
  const closed = new Promise<void>((resolve) => (released = resolve));
  const sink = {
    async receive(batch: StreamMessage[]) {
      batches++;
      messages.push(...batch);
    },
    [releaseProxy]() {
      released();
    },
  } as unknown as Remote<StreamSink>;
  const session = createStreamSession(source, options, sink, () => onCloseCalls++);
  return {
    messages,
    get batches() {
      return batches;
    },
    closed,
    onCloseCalls: () => onCloseCalls,
    session,
  };
}

const fetchSource: StreamSource = { kind: 'fetch', request: { url: '/api/chat' }, baseUrl: 'http://app.test/' };
const sse = (payload: object | string): string => `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
const delta = (content: string): string => sse({ choices: [{ index: 0, delta: { content } }] });
const textOf = (messages: StreamMessage[]): string =>
  messages.map((m) => (m.kind === 'patch' ? m.text : '')).join('');
const last = (messages: StreamMessage[]): StreamMessage | undefined => messages.at(-1);

test('a full answer: open, patches with the text, then end done with finish reason and usage', async () => {
  const fetches = fakeFetch([{
    headers: { 'content-type': 'text/event-stream' },
    chunks: [
      delta('Hello, '),
      delta('**world**.'),
      sse({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
      sse({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } }),
      sse('[DONE]'),
    ],
  }]);
  const stream = run(fetchSource);
  await stream.closed;
  assert.equal(fetches.calls, 1);
  assert.deepEqual(stream.messages[0], { kind: 'open', status: 200, contentType: 'text/event-stream' });
  assert.deepEqual(stream.messages[1], { kind: 'format', format: 'openai' }, 'the decoded format, once');
  assert.equal(stream.messages.filter((m) => m.kind === 'format').length, 1);
  assert.equal(textOf(stream.messages), 'Hello, **world**.');
  const end = last(stream.messages);
  assert.equal(end?.kind, 'end');
  if (end?.kind !== 'end') return;
  assert.equal(end.result.status, 'done');
  assert.equal(end.result.finishReason, 'stop');
  assert.equal(end.result.text, 'Hello, **world**.');
  assert.deepEqual(end.result.usage, { inputTokens: 7, outputTokens: 3, totalTokens: 10 });
  assert.equal(stream.onCloseCalls(), 1);
  const html = stream.messages.flatMap((m) => (m.kind === 'patch' ? m.patches : []))
    .map((p) => (p.op === 'commit' ? p.html : '')).join('');
  assert.match(html, /<strong>world<\/strong>/);
});

test('a body that ends without [DONE] ends incomplete', async () => {
  fakeFetch([{ headers: { 'content-type': 'text/event-stream' }, chunks: [delta('half an ans')] }]);
  const stream = run(fetchSource);
  await stream.closed;
  const end = last(stream.messages);
  assert.equal(end?.kind, 'end');
  if (end?.kind !== 'end') return;
  assert.equal(end.result.status, 'incomplete');
  assert.ok(end.result.reason);
  assert.equal(textOf(stream.messages), 'half an ans');
});

test('HTTP 429 with Retry-After is retried after that delay, then the answer streams', async () => {
  const fetches = fakeFetch([
    { status: 429, headers: { 'retry-after': '0.02', 'content-type': 'application/json' }, chunks: ['{"error":{"message":"Rate limited"}}'] },
    { headers: { 'content-type': 'text/event-stream' }, chunks: [delta('after the wait'), sse('[DONE]')] },
  ]);
  const started = performance.now();
  const stream = run(fetchSource);
  await stream.closed;
  assert.equal(fetches.calls, 2);
  const retry = stream.messages.find((m) => m.kind === 'retry');
  assert.ok(retry && retry.kind === 'retry');
  assert.equal(retry.attempt, 1);
  assert.equal(retry.delayMs, 20);
  assert.equal(retry.error.code, 'http');
  assert.equal(retry.error.status, 429);
  assert.equal(retry.error.retryAfterMs, 20);
  assert.equal(retry.error.message, 'HTTP 429: Rate limited');
  assert.ok(performance.now() - started >= 15, 'the session waited before retrying');
  assert.equal(textOf(stream.messages), 'after the wait');
  assert.equal(last(stream.messages)?.kind, 'end');
});

test('no retry once answer text was shown: the break fails the stream as cut off', async () => {
  const fetches = fakeFetch([
    { headers: { 'content-type': 'text/event-stream' }, chunks: [delta('The first words')], then: 'break' },
    { headers: { 'content-type': 'text/event-stream' }, chunks: [delta('a second answer'), sse('[DONE]')] },
  ]);
  const stream = run(fetchSource);
  await stream.closed;
  assert.equal(fetches.calls, 1, 'a retry would show a second answer after the first one');
  assert.equal(stream.messages.some((m) => m.kind === 'retry'), false);
  assert.equal(textOf(stream.messages), 'The first words');
  const error = last(stream.messages);
  assert.equal(error?.kind, 'error');
  if (error?.kind !== 'error') return;
  assert.equal(error.error.code, 'network');
  assert.match(error.error.message, /the answer was cut off$/);
});

test('a body that stalls mid-answer ends with a timeout error after the idle timeout', async () => {
  fakeFetch([{ headers: { 'content-type': 'text/event-stream' }, chunks: [delta('Thinking about')], then: 'stall' }]);
  const started = performance.now();
  const stream = run(fetchSource, streamOptions({ idleTimeoutMs: 60 }));
  await stream.closed;
  const elapsed = performance.now() - started;
  const error = last(stream.messages);
  assert.equal(error?.kind, 'error');
  if (error?.kind !== 'error') return;
  assert.equal(error.error.code, 'timeout');
  assert.match(error.error.message, /^no data for 60 ms/);
  assert.equal(error.finishReason, 'error');
  assert.ok(elapsed >= 55, `timed out after ${elapsed} ms`);
  assert.equal(textOf(stream.messages), 'Thinking about', 'the text before the stall stays');
});

test('a JSON error body is summarised to the provider message (no retry for a 400)', async () => {
  const fetches = fakeFetch([{
    status: 400,
    headers: { 'content-type': 'application/json' },
    chunks: [JSON.stringify({ error: { message: 'The model `gpt-9` does not exist', type: 'invalid_request_error' } }, null, 2)],
  }]);
  const stream = run(fetchSource);
  await stream.closed;
  assert.equal(fetches.calls, 1);
  const error = last(stream.messages);
  assert.equal(error?.kind, 'error');
  if (error?.kind !== 'error') return;
  assert.deepEqual(error.error, { code: 'http', message: 'HTTP 400: The model `gpt-9` does not exist', status: 400 });
  assert.equal(stream.messages.some((m) => m.kind === 'open'), false, 'an error response never opens the stream');
});

test('push mode: written text renders and end() finishes with stop', async () => {
  const stream = run({ kind: 'push' });
  stream.session.write([{ type: 'text', text: 'pushed ' }]);
  stream.session.write([{ type: 'text', text: 'text' }]);
  stream.session.end();
  await stream.closed;
  assert.deepEqual(stream.messages[0], { kind: 'open', status: 200 });
  assert.equal(textOf(stream.messages), 'pushed text');
  const end = last(stream.messages);
  assert.ok(end?.kind === 'end' && end.result.finishReason === 'stop' && end.result.status === 'done');
});

test('push mode: reasoning, tool calls and sources are parts of the result; control events from the page are ignored', async () => {
  const stream = run({ kind: 'push' });
  stream.session.write([
    { type: 'reasoning', text: 'Let me think.' },
    { type: 'tool-call', id: 'c1', name: 'search', argumentsDelta: '{"q":' },
    { type: 'end' } as never,
    { type: 'tool-call', id: 'c1', argumentsDelta: '"x"}', status: 'complete' },
    { type: 'source', url: 'javascript:alert(1)' },
    { type: 'source', url: 'https://example.com/a', title: 'A' },
    { type: 'text', text: 'Answer.' },
  ]);
  stream.session.end();
  await stream.closed;
  const end = last(stream.messages);
  assert.ok(end?.kind === 'end');
  assert.equal(end.result.status, 'done');
  assert.equal(end.result.text, 'Answer.');
  assert.equal(end.result.reasoning, 'Let me think.');
  assert.deepEqual(end.result.toolCalls, [{ id: 'c1', name: 'search', arguments: '{"q":"x"}', status: 'complete' }]);
  assert.deepEqual(end.result.sources, [{ url: 'https://example.com/a', title: 'A' }]);
});

test('abort stops the fetch and sends nothing more', async () => {
  fakeFetch([{ headers: { 'content-type': 'text/event-stream' }, chunks: [delta('one')], then: 'stall' }]);
  const stream = run(fetchSource);
  await new Promise((resolve) => setTimeout(resolve, 30));
  const before = stream.messages.length;
  stream.session.abort();
  await stream.closed;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(stream.messages.length, before);
  assert.equal(stream.messages.some((m) => m.kind === 'end' || m.kind === 'error'), false);
  assert.equal(stream.onCloseCalls(), 1);
});

test('one huge network read is decoded and rendered in bounded slices, each its own batch', async () => {
  // 2 000 paragraphs in a single chunk (~400 KB): a proxy that buffered the whole answer.
  const paragraphs = Array.from({ length: 2000 }, (_, i) => `Paragraph ${i} of a long answer that arrived in one read, with some words.\n\n`);
  fakeFetch([{ headers: { 'content-type': 'text/event-stream' }, chunks: [paragraphs.map((p) => delta(p)).join('') + sse('[DONE]')] }]);
  const stream = run(fetchSource);
  await stream.closed;
  const patches = stream.messages.filter((m) => m.kind === 'patch');
  assert.equal(textOf(stream.messages), paragraphs.join(''));
  const bytes = encoder.encode(paragraphs.map((p) => delta(p)).join('')).length;
  assert.ok(patches.length >= Math.floor(bytes / (64 * 1024)), `${patches.length} batches for ${bytes} bytes in one read`);
  assert.equal(last(stream.messages)?.kind, 'end');
});

test('a batch the page has not taken in holds the next ones back; they go together once it is taken, and the last batch goes regardless', async () => {
  const batches: StreamMessage[][] = [];
  const takers: Array<() => void> = [];
  let released: () => void = () => {};
  const closed = new Promise<void>((resolve) => (released = resolve));
  const sink = {
    receive(batch: StreamMessage[]) {
      batches.push(batch);
      return new Promise<void>((resolve) => takers.push(resolve));
    },
    [releaseProxy]() {
      released();
    },
  } as unknown as Remote<StreamSink>;
  const session = createStreamSession({ kind: 'push' }, streamOptions(), sink, () => {});
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  session.write([{ type: 'text', text: 'one ' }]);
  await wait(30);
  assert.equal(batches.length, 1, 'the first batch went');
  session.write([{ type: 'text', text: 'two ' }]);
  await wait(30);
  session.write([{ type: 'text', text: 'three ' }]);
  await wait(30);
  assert.equal(batches.length, 1, 'nothing more while the first is not taken in (the page holds it)');
  takers.shift()!();
  await wait(30);
  assert.equal(batches.length, 2, 'taken in: what waited goes as one batch');
  assert.equal(textOf(batches[1]!), 'two three ');
  session.write([{ type: 'text', text: 'four' }]);
  session.end();
  await closed;
  assert.equal(batches.length, 3, 'the last batch went although the second was never taken in');
  assert.equal(textOf(batches.flat()), 'one two three four');
  assert.equal(last(batches[2]!)?.kind, 'end');
});
