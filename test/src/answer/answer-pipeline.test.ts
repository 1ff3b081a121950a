import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAnswerPipeline, type AnswerPipelineOptions } from '../../../src/answer/answer-pipeline.js';
import type { EndMessage, ErrorMessage, PatchMessage, StreamMessage } from '../../../src/answer/messages.js';
import { LlmStreamError } from '../../../src/errors.js';
import { applyPatchesToHtml, joinHtml, type HtmlState } from '../../../src/markdown/html-model.js';
import { createMarkdownEngine, renderMarkdown } from '../../../src/markdown/markdown-engine.js';
import { resolveMarkdownOptions } from '../../../src/markdown/renderer.js';
import type { ProviderEvent } from '../../../src/types.js';
import { createPacer } from '../../../src/answer/pacer.js';
import { createRedactor } from '../../../src/answer/redactor.js';

/** A clock that moves only when the test says so. */
function fakeClock(start = 1000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

/** The pipeline as the worker builds it, with its optional stages (pacing, redaction) given. */
function pipelineWith(clock: { now: () => number }, overrides: Partial<AnswerPipelineOptions> = {}) {
  return createAnswerPipeline({ markdown: resolveMarkdownOptions(), pacing: 'none', now: clock.now, createPacer, createRedactor, ...overrides });
}

const text = (value: string): ProviderEvent => ({ type: 'text', text: value });
const ofKind = <K extends StreamMessage['kind']>(messages: StreamMessage[], kind: K) =>
  messages.filter((m): m is Extract<StreamMessage, { kind: K }> => m.kind === kind);

/** What the page would hold after applying every patch message, and the text it would show. */
function applyAll(messages: StreamMessage[]): { html: string; text: string } {
  let state: HtmlState = { blocks: [], tail: '' };
  let shown = '';
  for (const message of ofKind(messages, 'patch')) {
    state = applyPatchesToHtml(state, message.patches);
    shown += message.text;
  }
  return { html: joinHtml(state), text: shown };
}

test('text events between two batches become one patch message carrying their text', () => {
  const clock = fakeClock();
  const pipeline = pipelineWith(clock);
  for (const piece of ['Hello', ', ', 'world']) {
    assert.deepEqual(pipeline.push(text(piece)), { kind: 'accepted', render: true });
  }
  const messages = pipeline.flush();
  assert.equal(messages.length, 1);
  const patch = messages[0] as PatchMessage;
  assert.equal(patch.kind, 'patch');
  assert.equal(patch.text, 'Hello, world');
  assert.equal(applyAll(messages).html, renderMarkdown('Hello, world'));
});

test('a batch with nothing new produces no message', () => {
  const pipeline = pipelineWith(fakeClock());
  pipeline.push(text('a'));
  pipeline.flush();
  assert.deepEqual(pipeline.flush(), []);
  assert.deepEqual(pipeline.push(text('')), { kind: 'accepted', render: false }, 'an empty delta schedules nothing');
});

test('the patches of all batches rebuild exactly the one-shot render of the whole answer', () => {
  const clock = fakeClock();
  const pipeline = pipelineWith(clock);
  const answer = '# Title\n\nSome *emphasis* and `code`.\n\n- one\n- two\n\n```js\nlet x = 1;\n```\n';
  const messages: StreamMessage[] = [];
  for (let i = 0; i < answer.length; i += 7) {
    pipeline.push(text(answer.slice(i, i + 7)));
    clock.advance(16);
    messages.push(...pipeline.flush());
  }
  messages.push(...pipeline.end({ status: 'done' }));
  assert.equal(applyAll(messages).html, renderMarkdown(answer));
  assert.equal(applyAll(messages).text, answer);
  const end = messages.at(-1) as EndMessage;
  assert.equal(end.kind, 'end');
  assert.equal(end.result.text, answer);
});

test('word pacing holds a half word back until it completes, and end releases the rest', () => {
  const clock = fakeClock();
  const pipeline = pipelineWith(clock, { pacing: 'word' });
  pipeline.push(text('Hel'));
  assert.deepEqual(pipeline.flush(), [], 'nothing is released mid-word');
  assert.equal(pipeline.pending, 3);
  pipeline.push(text('lo wor'));
  clock.advance(16);
  const batch = pipeline.flush();
  assert.equal((batch[0] as PatchMessage).text, 'Hello ');
  assert.equal(pipeline.pending, 3);
  const last = pipeline.end({ status: 'done' });
  assert.equal((last[0] as PatchMessage).text, 'wor');
  assert.equal(pipeline.pending, 0);
});

test('smooth pacing spreads a burst over batches as the clock advances', () => {
  const clock = fakeClock();
  const pipeline = pipelineWith(clock, { pacing: 'smooth' });
  const burst = 'word '.repeat(200);
  pipeline.push(text(burst));
  const released: string[] = [];
  for (let frame = 0; frame < 5; frame++) {
    clock.advance(16);
    const [message] = pipeline.flush();
    released.push(message?.kind === 'patch' ? message.text : '');
  }
  assert.ok(released.every((part) => part.length > 0), 'every frame shows some of the burst');
  assert.ok(pipeline.pending > 0, 'five frames do not show a 1000-character burst at once');
  assert.ok(released.join('').length < burst.length / 2);
  const rest = pipeline.end({ status: 'done' });
  assert.equal(released.join('') + (rest[0] as PatchMessage).text, burst);
});

test('redaction replaces a match split across deltas before it renders, then reports the count', () => {
  const clock = fakeClock();
  const pipeline = pipelineWith(clock, { redact: { patterns: ['\\d{3}-\\d{4}'], replacement: '[number]' } });
  pipeline.push(text('Call 555-'));
  pipeline.push(text('1234 today. '));
  const messages = [...pipeline.flush(), ...pipeline.end({ status: 'done' })];
  const shown = applyAll(messages);
  assert.ok(!shown.text.includes('555') && !shown.text.includes('1234'), shown.text);
  assert.equal(shown.text, 'Call [number] today. ');
  const redacts = ofKind(messages, 'redact');
  assert.deepEqual(redacts.map((m) => m.count), [1]);
  const redactIndex = messages.indexOf(redacts[0] as StreamMessage);
  assert.equal(messages[redactIndex - 1]?.kind, 'patch', 'the count follows the patch that hid the match');
  assert.equal((messages.at(-1) as EndMessage).result.text, 'Call [number] today. ');
});

test('usage, finish reason and timing from the fake clock end up in the result', () => {
  const clock = fakeClock(1000);
  const pipeline = pipelineWith(clock, { pricing: { inputPerMTok: 1_000_000, outputPerMTok: 2_000_000 } });
  pipeline.push({ type: 'usage', usage: { inputTokens: 10 } });
  clock.advance(100);
  pipeline.push(text('Hello world, this is the answer.'));
  clock.advance(400);
  pipeline.push({ type: 'usage', usage: { outputTokens: 5 } });
  pipeline.push({ type: 'finish', reason: 'length' });
  assert.deepEqual(pipeline.push({ type: 'end' }), { kind: 'complete' });
  const end = pipeline.end({ status: 'done' }).at(-1) as EndMessage;
  assert.equal(end.kind, 'end');
  assert.equal(end.result.status, 'done');
  assert.equal(end.result.finishReason, 'length');
  assert.deepEqual(end.result.usage, { inputTokens: 10, outputTokens: 5, totalTokens: 15 });
  assert.equal(end.result.metrics.ttftMs, 100);
  assert.equal(end.result.metrics.totalMs, 500);
  assert.equal(end.result.metrics.outputTokens, 5, 'the provider count wins at the end');
  assert.equal(end.result.metrics.tpotMs, 100, '400 ms over the 4 tokens after the first');
  assert.equal(end.result.metrics.cost, 10 + 5 * 2);
  assert.equal(end.result.reason, undefined);
});

test('an answer without its end marker ends incomplete, with the reason', () => {
  const pipeline = pipelineWith(fakeClock());
  pipeline.push(text('cut'));
  const end = pipeline.end({ status: 'incomplete', reason: 'the body ended before [DONE]' }).at(-1) as EndMessage;
  assert.equal(end.result.status, 'incomplete');
  assert.equal(end.result.reason, 'the body ended before [DONE]');
  assert.equal(end.result.finishReason, 'unknown', 'no finish event arrived');
  assert.ok(pipeline.closed);
  assert.deepEqual(pipeline.end({ status: 'done' }), [], 'a closed pipeline says nothing more');
});

test('push mode sets its own finish reason at the end', () => {
  const pipeline = pipelineWith(fakeClock());
  pipeline.push(text('typed by hand'));
  const end = pipeline.end({ status: 'done', finishReason: 'stop' }).at(-1) as EndMessage;
  assert.equal(end.result.finishReason, 'stop');
});

test('a provider error event fails the answer: the text so far is rendered, then the error with usage', () => {
  const clock = fakeClock();
  const pipeline = pipelineWith(clock);
  pipeline.push(text('Partial '));
  pipeline.push({ type: 'usage', usage: { inputTokens: 3 } });
  const outcome = pipeline.push({ type: 'error', code: 'provider', message: 'Overloaded', providerType: 'overloaded_error' });
  assert.equal(outcome.kind, 'failed');
  if (outcome.kind !== 'failed') return;
  assert.ok(outcome.error instanceof LlmStreamError);
  assert.equal(outcome.error.code, 'provider');
  assert.equal(outcome.error.type, 'overloaded_error');
  const messages = pipeline.fail(outcome.error);
  assert.equal(applyAll(messages).text, 'Partial ');
  const error = messages.at(-1) as ErrorMessage;
  assert.equal(error.kind, 'error');
  assert.deepEqual(error.error, { code: 'provider', message: 'Overloaded', providerType: 'overloaded_error' });
  assert.equal(error.finishReason, 'error');
  assert.deepEqual(error.usage, { inputTokens: 3 });
  assert.equal(ofKind(messages, 'end').length, 0);
  assert.ok(pipeline.closed);
});

test('a renderer that throws ends the answer as a worker error, never done, with the text exact', () => {
  const clock = fakeClock();
  let flushes = 0;
  const pipeline = pipelineWith(clock, {
    createEngine: (options) => {
      const engine = createMarkdownEngine(options);
      return {
        write: (chunk) => engine.write(chunk),
        flush: () => {
          if (++flushes === 2) throw new Error('boom');
          return engine.flush();
        },
        end: () => engine.end(),
        get text() {
          return engine.text;
        },
        get degraded() {
          return engine.degraded;
        },
      };
    },
  });
  pipeline.push(text('Hello'));
  const first = pipeline.flush();
  pipeline.push(text(' world'));
  const second = pipeline.flush();
  assert.ok(pipeline.closed, 'the failure closes the answer');
  assert.deepEqual(second.map((m) => m.kind), ['patch', 'error']);
  const error = second[1] as ErrorMessage;
  assert.equal(error.error.code, 'worker');
  assert.match(error.error.message, /rendering failed: boom/);
  assert.equal(error.finishReason, 'error');
  assert.equal(applyAll([...first, ...second]).text, 'Hello world', 'every character still reaches the page');
  assert.deepEqual(pipeline.end({ status: 'done' }), [], 'no `end` after the failure');
  assert.deepEqual(pipeline.flush(), []);
});

test('a renderer that throws on the final render fails instead of ending', () => {
  const pipeline = pipelineWith(fakeClock(), {
    createEngine: (options) => ({ ...createMarkdownEngine(options), end: () => { throw new Error('late'); }, text: '', degraded: false }),
  });
  pipeline.push(text('x'));
  const messages = pipeline.end({ status: 'done' });
  assert.deepEqual(messages.map((m) => m.kind), ['patch', 'error']);
  assert.equal((messages[1] as ErrorMessage).error.code, 'worker');
  assert.equal(applyAll(messages).text, 'x');
});

test('event types it does not know are ignored, not rendered', () => {
  const pipeline = pipelineWith(fakeClock());
  const unknown = { type: 'citation-v9', text: 'thinking…' } as unknown as ProviderEvent;
  assert.deepEqual(pipeline.push(unknown), { kind: 'accepted', render: false });
  pipeline.push(text('answer'));
  const end = pipeline.end({ status: 'done' }).at(-1) as EndMessage;
  assert.equal(end.result.text, 'answer');
});

test('answerShown stays false for usage and turns true with the first answer text', () => {
  const pipeline = pipelineWith(fakeClock());
  pipeline.push({ type: 'usage', usage: { inputTokens: 1 } });
  assert.equal(pipeline.answerShown, false);
  pipeline.push(text('a'));
  assert.equal(pipeline.answerShown, true);
});

// ---- The whole response: reasoning, tool calls and sources travel beside the text ----

/** The reasoning HTML the page would hold after every patch message, and its raw text. */
function applyReasoning(messages: StreamMessage[]): { html: string; text: string } {
  let state: HtmlState = { blocks: [], tail: '' };
  let shown = '';
  for (const message of ofKind(messages, 'patch')) {
    if (!message.reasoning) continue;
    state = applyPatchesToHtml(state, message.reasoning.patches);
    shown += message.reasoning.text;
  }
  return { html: joinHtml(state), text: shown };
}

test('reasoning renders through its own engine, at every split, equal to its one-shot rendering; never in text', () => {
  const thinking = 'First, **list** the cases:\n\n1. empty\n2. one item\n\n```js\nlet x = 1;\n```\nThen decide.';
  const answer = 'The answer is *two*.';
  for (let split = 1; split < thinking.length; split += 7) {
    const clock = fakeClock();
    const pipeline = pipelineWith(clock);
    const messages: StreamMessage[] = [];
    for (const piece of [thinking.slice(0, split), thinking.slice(split)]) {
      assert.deepEqual(pipeline.push({ type: 'reasoning', text: piece }), { kind: 'accepted', render: true });
      clock.advance(10);
      messages.push(...pipeline.flush());
    }
    pipeline.push(text(answer));
    messages.push(...pipeline.end({ status: 'done', finishReason: 'stop' }));
    const reasoning = applyReasoning(messages);
    assert.equal(reasoning.text, thinking);
    assert.equal(reasoning.html, renderMarkdown(thinking), `split at ${split}`);
    assert.equal(applyAll(messages).text, answer);
    const end = ofKind(messages, 'end')[0]!;
    assert.equal(end.result.reasoning, thinking);
    assert.equal(end.result.text, answer);
  }
});

test('metrics: TTFT counts the first reasoning token; reasoningMs runs from the first reasoning to the first text', () => {
  const clock = fakeClock(1000);
  const pipeline = pipelineWith(clock);
  clock.advance(200);
  pipeline.push({ type: 'reasoning', text: 'Thinking about it' });
  clock.advance(3000);
  const live = ofKind(pipeline.flush(), 'patch')[0]!;
  assert.equal(live.metrics.ttftMs, 200);
  assert.equal(live.metrics.reasoningMs, 3000, 'still thinking: up to now');
  clock.advance(1000);
  pipeline.push(text('Answer'));
  clock.advance(500);
  const end = ofKind(pipeline.end({ status: 'done' }), 'end')[0]!;
  assert.equal(end.result.metrics.ttftMs, 200);
  assert.equal(end.result.metrics.reasoningMs, 4000);
  const plain = pipelineWith(fakeClock());
  plain.push(text('x'));
  assert.equal(ofKind(plain.end({ status: 'done' }), 'end')[0]!.result.metrics.reasoningMs, 0);
});

test('tool calls: changed calls travel whole in the batch; a call still streaming at the end is incomplete', () => {
  const pipeline = pipelineWith(fakeClock());
  pipeline.push({ type: 'tool-call', id: 'a', name: 'search', argumentsDelta: '{"q":"te' });
  pipeline.push({ type: 'tool-call', id: 'b', name: 'fetch', argumentsDelta: '{"url":' });
  const first = ofKind(pipeline.flush(), 'patch')[0]!;
  assert.deepEqual(first.toolCalls, [
    { id: 'a', name: 'search', arguments: '{"q":"te', status: 'streaming' },
    { id: 'b', name: 'fetch', arguments: '{"url":', status: 'streaming' },
  ]);
  pipeline.push({ type: 'tool-call', id: 'a', argumentsDelta: 'st"}', status: 'complete' });
  const second = ofKind(pipeline.flush(), 'patch')[0]!;
  assert.deepEqual(second.toolCalls, [{ id: 'a', name: 'search', arguments: '{"q":"test"}', status: 'complete' }], 'only what changed');
  const messages = pipeline.end({ status: 'incomplete', reason: 'cut' });
  assert.deepEqual(ofKind(messages, 'patch')[0]!.toolCalls, [{ id: 'b', name: 'fetch', arguments: '{"url":', status: 'incomplete' }]);
  assert.deepEqual(ofKind(messages, 'end')[0]!.result.toolCalls.map((call) => call.status), ['complete', 'incomplete']);
});

test('sources: http(s) only, one per URL, new ones per batch', () => {
  const pipeline = pipelineWith(fakeClock());
  assert.deepEqual(pipeline.push({ type: 'source', url: 'https://a.example/x', title: 'A' }), { kind: 'accepted', render: true });
  assert.deepEqual(pipeline.push({ type: 'source', url: 'javascript:alert(1)' }), { kind: 'accepted', render: false });
  assert.deepEqual(pipeline.push({ type: 'source', url: 'HTTPS://A.example/x' }), { kind: 'accepted', render: false }, 'same URL');
  assert.deepEqual(ofKind(pipeline.flush(), 'patch')[0]!.sources, [{ url: 'https://a.example/x', title: 'A' }]);
  pipeline.push({ type: 'source', url: 'http://b.example/' });
  const messages = pipeline.end({ status: 'done' });
  assert.deepEqual(ofKind(messages, 'patch')[0]!.sources, [{ url: 'http://b.example/' }]);
  assert.deepEqual(ofKind(messages, 'end')[0]!.result.sources, [{ url: 'https://a.example/x', title: 'A' }, { url: 'http://b.example/' }]);
});

test('redaction applies to reasoning as well as text', () => {
  const pipeline = pipelineWith(fakeClock(), { redact: { patterns: ['secret-\\d+'], replacement: '[x]' } });
  pipeline.push({ type: 'reasoning', text: 'the key is secret-' });
  pipeline.push({ type: 'reasoning', text: '42 so' });
  pipeline.push(text('done'));
  const messages = pipeline.end({ status: 'done' });
  assert.equal(ofKind(messages, 'end')[0]!.result.reasoning, 'the key is [x] so');
  assert.equal(ofKind(messages, 'redact').at(-1)?.count, 1);
});

test('reasoning shown counts as an answer shown (no retry after it)', () => {
  const pipeline = pipelineWith(fakeClock());
  assert.equal(pipeline.answerShown, false);
  pipeline.push({ type: 'reasoning', text: 'hm' });
  assert.equal(pipeline.answerShown, true);
});

test('without its optional stages: text is released as it arrives, and redaction asked for fails closed', () => {
  const pipeline = createAnswerPipeline({ markdown: resolveMarkdownOptions(), pacing: 'smooth', now: fakeClock().now });
  pipeline.push(text('all of it at once'));
  assert.equal(ofKind(pipeline.flush(), 'patch')[0]!.text, 'all of it at once');
  assert.throws(
    () => createAnswerPipeline({ markdown: resolveMarkdownOptions(), pacing: 'none', now: fakeClock().now, redact: { patterns: ['x'], replacement: '*' } }),
    (error: unknown) => error instanceof LlmStreamError && error.code === 'worker',
  );
});

test('flush(catchUp) releases everything smooth pacing holds (a hidden page watches nothing type)', () => {
  const clock = fakeClock();
  const pipeline = pipelineWith(clock, { pacing: 'smooth' });
  pipeline.push(text('x'.repeat(2000)));
  clock.advance(16);
  const paced = ofKind(pipeline.flush(), 'patch')[0]!.text.length;
  assert.ok(paced < 2000, `smooth pacing holds most of a burst back (released ${paced})`);
  clock.advance(16);
  assert.equal(ofKind(pipeline.flush(true), 'patch')[0]!.text.length, 2000 - paced);
  assert.equal(pipeline.pending, 0);
});
