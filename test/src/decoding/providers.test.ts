import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aiSdkAdapter } from '../../../src/decoding/providers/ai-sdk.js';
import { anthropicAdapter } from '../../../src/decoding/providers/anthropic.js';
import { geminiAdapter } from '../../../src/decoding/providers/gemini.js';
import { ollamaAdapter } from '../../../src/decoding/providers/ollama.js';
import { openaiChatAdapter } from '../../../src/decoding/providers/openai-chat.js';
import { openaiCompletionsAdapter } from '../../../src/decoding/providers/openai-completions.js';
import { openaiResponsesAdapter } from '../../../src/decoding/providers/openai-responses.js';
import { relayAdapter } from '../../../src/decoding/providers/relay.js';
import { providerError } from '../../../src/decoding/providers/provider-error.js';
import {
  anthropicFinishReason,
  geminiFinishReason,
  genericFinishReason,
  ollamaFinishReason,
  openaiFinishReason,
  responsesIncompleteReason,
} from '../../../src/decoding/finish-reason.js';
import { normalizeUsage } from '../../../src/decoding/usage.js';

// OpenAI chat

test('openai: delta.content of choice 0 is answer text', () => {
  assert.deepEqual(openaiChatAdapter().map({ choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] }), [{ type: 'text', text: 'Hi' }]);
});

test('openai: a role-only first chunk yields nothing', () => {
  assert.deepEqual(openaiChatAdapter().map({ choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] }), []);
});

test('openai: only the choice with index 0 is the answer', () => {
  const adapter = openaiChatAdapter();
  assert.deepEqual(adapter.map({ choices: [{ index: 1, delta: { content: 'other' } }] }), []);
  assert.deepEqual(adapter.map({ choices: [{ index: 1, delta: { content: 'x' } }, { index: 0, delta: { content: 'me' } }] }), [{ type: 'text', text: 'me' }]);
});

test('openai: reasoning_content / reasoning are reasoning, not answer text; refusal is neither', () => {
  assert.deepEqual(openaiChatAdapter().map({ choices: [{ index: 0, delta: { reasoning_content: 'hmm', refusal: null } }] }), [{ type: 'reasoning', text: 'hmm' }]);
  assert.deepEqual(openaiChatAdapter().map({ choices: [{ index: 0, delta: { reasoning: 'hmm' } }] }), [{ type: 'reasoning', text: 'hmm' }]);
  assert.deepEqual(openaiChatAdapter().map({ choices: [{ index: 0, delta: { refusal: 'no' } }] }), []);
});

test('openai: finish_reason values are normalized (function_call counts as tool_calls)', () => {
  for (const [raw, reason] of [['stop', 'stop'], ['length', 'length'], ['content_filter', 'content_filter'], ['tool_calls', 'tool_calls'], ['function_call', 'tool_calls'], ['weird', 'unknown']] as const) {
    assert.deepEqual(openaiChatAdapter().map({ choices: [{ index: 0, delta: {}, finish_reason: raw }] }), [{ type: 'finish', reason, raw }]);
  }
});

test('openai: usage in a final chunk with empty choices is normalized', () => {
  assert.deepEqual(openaiChatAdapter().map({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }), [
    { type: 'usage', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } },
  ]);
});

test('openai: "usage": null on ordinary chunks yields no usage event', () => {
  assert.deepEqual(openaiChatAdapter().map({ choices: [{ index: 0, delta: {} }], usage: null }), []);
});

test('openai: [DONE] is the end marker', () => {
  assert.deepEqual(openaiChatAdapter().done?.(), [{ type: 'end' }]);
});

test('openai: an error object is a provider error with message and type', () => {
  assert.deepEqual(openaiChatAdapter().map({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }), [
    { type: 'error', code: 'provider', message: 'Rate limit reached', providerType: 'requests' },
  ]);
});

