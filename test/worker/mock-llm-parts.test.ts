import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createResponseCollector, type CollectedResponse } from '../../src/decoding/response-collector.js';
import { createStreamDecoder, type StreamEnd } from '../../src/decoding/stream-decoder.js';
import {
  ANSWERS,
  CONTENT_TYPES,
  FORMATS,
  PART_ANSWERS,
  countTokens,
  encodeEvents,
  encodeStream,
  startMockServer,
  tokenize,
  type MockAnswer,
  type MockFormat,
  type MockServer,
} from '../mock-llm/index.js';

// Structured mock answers (reasoning, tool calls, web search): every format's stream is well-formed,
// carries the parts the provider documents, and the pre-existing text answers are byte-for-byte unchanged.

interface Payload {
  event?: string;
  data: string;
}

/** The payloads of a body: each SSE event's `data:` text (with its `event:` name), or each NDJSON line. */
function payloads(format: MockFormat, body: string): Payload[] {
  if (format === 'text') return [{ data: body }];
  if (format === 'ollama' || format === 'relay-ndjson') {
    return body
      .split('\n')
      .filter((l) => l !== '')
      .map((data) => ({ data }));
  }
  return body
    .split(/\r\n\r\n|\n\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split(/\r\n|\n/);
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      return event === undefined ? { data } : { event, data };
    });
}

/**
 * Every JSON payload of a body (all of them must parse; only `[DONE]` is not JSON). The values stay as
 * JSON.parse returns them: the readers below walk provider shapes the way the other mock test does.
 */
function jsonPayloads(format: MockFormat, body: string) {
  if (format === 'text') return [];
  return payloads(format, body)
    .filter((p) => p.data !== '[DONE]')
    .map((p) => {
      const value = JSON.parse(p.data);
      assert.ok(value !== null && typeof value === 'object', `${format}: payload is not an object: ${p.data.slice(0, 80)}`);
      return value;
    });
}

interface ToolCallSeen {
  id: string | null;
  name: string;
  /** Concatenated argument deltas (or the whole arguments, for formats that send a call whole). */
  args: string;
  /** How many argument deltas arrived (1 for formats that send a call whole). */
  pieces: number;
}

interface Extracted {
  text: string;
  reasoning: string;
  calls: ToolCallSeen[];
  urls: string[];
  /** The format's own end marker arrived. */
  ended: boolean;
  finish: string | null;
  /** Reasoning tokens as the usage reports them (where the provider reports them). */
  reasoningTokens: number | null;
  outputTokens: number | null;
}

