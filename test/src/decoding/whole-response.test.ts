/**
 * The whole response through the real decoder: reasoning, tool calls and sources of every format,
 * and the splits that break naive decoders. Every case is decoded whole, byte by byte and at seeded
 * random splits, and folded with the response collector.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StreamDecoderOptions } from '../../../src/decoding/stream-decoder.js';
import { createResponseCollector, foldToolCall, type CollectedResponse } from '../../../src/decoding/response-collector.js';
import { byteByByte, decode, randomSplits, utf8, whole } from './helpers.js';

const sse = (...events: unknown[]): string => events.map((event) => `data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`).join('');
const typed = (...events: Array<{ type: string } & Record<string, unknown>>): string => events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('');

/** Decodes `body` at several splits; all must fold to the same response, which is returned. */
function collect(body: string, options: Omit<StreamDecoderOptions, 'onEvent'> = { contentType: 'text/event-stream' }): CollectedResponse & { end: { complete: boolean; reason?: string } } {
  const bytes = utf8(body);
  let first: (CollectedResponse & { end: { complete: boolean; reason?: string } }) | undefined;
  for (const splitter of [whole, byteByByte, randomSplits(5), randomSplits(99, 4)]) {
    const decoded = decode(bytes, options, splitter.cuts(bytes.length));
    const collector = createResponseCollector();
    for (const event of decoded.events) collector.add(event);
    const response = { ...collector.result(), end: decoded.end };
    if (first) assert.deepEqual(response, first, splitter.name);
    else first = response;
  }
  assert.ok(first);
  return first;
}

const chatChunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ choices: [{ index: 0, delta, finish_reason: finish }] });

// <think> in every format

test('<think> split as <thi + nk> across OpenAI deltas is reasoning, never text', () => {
  const response = collect(sse(chatChunk({ content: '<thi' }), chatChunk({ content: 'nk>weigh it</thi' }), chatChunk({ content: 'nk>\n\nAnswer' }), chatChunk({}, 'stop'), '[DONE]'));
  assert.equal(response.reasoning, 'weigh it');
  assert.equal(response.text, 'Answer');
  assert.equal(response.end.complete, true);
});

test('<think> at the start of plain text and of Ollama and Gemini text is reasoning', () => {
  assert.deepEqual(pick(collect('<think>a</think>b', { contentType: 'text/plain' })), { text: 'b', reasoning: 'a' });
  const ollama = '{"model":"m","response":"<think>a","done":false}\n{"model":"m","response":"</think>b","done":false}\n{"model":"m","response":"","done":true,"done_reason":"stop"}\n';
  assert.deepEqual(pick(collect(ollama, { contentType: 'application/x-ndjson' })), { text: 'b', reasoning: 'a' });
  const gemini = sse({ candidates: [{ content: { parts: [{ text: '  <think>a' }] }, index: 0 }] }, { candidates: [{ content: { parts: [{ text: '</think>b' }] }, finishReason: 'STOP', index: 0 }] });
  assert.deepEqual(pick(collect(gemini)), { text: 'b', reasoning: 'a' });
});

test('a <think> that never closes keeps everything as reasoning, and the stream still ends honestly', () => {
  const response = collect(sse(chatChunk({ content: '<think>never done' }), chatChunk({}, 'length'), '[DONE]'));
  assert.deepEqual(pick(response), { text: '', reasoning: 'never done' });
  assert.equal(response.finishReason, 'length');
});

function pick(response: CollectedResponse): { text: string; reasoning: string } {
  return { text: response.text, reasoning: response.reasoning };
}

// OpenAI chat tool calls

