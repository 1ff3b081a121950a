/**
 * Generated inputs (issue 15, item 4 "wire"): random valid streams in every format the decoder reads,
 * re-chunked at random bytes, decoded by the real decoder.
 *
 * A case starts from a random answer (text with multi-byte UTF-8 — emoji, CJK, combining marks — and
 * `\r\n` inside it; optionally reasoning, tool calls with arguments split mid-JSON, and sources), which
 * is encoded the way each provider documents its stream (the shapes of the recordings in
 * ../shared/corpora/real-streams/) and framed with what real servers add: SSE `: keep-alive` comments,
 * `retry:` and `id:` lines, `event:` names, LF / CRLF / CR line endings, `data:` without its space,
 * pretty-printed multi-line data, empty keep-alive events, replayed events, a BOM; NDJSON with blank
 * keep-alive lines and CRLF; Gemini also as NDJSON and as a whole JSON array. The bytes are cut at
 * random positions, deliberately inside UTF-8 sequences and between `\r` and `\n`.
 *
 * Checked: the decoded text, reasoning, tool calls (ids, names, arguments, status, output), sources,
 * usage, finish reason and format equal the generated ones, the stream is complete, and the chunked
 * decoding equals the whole one. Each case is also cut at a random byte before its end marker: then it
 * is incomplete, what was decoded is a prefix of the answer, no tool call is left `streaming`, and
 * nothing throws.
 *
 * Fixed seeds in `npm test` (1 500 cases, about 2 s); `GENERATED_CASES=30000` runs more. A failure is shrunk (parts of the answer,
 * framing options, cut points) and printed as JSON; kept failures live in
 * test/fixtures/generated-regressions/wire-*.json and are replayed first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { randomSource, shrinkList, type RandomSource } from '../../seeded-random.js';
import type { FinishReason, Source, StreamFormat, ToolCallStatus, Usage } from '../../../src/types.js';
import { createResponseCollector, type CollectedResponse } from '../../../src/decoding/response-collector.js';
import { decode, utf8 } from './helpers.js';

// ─── The answer: what the model "said", independent of any wire format ───────────────────────────

/** Pieces of answer text, each sent as one delta. */
const TEXT_WORDS = [
  'Hello', 'world', 'the', 'answer', 'is', '42', 'naïve', 'café', 'e\u0301', 'a\u0308\u0304', 'Z̤͔ͧ̑',
  '日本語', '中文字符', '한국어', 'مرحبا', 'שלום', 'Ελληνικά', '🎉', '👩‍💻', '🇳🇴', '👍🏽', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '€', '½',
  '"quoted"', 'back\\slash', '{"json": true}', 'data: not a field', ': not a comment', '[DONE]', 'event: x',
  'id: 7', 'retry: 1', '</think>', '<think>', '<b>bold</b>', '**md**', '`code`', '| a | b |', '- item',
  '\u2028', '\u2029', '\u0085', '\u00a0', '\ufeff', '\u0000', '\u001b[0m',
];
const TEXT_SPACES = [' ', ' ', ' ', '\n', '\n\n', '\r\n', '\r\n\r\n', '\r', '\t', '  '];
const FIRST_WORDS = TEXT_WORDS.filter((word) => !word.startsWith('<') && /\S/.test(word) && !word.startsWith('\ufeff'));
const REASONING_WORDS = ['Let', 'me', 'think', 'about', 'it', '→', '∑', '考える', '🤔', 'step 1:', '\n', ' ', ' ', '\r\n', '"x"', 'a\\b', '<', '</', '</thin'];
const TOOL_NAMES = ['get_weather', 'search', 'lookup', 'calc', 'save_file'];
const ARG_KEYS = ['city', 'query', 'q', 'units', 'n', 'tags', 'nested', 'ünï', '日本'];
const ARG_STRINGS = ['Oslo', 'Zürich', '東京', '🎉 party', 'line\nbreak', 'cr\r\nlf', 'tab\tbed', '"quote"', 'back\\slash', '', '}{', '</think>'];
const SOURCE_URLS = [
  'https://example.com/a',
  'https://example.com/b?x=1&y=ü',
  'http://news.example.org/2025/12/05/story',
  'https://en.wikipedia.org/wiki/Ångström',
  'https://例え.jp/パス',
  'https://docs.example.dev/#frag',
  ' https://padded.example/ ',
];
const BAD_SOURCE_URLS = ['javascript:alert(1)', 'ftp://files.example/x', 'test_uri_1', 'data:text/html,<b>x</b>', ''];
const SOURCE_TITLES = ['Example', 'Ünïcode — title', '日本のページ', 'A "quoted" title', '  padded  ', undefined];

interface GenCall {
  name: string;
  /** The arguments as an object (what Gemini and Ollama send, and the AI SDK's `input`). */
  args: Record<string, unknown>;
  /** The argument text as streamed, cut mid-JSON (joined: the raw argument text). */
  fragments: string[];
  providerId: string;
  /** A tool result, where the format carries one (AI SDK). */
  output?: Record<string, unknown>;
}

interface GenSource {
  url: string;
  title?: string;
}

interface Answer {
  text: string[];
  /** Reasoning parts (paragraphs / blocks), each as deltas. Parts are never empty. */
  reasoning: string[][];
  /** Send the reasoning as a `<think>…</think>` block at the start of the text instead of natively. */
  inlineThink: boolean;
  /** Whitespace before `<think>` and between `</think>` and the answer. */
  thinkLead: string;
  thinkGap: string;
  /** Where `<think>` and `</think>` are cut across deltas (0: not cut). */
  tagSplit: number;
  calls: GenCall[];
  /** In the order sent, duplicates and non-http URLs included. */
  sources: GenSource[];
  stop: 'natural' | 'length' | 'filter';
  usage: { input: number; output: number } | null;
}

/** Cuts `text` into pieces of 1..max code points. */
function splitText(text: string, random: RandomSource, max: number): string[] {
  const points = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < points.length;) {
    const size = random.int(1, max);
    pieces.push(points.slice(i, i + size).join(''));
    i += size;
  }
  return pieces;
}

function randomArgs(random: RandomSource, depth = 0): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const count = random.int(depth ? 1 : 0, 3);
  for (let i = 0; i < count; i++) {
    const key = random.pick(ARG_KEYS);
    const kind = random.int(0, depth > 1 ? 3 : 5);
    if (kind <= 1) args[key] = random.pick(ARG_STRINGS);
    else if (kind === 2) args[key] = random.int(-5, 1000) / random.pick([1, 4]);
    else if (kind === 3) args[key] = random.chance(0.5);
    else if (kind === 4) args[key] = [random.pick(ARG_STRINGS), random.int(0, 9), null];
    else args[key] = randomArgs(random, depth + 1);
  }
  return args;
}

function generateAnswer(random: RandomSource): Answer {
  const text: string[] = [];
  const words = random.chance(0.08) ? 0 : random.int(1, 60);
  for (let i = 0; i < words; i++) {
    if (i === 0) text.push(random.pick(FIRST_WORDS));
    else text.push(random.chance(0.45) ? random.pick(TEXT_SPACES) : random.pick(TEXT_WORDS));
  }
  // Deltas are not words: merge neighbours at random, and sometimes cut a word between code points.
  const deltas: string[] = [];
  for (const word of text) {
    const last = deltas.length - 1;
    if (last >= 0 && random.chance(0.35)) deltas[last] += word;
    else deltas.push(...(random.chance(0.15) ? splitText(word, random, 2) : [word]));
  }
  const reasoning: string[][] = [];
  if (random.chance(0.4)) {
    const parts = random.int(1, 3);
    for (let p = 0; p < parts; p++) {
      const part = Array.from({ length: random.int(1, 20) }, () => random.pick(REASONING_WORDS)).join('');
      reasoning.push(splitText(part, random, 6));
    }
  }
  const calls: GenCall[] = [];
  if (random.chance(0.35)) {
    const count = random.int(1, 3);
    for (let c = 0; c < count; c++) {
      const args = randomArgs(random);
      const json = JSON.stringify(args, null, random.chance(0.3) ? 1 : undefined);
      calls.push({
        name: random.pick(TOOL_NAMES),
        args,
        fragments: splitText(json, random, 8),
        providerId: `call_${c}${random.int(1000, 9999)}`,
        ...(random.chance(0.5) ? { output: { ok: random.chance(0.5), value: random.pick(ARG_STRINGS) } } : {}),
      });
    }
  }
  const sources: GenSource[] = [];
  if (random.chance(0.35)) {
    const count = random.int(1, 5);
    for (let s = 0; s < count; s++) {
      const url = random.chance(0.15) ? random.pick(BAD_SOURCE_URLS) : random.chance(0.2) && sources.length ? (random.pick(sources).url) : random.pick(SOURCE_URLS);
      const title = random.pick(SOURCE_TITLES);
      sources.push({ url, ...(title === undefined ? {} : { title }) });
    }
  }
  return {
    text: deltas,
    reasoning,
    inlineThink: reasoning.length > 0 && random.chance(0.3),
    thinkLead: random.pick(['', '', ' ', '\n', '\r\n']),
    thinkGap: random.pick(['', '\n', '\n\n', '\r\n\r\n', ' ']),
    tagSplit: random.chance(0.5) ? random.int(1, 6) : 0,
    calls,
    sources,
    stop: random.pick(['natural', 'natural', 'natural', 'length', 'filter'] as const),
    usage: random.chance(0.6) ? { input: random.int(1, 5000), output: random.int(1, 5000) } : null,
  };
}