/** A per-format reading of the stream, written from the providers' documented shapes (not the real adapters). */
function extract(format: MockFormat, body: string): Extracted {
  const out: Extracted = { text: '', reasoning: '', calls: [], urls: [], ended: false, finish: null, reasoningTokens: null, outputTokens: null };
  if (format === 'text') return { ...out, text: body, ended: true };
  const items = jsonPayloads(format, body);
  const byId = new Map<string, ToolCallSeen>();
  const call = (key: string, seen: ToolCallSeen): ToolCallSeen => {
    const known = byId.get(key);
    if (known) return known;
    byId.set(key, seen);
    out.calls.push(seen);
    return seen;
  };
  switch (format) {
    case 'openai':
      for (const j of items) {
        if (j.usage) {
          out.outputTokens = j.usage.completion_tokens;
          out.reasoningTokens = j.usage.completion_tokens_details.reasoning_tokens;
        }
        const choice = j.choices[0];
        if (!choice) continue;
        out.text += choice.delta.content ?? '';
        out.reasoning += choice.delta.reasoning_content ?? '';
        for (const tc of choice.delta.tool_calls ?? []) {
          const seen = call(String(tc.index), { id: tc.id ?? null, name: tc.function.name, args: '', pieces: 0 });
          if (tc.function.arguments) {
            seen.args += tc.function.arguments;
            seen.pieces++;
          }
        }
        if (choice.finish_reason) out.finish = choice.finish_reason;
      }
      out.ended = body.endsWith('data: [DONE]\n\n');
      break;
    case 'openai-completions':
      for (const j of items) out.text += j.choices[0]?.text ?? '';
      out.ended = body.endsWith('data: [DONE]\n\n');
      break;
    case 'openai-responses':
      for (const j of items) {
        if (j.type === 'response.output_text.delta') out.text += j.delta;
        if (j.type === 'response.reasoning_summary_text.delta') out.reasoning += j.delta;
        if (j.type === 'response.output_item.added' && j.item.type === 'function_call') {
          call(j.item.id, { id: j.item.call_id, name: j.item.name, args: '', pieces: 0 });
        }
        if (j.type === 'response.function_call_arguments.delta') {
          byId.get(j.item_id)!.args += j.delta;
          byId.get(j.item_id)!.pieces++;
        }
        if (j.type === 'response.function_call_arguments.done') assert.equal(j.arguments, byId.get(j.item_id)!.args);
        if (j.type === 'response.output_text.annotation.added') out.urls.push(j.annotation.url);
        if (j.type === 'response.completed') {
          out.ended = true;
          out.outputTokens = j.response.usage.output_tokens;
          out.reasoningTokens = j.response.usage.output_tokens_details.reasoning_tokens;
        }
      }
      break;
    case 'anthropic': {
      const blocks = new Map<number, { type: string }>();
      for (const j of items) {
        if (j.type === 'content_block_start') {
          blocks.set(j.index, j.content_block);
          if (j.content_block.type === 'tool_use') call(String(j.index), { id: j.content_block.id, name: j.content_block.name, args: '', pieces: 0 });
          if (j.content_block.type === 'web_search_tool_result') {
            for (const r of j.content_block.content) assert.ok(typeof r.title === 'string' && r.url.startsWith('https://'));
          }
        }
        if (j.type === 'content_block_delta') {
          const d = j.delta;
          if (d.type === 'text_delta') out.text += d.text;
          if (d.type === 'thinking_delta') out.reasoning += d.thinking;
          if (d.type === 'signature_delta') assert.equal(blocks.get(j.index)?.type, 'thinking');
          if (d.type === 'input_json_delta' && blocks.get(j.index)?.type === 'tool_use') {
            byId.get(String(j.index))!.args += d.partial_json;
            byId.get(String(j.index))!.pieces++;
          }
          if (d.type === 'citations_delta') {
            assert.equal(d.citation.type, 'web_search_result_location');
            assert.ok(d.citation.cited_text.length > 0 && d.citation.title.length > 0);
            out.urls.push(d.citation.url);
          }
        }
        if (j.type === 'message_delta') {
          out.finish = j.delta.stop_reason;
          out.outputTokens = j.usage.output_tokens;
        }
        if (j.type === 'message_stop') out.ended = true;
      }
      break;
    }
    case 'gemini':
      for (const j of items) {
        const cand = j.candidates[0];
        for (const part of cand.content.parts ?? []) {
          if (part.functionCall) out.calls.push({ id: null, name: part.functionCall.name, args: JSON.stringify(part.functionCall.args), pieces: 1 });
          else if (part.thought) out.reasoning += part.text;
          else out.text += part.text;
        }
        if (cand.finishReason) {
          out.ended = true;
          out.finish = cand.finishReason;
          out.outputTokens = j.usageMetadata.candidatesTokenCount + (j.usageMetadata.thoughtsTokenCount ?? 0);
          out.reasoningTokens = j.usageMetadata.thoughtsTokenCount ?? 0;
        }
        for (const chunk of cand.groundingMetadata?.groundingChunks ?? []) out.urls.push(chunk.web.uri);
      }
      break;
    case 'ollama':
      for (const j of items) {
        out.text += j.message.content;
        out.reasoning += j.message.thinking ?? '';
        for (const tc of j.message.tool_calls ?? []) {
          assert.equal(tc.id, undefined, 'Ollama tool calls carry no id');
          out.calls.push({ id: null, name: tc.function.name, args: JSON.stringify(tc.function.arguments), pieces: 1 });
        }
        if (j.done) {
          out.ended = true;
          out.finish = j.done_reason;
          out.outputTokens = j.eval_count;
        }
      }
      break;
    case 'ai-sdk':
      for (const j of items) {
        if (j.type === 'text-delta') out.text += j.delta;
        if (j.type === 'reasoning-delta') out.reasoning += j.delta;
        if (j.type === 'tool-input-start' && !j.providerExecuted) call(j.toolCallId, { id: j.toolCallId, name: j.toolName, args: '', pieces: 0 });
        if (j.type === 'tool-input-delta' && byId.has(j.toolCallId)) {
          byId.get(j.toolCallId)!.args += j.inputTextDelta;
          byId.get(j.toolCallId)!.pieces++;
        }
        if (j.type === 'tool-input-available' && byId.has(j.toolCallId)) {
          assert.deepEqual(j.input, JSON.parse(byId.get(j.toolCallId)!.args));
        }
        if (j.type === 'source-url') out.urls.push(j.url);
        if (j.type === 'finish') out.finish = j.finishReason ?? 'stop';
      }
      out.ended = body.endsWith('data: [DONE]\n\n') && items.at(-1)?.type === 'finish';
      break;
    case 'relay':
    case 'relay-ndjson':
      for (const j of items) {
        if (j.type === 'token') out.text += j.content;
        if (j.type === 'done') out.ended = true;
        if (j.type === 'usage') out.outputTokens = j.usage.outputTokens;
      }
      break;
  }
  return out;
}

const textOf = (a: MockAnswer): string => a.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
const reasoningOf = (a: MockAnswer): string => a.parts.map((p) => (p.type === 'reasoning' ? p.text : '')).join('');
const body = (format: MockFormat, a: MockAnswer, options = {}): string => encodeStream(format, a, options).join('');