test('OpenAI tool_calls are merged by index, arguments split mid-JSON, interleaved calls kept apart', () => {
  const response = collect(
    sse(
      chatChunk({ role: 'assistant', content: null }),
      chatChunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chatChunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
      chatChunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{"tz":' } }] }),
      chatChunk({ tool_calls: [{ index: 0, function: { arguments: 'ty": "Oslo"}' } }] }),
      chatChunk({ tool_calls: [{ index: 1, function: { arguments: ' "CET"}' } }] }),
      chatChunk({}, 'tool_calls'),
      '[DONE]',
    ),
  );
  assert.deepEqual(response.toolCalls, [
    { id: 'call_a', name: 'get_weather', arguments: '{"city": "Oslo"}', status: 'complete' },
    { id: 'call_b', name: 'get_time', arguments: '{"tz": "CET"}', status: 'complete' },
  ]);
  assert.equal(response.finishReason, 'tool_calls');
});

test('OpenAI tool calls without ids, or with a reused id, get unique non-empty ids', () => {
  const response = collect(
    sse(
      chatChunk({ tool_calls: [{ index: 0, id: '', function: { name: 'a', arguments: '{}' } }] }),
      chatChunk({ tool_calls: [{ index: 1, id: 'dup', function: { name: 'b', arguments: '{}' } }] }),
      chatChunk({ tool_calls: [{ index: 2, id: 'dup', function: { name: 'c', arguments: '{}' } }] }),
      chatChunk({}, 'tool_calls'),
      '[DONE]',
    ),
  );
  const ids = response.toolCalls.map((call) => call.id);
  assert.deepEqual(response.toolCalls.map((call) => call.name), ['a', 'b', 'c']);
  assert.ok(ids.every((id) => id !== ''));
  assert.equal(new Set(ids).size, 3);
  assert.equal(ids[1], 'dup');
});

test('a tool call cut by finish_reason length is incomplete; malformed arguments stay raw', () => {
  const response = collect(sse(chatChunk({ tool_calls: [{ index: 0, id: 'c1', function: { name: 'f', arguments: '{"a": [1,' } }] }), chatChunk({}, 'length'), '[DONE]'));
  assert.deepEqual(response.toolCalls, [{ id: 'c1', name: 'f', arguments: '{"a": [1,', status: 'incomplete' }]);
});

test('a tool call still streaming when the body ends is incomplete, and so is the stream', () => {
  const response = collect(sse(chatChunk({ tool_calls: [{ index: 0, id: 'c1', function: { name: 'f', arguments: '{"a"' } }] })));
  assert.equal(response.toolCalls[0]?.status, 'incomplete');
  assert.deepEqual(response.end, { complete: false, reason: 'the body ended before data: [DONE]' });
});

// OpenAI Responses

test('Responses function_call items stream their arguments by item_id and complete at output_item.done', () => {
  const item = { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '' };
  const response = collect(
    typed(
      { type: 'response.output_item.added', sequence_number: 1, output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [] } },
      { type: 'response.reasoning_summary_text.delta', sequence_number: 2, item_id: 'rs_1', summary_index: 0, delta: 'First part.' },
      { type: 'response.reasoning_summary_text.delta', sequence_number: 3, item_id: 'rs_1', summary_index: 1, delta: 'Second part.' },
      { type: 'response.output_item.added', sequence_number: 4, output_index: 1, item },
      { type: 'response.function_call_arguments.delta', sequence_number: 5, item_id: 'fc_1', output_index: 1, delta: '{"q":' },
      { type: 'response.function_call_arguments.delta', sequence_number: 6, item_id: 'fc_1', output_index: 1, delta: ' "x"}' },
      { type: 'response.function_call_arguments.done', sequence_number: 7, item_id: 'fc_1', output_index: 1, arguments: '{"q": "x"}' },
      { type: 'response.output_item.done', sequence_number: 8, output_index: 1, item: { ...item, arguments: '{"q": "x"}', status: 'completed' } },
      { type: 'response.completed', sequence_number: 9, response: { output: [{ ...item, arguments: '{"q": "x"}' }], usage: { input_tokens: 1, output_tokens: 9, output_tokens_details: { reasoning_tokens: 4 } } } },
    ),
  );
  assert.deepEqual(response.toolCalls, [{ id: 'call_1', name: 'lookup', arguments: '{"q": "x"}', status: 'complete' }]);
  assert.equal(response.reasoning, 'First part.\n\nSecond part.');
  assert.equal(response.finishReason, 'tool_calls');
  assert.deepEqual(response.usage, { inputTokens: 1, outputTokens: 9, reasoningTokens: 4 });
});