// ─── What the decoder must report ─────────────────────────────────────────────────────────────────

interface ExpectedCall {
  /** The provider's id, where the format carries one the decoder keeps. */
  id?: string;
  name: string;
  arguments: string;
  status: ToolCallStatus;
  output?: string;
}

interface Expected {
  format: StreamFormat;
  text: string;
  reasoning: string;
  toolCalls: ExpectedCall[];
  sources: Source[];
  finishReason: FinishReason | null;
  usage: Usage | null;
  /** With the reasoning inline: what precedes it (`thinkLead` + `<think>`), text while undecided. */
  inlineOpening?: string;
}

/** Sources as the contract reports them: http(s) only, trimmed, once per URL, first appearance wins. */
function expectedSources(sources: readonly GenSource[]): Source[] {
  const seen = new Set<string>();
  const out: Source[] = [];
  for (const source of sources) {
    const url = source.url.trim();
    if (!/^https?:\/\//i.test(url)) continue;
    const key = new URL(url).href;
    if (seen.has(key)) continue;
    seen.add(key);
    const title = source.title?.trim();
    out.push({ url, ...(title ? { title } : {}) });
  }
  return out;
}

const joinReasoning = (answer: Answer): string => answer.reasoning.map((part) => part.join('')).join('\n\n');

/**
 * The text deltas a format sends: the answer, preceded by the reasoning as a `<think>` block when it
 * travels inline (the tags cut across deltas at `tagSplit`).
 */
function textDeltas(answer: Answer, inline: boolean): string[] {
  if (!inline) return answer.text;
  const cut = (tag: string): string[] => (answer.tagSplit > 0 && answer.tagSplit < tag.length ? [tag.slice(0, answer.tagSplit), tag.slice(answer.tagSplit)] : [tag]);
  const reasoning = answer.reasoning.flatMap((part, index) => (index === 0 ? part : ['\n\n', ...part]));
  return [...(answer.thinkLead ? [answer.thinkLead] : []), ...cut('<think>'), ...reasoning, ...cut('</think>'), ...(answer.thinkGap ? [answer.thinkGap] : []), ...answer.text];
}

function baseExpected(format: StreamFormat, answer: Answer, inline: boolean, withReasoning: boolean): Expected {
  return {
    format,
    text: answer.text.join(''),
    reasoning: withReasoning || inline ? joinReasoning(answer) : '',
    toolCalls: [],
    sources: [],
    finishReason: null,
    usage: null,
    ...(inline ? { inlineOpening: `${answer.thinkLead}<think>` } : {}),
  };
}

// ─── Encoders: one per format, as the providers document their streams ──────────────────────────

/** One framed message: a JSON object (or the `[DONE]` sentinel) and, for SSE, its `event:` name. */
interface Message {
  data: unknown;
  event?: string;
  /** The format's end marker: a cut before its end must leave the stream incomplete. */
  marker?: boolean;
}

interface Encoded {
  messages: Message[];
  expected: Expected;
}

type Encoder = (answer: Answer, random: RandomSource) => Encoded;

const DONE = '[DONE]';

/** Interleaves the calls' streams (the first entry of call i never before the first of call i-1). */
function interleave<T>(queues: T[][], random: RandomSource, parallel: boolean): T[] {
  if (!parallel) return queues.flat();
  const out: T[] = [];
  const left = queues.map((queue) => [...queue]);
  let started = 0;
  while (left.some((queue) => queue.length)) {
    const open = left.map((queue, index) => (queue.length && index <= started ? index : -1)).filter((index) => index >= 0);
    const index = random.pick(open);
    out.push(left[index]?.shift() as T);
    if (index === started && started < left.length - 1) started++;
  }
  return out;
}

/** With `length`, the model stopped inside the last call: only part of its arguments were sent. */
function cutLastCall(answer: Answer): GenCall[] {
  if (answer.stop !== 'length' || !answer.calls.length) return answer.calls;
  const calls = answer.calls.map((call) => ({ ...call }));
  const last = calls[calls.length - 1] as GenCall;
  last.fragments = last.fragments.slice(0, Math.max(0, Math.ceil(last.fragments.length / 2)));
  return calls;
}

const openaiChat: Encoder = (answer, random) => {
  const inline = answer.inlineThink;
  const expected = baseExpected('openai', answer, inline, true);
  const base = { id: `chatcmpl-${random.int(1e5, 1e6)}`, object: 'chat.completion.chunk', created: 1733000000, model: 'gpt-x' };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) => ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra });
  const messages: Message[] = [{ data: chunk({ role: 'assistant', content: random.pick(['', null]) }) }];
  const field = random.pick(['reasoning_content', 'reasoning']);
  if (!inline) for (const piece of answer.reasoning.flatMap((part, i) => (i ? ['\n\n', ...part] : part))) messages.push({ data: chunk({ [field]: piece }) });
  for (const piece of textDeltas(answer, inline)) messages.push({ data: chunk({ content: piece }) });
  const calls = cutLastCall(answer);
  // The first entry of a call names it, with `arguments: ""` (OpenAI) or already its first fragment
  // (several compatible servers); entries of different calls may share a chunk.
  const firstCarries = random.chance(0.3);
  const queues = calls.map((call, index) => {
    const [head, ...rest] = firstCarries ? call.fragments : ['', ...call.fragments];
    return [
      { index, id: call.providerId, type: 'function', function: { name: call.name, arguments: head ?? '' } },
      ...rest.map((fragment) => ({ index, function: { arguments: fragment } })),
    ];
  });
  const entries = interleave(queues, random, random.chance(0.5));
  for (let i = 0; i < entries.length;) {
    const take = random.chance(0.2) ? random.int(2, 3) : 1;
    messages.push({ data: chunk({ tool_calls: entries.slice(i, i + take) }) });
    i += take;
  }
  const raw = answer.stop === 'length' ? 'length' : answer.stop === 'filter' && !calls.length ? 'content_filter' : calls.length ? 'tool_calls' : 'stop';
  // A token limit stops the model mid-arguments: every open call is cut off.
  const status: ToolCallStatus = raw === 'length' ? 'incomplete' : 'complete';
  expected.toolCalls = calls.map((call) => ({ id: call.providerId, name: call.name, arguments: call.fragments.join(''), status }));
  expected.finishReason = raw as FinishReason;
  const usage = answer.usage && { prompt_tokens: answer.usage.input, completion_tokens: answer.usage.output, total_tokens: answer.usage.input + answer.usage.output };
  // With include_usage, usage comes in one more chunk with empty choices; some servers put it on the finish chunk.
  const usageOnFinish = usage !== null && random.chance(0.3);
  messages.push({ data: chunk({}, raw, usageOnFinish ? { usage } : {}) });
  if (answer.usage) {
    if (!usageOnFinish) messages.push({ data: { ...base, choices: [], usage } });
    expected.usage = { inputTokens: answer.usage.input, outputTokens: answer.usage.output, totalTokens: answer.usage.input + answer.usage.output };
  }
  messages.push({ data: DONE, marker: true });
  return { messages, expected };
};