const REASONING_FORMATS = new Set<MockFormat>(['openai', 'openai-responses', 'anthropic', 'gemini', 'ollama', 'ai-sdk']);
const TOOL_FORMATS = REASONING_FORMATS;
const SOURCE_FORMATS = new Set<MockFormat>(['openai-responses', 'anthropic', 'gemini', 'ai-sdk']);
const STREAMS_ARGUMENTS = new Set<MockFormat>(['openai', 'openai-responses', 'anthropic', 'ai-sdk']);

describe('pre-existing answers', () => {
  // These SHA-256 digests pin the bytes the encoder produced BEFORE structured answers were added
  // (computed from the previous encoder, not from the current one): every write of
  // encodeStream(format, tokenize(answer), { fault }) joined with U+0000. Other tests, the demo and the
  // benchmark depend on these bytes; a change here is a breaking change, not a fixture update.
  const PINNED: Record<string, string> = {
  "default/openai": "f01a032eb1801b329595fbd348c8d4debb563b29f8c44a9737e897e63fa984d8",
  "default/openai-completions": "8fd0db407b48ecbcc7e9d1dfae2caeaab2d966d5f9e152a6e87f3ecdbd239333",
  "default/openai-responses": "6c307fe0b9b6a2e3d6baf68f15ad7b765bc6416d4a573a69598e88a932c6fa36",
  "default/anthropic": "55a0e753e5c45c4f37a4272b47c9ed8cd26580cdfbf508e6cb7447838c35b96b",
  "default/gemini": "8c687c23af1a576abacbea3c05ea9e8274c8eda580fb0c6a41b2515f9daf23ee",
  "default/ollama": "b33e0a3d087459b08cacc7e14a6c691b66c741ac4487dca0d160befc25d07a0c",
  "default/ai-sdk": "66dc883c169e218c0422e523c137e580c7389b7ce89a442ace25088b86eeaa15",
  "default/relay": "ff34305f43144ba846a469edcdd6a6440d217fe41647460aaf806a6d2ac8dcd6",
  "default/relay-ndjson": "756f00d9fc8c84a4dcf405ffaaa8a67ef2bd34e7ef45a6b0a2452f43d4705eb7",
  "default/text": "6c4814a77e753b6446fc4b6e95994a202e876b878d0ee02dafad03d2aaa67f7a",
  "short/openai": "464476ec880097af1093091e4ffeeecdf88042118f5f5cfb8877880c82ae65a0",
  "short/openai-completions": "e248a65244b7c6af767fec0fa778d3ab9e3b63e1d76363c3c1c60d2d6fbc0444",
  "short/openai-responses": "d96925dd62e0f19af525249127c880536d3c8a22d314df76982e7b24b108b0dd",
  "short/anthropic": "52eafc1819ec28f0c29872592cff742a9b2e66e06641dcfb2ddfcdd7fc853110",
  "short/gemini": "22cf90e5197906d6d3a284ecd641b19d330eab94cecbdd95dc99ebab2eaddbf5",
  "short/ollama": "06d36b063cce6a32fd69767dddb29fe974790246fd3b8527f06db06cc69a0323",
  "short/ai-sdk": "c2630f12ac79eda954e349bb5f96efc680974227dde7e1e013237dfc12ddf664",
  "short/relay": "e78d26399183696f09d991facb8b748271c91ea961f2bf6b3a2bab4a19a39dc7",
  "short/relay-ndjson": "464737f07cf98c51d1f9c0395602c019a457bef67facd4283f9b38a7cfd6c016",
  "short/text": "a4d8f97a0806feea7499f136504c42b252a57505627caac774dd3d1dbce6a7f0",
  "long/openai": "c093426e4ecc48ca7da9db865b0f7d73bfe4a24193fe5eda3b613081f5791951",
  "long/openai-completions": "6787cdf19072f20b71acdbf851e2383b168e8997cc485b081f53af0abbf3f483",
  "long/openai-responses": "09f80711aead9c566a600723f104de39409a5c0e45d4754ff6e92b52470b377e",
  "long/anthropic": "85befd542b55b874f11c4c6fd49242bbe4e442f338ced5cb567184dbf079ecc3",
  "long/gemini": "4d1d9fa05238354908b52144bff8151c239e690669f9ec16bd580340f06dbe4c",
  "long/ollama": "a94d41ec1d24827b836f73e29acff5c324b393002b9c96d577799eeda364e87f",
  "long/ai-sdk": "348e2e25f25c88b89867621dc666f681640a461a3cf7ef824dcf7ac9a8c03036",
  "long/relay": "6d91619efedc94756f6b348f8d9ad2945d1ffda724692363b697892b60f3c6e9",
  "long/relay-ndjson": "010ada4170786aacda137c1d1a44f7b919d50b382ef12ee7cc394e19b20f25d8",
  "long/text": "c1063f7a861ce73fee624d708fa25b9e2ed4025479a00209d0ff7a2a901eb2c1",
  "short/openai/truncate": "6d5e0df064f1fd7832a6de6aa42b865c78c60283ac85c12102accda0a9e86908",
  "short/openai/malformed": "e6f0d4509d487174180601e91fa9ff9f7e7e631d2361e004c6cb22f715002065",
  "short/openai/provider-error": "d9aecf79abc6948bbfe4d2bce1ad4bec4aaa0647cb43224fff7a40cdc4f7112b",
  "short/openai/no-final-newline": "0b8ebe81d2eaec154438edc6f9c07b62bdd613f37a04c2146c0295a709b1943e",
  "short/openai-completions/truncate": "61c5202f123c4248e53162881f16636180712c8e50fec44860a28fae6ef168ab",
  "short/openai-completions/malformed": "d03abb7e7322e8ce57ea535d8a46e9ac4b42625480fcd9175b0bbe9fa6fa7093",
  "short/openai-completions/provider-error": "ea96244b6598c2c03605481d093de8b493f85e6fd580d2b3426d7f2ae397f45a",
  "short/openai-completions/no-final-newline": "cb242fcd9f96b568bc27f03b8cf6834dbd5ce97c9f5d25f85247f2098dd84e2b",
  "short/openai-responses/truncate": "f1df023515e385c6737bd6f06c74e7b743040260d0502553eac13664af47a32a",
  "short/openai-responses/malformed": "b366b231ad637f2f99b315d2966d030bd4f9c1d142cff7f9b4f19b5cc1c6d20c",
  "short/openai-responses/provider-error": "8e8a776eb2460695d892441edaaefa92182b800ab09bac03e1d8bf9d4874139a",
  "short/openai-responses/no-final-newline": "cff9ce5de9ea5de537d163ac1b14b2b5e31afb52e77b46523c40d8808ffb43cc",
  "short/anthropic/truncate": "8067c6b7d3b9d5d29b0f8a995756288b421f934c49d0ac30377c1f7f2684b566",
  "short/anthropic/malformed": "82b22a9d1042cacf5a16af9e460d7d339c71919862a20ff7a3eea8a3fe7813ed",
  "short/anthropic/provider-error": "9c23970a16dee6453b356b79a199e2dd08f803ed6cb6cc64e68db1cc620d9ae8",
  "short/anthropic/no-final-newline": "0fcb0675b02ca290bae3eb5a0ce9fd774b9133681a996d9d6c60a97885d81f96",
  "short/gemini/truncate": "36373559d0b59aafa3f0003a5871355a2950dba4939c91c29f601b2753b9c78d",
  "short/gemini/malformed": "4bcea4794947e3308e1e6a9ab9ef0fba46aca6be5c96d80ae5c29a931bb0e538",
  "short/gemini/provider-error": "c84af2ca461b4e04dd7e0849284e5c4966082df3e351885b0bcaad2224775522",
  "short/gemini/no-final-newline": "d4c6addd64bc5545363c5a2f542918e9abe174337c2e6e08dc9a24703b60274d",
  "short/ollama/truncate": "07c0e21a0bc1563a1e2a924ed229dd68953ea2c70ae39f610a55dc0e92a240c2",
  "short/ollama/malformed": "64fbfa64070653474f6c77ffda6773ac71667d83359eb61e2c0ba7a5280c9532",
  "short/ollama/provider-error": "d30e59f01d5d5d4f5fb57d1741263d687032485f0cc5a81947dca316b465778c",
  "short/ollama/no-final-newline": "92caa1d63b62d80bddcdb1a689acfb7e96b280d3946508fdda7c06fdb1b6a5eb",
  "short/ai-sdk/truncate": "7b4993a86cfc9616d0b4c2b21d3fb9a7170cc890c8d5e3842271581f7b0f901b",
  "short/ai-sdk/malformed": "9b0eca9c5bced55328a566b421ce4993d0f222cdb12ce96bc782876a966a7de3",
  "short/ai-sdk/provider-error": "e42e4aa2ed698d3e67693b90c422fb3263f1835602a1f79226ecac01d1b552db",
  "short/ai-sdk/no-final-newline": "aa05c8b64cfc6754a14e2da5a158beeeeaa08242adce87dcc26eb948c1a070aa",
  "short/relay/truncate": "86a2769c0cdc0312324a594a43eea93436b633bbadb5c3a9f3a58c0dc13a7d7e",
  "short/relay/malformed": "3d88782353bd87ccb309b76eae06aeba033d5a1c69f518df9186287d28b35aea",
  "short/relay/provider-error": "dfde879d0f96cabf66a0b45536e88a96c72ff5641c845860bd5b5ae10c01d7dd",
  "short/relay/no-final-newline": "56303c8778d219d54fd6f8d88b8c1e252ea5161fb022ccce0122cd22a60c23b7",
  "short/relay-ndjson/truncate": "29fa33e02d8a8cc2336b54723debe55a861704de83e9606219d58a0931503a48",
  "short/relay-ndjson/malformed": "f6eeab6ba4d1fb1405d6b0523c5099d23c50ea31cb631cc13a4a74becd96b6ef",
  "short/relay-ndjson/provider-error": "a2cb16f18d592ecdcf79ed1b3fe54e2a385486eda59d640781d6d8a8eca7f506",
  "short/relay-ndjson/no-final-newline": "7cca51e13ee3e2c720b1a5ea53b81c5dbac26b9d22b6379780f935c5ab01897f",
  "short/text/truncate": "a4d8f97a0806feea7499f136504c42b252a57505627caac774dd3d1dbce6a7f0",
  "short/text/malformed": "a4d8f97a0806feea7499f136504c42b252a57505627caac774dd3d1dbce6a7f0",
  "short/text/provider-error": "108581e08656ff1bc232e7c51c43d157910ce49e474beda1ce69f4695bcb9db4",
  "short/text/no-final-newline": "a4d8f97a0806feea7499f136504c42b252a57505627caac774dd3d1dbce6a7f0",

  };

  test('encodeStream bytes are unchanged for default, short and long, in every format and encoder fault', () => {
    let checked = 0;
    for (const [key, digest] of Object.entries(PINNED)) {
      const [name, format, fault] = key.split('/') as [string, MockFormat, string | undefined];
      const text = ANSWERS[name];
      assert.ok(text !== undefined, key);
      const writes = encodeStream(format, tokenize(text), fault ? { fault } : {});
      assert.equal(createHash('sha256').update(writes.join('\u0000')).digest('hex'), digest, key);
      checked++;
    }
    assert.equal(checked, FORMATS.length * 7);
  });
});