test('openai: a whole non-streamed completion maps message.content', () => {
  assert.deepEqual(openaiChatAdapter().map({ object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }] }), [
    { type: 'text', text: 'Hi' },
    { type: 'finish', reason: 'stop', raw: 'stop' },
  ]);
});

// OpenAI completions

test('openai-completions: choices[0].text is answer text and [DONE] ends', () => {
  const adapter = openaiCompletionsAdapter();
  assert.deepEqual(adapter.map({ object: 'text_completion', choices: [{ text: 'Hi', index: 0, finish_reason: null }] }), [{ type: 'text', text: 'Hi' }]);
  assert.deepEqual(adapter.map({ object: 'text_completion', choices: [{ text: '', index: 0, finish_reason: 'length' }] }), [{ type: 'finish', reason: 'length', raw: 'length' }]);
  assert.deepEqual(adapter.done?.(), [{ type: 'end' }]);
});

// OpenAI Responses

test('openai-responses: output_text.delta is answer text, reasoning summaries are reasoning, other event types are ignored', () => {
  const adapter = openaiResponsesAdapter();
  assert.deepEqual(adapter.map({ type: 'response.created', sequence_number: 0, response: {} }), []);
  assert.deepEqual(adapter.map({ type: 'response.output_text.delta', sequence_number: 1, delta: 'Hi' }), [{ type: 'text', text: 'Hi' }]);
  assert.deepEqual(adapter.map({ type: 'response.reasoning_summary_text.delta', sequence_number: 2, delta: 'think' }), [{ type: 'reasoning', text: 'think' }]);
  assert.deepEqual(adapter.map({ type: 'response.output_text.done', sequence_number: 3, text: 'Hi' }), []);
});

test('openai-responses: response.completed carries usage, finish and the end marker', () => {
  assert.deepEqual(openaiResponsesAdapter().map({ type: 'response.completed', response: { usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 } } }), [
    { type: 'usage', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } },
    { type: 'finish', reason: 'stop', raw: 'completed' },
    { type: 'end' },
  ]);
});

test('openai-responses: a completed turn that called a function finishes with tool_calls', () => {
  const events = openaiResponsesAdapter().map({ type: 'response.completed', response: { output: [{ type: 'function_call', name: 'f' }] } });
  // The call itself (never streamed before) is reported first, then the finish.
  assert.deepEqual(events.find((event) => event.type === 'finish'), { type: 'finish', reason: 'tool_calls', raw: 'completed' });
});

test('openai-responses: response.incomplete ends with the reason from incomplete_details', () => {
  const length = openaiResponsesAdapter().map({ type: 'response.incomplete', response: { incomplete_details: { reason: 'max_output_tokens' } } });
  assert.deepEqual(length, [{ type: 'finish', reason: 'length', raw: 'max_output_tokens' }, { type: 'end' }]);
  const filter = openaiResponsesAdapter().map({ type: 'response.incomplete', response: { incomplete_details: { reason: 'content_filter' } } });
  assert.deepEqual(filter[0], { type: 'finish', reason: 'content_filter', raw: 'content_filter' });
});

test('openai-responses: response.failed and error events are provider errors', () => {
  assert.deepEqual(openaiResponsesAdapter().map({ type: 'response.failed', response: { error: { code: 'server_error', message: 'boom' } } }), [
    { type: 'error', code: 'provider', message: 'boom', providerType: 'server_error' },
  ]);
  assert.deepEqual(openaiResponsesAdapter().map({ type: 'error', code: 'ERR_X', message: 'bad', param: null, sequence_number: 4 }), [
    { type: 'error', code: 'provider', message: 'bad', providerType: 'ERR_X' },
  ]);
});