test('Responses url_citation annotations are sources, once per URL, only http(s)', () => {
  const annotation = (url: string, title: string) => ({ type: 'url_citation', url, title, start_index: 0, end_index: 1 });
  const response = collect(
    typed(
      { type: 'response.output_text.delta', sequence_number: 1, delta: 'See [1].' },
      { type: 'response.output_text.annotation.added', sequence_number: 2, annotation: annotation('https://a.example/x', 'A') },
      { type: 'response.output_text.annotation.added', sequence_number: 3, annotation: annotation('javascript:alert(1)', 'evil') },
      { type: 'response.output_text.annotation.added', sequence_number: 4, annotation: annotation('https://a.example/x', 'A again') },
      { type: 'response.output_text.done', sequence_number: 5, text: 'See [1].', annotations: [annotation('https://b.example/', 'B')] },
      { type: 'response.completed', sequence_number: 6, response: { output: [{ type: 'message', content: [{ type: 'output_text', annotations: [annotation('https://c.example/', 'C'), annotation('https://a.example/x', 'A')] }] }] } },
    ),
  );
  assert.deepEqual(response.sources, [
    { url: 'https://a.example/x', title: 'A' },
    { url: 'https://b.example/', title: 'B' },
    { url: 'https://c.example/', title: 'C' },
  ]);
});

// Anthropic

test('Anthropic tool_use arguments split mid-JSON; server_tool_use with its result as output and sources; citations', () => {
  const response = collect(
    typed(
      { type: 'message_start', message: { usage: { input_tokens: 5 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Search first.' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"que' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: 'ry": "x"}' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'web_search_tool_result', tool_use_id: 'srv_1', content: [{ type: 'web_search_result', url: 'https://r.example/1', title: 'R1', encrypted_content: 'opaque' }, { type: 'web_search_result', url: 'ftp://r.example/2', title: 'R2' }] } },
      { type: 'content_block_stop', index: 2 },
      { type: 'content_block_start', index: 3, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'It is x.' } },
      { type: 'content_block_delta', index: 3, delta: { type: 'citations_delta', citation: { type: 'web_search_result_location', url: 'https://r.example/3', title: 'R3', cited_text: 'x' } } },
      { type: 'content_block_stop', index: 3 },
      { type: 'content_block_start', index: 4, content_block: { type: 'tool_use', id: 'toolu_1', name: 'save', input: {} } },
      { type: 'content_block_delta', index: 4, delta: { type: 'input_json_delta', partial_json: '{"a": 1}' } },
      { type: 'content_block_stop', index: 4 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 20 } },
      { type: 'message_stop' },
    ),
  );
  assert.equal(response.reasoning, 'Search first.');
  assert.equal(response.text, 'It is x.');
  assert.deepEqual(response.toolCalls, [
    { id: 'srv_1', name: 'web_search', arguments: '{"query": "x"}', status: 'complete', output: '[{"type":"web_search_result","url":"https://r.example/1","title":"R1"},{"type":"web_search_result","url":"ftp://r.example/2","title":"R2"}]' },
    { id: 'toolu_1', name: 'save', arguments: '{"a": 1}', status: 'complete' },
  ]);
  assert.deepEqual(response.sources, [{ url: 'https://r.example/1', title: 'R1' }, { url: 'https://r.example/3', title: 'R3' }]);
  assert.equal(response.finishReason, 'tool_calls');
});

// Gemini