describe('structured answers, per format', () => {
  for (const format of FORMATS) {
    test(`${format}: every answer is well-formed, ends with its marker, and the text arrives whole`, () => {
      for (const [name, answer] of Object.entries(PART_ANSWERS)) {
        const b = body(format, answer);
        const seen = extract(format, b); // parses every payload
        assert.ok(seen.ended, `${format}/${name}: end marker`);
        assert.equal(seen.text, textOf(answer), `${format}/${name}: text`);
        if (format !== 'text') assert.equal(encodeStream(format, answer).length, encodeEvents(format, answer).length);
        assert.deepEqual(encodeStream(format, answer), encodeStream(format, answer), 'deterministic');
      }
    });

    test(`${format}: reasoning`, () => {
      const answer = PART_ANSWERS.reasoning!;
      const seen = extract(format, body(format, answer));
      const reasoning = reasoningOf(answer);
      assert.ok(reasoning.split(/\s+/).length > 200, 'a few hundred words of thinking');
      if (REASONING_FORMATS.has(format)) {
        assert.equal(seen.reasoning, reasoning);
        const reasoningTokens = tokenize(reasoning).length;
        if (seen.reasoningTokens !== null) assert.equal(seen.reasoningTokens, reasoningTokens);
        if (['openai', 'openai-responses', 'gemini'].includes(format)) assert.equal(seen.reasoningTokens, reasoningTokens);
      } else {
        assert.equal(seen.reasoning, '');
        assert.ok(!body(format, answer).includes('step by step'), 'no reasoning text leaks into a text-only format');
      }
      if (seen.outputTokens !== null) assert.equal(seen.outputTokens, countTokens(format, answer));
    });

    test(`${format}: thinking-tags sends the reasoning as a leading <think> block in the text`, () => {
      const answer = PART_ANSWERS['thinking-tags']!;
      const seen = extract(format, body(format, answer));
      const reasoning = reasoningOf(PART_ANSWERS.reasoning!);
      assert.equal(seen.reasoning, '');
      assert.equal(seen.text, `<think>\n${reasoning}\n</think>\n\n${textOf(PART_ANSWERS.reasoning!)}`);
    });

    test(`${format}: tool calls`, () => {
      const answer = PART_ANSWERS.tools!;
      const seen = extract(format, body(format, answer));
      const intended = answer.parts.flatMap((p) => (p.type === 'tool-call' ? [p] : []));
      assert.deepEqual(intended.map((p) => p.input), [
        { city: 'Paris', unit: 'celsius' },
        { city: 'London', unit: 'celsius' },
      ]);
      if (!TOOL_FORMATS.has(format)) {
        assert.deepEqual(seen.calls, []);
        return;
      }
      assert.equal(seen.calls.length, 2);
      seen.calls.forEach((c, k) => {
        assert.equal(c.name, 'get_weather');
        assert.deepEqual(JSON.parse(c.args), intended[k]!.input, `${format}: arguments of call ${k}`);
      });
      const ids = seen.calls.map((c) => c.id);
      if (format === 'gemini' || format === 'ollama') assert.deepEqual(ids, [null, null]);
      else assert.equal(new Set(ids).size, 2, 'distinct call ids');
      const expectedFinish = { openai: 'tool_calls', anthropic: 'tool_use', gemini: 'STOP', ollama: 'stop', 'ai-sdk': 'stop' } as Record<string, string>;
      if (format in expectedFinish) assert.equal(seen.finish, expectedFinish[format]);
      // Where the provider streams arguments, they arrive in small pieces; Gemini and Ollama send a call whole.
      for (const c of seen.calls) {
        if (STREAMS_ARGUMENTS.has(format)) assert.ok(c.pieces >= 4, `${format}: ${c.pieces} argument pieces`);
        else assert.equal(c.pieces, 1);
      }
    });

    test(`${format}: web search sources`, () => {
      const answer = PART_ANSWERS.search!;
      const b = body(format, answer);
      const seen = extract(format, b);
      const search = answer.parts.find((p) => p.type === 'web-search');
      assert.ok(search && search.type === 'web-search');
      assert.ok(search.results.length >= 3 && search.results.length <= 4);
      for (const r of search.results) assert.ok(r.url.startsWith('https://') && r.title.length > 0);
      if (!SOURCE_FORMATS.has(format)) {
        assert.deepEqual(seen.urls, []);
        return;
      }
      const cited = new Set(answer.parts.flatMap((p) => (p.type === 'text' ? (p.citations ?? []) : [])).map((k) => search.results[k]!.url));
      // Gemini and the AI SDK list every result; Anthropic and Responses name the cited ones at each citation.
      const expected = format === 'gemini' || format === 'ai-sdk' ? search.results.map((r) => r.url) : [...cited];
      assert.deepEqual(new Set(seen.urls), new Set(expected));
      for (const r of search.results) assert.ok(b.includes(JSON.stringify(r.url)), `${format}: ${r.url} in the stream`);
    });
  }

});