const openaiCompletions: Encoder = (answer, random) => {
  // The format has no reasoning field: reasoning can only travel as a <think> block.
  const inline = answer.reasoning.length > 0;
  const expected = baseExpected('openai-completions', answer, inline, false);
  const base = { id: `cmpl-${random.int(1e5, 1e6)}`, object: 'text_completion', created: 1733000000, model: 'gpt-instruct' };
  const chunk = (text: string, finish: string | null = null) => ({ ...base, choices: [{ text, index: 0, logprobs: null, finish_reason: finish }] });
  const messages: Message[] = textDeltas(answer, inline).map((piece) => ({ data: chunk(piece) }));
  const raw = answer.stop === 'length' ? 'length' : answer.stop === 'filter' ? 'content_filter' : 'stop';
  messages.push({ data: chunk('', raw) });
  expected.finishReason = raw as FinishReason;
  if (answer.usage) {
    const { input, output } = answer.usage;
    messages.push({ data: { ...base, choices: [], usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output } } });
    expected.usage = { inputTokens: input, outputTokens: output, totalTokens: input + output };
  }
  messages.push({ data: DONE, marker: true });
  return { messages, expected };
};

const openaiResponses: Encoder = (answer, random) => {
  const inline = answer.inlineThink;
  const expected = baseExpected('openai-responses', answer, inline, true);
  let sequence = 0;
  const messages: Message[] = [];
  const send = (type: string, fields: Record<string, unknown>, marker = false): void => {
    messages.push({ event: type, data: { type, sequence_number: sequence++, ...fields }, ...(marker ? { marker } : {}) });
  };
  const response = { id: `resp_${random.int(1e5, 1e6)}`, object: 'response', created_at: 1733000000, model: 'gpt-5', status: 'in_progress', output: [] as unknown[], usage: null as unknown };
  send('response.created', { response });
  send('response.in_progress', { response });
  const output: Record<string, unknown>[] = [];
  let outputIndex = 0;
  if (answer.reasoning.length && !inline) {
    const item = { id: `rs_${random.int(1e5, 1e6)}`, type: 'reasoning', summary: [] as unknown[] };
    const index = outputIndex++;
    send('response.output_item.added', { output_index: index, item });
    // Summaries (OpenAI) or raw reasoning text (open-weight models behind the Responses API).
    const raw = random.chance(0.3);
    answer.reasoning.forEach((part, k) => {
      const text = part.join('');
      if (raw) {
        for (const delta of part) send('response.reasoning_text.delta', { item_id: item.id, output_index: index, content_index: k, delta });
        send('response.reasoning_text.done', { item_id: item.id, output_index: index, content_index: k, text });
      } else {
        send('response.reasoning_summary_part.added', { item_id: item.id, output_index: index, summary_index: k, part: { type: 'summary_text', text: '' } });
        for (const delta of part) send('response.reasoning_summary_text.delta', { item_id: item.id, output_index: index, summary_index: k, delta });
        send('response.reasoning_summary_text.done', { item_id: item.id, output_index: index, summary_index: k, text });
        send('response.reasoning_summary_part.done', { item_id: item.id, output_index: index, summary_index: k, part: { type: 'summary_text', text } });
      }
    });
    const done = { ...item, summary: answer.reasoning.map((part) => ({ type: 'summary_text', text: part.join('') })) };
    send('response.output_item.done', { output_index: index, item: done });
    output.push(done);
  }
  const deltas = textDeltas(answer, inline);
  if (deltas.length || answer.sources.length) {
    const item = { id: `msg_${random.int(1e5, 1e6)}`, type: 'message', status: 'in_progress', content: [] as unknown[], role: 'assistant' };
    const index = outputIndex++;
    send('response.output_item.added', { output_index: index, item });
    send('response.content_part.added', { item_id: item.id, output_index: index, content_index: 0, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } });
    const annotations = answer.sources.map((source) => ({ type: 'url_citation', start_index: 0, end_index: 1, url: source.url, ...(source.title === undefined ? {} : { title: source.title }) }));
    const pending = [...annotations];
    let annotationIndex = 0;
    for (const delta of deltas) {
      send('response.output_text.delta', { item_id: item.id, output_index: index, content_index: 0, delta, logprobs: [] });
      if (pending.length && random.chance(0.3)) send('response.output_text.annotation.added', { item_id: item.id, output_index: index, content_index: 0, annotation_index: annotationIndex++, annotation: pending.shift() });
    }
    while (pending.length) send('response.output_text.annotation.added', { item_id: item.id, output_index: index, content_index: 0, annotation_index: annotationIndex++, annotation: pending.shift() });
    const text = deltas.join('');
    send('response.output_text.done', { item_id: item.id, output_index: index, content_index: 0, text, annotations, logprobs: [] });
    const part = { type: 'output_text', annotations, logprobs: [], text };
    send('response.content_part.done', { item_id: item.id, output_index: index, content_index: 0, part });
    const done = { ...item, status: 'completed', content: [part] };
    send('response.output_item.done', { output_index: index, item: done });
    output.push(done);
    expected.sources = expectedSources(answer.sources);
  }
  const calls = cutLastCall(answer);
  calls.forEach((call, c) => {
    const item = { id: `fc_${random.int(1e5, 1e6)}`, type: 'function_call', status: 'in_progress', arguments: '', call_id: call.providerId, name: call.name };
    const index = outputIndex++;
    send('response.output_item.added', { output_index: index, item });
    for (const delta of call.fragments) send('response.function_call_arguments.delta', { item_id: item.id, output_index: index, delta });
    const args = call.fragments.join('');
    const cut = answer.stop === 'length' && c === calls.length - 1;
    if (!cut) {
      send('response.function_call_arguments.done', { item_id: item.id, output_index: index, arguments: args });
      const done = { ...item, status: 'completed', arguments: args };
      send('response.output_item.done', { output_index: index, item: done });
      output.push(done);
    }
    expected.toolCalls.push({ id: call.providerId, name: call.name, arguments: args, status: cut ? 'incomplete' : 'complete' });
  });
  const usage = answer.usage ? { input_tokens: answer.usage.input, output_tokens: answer.usage.output, total_tokens: answer.usage.input + answer.usage.output } : null;
  if (answer.usage) expected.usage = { inputTokens: answer.usage.input, outputTokens: answer.usage.output, totalTokens: answer.usage.input + answer.usage.output };
  if (answer.stop === 'natural' || (answer.stop === 'filter' && calls.length)) {
    send('response.completed', { response: { ...response, status: 'completed', output, usage } }, true);
    expected.finishReason = calls.length ? 'tool_calls' : 'stop';
  } else {
    const reason = answer.stop === 'length' ? 'max_output_tokens' : 'content_filter';
    send('response.incomplete', { response: { ...response, status: 'incomplete', incomplete_details: { reason }, output, usage } }, true);
    expected.finishReason = answer.stop === 'length' ? 'length' : 'content_filter';
  }
  // Responses sequence numbers: an event re-sent with a number already seen is a replay.
  return { messages, expected };
};

