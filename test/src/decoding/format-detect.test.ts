import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyKindFromContentType, bodyKindFromPrefix, detectFormat, excerpt } from '../../../src/decoding/format-detect.js';

test('Content-Type text/event-stream (any case, with parameters) means SSE', () => {
  assert.equal(bodyKindFromContentType('text/event-stream'), 'sse');
  assert.equal(bodyKindFromContentType('Text/Event-Stream; charset=utf-8'), 'sse');
});

test('NDJSON media types are recognized', () => {
  for (const type of ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/json-seq', 'application/x-jsonlines']) {
    assert.equal(bodyKindFromContentType(type), 'ndjson', type);
  }
});

test('text/plain means plain text; text/html means an HTML page; application/json a whole document', () => {
  assert.equal(bodyKindFromContentType('text/plain; charset=utf-8'), 'text');
  assert.equal(bodyKindFromContentType('text/html'), 'html');
  assert.equal(bodyKindFromContentType('application/json'), 'json');
  assert.equal(bodyKindFromContentType('application/problem+json'), 'json');
});

test('a missing or generic Content-Type leaves the decision to the bytes', () => {
  assert.equal(bodyKindFromContentType(null), null);
  assert.equal(bodyKindFromContentType(undefined), null);
  assert.equal(bodyKindFromContentType(''), null);
  assert.equal(bodyKindFromContentType('application/octet-stream'), null);
});

test('SSE field names and comments at the start mean SSE', () => {
  for (const start of ['data: {}', 'event: x', 'id: 1', 'retry: 10', ': ping', '\n\ndata:']) {
    assert.equal(bodyKindFromPrefix(start), 'sse', JSON.stringify(start));
  }
});

test('a first { means NDJSON, a first [ a JSON document, anything else plain text', () => {
  assert.equal(bodyKindFromPrefix('  {"a":1}'), 'ndjson');
  assert.equal(bodyKindFromPrefix('[{"a":1}]'), 'json');
  assert.equal(bodyKindFromPrefix('Hello'), 'text');
  assert.equal(bodyKindFromPrefix('database'), 'text');
});

test('a prefix that could still become a field name waits for more bytes', () => {
  assert.equal(bodyKindFromPrefix('dat'), null);
  assert.equal(bodyKindFromPrefix('   '), null);
  assert.equal(bodyKindFromPrefix('dat', true), 'text');
  assert.equal(bodyKindFromPrefix('   ', true), 'text');
});

test('OpenAI chat is detected from a content chunk, a role-only chunk, and a usage-only chunk', () => {
  assert.equal(detectFormat({ choices: [{ index: 0, delta: { content: 'Hi' } }] }), 'openai');
  assert.equal(detectFormat({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant' } }] }), 'openai');
  assert.equal(detectFormat({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2 } }), 'openai');
  assert.equal(detectFormat({ object: 'chat.completion', choices: [{ index: 0, message: { content: 'Hi' } }] }), 'openai');
});

test('OpenAI text completions are detected from object or choices[].text', () => {
  assert.equal(detectFormat({ object: 'text_completion', choices: [] }), 'openai-completions');
  assert.equal(detectFormat({ choices: [{ index: 0, text: 'Hi' }] }), 'openai-completions');
});

test('Responses, Anthropic, relay and AI SDK are detected from their type values', () => {
  assert.equal(detectFormat({ type: 'response.created', response: {} }), 'openai-responses');
  assert.equal(detectFormat({ type: 'message_start', message: {} }), 'anthropic');
  assert.equal(detectFormat({ type: 'ping' }), 'anthropic');
  assert.equal(detectFormat({ type: 'token', content: 'Hi' }), 'relay');
  assert.equal(detectFormat({ type: 'usage', usage: {} }), 'relay');
  assert.equal(detectFormat({ type: 'done' }), 'relay');
  assert.equal(detectFormat({ type: 'start', messageId: 'm' }), 'ai-sdk');
  assert.equal(detectFormat({ type: 'text-delta', id: 't', delta: 'Hi' }), 'ai-sdk');
  assert.equal(detectFormat({ type: 'data-weather', data: {} }), 'ai-sdk');
});

test('Gemini is detected from candidates, usage-only chunks and blocked prompts', () => {
  assert.equal(detectFormat({ candidates: [] }), 'gemini');
  assert.equal(detectFormat({ usageMetadata: { promptTokenCount: 1 } }), 'gemini');
  assert.equal(detectFormat({ promptFeedback: { blockReason: 'SAFETY' } }), 'gemini');
});

test('Ollama is detected on both endpoints', () => {
  assert.equal(detectFormat({ model: 'llama3', message: { role: 'assistant', content: 'Hi' }, done: false }), 'ollama');
  assert.equal(detectFormat({ model: 'llama3', response: 'Hi', done: false }), 'ollama');
});

test('an unknown shape is not guessed', () => {
  assert.equal(detectFormat({ foo: 'bar' }), null);
  assert.equal(detectFormat({ type: 'something-else' }), null);
});

test('excerpts are cut at 200 characters', () => {
  assert.equal(excerpt('x'.repeat(300)).length, 201);
  assert.equal(excerpt('short'), 'short');
});