describe('structured answers: provider details', () => {
  test('Anthropic: thinking block with a signature, tool_use blocks, server tool + citations', () => {
    const thinking = jsonPayloads('anthropic', body('anthropic', PART_ANSWERS.reasoning!));
    assert.deepEqual(thinking[1]!.content_block, { type: 'thinking', thinking: '', signature: '' });
    assert.equal(thinking.filter((j) => j.delta?.type === 'signature_delta').length, 1);

    const search = jsonPayloads('anthropic', body('anthropic', PART_ANSWERS.search!));
    const starts = search.filter((j) => j.type === 'content_block_start').map((j) => j.content_block.type);
    assert.deepEqual(starts.slice(0, 2), ['server_tool_use', 'web_search_tool_result']);
    const query = search
      .filter((j) => j.index === 0 && j.delta?.type === 'input_json_delta')
      .map((j) => j.delta.partial_json)
      .join('');
    assert.deepEqual(JSON.parse(query), { query: (PART_ANSWERS.search!.parts[0] as { query: string }).query });
    const delta = search.find((j) => j.type === 'message_delta')!;
    assert.deepEqual(delta.usage.server_tool_use, { web_search_requests: 1 });
    assert.equal(delta.delta.stop_reason, 'end_turn');
  });

  test('OpenAI Responses: reasoning item before the message, function_call items, url_citation offsets', () => {
    const reasoning = jsonPayloads('openai-responses', body('openai-responses', PART_ANSWERS.reasoning!));
    const added = reasoning.filter((j) => j.type === 'response.output_item.added').map((j) => [j.output_index, j.item.type]);
    assert.deepEqual(added, [
      [0, 'reasoning'],
      [1, 'message'],
    ]);
    const seqs = reasoning.map((j) => j.sequence_number);
    assert.deepEqual(seqs, seqs.map((_, i) => i), 'sequence numbers count up from 0');

    const tools = jsonPayloads('openai-responses', body('openai-responses', PART_ANSWERS.tools!));
    const done = tools.filter((j) => j.type === 'response.output_item.done' && j.item.type === 'function_call');
    assert.deepEqual(done.map((j) => JSON.parse(j.item.arguments)), [
      { city: 'Paris', unit: 'celsius' },
      { city: 'London', unit: 'celsius' },
    ]);

    const search = jsonPayloads('openai-responses', body('openai-responses', PART_ANSWERS.search!));
    const text = textOf(PART_ANSWERS.search!);
    for (const j of search.filter((x) => x.type === 'response.output_text.annotation.added')) {
      const { start_index: start, end_index: end, type } = j.annotation;
      assert.equal(type, 'url_citation');
      assert.ok(end > start && text.slice(start, end).startsWith('- **'), `annotation covers a cited sentence: ${text.slice(start, end)}`);
    }
  });

  test('Gemini: thought parts, functionCall parts, groundingMetadata after the STOP chunk', () => {
    const chunks = jsonPayloads('gemini', body('gemini', PART_ANSWERS.search!));
    const stopAt = chunks.findIndex((j) => j.candidates[0].finishReason === 'STOP');
    assert.equal(stopAt, chunks.length - 2, 'STOP chunk, then the grounding chunk');
    const grounding = chunks.at(-1)!.candidates[0].groundingMetadata;
    const text = textOf(PART_ANSWERS.search!);
    const bytes = new TextEncoder().encode(text);
    for (const support of grounding.groundingSupports) {
      const { startIndex, endIndex, text: segment } = support.segment;
      assert.equal(new TextDecoder().decode(bytes.slice(startIndex, endIndex)), segment);
    }
    assert.equal(grounding.groundingChunks.length, 4);
  });

  test('the tools answer defaults to a tool_calls finish; finish= still overrides it', () => {
    assert.equal(extract('openai', body('openai', PART_ANSWERS.tools!)).finish, 'tool_calls');
    assert.equal(extract('openai', body('openai', PART_ANSWERS.tools!, { finishReason: 'stop' })).finish, 'stop');
    assert.equal(extract('ai-sdk', body('ai-sdk', PART_ANSWERS.tools!, { finishReason: 'tool_calls' })).finish, 'tool-calls');
  });

  test('AI SDK: outputs of the executed tools, then a new step for the answer', () => {
    const parts = jsonPayloads('ai-sdk', body('ai-sdk', PART_ANSWERS.tools!)).map((j) => j.type);
    const firstOutput = parts.indexOf('tool-output-available');
    assert.ok(firstOutput > parts.lastIndexOf('tool-input-available'));
    assert.deepEqual(parts.slice(firstOutput + 2, firstOutput + 5), ['finish-step', 'start-step', 'text-start']);
  });
});