test('Gemini STOP on the first chunk (a function call), then the answer: all of it is read, done at the body end', () => {
  const response = collect(
    sse(
      { candidates: [{ content: { parts: [{ functionCall: { name: 'weather', args: { city: 'Oslo' } } }] }, finishReason: 'STOP', index: 0 }] },
      { candidates: [{ content: { parts: [{ functionResponse: { name: 'weather', response: { temp: -3 } } }] }, index: 0 }] },
      { candidates: [{ content: { parts: [{ text: 'It is ' }] }, index: 0 }] },
      { candidates: [{ content: { parts: [{ text: '-3°C.' }] }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 4, thoughtsTokenCount: 7, totalTokenCount: 14 } },
    ),
  );
  assert.equal(response.text, 'It is -3°C.');
  assert.equal(response.toolCalls.length, 1);
  assert.deepEqual({ ...response.toolCalls[0], id: undefined }, { id: undefined, name: 'weather', arguments: '{"city":"Oslo"}', status: 'complete', output: '{"temp":-3}' });
  assert.notEqual(response.toolCalls[0]?.id, '');
  assert.equal(response.finishReason, 'stop');
  assert.equal(response.complete, true);
  assert.deepEqual(response.end, { complete: true });
  assert.deepEqual(response.usage, { inputTokens: 3, outputTokens: 4, totalTokens: 14, reasoningTokens: 7 });
});

test('Gemini grounding metadata after the STOP chunk yields sources (http(s) only, once each)', () => {
  const response = collect(
    sse(
      { candidates: [{ content: { parts: [{ text: 'Answer.' }] }, finishReason: 'STOP', index: 0 }] },
      { candidates: [{ content: {}, index: 0, groundingMetadata: { groundingChunks: [{ web: { uri: 'https://g.example/a', title: 'a.example' } }, { web: { uri: 'not a url', title: 'x' } }, { web: { uri: 'https://g.example/a', title: 'dup' } }, { web: { uri: 'http://g.example/b' } }] } }] },
    ),
  );
  assert.equal(response.text, 'Answer.');
  assert.deepEqual(response.sources, [{ url: 'https://g.example/a', title: 'a.example' }, { url: 'http://g.example/b' }]);
  assert.equal(response.complete, true);
});

test('Gemini parallel function calls without ids get unique ids; a body without any finishReason is incomplete', () => {
  const response = collect(sse({ candidates: [{ content: { parts: [{ functionCall: { name: 'f', args: {} } }, { functionCall: { name: 'f', args: { n: 2 } } }] }, index: 0 }] }));
  assert.equal(new Set(response.toolCalls.map((call) => call.id)).size, 2);
  assert.deepEqual(response.end, { complete: false, reason: 'the body ended before a chunk with finishReason' });
});

test('Gemini as a whole JSON array (no alt=sse) is complete when it states a finish reason', () => {
  const body = JSON.stringify([{ candidates: [{ content: { parts: [{ text: 'a' }] }, finishReason: 'STOP', index: 0 }] }, { candidates: [{ content: { parts: [{ text: 'b' }] }, index: 0 }] }]);
  const response = collect(body, { contentType: 'application/json' });
  assert.equal(response.text, 'ab');
  assert.deepEqual(response.end, { complete: true });
});

// Ollama

test('Ollama message.tool_calls are whole, complete calls with generated ids and JSON arguments', () => {
  const lines = [
    { model: 'm', message: { role: 'assistant', content: '', thinking: 'Need the weather.' }, done: false },
    { model: 'm', message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'weather', arguments: { city: 'Oslo' } } }, { function: { name: 'weather', arguments: { city: 'Rome' } } }] }, done: false },
    { model: 'm', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' },
  ];
  const response = collect(lines.map((line) => JSON.stringify(line)).join('\n') + '\n', { contentType: 'application/x-ndjson' });
  assert.equal(response.reasoning, 'Need the weather.');
  assert.deepEqual(response.toolCalls.map(({ name, arguments: args, status }) => ({ name, arguments: args, status })), [
    { name: 'weather', arguments: '{"city":"Oslo"}', status: 'complete' },
    { name: 'weather', arguments: '{"city":"Rome"}', status: 'complete' },
  ]);
  const ids = response.toolCalls.map((call) => call.id);
  assert.ok(ids.every((id) => id !== ''));
  assert.equal(new Set(ids).size, 2);
});

// AI SDK