const anthropic: Encoder = (answer, random) => {
  const inline = answer.inlineThink;
  const expected = baseExpected('anthropic', answer, inline, true);
  const messages: Message[] = [];
  const send = (data: Record<string, unknown> & { type: string }, marker = false): void => {
    messages.push({ event: data.type, data, ...(marker ? { marker } : {}) });
  };
  const ping = (): void => {
    if (random.chance(0.1)) send({ type: 'ping' });
  };
  send({ type: 'message_start', message: { id: `msg_${random.int(1e5, 1e6)}`, type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: answer.usage?.input ?? 0, output_tokens: 1 } } });
  let index = 0;
  if (!inline) {
    answer.reasoning.forEach((part) => {
      const block = index++;
      send({ type: 'content_block_start', index: block, content_block: { type: 'thinking', thinking: '', signature: '' } });
      ping();
      for (const thinking of part) send({ type: 'content_block_delta', index: block, delta: { type: 'thinking_delta', thinking } });
      send({ type: 'content_block_delta', index: block, delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM' } });
      send({ type: 'content_block_stop', index: block });
      if (random.chance(0.2)) {
        const redacted = index++;
        send({ type: 'content_block_start', index: redacted, content_block: { type: 'redacted_thinking', data: 'EmwKAhgBEgy3' } });
        send({ type: 'content_block_stop', index: redacted });
      }
    });
  }
  const deltas = textDeltas(answer, inline);
  const citations = [...answer.sources];
  if (deltas.length || citations.length) {
    let block = index++;
    // The first text may come inside content_block_start itself.
    const opening = random.chance(0.2) ? (deltas[0] ?? '') : '';
    send({ type: 'content_block_start', index: block, content_block: { type: 'text', text: opening } });
    for (const text of opening ? deltas.slice(1) : deltas) {
      ping();
      send({ type: 'content_block_delta', index: block, delta: { type: 'text_delta', text } });
      if (citations.length && random.chance(0.2)) {
        const cited = citations.shift() as GenSource;
        send({ type: 'content_block_delta', index: block, delta: { type: 'citations_delta', citation: { type: 'web_search_result_location', cited_text: 'x', url: cited.url, title: cited.title ?? null, encrypted_index: 'Eo8BCioIAhgB' } } });
      }
      // Long answers with citations come as several text blocks.
      if (random.chance(0.05)) {
        send({ type: 'content_block_stop', index: block });
        block = index++;
        send({ type: 'content_block_start', index: block, content_block: { type: 'text', text: '' } });
      }
    }
    for (const cited of citations) send({ type: 'content_block_delta', index: block, delta: { type: 'citations_delta', citation: { type: 'web_search_result_location', cited_text: 'x', url: cited.url, title: cited.title ?? null, encrypted_index: 'Eo8BCioIAhgB' } } });
    send({ type: 'content_block_stop', index: block });
    expected.sources = expectedSources(answer.sources);
  }
  const calls = cutLastCall(answer);
  calls.forEach((call, c) => {
    const block = index++;
    send({ type: 'content_block_start', index: block, content_block: { type: 'tool_use', id: call.providerId, name: call.name, input: {} } });
    send({ type: 'content_block_delta', index: block, delta: { type: 'input_json_delta', partial_json: '' } });
    for (const partial_json of call.fragments) send({ type: 'content_block_delta', index: block, delta: { type: 'input_json_delta', partial_json } });
    // max_tokens inside a tool_use block: the block is never stopped.
    const cut = answer.stop === 'length' && c === calls.length - 1;
    if (!cut) send({ type: 'content_block_stop', index: block });
    expected.toolCalls.push({ id: call.providerId, name: call.name, arguments: call.fragments.join(''), status: cut ? 'incomplete' : 'complete' });
  });
  const raw = answer.stop === 'length' ? 'max_tokens' : answer.stop === 'filter' && !calls.length ? 'refusal' : calls.length ? 'tool_use' : random.pick(['end_turn', 'stop_sequence'] as const);
  expected.finishReason = ({ max_tokens: 'length', refusal: 'content_filter', tool_use: 'tool_calls', end_turn: 'stop', stop_sequence: 'stop' } as const)[raw];
  send({ type: 'message_delta', delta: { stop_reason: raw, stop_sequence: null }, usage: { output_tokens: answer.usage?.output ?? 0 } });
  expected.usage = { inputTokens: answer.usage?.input ?? 0, outputTokens: answer.usage?.output ?? 0 };
  send({ type: 'message_stop' }, true);
  return { messages, expected };
};

const gemini: Encoder = (answer, random) => {
  const inline = answer.inlineThink;
  const expected = baseExpected('gemini', answer, inline, true);
  const chunks: Record<string, unknown>[] = [];
  const candidate = (parts: unknown[], extra: Record<string, unknown> = {}) => ({
    candidates: [{ content: { parts, role: 'model' }, ...(random.chance(0.8) ? { index: 0 } : {}), ...extra }],
    modelVersion: 'gemini-x',
    responseId: 'r1',
  });
  // Several parts per chunk, as Gemini batches them.
  const parts: unknown[] = [];
  const flush = (): void => {
    if (parts.length) chunks.push(candidate(parts.splice(0)));
  };
  if (!inline) {
    for (const text of answer.reasoning.flatMap((part, i) => (i ? ['\n\n', ...part] : part))) {
      parts.push({ text, thought: true });
      if (random.chance(0.6)) flush();
    }
    if (answer.reasoning.length && random.chance(0.5)) parts.push({ text: '', thoughtSignature: 'EqsFCqgFAb4' });
  }
  for (const text of textDeltas(answer, inline)) {
    parts.push({ text });
    if (random.chance(0.6)) flush();
  }
  flush();
  for (const call of answer.calls) {
    const id = random.chance(0.3) ? call.providerId : undefined;
    chunks.push(candidate([{ functionCall: { name: call.name, args: call.args, ...(id ? { id } : {}) } }]));
    expected.toolCalls.push({ ...(id ? { id } : {}), name: call.name, arguments: JSON.stringify(call.args), status: 'complete' });
  }
  const raw = answer.stop === 'length' ? 'MAX_TOKENS' : answer.stop === 'filter' ? 'SAFETY' : 'STOP';
  expected.finishReason = ({ MAX_TOKENS: 'length', SAFETY: 'content_filter', STOP: 'stop' } as const)[raw];
  const usage = answer.usage ? { promptTokenCount: answer.usage.input, candidatesTokenCount: answer.usage.output, totalTokenCount: answer.usage.input + answer.usage.output } : undefined;
  if (usage) expected.usage = { inputTokens: answer.usage?.input, outputTokens: answer.usage?.output, totalTokens: usage.totalTokenCount };
  const grounding = answer.sources.length ? { groundingMetadata: { groundingChunks: answer.sources.map((source) => ({ web: { uri: source.url, ...(source.title === undefined ? {} : { title: source.title }) } })), webSearchQueries: ['q'] } } : {};
  // Grounding comes with the finish chunk or in one more chunk after it.
  const groundingAfter = answer.sources.length > 0 && random.chance(0.5);
  chunks.push({ ...candidate([{ text: '' }], { finishReason: raw, ...(groundingAfter ? {} : grounding) }), ...(usage ? { usageMetadata: usage } : {}) });
  let markerAt = chunks.length - 1;
  // The 2024 API put the finish reason on every chunk: the stream is complete once the body closes
  // after the first of them, so that chunk is where a cut stops being detectable.
  if (raw === 'STOP' && random.chance(0.2)) {
    for (const chunk of chunks) for (const c of chunk.candidates as Record<string, unknown>[]) c.finishReason = 'STOP';
    markerAt = 0;
  }
  if (groundingAfter) chunks.push({ candidates: [{ content: { parts: [], role: 'model' }, index: 0, ...grounding }] });
  expected.sources = expectedSources(answer.sources);
  return { messages: chunks.map((data, i) => ({ data, ...(i === markerAt ? { marker: true } : {}) })), expected };
};

const ollama: Encoder = (answer, random) => {
  const inline = answer.inlineThink;
  const expected = baseExpected('ollama', answer, inline, true);
  // /api/generate has no tool calls; /api/chat carries everything.
  const generate = !answer.calls.length && random.chance(0.4);
  const line = (content: string, thinking?: string) =>
    generate
      ? { model: 'llama', created_at: '2025-01-01T00:00:00Z', response: content, ...(thinking === undefined ? {} : { thinking }), done: false }
      : { model: 'llama', created_at: '2025-01-01T00:00:00Z', message: { role: 'assistant', content, ...(thinking === undefined ? {} : { thinking }) }, done: false };
  const messages: Message[] = [];
  if (!inline) for (const thinking of answer.reasoning.flatMap((part, i) => (i ? ['\n\n', ...part] : part))) messages.push({ data: line('', thinking) });
  for (const piece of textDeltas(answer, inline)) messages.push({ data: line(piece) });
  if (answer.calls.length) {
    const entries = answer.calls.map((call) => ({ function: { name: call.name, arguments: call.args } }));
    // All calls in one line, or one line each.
    const groups = random.chance(0.5) ? [entries] : entries.map((entry) => [entry]);
    for (const tool_calls of groups) messages.push({ data: { model: 'llama', created_at: '2025-01-01T00:00:00Z', message: { role: 'assistant', content: '', tool_calls }, done: false } });
    expected.toolCalls = answer.calls.map((call) => ({ name: call.name, arguments: JSON.stringify(call.args), status: 'complete' }));
  }
  // Servers before 2024-08 send no done_reason: the reason is unknown, not guessed.
  const raw = random.chance(0.15) ? undefined : answer.stop === 'length' ? 'length' : 'stop';
  expected.finishReason = raw === undefined ? 'unknown' : raw === 'length' ? 'length' : 'stop';
  const final: Record<string, unknown> = generate
    ? { model: 'llama', created_at: '2025-01-01T00:00:01Z', response: '', done: true, context: [1, 2, 3] }
    : { model: 'llama', created_at: '2025-01-01T00:00:01Z', message: { role: 'assistant', content: '' }, done: true };
  if (raw) final.done_reason = raw;
  Object.assign(final, { total_duration: 5_000_000, load_duration: 1_000, prompt_eval_duration: 2_000, eval_duration: 3_000 });
  if (answer.usage) {
    Object.assign(final, { prompt_eval_count: answer.usage.input, eval_count: answer.usage.output });
    expected.usage = { inputTokens: answer.usage.input, outputTokens: answer.usage.output };
  }
  messages.push({ data: final, marker: true });
  return { messages, expected };
};

const aiSdk: Encoder = (answer, random) => {
  const inline = answer.inlineThink;
  const expected = baseExpected('ai-sdk', answer, inline, true);
  const messages: Message[] = [{ data: { type: 'start', messageId: `msg-${random.int(1, 99)}` } }, { data: { type: 'start-step' } }];
  const sources = answer.sources.map((source, i) => ({ data: { type: 'source-url', sourceId: `s${i}`, url: source.url, ...(source.title === undefined ? {} : { title: source.title }) } }));
  const sourceNow = (): void => {
    if (sources.length && random.chance(0.3)) messages.push(sources.shift() as Message);
  };
  if (!inline && answer.reasoning.length) {
    messages.push({ data: { type: 'reasoning-start', id: 'r1' } });
    for (const delta of answer.reasoning.flatMap((part, i) => (i ? ['\n\n', ...part] : part))) messages.push({ data: { type: 'reasoning-delta', id: 'r1', delta } });
    messages.push({ data: { type: 'reasoning-end', id: 'r1' } });
  }
  const deltas = textDeltas(answer, inline);
  if (deltas.length) {
    messages.push({ data: { type: 'text-start', id: 't1' } });
    for (const delta of deltas) {
      sourceNow();
      messages.push({ data: { type: 'text-delta', id: 't1', delta } });
    }
    messages.push({ data: { type: 'text-end', id: 't1' } });
  }
  messages.push(...sources.splice(0));
  expected.sources = expectedSources(answer.sources);
  const calls = cutLastCall(answer);
  calls.forEach((call, c) => {
    const cut = answer.stop === 'length' && c === calls.length - 1;
    messages.push({ data: { type: 'tool-input-start', toolCallId: call.providerId, toolName: call.name } });
    for (const inputTextDelta of call.fragments) messages.push({ data: { type: 'tool-input-delta', toolCallId: call.providerId, inputTextDelta } });
    const expectedCall: ExpectedCall = { id: call.providerId, name: call.name, arguments: call.fragments.join(''), status: cut ? 'incomplete' : 'complete' };
    if (!cut) {
      messages.push({ data: { type: 'tool-input-available', toolCallId: call.providerId, toolName: call.name, input: call.args } });
      if (call.output) {
        messages.push({ data: { type: 'tool-output-available', toolCallId: call.providerId, output: call.output } });
        expectedCall.output = JSON.stringify(call.output);
      }
    }
    expected.toolCalls.push(expectedCall);
  });
  messages.push({ data: { type: 'finish-step' } });
  // finishReason is optional: the finish event alone is a normal completion.
  const raw = random.chance(0.2) ? undefined : answer.stop === 'length' ? 'length' : answer.stop === 'filter' && !calls.length ? 'content-filter' : calls.length ? 'tool-calls' : 'stop';
  expected.finishReason = raw === undefined ? 'stop' : ({ length: 'length', 'content-filter': 'content_filter', 'tool-calls': 'tool_calls', stop: 'stop' } as const)[raw];
  messages.push({ data: { type: 'finish', ...(raw ? { finishReason: raw } : {}) }, marker: true });
  messages.push({ data: DONE });
  return { messages, expected };
};

const relay: Encoder = (answer, random) => {
  const inline = answer.inlineThink;
  const expected = baseExpected('relay', answer, inline, true);
  const messages: Message[] = [];
  if (!inline) for (const content of answer.reasoning.flatMap((part, i) => (i ? ['\n\n', ...part] : part))) messages.push({ data: { type: 'reasoning', content } });
  const sources = answer.sources.map((source) => ({ data: { type: 'source', url: source.url, ...(source.title === undefined ? {} : { title: source.title }) } }));
  for (const content of textDeltas(answer, inline)) {
    if (sources.length && random.chance(0.3)) messages.push(sources.shift() as Message);
    messages.push({ data: { type: 'token', content } });
  }
  messages.push(...sources.splice(0));
  expected.sources = expectedSources(answer.sources);
  const calls = cutLastCall(answer);
  calls.forEach((call, c) => {
    const cut = answer.stop === 'length' && c === calls.length - 1;
    call.fragments.forEach((argumentsDelta, f) => messages.push({ data: { type: 'tool-call', id: call.providerId, ...(f === 0 ? { name: call.name } : {}), argumentsDelta } }));
    if (!call.fragments.length) messages.push({ data: { type: 'tool-call', id: call.providerId, name: call.name } });
    if (!cut) messages.push({ data: { type: 'tool-call', id: call.providerId, status: 'complete' } });
    expected.toolCalls.push({ id: call.providerId, name: call.name, arguments: call.fragments.join(''), status: cut ? 'incomplete' : 'complete' });
  });
  if (answer.usage) {
    messages.push({ data: { type: 'usage', usage: { inputTokens: answer.usage.input, outputTokens: answer.usage.output } } });
    expected.usage = { inputTokens: answer.usage.input, outputTokens: answer.usage.output };
  }
  const raw = random.chance(0.2) ? undefined : answer.stop === 'length' ? 'length' : answer.stop === 'filter' && !calls.length ? 'content_filter' : calls.length ? 'tool_calls' : 'stop';
  expected.finishReason = (raw ?? 'stop') as FinishReason;
  messages.push({ data: { type: 'done', ...(raw ? { finishReason: raw } : {}) }, marker: true });
  return { messages, expected };
};

// ─── Framing: the bytes a server writes ───────────────────────────────────────────────────────────

/** How a server frames its messages; every option has a plain value the shrinker can fall back to. */
interface Framing {
  kind: 'sse' | 'ndjson' | 'json-array' | 'text';
  eol: '\n' | '\r\n' | '\r' | 'mixed';
  /** Probabilities per message. */
  comments: number;
  retry: number;
  ids: number;
  noSpace: number;
  multiline: number;
  keepAlive: number;
  replay: number;
  bom: boolean;
  /** NDJSON / plain text: the last line ends with a line break. */
  trailingEol: boolean;
  pretty: boolean;
  contentType: string | null;
  /** The decoder's `format` option: `auto` or the format itself. */
  explicit: boolean;
  header: boolean;
}

const PLAIN_FRAMING: Omit<Framing, 'kind' | 'contentType'> = {
  eol: '\n', comments: 0, retry: 0, ids: 0, noSpace: 0, multiline: 0, keepAlive: 0, replay: 0, bom: false, trailingEol: true, pretty: false, explicit: false, header: false,
};

interface FormatSpec {
  format: StreamFormat;
  encode: Encoder | null;
  kinds: Framing['kind'][];
}

const FORMATS: FormatSpec[] = [
  { format: 'openai', encode: openaiChat, kinds: ['sse'] },
  { format: 'openai-completions', encode: openaiCompletions, kinds: ['sse'] },
  { format: 'openai-responses', encode: openaiResponses, kinds: ['sse'] },
  { format: 'anthropic', encode: anthropic, kinds: ['sse'] },
  { format: 'gemini', encode: gemini, kinds: ['sse', 'sse', 'ndjson', 'json-array'] },
  { format: 'ollama', encode: ollama, kinds: ['ndjson'] },
  { format: 'ai-sdk', encode: aiSdk, kinds: ['sse'] },
  { format: 'relay', encode: relay, kinds: ['sse', 'ndjson'] },
  { format: 'text', encode: null, kinds: ['text'] },
];

function generateFraming(kind: Framing['kind'], random: RandomSource): Framing {
  const some = (p: number): number => (random.chance(p) ? random.pick([0.05, 0.2, 0.5]) : 0);
  const contentTypes: Record<Framing['kind'], (string | null)[]> = {
    sse: ['text/event-stream', 'text/event-stream; charset=utf-8', 'text/event-stream;charset=UTF-8', null],
    ndjson: ['application/x-ndjson', 'application/x-ndjson; charset=utf-8', 'application/jsonl', 'application/json', null],
    'json-array': ['application/json', 'application/json; charset=UTF-8', null],
    text: ['text/plain; charset=utf-8', 'text/plain', 'text/markdown'],
  };
  return {
    kind,
    eol: kind === 'sse' ? random.pick(['\n', '\r\n', '\r', 'mixed'] as const) : random.pick(['\n', '\r\n'] as const),
    comments: some(0.5),
    retry: some(0.3),
    ids: some(0.4),
    noSpace: some(0.3),
    multiline: some(0.2),
    keepAlive: some(0.4),
    replay: some(0.2),
    bom: random.chance(0.08),
    trailingEol: random.chance(0.8),
    pretty: random.chance(0.5),
    contentType: random.pick(contentTypes[kind]),
    explicit: random.chance(0.3),
    header: random.chance(0.5),
  };
}

interface Framed {
  body: string;
  /** Characters of `body` up to where the end marker takes effect (dispatch, or the end of its line). */
  markerEnd: number;
}

function dataText(message: Message): string {
  return typeof message.data === 'string' ? message.data : JSON.stringify(message.data);
}

function frameSse(messages: readonly Message[], framing: Framing, random: RandomSource): Framed {
  let body = framing.bom ? '\ufeff' : '';
  let markerEnd = -1;
  let previousEol = '';
  // A line ending of its own per line ('mixed'), except that a `\r` followed by an empty line ending
  // in `\n` would be one CRLF, not a blank line.
  const line = (text: string): void => {
    let eol = framing.eol === 'mixed' ? random.pick(['\n', '\r\n', '\r']) : framing.eol;
    if (eol === '\n' && text === '' && previousEol === '\r') eol = '\r\n';
    body += text + eol;
    previousEol = eol;
  };
  const sent: Array<{ lines: string[]; id?: string }> = [];
  let nextId = 1;
  for (const message of messages) {
    if (random.chance(framing.comments)) line(random.pick([': keep-alive', ':', ': ping - 2025-01-01 00:00:00.000000+00:00', ':' + ' '.repeat(3)]));
    if (random.chance(framing.retry)) line(`retry: ${random.int(100, 30000)}`);
    if (random.chance(framing.keepAlive)) {
      // An empty event (no data dispatches nothing) or an event with empty data (ignored).
      if (random.chance(0.5)) line('');
      else {
        line('data:');
        line('');
      }
    }
    const lines: string[] = [];
    if (message.event) lines.push(`event: ${message.event}`);
    const id = random.chance(framing.ids) ? String(nextId++) : undefined;
    if (id !== undefined && random.chance(0.5)) lines.push(`id: ${id}`);
    const data = dataText(message);
    const dataLines = typeof message.data !== 'string' && random.chance(framing.multiline) ? JSON.stringify(message.data, null, 2).split('\n') : [data];
    for (const [i, value] of dataLines.entries()) {
      lines.push(`data:${random.chance(framing.noSpace) ? '' : ' '}${value}`);
      if (i < dataLines.length - 1 && random.chance(framing.comments)) lines.push(': keep-alive');
    }
    if (id !== undefined && !lines.some((l) => l.startsWith('id:'))) lines.push(`id:${id}`);
    for (const text of lines) line(text);
    const blankAt = body.length;
    line('');
    if (message.marker && markerEnd < 0) markerEnd = blankAt + 1;
    sent.push({ lines, ...(id === undefined ? {} : { id }) });
    // A proxy re-sending an event it already sent (same id): the decoder drops it.
    const replayable = sent.filter((event) => event.id !== undefined);
    if (replayable.length && random.chance(framing.replay)) {
      for (const text of random.pick(replayable).lines) line(text);
      line('');
    }
  }
  if (random.chance(framing.comments)) line(': done');
  return { body, markerEnd: markerEnd < 0 ? body.length : markerEnd };
}

function frameNdjson(messages: readonly Message[], framing: Framing, random: RandomSource): Framed {
  let body = framing.bom ? '\ufeff' : '';
  let markerEnd = -1;
  const eol = framing.eol === '\r\n' ? '\r\n' : '\n';
  messages.forEach((message, i) => {
    if (random.chance(framing.keepAlive)) body += random.pick(['', ' ', '\t', '  ']) + eol;
    body += dataText(message);
    if (message.marker && markerEnd < 0) markerEnd = body.length;
    if (i < messages.length - 1 || framing.trailingEol) body += eol;
  });
  return { body, markerEnd: markerEnd < 0 ? body.length : markerEnd };
}

function frameJsonArray(messages: readonly Message[], framing: Framing): Framed {
  const items = messages.map((message) => message.data);
  // Gemini without alt=sse: one pretty-printed JSON array, complete only once it closes.
  const json = framing.pretty ? JSON.stringify(items, null, 2).replace(/\n/g, framing.eol === '\r\n' ? '\r\n' : '\n') : `[${items.map((item) => JSON.stringify(item)).join(`,${framing.eol}`)}]`;
  const body = (framing.bom ? '\ufeff' : '') + json;
  return { body: body + (framing.trailingEol ? framing.eol : ''), markerEnd: body.length };
}

// ─── A case: bytes, cuts and what must come out ───────────────────────────────────────────────────

/** A generated (or kept) case, as data: everything needed to replay it. */
interface WireCase {
  title: string;
  contentType: string | null;
  headers?: Record<string, string>;
  /** The decoder's `format` option. */
  option: StreamFormat;
  body: string;
  /** Byte offsets the body is cut at when fed. */
  cuts: number[];
  /** Bytes up to where the end marker takes effect. */
  markerEnd: number;
  /** When set, only these many bytes arrive (a truncated variant). */
  truncateAt?: number;
  expected: Expected;
}

interface Recipe {
  seed: number;
  spec: FormatSpec;
  answer: Answer;
  framing: Framing;
}

/** Cut points of a body: random chunk sizes, plus positions inside UTF-8 sequences and inside `\r\n`. */
function cutsFor(bytes: Uint8Array, random: RandomSource): number[] {
  const n = bytes.length;
  if (n > 1 && n < 3000 && random.chance(0.1)) return Array.from({ length: n - 1 }, (_, i) => i + 1);
  const inside: number[] = [];
  const crlf: number[] = [];
  for (let i = 1; i < n; i++) {
    if (((bytes[i] as number) & 0xc0) === 0x80) inside.push(i);
    if (bytes[i - 1] === 0x0d && bytes[i] === 0x0a) crlf.push(i);
  }
  const cuts = new Set<number>();
  const max = random.pick([3, 17, 64, 400]);
  for (let at = random.int(1, max); at < n; at += random.int(1, max)) cuts.add(at);
  for (const pool of [inside, crlf]) for (let k = Math.min(pool.length, random.int(0, 12)); k > 0; k--) cuts.add(random.pick(pool));
  return [...cuts].sort((a, b) => a - b);
}

function buildCase(recipe: Recipe): WireCase {
  const { spec, answer, framing, seed } = recipe;
  const serial = randomSource(seed ^ 0x5bd1e995);
  let framed: Framed;
  let expected: Expected;
  if (!spec.encode) {
    const inline = answer.reasoning.length > 0;
    expected = baseExpected('text', answer, inline, false);
    const text = textDeltas(answer, inline).join('');
    framed = { body: (framing.bom ? '\ufeff' : '') + text, markerEnd: 0 };
    framed.markerEnd = framed.body.length;
  } else {
    const encoded = spec.encode(answer, serial);
    expected = encoded.expected;
    if (framing.kind === 'sse') framed = frameSse(encoded.messages, framing, serial);
    else if (framing.kind === 'ndjson') framed = frameNdjson(encoded.messages, framing, serial);
    else framed = frameJsonArray(encoded.messages, framing);
  }
  const bytes = utf8(framed.body);
  const markerEnd = utf8(framed.body.slice(0, framed.markerEnd)).length;
  const cuts = cutsFor(bytes, randomSource(seed ^ 0x27d4eb2f));
  const headers = spec.format === 'ai-sdk' && framing.header ? { 'x-vercel-ai-ui-message-stream': 'v1' } : undefined;
  return {
    title: `seed ${seed}: ${spec.format} over ${framing.kind}`,
    contentType: framing.contentType,
    ...(headers ? { headers } : {}),
    option: framing.explicit ? spec.format : 'auto',
    body: framed.body,
    cuts,
    markerEnd,
    expected,
  };
}

function recipeFor(seed: number): Recipe {
  const spec = FORMATS[seed % FORMATS.length] as FormatSpec;
  const random = randomSource(seed);
  const answer = generateAnswer(random);
  const framing = generateFraming(random.pick(spec.kinds), random);
  return { seed, spec, answer, framing };
}

/** A byte offset before the end marker takes effect. */
function truncationPoint(wire: WireCase, seed: number): number {
  return randomSource(seed ^ 0x68e31da4).int(0, Math.max(0, wire.markerEnd - 1));
}

// ─── Checks ───────────────────────────────────────────────────────────────────────────────────────

interface Run {
  response: CollectedResponse;
  end: { complete: boolean; reason?: string };
  format: StreamFormat | null;
}

function run(wire: WireCase, bytes: Uint8Array, cuts: readonly number[]): Run {
  const decoded = decode(bytes, { contentType: wire.contentType, format: wire.option, ...(wire.headers ? { headers: wire.headers } : {}) }, cuts);
  const collector = createResponseCollector();
  for (const event of decoded.events) collector.add(event);
  return { response: collector.result(), end: decoded.end, format: decoded.format };
}

const show = (value: unknown): string => JSON.stringify(value)?.slice(0, 300) ?? String(value);

/** What differs between a whole, complete decoding and the expectation (empty: nothing). */
function problemsComplete(wire: WireCase): string[] {
  const problems: string[] = [];
  const bytes = utf8(wire.body);
  let chunked: Run;
  let whole: Run;
  try {
    chunked = run(wire, bytes, wire.cuts);
    whole = run(wire, bytes, []);
  } catch (error) {
    return [`threw: ${(error as Error).stack ?? String(error)}`];
  }
  const { response, end, format } = chunked;
  const expected = wire.expected;
  try {
    assert.deepEqual(chunked, whole);
  } catch {
    problems.push(`chunked ≠ whole: ${show(chunked.response)} vs ${show(whole.response)}`);
  }
  if (format !== expected.format) problems.push(`format ${format} ≠ ${expected.format}`);
  if (!end.complete) problems.push(`incomplete: ${end.reason}`);
  if (expected.format !== 'text' && !response.complete) problems.push('no end event');
  if (response.error) problems.push(`error: ${response.error.message}`);
  if (response.text !== expected.text) problems.push(`text ${show(response.text)} ≠ ${show(expected.text)}`);
  if (response.reasoning !== expected.reasoning) problems.push(`reasoning ${show(response.reasoning)} ≠ ${show(expected.reasoning)}`);
  if (response.finishReason !== expected.finishReason) problems.push(`finish reason ${response.finishReason} ≠ ${expected.finishReason}`);
  try {
    assert.deepEqual(response.usage, expected.usage);
  } catch {
    problems.push(`usage ${show(response.usage)} ≠ ${show(expected.usage)}`);
  }
  try {
    assert.deepEqual(response.sources, expected.sources);
  } catch {
    problems.push(`sources ${show(response.sources)} ≠ ${show(expected.sources)}`);
  }
  const calls = response.toolCalls;
  if (calls.length !== expected.toolCalls.length) problems.push(`${calls.length} tool calls ≠ ${expected.toolCalls.length}: ${show(calls)}`);
  expected.toolCalls.forEach((want, i) => {
    const got = calls[i];
    if (!got) return;
    const label = `tool call ${i}`;
    if (want.id !== undefined && got.id !== want.id) problems.push(`${label} id ${got.id} ≠ ${want.id}`);
    if (got.name !== want.name) problems.push(`${label} name ${got.name} ≠ ${want.name}`);
    if (got.arguments !== want.arguments) problems.push(`${label} arguments ${show(got.arguments)} ≠ ${show(want.arguments)}`);
    if (got.status !== want.status) problems.push(`${label} status ${got.status} ≠ ${want.status}`);
    if (got.output !== want.output) problems.push(`${label} output ${show(got.output)} ≠ ${show(want.output)}`);
  });
  const ids = calls.map((call) => call.id);
  if (ids.some((id) => id === '') || new Set(ids).size !== ids.length) problems.push(`tool call ids not unique and non-empty: ${show(ids)}`);
  return problems;
}

/** What is wrong with a decoding of the body cut at `wire.truncateAt` (empty: nothing). */
function problemsTruncated(wire: WireCase): string[] {
  const at = wire.truncateAt ?? 0;
  const bytes = utf8(wire.body).subarray(0, at);
  const cuts = wire.cuts.filter((cut) => cut < at);
  let chunked: Run;
  let whole: Run;
  try {
    chunked = run(wire, bytes, cuts);
    whole = run(wire, bytes, []);
  } catch (error) {
    return [`threw: ${(error as Error).stack ?? String(error)}`];
  }
  const problems: string[] = [];
  const { response, end } = chunked;
  const expected = wire.expected;
  try {
    assert.deepEqual(chunked, whole);
  } catch {
    problems.push(`chunked ≠ whole: ${show(chunked.response)} vs ${show(whole.response)}`);
  }
  // Plain text has no end marker: a body cut between characters is all the answer there is. Cut inside
  // a character (which then shows as U+FFFD), it is known to be cut.
  let text = response.text;
  let reasoning = response.reasoning;
  if (expected.format === 'text') {
    const insideCharacter = at < utf8(wire.body).length && ((utf8(wire.body)[at] as number) & 0xc0) === 0x80;
    if (insideCharacter && end.complete) problems.push('plain text cut inside a UTF-8 character is complete');
    if (!insideCharacter && !end.complete && text !== '') problems.push(`plain text cut between characters is incomplete: ${end.reason}`);
    text = text.replace(/\ufffd$/, '');
    reasoning = reasoning.replace(/\ufffd$/, '');
  } else {
    if (end.complete) problems.push('complete although cut before the end marker');
    if (response.complete) problems.push('end event although cut before the end marker');
  }
  // Without a Content-Type, a body cut inside its first field name (`dat`) cannot be told from a short
  // plain-text answer: what arrived is shown as text (and the stream is incomplete, checked above).
  const undecided = wire.contentType === null && text.trim().length < 'retry:'.length && response.text === new TextDecoder().decode(bytes);
  const textOk = expected.text.startsWith(text) || (expected.inlineOpening !== undefined && expected.inlineOpening.startsWith(text)) || undecided;
  if (!textOk) problems.push(`text ${show(text)} is no prefix of ${show(expected.text)}`);
  // An unclosed <think> keeps even a partial `</thi` as reasoning.
  const reasoningWhole = expected.reasoning + (expected.inlineOpening !== undefined ? '</think>' : '');
  if (!reasoningWhole.startsWith(reasoning)) problems.push(`reasoning ${show(reasoning)} is no prefix of ${show(reasoningWhole)}`);
  const sourcesPrefix = expected.sources.slice(0, response.sources.length);
  try {
    assert.deepEqual(response.sources, sourcesPrefix);
  } catch {
    problems.push(`sources ${show(response.sources)} are no prefix of ${show(expected.sources)}`);
  }
  if (response.toolCalls.length > expected.toolCalls.length) problems.push(`${response.toolCalls.length} tool calls, more than ${expected.toolCalls.length}`);
  response.toolCalls.forEach((got, i) => {
    const want = expected.toolCalls[i];
    if (!want) return;
    if (got.status === 'streaming') problems.push(`tool call ${i} left streaming after the end`);
    if (got.name !== want.name) problems.push(`tool call ${i} name ${got.name} ≠ ${want.name}`);
    if (!want.arguments.startsWith(got.arguments)) problems.push(`tool call ${i} arguments ${show(got.arguments)} no prefix of ${show(want.arguments)}`);
  });
  return problems;
}

const problemsOf = (wire: WireCase): string[] => (wire.truncateAt === undefined ? problemsComplete(wire) : problemsTruncated(wire));

// ─── Shrinking ────────────────────────────────────────────────────────────────────────────────────

/**
 * The smallest recipe (fewer deltas, parts, calls, sources; plainer framing) and then the fewest cut
 * points that still fail the same way (complete or truncated variant), as a case to keep.
 */
function shrink(recipe: Recipe, truncated: boolean): WireCase {
  const materialize = (r: Recipe): WireCase => {
    const wire = buildCase(r);
    return truncated ? { ...wire, truncateAt: truncationPoint(wire, r.seed) } : wire;
  };
  const fails = (r: Recipe): boolean => problemsOf(materialize(r)).length > 0;
  let current = recipe;
  const tryRecipe = (candidate: Recipe): void => {
    if (fails(candidate)) current = candidate;
  };
  const withAnswer = (answer: Partial<Answer>): Recipe => ({ ...current, answer: { ...current.answer, ...answer } });
  for (let round = 0; round < 2; round++) {
    current = withAnswer({ text: shrinkList(current.answer.text, (text) => fails(withAnswer({ text }))) });
    current = withAnswer({ calls: shrinkList(current.answer.calls, (calls) => fails(withAnswer({ calls }))) });
    current.answer.calls.forEach((_, c) => {
      const withFragments = (fragments: string[]): Recipe => withAnswer({ calls: current.answer.calls.map((call, i) => (i === c ? { ...call, fragments } : call)) });
      current = withFragments(shrinkList(current.answer.calls[c]?.fragments ?? [], (fragments) => fails(withFragments(fragments))));
    });
    current = withAnswer({ sources: shrinkList(current.answer.sources, (sources) => fails(withAnswer({ sources }))) });
    const parts = shrinkList(current.answer.reasoning, (reasoning) => reasoning.length > 0 || !current.answer.inlineThink ? fails(withAnswer({ reasoning })) : false);
    current = withAnswer({ reasoning: parts });
    for (const [key, plain] of [['inlineThink', false], ['usage', null], ['stop', 'natural'], ['tagSplit', 0], ['thinkLead', ''], ['thinkGap', '']] as const) {
      tryRecipe(withAnswer({ [key]: plain }));
    }
    for (const [key, plain] of Object.entries(PLAIN_FRAMING)) tryRecipe({ ...current, framing: { ...current.framing, [key]: plain } });
  }
  const wire = materialize(current);
  const cuts = shrinkList(wire.cuts, (candidate) => problemsOf({ ...wire, cuts: candidate }).length > 0);
  return { ...wire, cuts };
}

// ─── The tests ────────────────────────────────────────────────────────────────────────────────────

const regressions = new URL('../../fixtures/generated-regressions/', import.meta.url);
const kept = existsSync(regressions) ? readdirSync(regressions).filter((name) => /^wire-.*\.json$/.test(name)).sort() : [];

for (const name of kept) {
  test(`kept generated wire failure ${name} decodes right`, () => {
    const wire = JSON.parse(readFileSync(new URL(name, regressions), 'utf8')) as WireCase;
    const problems = problemsOf(wire);
    assert.deepEqual(problems, [], `${wire.title}\n${problems.join('\n')}`);
  });
}

const CASES = Number(process.env.GENERATED_CASES ?? 1500);

test(`${CASES} generated streams in every format decode to the generated answer, whole and cut before the end`, () => {
  const perFormat = new Map<string, number>();
  let bytes = 0;
  let cutsInsideUtf8 = 0;
  let cutsInsideCrlf = 0;
  const failures: string[] = [];
  for (let seed = 1; seed <= CASES; seed++) {
    const recipe = recipeFor(seed);
    const wire = buildCase(recipe);
    const key = `${recipe.spec.format}/${recipe.framing.kind}`;
    perFormat.set(key, (perFormat.get(key) ?? 0) + 1);
    const body = utf8(wire.body);
    bytes += body.length;
    for (const cut of wire.cuts) {
      if (((body[cut] as number) & 0xc0) === 0x80) cutsInsideUtf8++;
      if (body[cut - 1] === 0x0d && body[cut] === 0x0a) cutsInsideCrlf++;
    }
    for (const truncated of [false, true]) {
      const variant = truncated ? { ...wire, truncateAt: truncationPoint(wire, seed) } : wire;
      const problems = problemsOf(variant);
      if (!problems.length) continue;
      const small = shrink(recipe, truncated);
      failures.push(`${variant.title}${truncated ? ` cut at byte ${variant.truncateAt}` : ''}: ${problems.join('; ')}\nshrunk: ${problemsOf(small).join('; ')}\n${JSON.stringify(small)}`);
      if (failures.length >= 5) break;
    }
    if (failures.length >= 5) break;
  }
  console.log(`generated wire: ${CASES} cases × (whole + truncated), ${bytes} bytes, ${cutsInsideUtf8} cuts inside UTF-8 sequences, ${cutsInsideCrlf} between \\r and \\n; ${[...perFormat].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  assert.deepEqual(failures, [], failures.join('\n\n'));
  // The generator must keep producing what it claims to: splits inside characters and line breaks, every format.
  assert.ok(cutsInsideUtf8 > CASES, `cuts inside UTF-8 sequences: ${cutsInsideUtf8}`);
  assert.ok(cutsInsideCrlf > CASES / 4, `cuts between \\r and \\n: ${cutsInsideCrlf}`);
  for (const spec of FORMATS) for (const kind of new Set(spec.kinds)) assert.ok((perFormat.get(`${spec.format}/${kind}`) ?? 0) > 0 || CASES < 50, `${spec.format} over ${kind} generated`);
});

test('the generator covers reasoning (native and <think>), tool calls, sources, every stop and framing option', () => {
  const seen = new Set<string>();
  for (let seed = 1; seed <= 300; seed++) {
    const { answer, framing, spec } = recipeFor(seed);
    if (answer.reasoning.length) seen.add(answer.inlineThink || spec.format === 'openai-completions' || spec.format === 'text' ? 'think tags' : 'native reasoning');
    if (answer.calls.length) seen.add('tool calls');
    if (answer.sources.length) seen.add('sources');
    seen.add(`stop ${answer.stop}`);
    seen.add(`eol ${JSON.stringify(framing.eol)}`);
    for (const option of ['comments', 'retry', 'ids', 'noSpace', 'multiline', 'keepAlive', 'replay'] as const) if (framing[option] > 0) seen.add(option);
    if (framing.bom) seen.add('bom');
    if (answer.text.join('').includes('\r\n')) seen.add('crlf in text');
    if (/[\u{1F300}-\u{1FAFF}]/u.test(answer.text.join(''))) seen.add('emoji');
    if (/\p{M}/u.test(answer.text.join(''))) seen.add('combining marks');
  }
  const wanted = ['think tags', 'native reasoning', 'tool calls', 'sources', 'stop natural', 'stop length', 'stop filter', 'eol "\\n"', 'eol "\\r\\n"', 'eol "\\r"', 'eol "mixed"', 'comments', 'retry', 'ids', 'noSpace', 'multiline', 'keepAlive', 'replay', 'bom', 'crlf in text', 'emoji', 'combining marks'];
  assert.deepEqual(wanted.filter((item) => !seen.has(item)), []);
});

test('the shrinker keeps a failure and drops what does not matter to it', () => {
  // A stand-in failure: "the text holds an emoji". Shrunk, one delta remains, and it holds one.
  const deltas = ['a', 'b 🎉', 'c', 'd', 'e🇳🇴', 'f'];
  const hasEmoji = (items: string[]): boolean => items.some((item) => /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(item));
  const small = shrinkList(deltas, hasEmoji);
  assert.equal(small.length, 1);
  assert.ok(hasEmoji(small));
});