describe('structured answers: encoder faults', () => {
  for (const format of FORMATS) {
    test(`${format}: truncate, malformed and provider-error`, () => {
      for (const name of ['reasoning', 'tools', 'search'] as const) {
        const answer = PART_ANSWERS[name]!;
        if (format !== 'text') {
          assert.equal(extract(format, body(format, answer, { fault: 'truncate' })).ended, false, `${format}/${name}: truncated`);
        }
        const n = countTokens(format, answer);
        const malformed = encodeEvents(format, answer, { fault: 'malformed', faultAt: Math.floor(n / 2) });
        const at = malformed.findIndex((c) => c.kind === 'fault');
        if (format === 'text') assert.equal(at, -1);
        else {
          assert.ok(at > 0 && malformed.slice(at + 1).some((c) => c.token >= Math.floor(n / 2)), `${format}/${name}: mid-stream`);
          assert.ok(malformed[at]!.data.includes('{not json'));
        }
        const failed = encodeEvents(format, answer, { fault: 'provider-error', faultAt: Math.floor(n / 2) });
        const sent = failed.filter((c) => c.token >= 0).map((c) => c.token);
        assert.ok(sent.length > 0 && Math.max(...sent) < Math.floor(n / 2), `${format}/${name}: cut at the fault`);
      }
    });
  }
});