test('openai-responses: an event whose sequence_number is not above the last one is dropped', () => {
  const adapter = openaiResponsesAdapter();
  assert.equal(adapter.map({ type: 'response.output_text.delta', sequence_number: 5, delta: 'a' }).length, 1);
  assert.equal(adapter.map({ type: 'response.output_text.delta', sequence_number: 5, delta: 'a' }).length, 0);
  assert.equal(adapter.map({ type: 'response.output_text.delta', sequence_number: 3, delta: 'b' }).length, 0);
  assert.equal(adapter.map({ type: 'response.output_text.delta', sequence_number: 6, delta: 'c' }).length, 1);
});

// Anthropic

test('anthropic: message_start reports input usage', () => {
  assert.deepEqual(anthropicAdapter().map({ type: 'message_start', message: { usage: { input_tokens: 25, output_tokens: 1 } } }), [
    { type: 'usage', usage: { inputTokens: 25, outputTokens: 1 } },
  ]);
});

test('anthropic: only text_delta is answer text; thinking_delta is reasoning', () => {
  const adapter = anthropicAdapter();
  const delta = (d: Record<string, unknown>) => adapter.map({ type: 'content_block_delta', index: 0, delta: d });
  assert.deepEqual(delta({ type: 'text_delta', text: 'Hi' }), [{ type: 'text', text: 'Hi' }]);
  assert.deepEqual(delta({ type: 'thinking_delta', thinking: 'hmm' }), [{ type: 'reasoning', text: 'hmm' }]);
  assert.deepEqual(delta({ type: 'signature_delta', signature: 'abc' }), []);
  assert.deepEqual(delta({ type: 'input_json_delta', partial_json: '{"a"' }), []);
});

test('anthropic: ping, content_block_start and content_block_stop yield nothing', () => {
  const adapter = anthropicAdapter();
  assert.deepEqual(adapter.map({ type: 'ping' }), []);
  assert.deepEqual(adapter.map({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }), []);
  assert.deepEqual(adapter.map({ type: 'content_block_stop', index: 0 }), []);
});

test('anthropic: message_delta carries output usage and the stop reason; message_stop ends', () => {
  const adapter = anthropicAdapter();
  assert.deepEqual(adapter.map({ type: 'message_delta', delta: { stop_reason: 'max_tokens', stop_sequence: null }, usage: { output_tokens: 9 } }), [
    { type: 'usage', usage: { outputTokens: 9 } },
    { type: 'finish', reason: 'length', raw: 'max_tokens' },
  ]);
  assert.deepEqual(adapter.map({ type: 'message_stop' }), [{ type: 'end' }]);
});

test('anthropic: an error event is a provider error with the error type', () => {
  assert.deepEqual(anthropicAdapter().map({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'error'), [
    { type: 'error', code: 'provider', message: 'Overloaded', providerType: 'overloaded_error' },
  ]);
});

test('anthropic: stop reasons are normalized', () => {
  assert.equal(anthropicFinishReason('end_turn'), 'stop');
  assert.equal(anthropicFinishReason('stop_sequence'), 'stop');
  assert.equal(anthropicFinishReason('max_tokens'), 'length');
  assert.equal(anthropicFinishReason('tool_use'), 'tool_calls');
  assert.equal(anthropicFinishReason('refusal'), 'content_filter');
  assert.equal(anthropicFinishReason('pause_turn'), 'unknown');
});

// Gemini

test('gemini: parts text is answer text, thought parts are reasoning', () => {
  assert.deepEqual(geminiAdapter().map({ candidates: [{ content: { parts: [{ text: 'plan', thought: true }, { text: 'Hi' }, { text: '!' }] }, index: 0 }] }), [
    { type: 'reasoning', text: 'plan' },
    { type: 'text', text: 'Hi' },
    { type: 'text', text: '!' },
  ]);
});

// This test used to say "a chunk with finishReason is the end marker". That rule was wrong (issue 13):
// Gemini has no end marker, a finish reason can arrive on every chunk (2024 API), before grounding
// metadata, or with a server-side function call that the answer follows. The finish is now stated
// when the body closes, and only then does the stream end.
test('gemini: a chunk with finishReason ends nothing; the finish is stated when the body closes', () => {
  const adapter = geminiAdapter();
  assert.deepEqual(
    adapter.map({
      candidates: [{ content: { parts: [{ text: 'end' }] }, finishReason: 'MAX_TOKENS', index: 0 }],
      usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3 },
    }),
    [
      { type: 'text', text: 'end' },
      { type: 'usage', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } },
    ],
  );
  assert.deepEqual(adapter.bodyEnd?.(), [{ type: 'finish', reason: 'length', raw: 'MAX_TOKENS' }, { type: 'end' }]);
});