test('AI SDK tool input streams, becomes available, gets its output; source-url is a source', () => {
  const headers = { 'x-vercel-ai-ui-message-stream': 'v1' };
  const response = collect(
    sse(
      { type: 'start' },
      { type: 'reasoning-delta', id: 'r', delta: 'Think.' },
      { type: 'tool-input-start', toolCallId: 'tc1', toolName: 'search' },
      { type: 'tool-input-delta', toolCallId: 'tc1', inputTextDelta: '{"q":"' },
      { type: 'tool-input-delta', toolCallId: 'tc1', inputTextDelta: 'x"}' },
      { type: 'tool-input-available', toolCallId: 'tc1', toolName: 'search', input: { q: 'x' } },
      { type: 'tool-output-available', toolCallId: 'tc1', output: { hits: 1 } },
      { type: 'tool-input-available', toolCallId: 'tc2', toolName: 'now', input: {} },
      { type: 'tool-input-start', toolCallId: 'tc3', toolName: 'cut' },
      { type: 'source-url', sourceId: 's', url: 'https://s.example/', title: 'S' },
      { type: 'text-delta', id: 't', delta: 'Done.' },
      { type: 'finish' },
      '[DONE]',
    ),
    { contentType: 'text/event-stream', headers },
  );
  assert.equal(response.reasoning, 'Think.');
  assert.deepEqual(response.toolCalls, [
    { id: 'tc1', name: 'search', arguments: '{"q":"x"}', status: 'complete', output: '{"hits":1}' },
    { id: 'tc2', name: 'now', arguments: '{}', status: 'complete' },
    // Never completed before the finish: the stream ended before the call did.
    { id: 'tc3', name: 'cut', arguments: '', status: 'incomplete' },
  ]);
  assert.deepEqual(response.sources, [{ url: 'https://s.example/', title: 'S' }]);
  assert.equal(response.text, 'Done.');
});

// Relay

test('the relay format carries reasoning, tool calls and sources as the normalized events', () => {
  const body = [
    { type: 'reasoning', content: 'hmm' },
    { type: 'tool-call', id: 'c', name: 'f', argumentsDelta: '{}' },
    { type: 'tool-call', id: 'c', status: 'complete', output: 'ok' },
    { type: 'tool-call', id: 'c', status: 'bogus' },
    { type: 'source', url: 'https://r.example/', title: 'R' },
    { type: 'token', content: 'Hi' },
    { type: 'done' },
  ].map((line) => JSON.stringify(line)).join('\n') + '\n';
  const response = collect(body, { contentType: 'application/x-ndjson' });
  assert.equal(response.reasoning, 'hmm');
  assert.deepEqual(response.toolCalls, [{ id: 'c', name: 'f', arguments: '{}', status: 'complete', output: 'ok' }]);
  assert.deepEqual(response.sources, [{ url: 'https://r.example/', title: 'R' }]);
});

// The fold

test('foldToolCall creates, appends, replaces and closes', () => {
  let call = foldToolCall(undefined, { type: 'tool-call', id: 'x', name: 'n' });
  assert.deepEqual(call, { id: 'x', name: 'n', arguments: '', status: 'streaming' });
  call = foldToolCall(call, { type: 'tool-call', id: 'x', argumentsDelta: '{"a"' });
  call = foldToolCall(call, { type: 'tool-call', id: 'x', argumentsDelta: ':1}' });
  assert.equal(call.arguments, '{"a":1}');
  call = foldToolCall(call, { type: 'tool-call', id: 'x', arguments: '{"a": 1}', status: 'complete', output: 'r' });
  assert.deepEqual(call, { id: 'x', name: 'n', arguments: '{"a": 1}', status: 'complete', output: 'r' });
});

test('the collector merges usage, keeps the last finish reason, and filters sources it is given directly', () => {
  const collector = createResponseCollector();
  collector.add({ type: 'usage', usage: { inputTokens: 1 } });
  collector.add({ type: 'usage', usage: { outputTokens: 2, reasoningTokens: 1 } });
  collector.add({ type: 'finish', reason: 'stop' });
  collector.add({ type: 'source', url: 'data:text/html,x' });
  collector.add({ type: 'source', url: 'HTTPS://Example.com/p', title: 'E' });
  collector.add({ type: 'source', url: 'https://example.com/p' });
  const result = collector.result();
  assert.deepEqual(result.usage, { inputTokens: 1, outputTokens: 2, reasoningTokens: 1 });
  assert.equal(result.finishReason, 'stop');
  assert.deepEqual(result.sources, [{ url: 'HTTPS://Example.com/p', title: 'E' }]);
  assert.equal(result.complete, false);
  result.sources.length = 0;
  assert.equal(collector.result().sources.length, 1);
});