describe('structured answers over HTTP', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer({ port: 0 });
  });
  after(async () => {
    await server.close();
  });
  const get = async (q: string): Promise<string> => {
    const res = await fetch(`${server.url}/mock/chat?${q}`);
    assert.equal(res.status, 200, q);
    return res.text();
  };

  test('answer=reasoning|tools|search|thinking-tags stream whole at tps=max', async () => {
    const reasoning = extract('anthropic', await get('format=anthropic&answer=reasoning&tps=max'));
    assert.equal(reasoning.reasoning, reasoningOf(PART_ANSWERS.reasoning!));
    const tools = extract('openai', await get('format=openai&answer=tools&tps=max'));
    assert.equal(tools.calls.length, 2);
    assert.equal(tools.finish, 'tool_calls');
    assert.equal(tools.outputTokens, countTokens('openai', PART_ANSWERS.tools!));
    const search = extract('ai-sdk', await get('format=ai-sdk&answer=search&tps=max'));
    assert.equal(search.urls.length, 4);
    const tagged = extract('ollama', await get('format=ollama&answer=thinking-tags&tps=max'));
    assert.ok(tagged.text.startsWith('<think>\n') && tagged.reasoning === '');
  });

  test('thinking=tags applies to any answer with reasoning; bad values are rejected', async () => {
    const seen = extract('openai', await get('format=openai&answer=reasoning&thinking=tags&tps=max'));
    assert.equal(seen.reasoning, '');
    assert.ok(seen.text.startsWith('<think>\n'));
    const res = await fetch(`${server.url}/mock/chat?answer=reasoning&thinking=maybe`);
    assert.equal(res.status, 400);
    await res.text();
  });

  test('reset at=0.5 cuts the reasoning answer mid-stream (counting reasoning tokens)', async () => {
    const res = await fetch(`${server.url}/mock/chat?format=gemini&answer=reasoning&tps=max&fault=reset&at=0.5`);
    let text = '';
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    await assert.rejects(async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) throw new Error('the body ended cleanly');
        text += decoder.decode(value, { stream: true });
      }
    });
    const complete = text.slice(0, text.lastIndexOf('\r\n\r\n') + 4);
    const seen = extract('gemini', complete);
    assert.equal(seen.ended, false);
    const reasoning = reasoningOf(PART_ANSWERS.reasoning!);
    const half = Math.floor(countTokens('gemini', PART_ANSWERS.reasoning!) / 2);
    // Reasoning tokens come first and are more than half of the answer, so the cut falls inside them.
    assert.ok(tokenize(reasoning).length > half);
    assert.equal(seen.reasoning, tokenize(reasoning).slice(0, half).join(''));
    assert.equal(seen.text, '');
  });

  test('tps paces the tool-argument pieces like text tokens', async () => {
    const n = countTokens('openai', PART_ANSWERS.tools!);
    const t0 = performance.now();
    await get('format=openai&answer=tools&tps=400');
    const elapsed = performance.now() - t0;
    assert.ok(elapsed >= ((n - 1) / 400) * 1000 * 0.9, `paced: ${elapsed.toFixed(0)} ms for ${n} tokens at 400 tps`);
  });
});