test('gemini: a body that closes without any finishReason ends nothing (incomplete)', () => {
  const adapter = geminiAdapter();
  adapter.map({ candidates: [{ content: { parts: [{ text: 'cut' }] }, index: 0 }] });
  assert.deepEqual(adapter.bodyEnd?.(), []);
});

test('gemini: finish reasons are normalized', () => {
  assert.equal(geminiFinishReason('STOP'), 'stop');
  assert.equal(geminiFinishReason('MAX_TOKENS'), 'length');
  for (const raw of ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII']) assert.equal(geminiFinishReason(raw), 'content_filter');
  assert.equal(geminiFinishReason('MALFORMED_FUNCTION_CALL'), 'unknown');
  assert.equal(geminiFinishReason('OTHER'), 'unknown');
});

test('gemini: a blocked prompt ends with content_filter when the body closes', () => {
  const adapter = geminiAdapter();
  assert.deepEqual(adapter.map({ promptFeedback: { blockReason: 'SAFETY' } }), []);
  assert.deepEqual(adapter.bodyEnd?.(), [{ type: 'finish', reason: 'content_filter', raw: 'SAFETY' }, { type: 'end' }]);
});

test('gemini: an error object is a provider error with its status', () => {
  assert.deepEqual(geminiAdapter().map({ error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } }), [
    { type: 'error', code: 'provider', message: 'Quota exceeded', providerType: 'RESOURCE_EXHAUSTED' },
  ]);
});

// Ollama

test('ollama: /api/chat message.content and /api/generate response are answer text', () => {
  assert.deepEqual(ollamaAdapter().map({ model: 'm', message: { role: 'assistant', content: 'Hi' }, done: false }), [{ type: 'text', text: 'Hi' }]);
  assert.deepEqual(ollamaAdapter().map({ model: 'm', response: 'Hi', done: false }), [{ type: 'text', text: 'Hi' }]);
});

test('ollama: message.thinking / thinking are reasoning, not answer text', () => {
  assert.deepEqual(ollamaAdapter().map({ model: 'm', message: { role: 'assistant', content: '', thinking: 'hmm' }, done: false }), [{ type: 'reasoning', text: 'hmm' }]);
  assert.deepEqual(ollamaAdapter().map({ model: 'm', response: '', thinking: 'hmm', done: false }), [{ type: 'reasoning', text: 'hmm' }]);
});

test('ollama: the done line carries usage, the finish reason and the end marker', () => {
  assert.deepEqual(ollamaAdapter().map({ model: 'm', done: true, done_reason: 'length', prompt_eval_count: 3, eval_count: 4 }), [
    { type: 'usage', usage: { inputTokens: 3, outputTokens: 4 } },
    { type: 'finish', reason: 'length', raw: 'length' },
    { type: 'end' },
  ]);
  assert.equal(ollamaFinishReason('stop'), 'stop');
  assert.equal(ollamaFinishReason('unload'), 'unknown');
});

test('ollama: {"error": "..."} is a provider error', () => {
  assert.deepEqual(ollamaAdapter().map({ error: 'model "x" not found' }), [{ type: 'error', code: 'provider', message: 'model "x" not found' }]);
});

// AI SDK