describe('round trip through createStreamDecoder', () => {
  /** Decodes the mock's bytes the way the worker does (format detected), fed in `size`-byte pieces. */
  function decode(format: MockFormat, answer: MockAnswer, size: number): { response: CollectedResponse; end: StreamEnd } {
    const collector = createResponseCollector();
    const decoder = createStreamDecoder({
      contentType: CONTENT_TYPES[format],
      headers: format === 'ai-sdk' ? { 'x-vercel-ai-ui-message-stream': 'v1' } : {},
      onEvent: (event) => collector.add(event),
    });
    const bytes = new TextEncoder().encode(encodeStream(format, answer).join(''));
    for (let i = 0; i < bytes.length; i += size) decoder.feed(bytes.subarray(i, i + size));
    const end = decoder.end();
    return { response: collector.result(), end };
  }

  for (const format of FORMATS) {
    test(`${format}: reasoning, tool calls and sources survive decoding (whole and in 7-byte pieces)`, () => {
      for (const size of [Number.MAX_SAFE_INTEGER, 7]) {
        const reasoning = decode(format, PART_ANSWERS.reasoning!, size);
        assert.ok(reasoning.end.complete, `${format}: ${reasoning.end.reason}`);
        assert.equal(reasoning.response.text, textOf(PART_ANSWERS.reasoning!));
        assert.equal(reasoning.response.reasoning, REASONING_FORMATS.has(format) ? reasoningOf(PART_ANSWERS.reasoning!) : '');
        if (['openai', 'openai-responses', 'gemini'].includes(format)) {
          assert.equal(reasoning.response.usage?.reasoningTokens, tokenize(reasoningOf(PART_ANSWERS.reasoning!)).length);
        }

        // The decoder's <think> splitter turns the tagged variant back into reasoning + answer, in every format.
        const tagged = decode(format, PART_ANSWERS['thinking-tags']!, size);
        assert.equal(tagged.response.text, textOf(PART_ANSWERS.reasoning!));
        assert.equal(tagged.response.reasoning.trim(), reasoningOf(PART_ANSWERS.reasoning!));

        const tools = decode(format, PART_ANSWERS.tools!, size);
        assert.ok(tools.end.complete);
        assert.equal(tools.response.text, textOf(PART_ANSWERS.tools!));
        if (TOOL_FORMATS.has(format)) {
          const calls = tools.response.toolCalls;
          assert.deepEqual(calls.map((c) => [c.name, c.status, JSON.parse(c.arguments)]), [
            ['get_weather', 'complete', { city: 'Paris', unit: 'celsius' }],
            ['get_weather', 'complete', { city: 'London', unit: 'celsius' }],
          ]);
          assert.equal(new Set(calls.map((c) => c.id)).size, 2);
          if (format === 'ai-sdk') assert.deepEqual(JSON.parse(calls[0]!.output!), { city: 'Paris', unit: 'celsius', temperature: 18, conditions: 'partly cloudy' });
        } else {
          assert.deepEqual(tools.response.toolCalls, []);
        }
        if (['openai', 'openai-responses', 'anthropic'].includes(format)) assert.equal(tools.response.finishReason, 'tool_calls');

        const search = decode(format, PART_ANSWERS.search!, size);
        assert.ok(search.end.complete);
        assert.equal(search.response.text, textOf(PART_ANSWERS.search!));
        const results = (PART_ANSWERS.search!.parts[0] as { results: { url: string }[] }).results;
        assert.deepEqual(
          new Set(search.response.sources.map((x) => x.url)),
          new Set(SOURCE_FORMATS.has(format) ? results.map((r) => r.url) : []),
        );
      }
    });
  }
});