test('ai-sdk: text-delta is answer text, reasoning-delta reasoning; data and framing chunks carry nothing', () => {
  const adapter = aiSdkAdapter();
  assert.deepEqual(adapter.map({ type: 'text-delta', id: 't', delta: 'Hi' }), [{ type: 'text', text: 'Hi' }]);
  assert.deepEqual(adapter.map({ type: 'reasoning-delta', id: 'r', delta: 'hmm' }), [{ type: 'reasoning', text: 'hmm' }]);
  for (const type of ['start', 'start-step', 'text-start', 'text-end', 'reasoning-start', 'reasoning-end', 'finish-step', 'data-x', 'source-document']) {
    assert.deepEqual(adapter.map({ type, id: 'x', delta: 'no' }), [], type);
  }
});

test('ai-sdk: finish is the end marker and may carry a finish reason', () => {
  assert.deepEqual(aiSdkAdapter().map({ type: 'finish' }), [{ type: 'end' }]);
  assert.deepEqual(aiSdkAdapter().map({ type: 'finish', finishReason: 'tool-calls' }), [{ type: 'finish', reason: 'tool_calls', raw: 'tool-calls' }, { type: 'end' }]);
});

test('ai-sdk: abort finishes with abort and ends; error is a provider error; [DONE] alone ends', () => {
  assert.deepEqual(aiSdkAdapter().map({ type: 'abort' }), [{ type: 'finish', reason: 'abort', raw: 'abort' }, { type: 'end' }]);
  assert.deepEqual(aiSdkAdapter().map({ type: 'error', errorText: 'boom' }), [{ type: 'error', code: 'provider', message: 'boom' }]);
  assert.deepEqual(aiSdkAdapter().done?.(), [{ type: 'end' }]);
});

// Relay

test('relay: token, usage (both spellings), done and error', () => {
  const adapter = relayAdapter();
  assert.deepEqual(adapter.map({ type: 'token', content: 'Hi' }), [{ type: 'text', text: 'Hi' }]);
  assert.deepEqual(adapter.map({ type: 'usage', usage: { inputTokens: 1, outputTokens: 2 } }), [{ type: 'usage', usage: { inputTokens: 1, outputTokens: 2 } }]);
  assert.deepEqual(adapter.map({ type: 'usage', usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }), [
    { type: 'usage', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } },
  ]);
  assert.deepEqual(adapter.map({ type: 'done' }), [{ type: 'end' }]);
  assert.deepEqual(relayAdapter().map({ type: 'done', finishReason: 'length' }), [{ type: 'finish', reason: 'length', raw: 'length' }, { type: 'end' }]);
  assert.deepEqual(adapter.map({ type: 'error', message: 'nope' }), [{ type: 'error', code: 'provider', message: 'nope' }]);
});

test('relay: has no [DONE] sentinel', () => {
  assert.equal(relayAdapter().done, undefined);
});

// Shared normalization

test('usage normalization keeps only the fields that were sent', () => {
  assert.deepEqual(normalizeUsage({ input_tokens: 5 }), { inputTokens: 5 });
  assert.deepEqual(normalizeUsage({ promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3 }), { inputTokens: 1, outputTokens: 2, totalTokens: 3 });
  assert.equal(normalizeUsage(null), null);
  assert.equal(normalizeUsage({}), null);
  assert.equal(normalizeUsage({ prompt_tokens: 'many' }), null);
});

test('finish-reason tables do not resolve names through the prototype', () => {
  assert.equal(openaiFinishReason('constructor'), 'unknown');
  assert.equal(genericFinishReason('toString'), 'unknown');
  assert.equal(responsesIncompleteReason('other'), 'unknown');
});

test('provider errors without a message still say something', () => {
  assert.equal(providerError({ error: {} })?.message, 'the provider reported an error without a message');
  assert.equal(providerError({ choices: [] }), null);
  assert.equal(providerError({ error: null, choices: [] }), null);
});
