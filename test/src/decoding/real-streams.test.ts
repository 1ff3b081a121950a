/**
 * Every recorded real provider stream in ../shared/corpora/real-streams/ (read in place, never copied
 * here), decoded whole, byte by byte and at seeded random splits. The expectations are data, derived
 * from reading each recording against its provider's documented stream semantics:
 *
 * - OpenAI chat (`openai`): `choices[index 0].delta.content` is text, `delta.reasoning_content` /
 *   `delta.reasoning` reasoning, `delta.tool_calls[]` merged by `index` are tool calls; other choices
 *   (n > 1) are not the answer. Only `data: [DONE]` ends the stream: the vercel/ai fixtures were stored
 *   without it, so they are incomplete ("the body ended before data: [DONE]") with their finish reason.
 * - OpenAI completions: `choices[0].text`; same ending rule.
 * - OpenAI Responses: `response.output_text.delta` is text, `response.reasoning_summary_text.delta`
 *   reasoning, `url_citation` annotations sources; `response.completed` ends the stream; `error` /
 *   `response.failed` are provider errors.
 * - Anthropic: `text_delta` text, `thinking_delta` reasoning, `tool_use` / `server_tool_use` blocks tool
 *   calls (arguments from `input_json_delta`, complete at `content_block_stop`), `web_search_tool_result`
 *   results and `citations_delta` sources; `message_stop` ends. A tool block never stopped before
 *   `message_stop` (max_tokens) is incomplete.
 * - Gemini: part `text` is text (`thought: true` reasoning), `functionCall` a whole tool call,
 *   `groundingMetadata.groundingChunks[].web.uri` sources (http(s) only); no end marker: complete when
 *   the body closes after a `finishReason`, whatever chunk carried it, and every chunk is read.
 * - Ollama: `response` / `message.content` text; the `"done": true` line ends, with `done_reason`.
 * - AI SDK UI message stream: `text-delta` text, `reasoning-delta` reasoning, `source-url` sources;
 *   `finish` ends; `error` is a provider error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import type { FinishReason, StreamFormat, ToolCallStatus, Usage } from '../../../src/types.js';
import { createResponseCollector, type CollectedResponse } from '../../../src/decoding/response-collector.js';
import { byteByByte, decode, randomSplits, whole, type Splitter } from './helpers.js';

const corpus = new URL('../../../../shared/corpora/real-streams/', import.meta.url);

interface TextExpectation {
  prefix: string;
  suffix: string;
  /** In code points (the recordings hold emoji outside the BMP). */
  length: number;
}

interface ToolCallExpectation {
  name: string;
  /** The exact raw argument text. */
  arguments: string;
  status: ToolCallStatus;
  /** The start of the output, where the stream carries one. */
  outputPrefix?: string;
}

interface RecordingExpectation {
  file: string;
  contentType: string;
  format: StreamFormat;
  text: TextExpectation | '';
  /** Absent: no reasoning at all. */
  reasoning?: { prefix: string; suffix: string };
  complete: boolean;
  reason?: string;
  finishReason?: FinishReason;
  error?: { messagePrefix: string; providerType?: string };
  toolCalls?: ToolCallExpectation[];
  /** The source URLs, in order of first appearance (absent: none). */
  sources?: string[];
  /** Usage fields that must be reported (others may be too). */
  usage?: Usage;
}

const SSE = 'text/event-stream; charset=utf-8';
const SSE_PLAIN = 'text/event-stream';
const NDJSON = 'application/x-ndjson';
const NO_DONE = 'the body ended before data: [DONE]';

const expectations: RecordingExpectation[] = [
  // OpenAI chat
  { file: 'openai-py-plain-text.sse', contentType: SSE, format: 'openai', text: { prefix: "I'm unable to provide real-time weather updates.", suffix: 'reliable weather website or a weather app.', length: 159 }, complete: true, finishReason: 'stop', usage: { inputTokens: 14, outputTokens: 30, totalTokens: 44, reasoningTokens: 0 } },
  // n = 3: only choice 0 is the answer.
  { file: 'openai-py-n3-choices.sse', contentType: SSE, format: 'openai', text: { prefix: '{"city":"San Francisco"', suffix: '"temperature":65,"units":"f"}', length: 53 }, complete: true, finishReason: 'stop', usage: { inputTokens: 79, outputTokens: 42, totalTokens: 121 } },
  { file: 'openai-py-max-tokens-length.sse', contentType: SSE, format: 'openai', text: { prefix: '{"', suffix: '{"', length: 2 }, complete: true, finishReason: 'length', usage: { outputTokens: 1 } },
  { file: 'openai-py-parallel-tool-calls.sse', contentType: SSE, format: 'openai', text: '', complete: true, finishReason: 'tool_calls', usage: { inputTokens: 149, outputTokens: 60, totalTokens: 209, reasoningTokens: 0 },
    toolCalls: [
      { name: 'GetWeatherArgs', arguments: '{"city": "Edinburgh", "country": "GB", "units": "c"}', status: 'complete' },
      { name: 'get_stock_price', arguments: '{"ticker": "AAPL", "exchange": "NASDAQ"}', status: 'complete' },
    ] },
  { file: 'openai-py-logprobs.sse', contentType: SSE, format: 'openai', text: { prefix: 'Foo!', suffix: 'Foo!', length: 4 }, complete: true, finishReason: 'stop' },
  { file: 'openai-php-compat-ping.sse', contentType: SSE, format: 'openai', text: { prefix: 'Hello! How can I assist you today?', suffix: "what you're interested in talking about.", length: 180 }, complete: true, finishReason: 'stop' },
  { file: 'vercel-openai-chat-long.sse', contentType: SSE, format: 'openai', text: { prefix: '**Holiday Name:** Harmony Day\n\n', suffix: 'shared human experiences and mutual respect.', length: 1724 }, complete: false, reason: NO_DONE, finishReason: 'stop', usage: { inputTokens: 16, outputTokens: 300, reasoningTokens: 0 } },
  { file: 'vercel-azure-model-router.sse', contentType: SSE, format: 'openai', text: { prefix: 'Capital of Denmark.', suffix: 'Capital of Denmark.', length: 19 }, complete: false, reason: NO_DONE, finishReason: 'stop', usage: { inputTokens: 15, outputTokens: 78, totalTokens: 93, reasoningTokens: 64 } },
  { file: 'vercel-azure-deepseek-reasoning.sse', contentType: SSE, format: 'openai', text: { prefix: "Exciting news, Knicks fans—there's a brand-new holiday", suffix: 'See you next April\u202f4—from the logo! 🎯🧡💙', length: 2661 },
    reasoning: { prefix: 'We need to invent a new holiday around the latest Knicks game.', suffix: "That seems fun. I'll craft a response." }, complete: false, reason: NO_DONE, finishReason: 'stop', usage: { inputTokens: 19, outputTokens: 1720, totalTokens: 1739 } },
  // OpenAI completions
  { file: 'openai-php-completions.sse', contentType: SSE, format: 'openai-completions', text: { prefix: ' everyone!\n\nI just', suffix: 'wanted to check in', length: 37 }, complete: true, finishReason: 'length', usage: { inputTokens: 1, outputTokens: 16, totalTokens: 17 } },
  { file: 'vercel-openai-completions.sse', contentType: SSE, format: 'openai-completions', text: { prefix: 'The holiday is called "Gratitude Day"', suffix: 'it is a day dedicated to', length: 66 }, complete: false, reason: NO_DONE, finishReason: 'length' },
  // OpenAI Responses
  { file: 'vercel-openai-responses-error.sse', contentType: SSE, format: 'openai-responses', text: '', complete: false, error: { messagePrefix: 'You exceeded your current quota', providerType: 'insufficient_quota' } },
  { file: 'vercel-azure-responses-text.sse', contentType: SSE, format: 'openai-responses', text: { prefix: 'Hello', suffix: 'Hello', length: 5 }, complete: true, finishReason: 'stop', usage: { inputTokens: 11, outputTokens: 11, totalTokens: 22, reasoningTokens: 0 } },
  { file: 'vercel-lmstudio-responses.sse', contentType: SSE, format: 'openai-responses', text: { prefix: '## The Festival of Whispering Leaves', suffix: 'roots through storytelling around fire', length: 1384 }, complete: true, finishReason: 'stop', usage: { inputTokens: 31, outputTokens: 282, totalTokens: 313 } },
  { file: 'vercel-xai-responses-reasoning.sse', contentType: SSE, format: 'openai-responses', text: { prefix: '### Overview of Sonoran Cuisine\n', suffix: 'trucks in Tucson or markets in Hermosillo.', length: 2849 },
    reasoning: { prefix: 'First, the question is: "What is specifically notable', suffix: 'table features systematically.' }, complete: true, finishReason: 'stop', usage: { inputTokens: 216, outputTokens: 923, totalTokens: 1139, reasoningTokens: 323 } },
  // Six web_search_call items run on the server (not tool calls); 12 url_citation annotations name 7 pages.
  { file: 'vercel-openai-responses-web-search.sse', contentType: SSE, format: 'openai-responses', text: { prefix: 'I checked today’s tech headlines (today = December 5, 2025)', suffix: 'pages and pull out more details now?', length: 3645 }, complete: true, finishReason: 'stop', usage: { outputTokens: 4416, reasoningTokens: 3712 },
    sources: [
      'https://techcrunch.com/2025/12/05/petco-confirms-security-lapse-exposed-customers-personal-data/?utm_source=openai',
      'https://techcrunch.com/2025/12/05/the-new-york-times-is-suing-perplexity-for-copyright-infringement/?utm_source=openai',
      'https://techcrunch.com/2025/12/05/meta-signs-commercial-ai-data-agreements-with-publishers-to-offer-real-time-news-on-meta-ai/?utm_source=openai',
      'https://techcrunch.com/2025/12/05/netflix-to-acquire-warner-bros-in-a-disruptive-deal-valued-at-82-7b/?utm_source=openai',
      'https://www.wired.com/story/the-big-interview-2025-recap?utm_source=openai',
      'https://techstartups.com/2025/12/05/technology-news-today-the-latest-in-tech-ai-startup-news-december-5-2025/?utm_source=openai',
      'https://finance.yahoo.com/news/ai-coding-startup-vercel-raises-163055044.html?utm_source=openai',
    ] },
  // Anthropic
  { file: 'anthropic-ts-basic.sse', contentType: SSE, format: 'anthropic', text: { prefix: 'Hello there!', suffix: 'Hello there!', length: 12 }, complete: true, finishReason: 'stop', usage: { outputTokens: 6 } },
  { file: 'anthropic-ts-tool-use.sse', contentType: SSE, format: 'anthropic', text: { prefix: "I'll check the current weather", suffix: 'in Paris for you.', length: 48 }, complete: true, finishReason: 'tool_calls',
    toolCalls: [{ name: 'get_weather', arguments: '{"location": "Paris"}', status: 'complete' }] },
  // max_tokens cut the tool input: no content_block_stop, the arguments are not valid JSON and stay raw.
  { file: 'anthropic-ts-max-tokens-tool.sse', contentType: SSE, format: 'anthropic', text: { prefix: "I'll create a comprehensive tax guide", suffix: 'Let me do that for you now.', length: 135 }, complete: true, finishReason: 'length', usage: { inputTokens: 450, outputTokens: 124 },
    toolCalls: [{ name: 'make_file', arguments: '{"filename": "taxes.txt", "lines_of_text": [\n"# COMPREHENSIVE TAX GUIDE FOR INDIVIDUALS WITH MULTIPLE W-2s",\n"",\n"## INTRODUCTION",\n"",\n"Filing taxes', status: 'incomplete' }] },
  { file: 'llm-anthropic-thinking.sse', contentType: SSE, format: 'anthropic', text: { prefix: '1. **Pouch** - references their iconic bill pouch\n', suffix: '**Pelé** - playful take on "pelican"', length: 89 },
    reasoning: { prefix: 'The user wants two names for a pet pelican', suffix: 'give two brief, catchy names:' }, complete: true, finishReason: 'stop', usage: { inputTokens: 46, outputTokens: 133 } },
  // The text begins with a newline: leading whitespace that is not before a <think> stays text.
  { file: 'llm-anthropic-stop-sequence.sse', contentType: SSE, format: 'anthropic', text: { prefix: '\ndef pelican():\n', suffix: 'and a throat pouch for catching fish."\n', length: 102 }, complete: true, finishReason: 'stop', usage: { inputTokens: 16, outputTokens: 28 } },
  { file: 'llm-anthropic-long.sse', contentType: SSE, format: 'anthropic', text: { prefix: 'I need to describe what I see in this image.\n\n', suffix: 'separated by white space between them.', length: 493 }, complete: true, finishReason: 'stop', usage: { inputTokens: 76, outputTokens: 104 } },
  { file: 'llm-anthropic-thinking-tool-use.sse', contentType: SSE, format: 'anthropic', text: '', reasoning: { prefix: 'The user wants me to:\n1. Use the fixed_version tool', suffix: 'to see what version it returns.' }, complete: true, finishReason: 'tool_calls', usage: { inputTokens: 598, outputTokens: 92, reasoningTokens: 53 },
    // The tool takes no input: no argument text streamed.
    toolCalls: [{ name: 'fixed_version', arguments: '', status: 'complete' }] },
  { file: 'llm-anthropic-web-search.sse', contentType: SSE, format: 'anthropic', text: { prefix: "Based on the search results, here's the current weather in San Francisco:", suffix: 'bringing periods of rain this weekend.', length: 650 }, complete: true, finishReason: 'stop', usage: { inputTokens: 10423, outputTokens: 341 },
    toolCalls: [{ name: 'web_search', arguments: '{"query": "San Francisco weather today"}', status: 'complete', outputPrefix: '[{"type":"web_search_result","title":"San Francisco, CA Weather Forecast | AccuWeather"' }],
    sources: [
      'https://www.accuweather.com/en/us/san-francisco/94103/weather-forecast/347629',
      'https://www.wunderground.com/hourly/us/ca/san-francisco',
      'https://www.nbcbayarea.com/weather/',
      'https://abc7news.com/weather/',
      'https://www.weather.gov/mtr/',
      'https://www.ktvu.com/weather',
      'https://www.wunderground.com/weather/us/ca/san-francisco',
      'https://forecast.weather.gov/MapClick.php?lat=37.7771&lon=-122.4196',
      'https://weather.yahoo.com/us/ca/san-francisco',
      'https://www.wunderground.com/forecast/us/ca/san-francisco',
    ] },
  // Gemini. The 2024 generative-ai-js mocks put STOP on every chunk: all of them are still text.
  { file: 'gemini-js-utf8-crlf.sse', contentType: SSE_PLAIN, format: 'gemini', text: { prefix: '秋风瑟瑟，叶落纷纷，\n', suffix: '感受秋天的气息，领悟秋天的哲理。', length: 225 }, complete: true, finishReason: 'stop' },
  { file: 'gemini-js-long-crlf.sse', contentType: SSE_PLAIN, format: 'gemini', text: { prefix: '**Cats:**\n\n- **Physical Characteristics:**', suffix: "detecting any potential health issues early on.", length: 3285 }, complete: true, finishReason: 'stop' },
  { file: 'gemini-js-safety-crlf.sse', contentType: SSE_PLAIN, format: 'gemini', text: { prefix: 'No', suffix: 'No', length: 2 }, complete: true, finishReason: 'content_filter' },
  // Grounding arrives after the STOP chunks; its URIs are placeholders (`test_uri_1`), not http(s): no sources.
  { file: 'gemini-js-search-grounding-lf.sse', contentType: SSE_PLAIN, format: 'gemini', text: { prefix: 'The current stock price for Alphabet Inc.', suffix: 'financial websites like Google Finance or TradingView.\n', length: 372 }, complete: true, finishReason: 'stop', usage: { inputTokens: 8, outputTokens: 106, totalTokens: 114 } },
  { file: 'genai-text-stream.sse', contentType: SSE_PLAIN, format: 'gemini', text: { prefix: 'The sky is blue due to a phenomenon called **Rayleigh scattering**.', suffix: 'variations in the blue intensity or even a hazy appearance.', length: 1879 }, complete: true, finishReason: 'stop', usage: { inputTokens: 6, outputTokens: 377, totalTokens: 383 } },
  { file: 'genai-max-tokens.sse', contentType: SSE_PLAIN, format: 'gemini', text: { prefix: 'The sky is blue because', suffix: "Here's a breakdown:", length: 91 }, complete: true, finishReason: 'length', usage: { inputTokens: 6, outputTokens: 20, totalTokens: 26 } },
  // The image part (inlineData) is not text.
  { file: 'genai-image-output.sse', contentType: SSE_PLAIN, format: 'gemini', text: { prefix: 'I will generate an image of the Eiffel Tower at night', suffix: 'illuminating the sky.\n\n', length: 145 }, complete: true, finishReason: 'stop', usage: { inputTokens: 15, outputTokens: 1318 } },
  // STOP arrives with the first chunk (a server-side MCP function call), the answer after it.
  { file: 'genai-mcp-midstream-stop.sse', contentType: SSE_PLAIN, format: 'gemini', text: { prefix: 'On February 2nd, 2026, the weather in New York', suffix: 'to a high of 0.9°C at 7:00 PM.', length: 119 }, complete: true, finishReason: 'stop', usage: { inputTokens: 22, outputTokens: 101, totalTokens: 820, reasoningTokens: 573 },
    toolCalls: [{ name: 'weather_server_get_weather', arguments: '{"endDate":"2026-02-02","location":"New York","startDate":"2026-02-02"}', status: 'complete', outputPrefix: '{"call_tool_result_json":' }] },
  { file: 'vercel-google-gemini3.sse', contentType: SSE_PLAIN, format: 'gemini', text: { prefix: 'There are **3** "r"s in strawberry.', suffix: 'st**r**awbe**rr**y', length: 55 }, complete: true, finishReason: 'stop', usage: { inputTokens: 9, outputTokens: 23, totalTokens: 217, reasoningTokens: 185 } },
  // Ollama
  { file: 'sk-ollama-chat.ndjson', contentType: NDJSON, format: 'ollama', text: { prefix: ' these', suffix: 'times of day.', length: 20 }, complete: true, finishReason: 'stop', usage: { inputTokens: 10, outputTokens: 239 } },
  { file: 'sk-ollama-generate.ndjson', contentType: NDJSON, format: 'ollama', text: { prefix: ' daylight', suffix: 'hours.', length: 16 }, complete: true, finishReason: 'stop', usage: { inputTokens: 10, outputTokens: 304 } },
  // A 2024 server without done_reason: complete, reason unknown (not guessed).
  { file: 'boisgera-ollama-generate.ndjson', contentType: NDJSON, format: 'ollama', text: { prefix: 'Yes, I am listening.', suffix: 'How may I assist you today?', length: 48 }, complete: true, finishReason: 'unknown', usage: { inputTokens: 14, outputTokens: 13 } },
  { file: 'attogram-ollama-generate.ndjson', contentType: NDJSON, format: 'ollama', text: { prefix: 'Rabbits are small to medium-sized mammals', suffix: 'are famous for their rapid hopping ability.', length: 239 }, complete: true, finishReason: 'stop', usage: { inputTokens: 51, outputTokens: 64 } },
  // AI SDK
  { file: 'aisdk-basic.sse', contentType: SSE_PLAIN, format: 'ai-sdk', text: { prefix: 'Hello, world!', suffix: 'Hello, world!', length: 13 }, complete: true, finishReason: 'stop' },
  { file: 'aisdk-agent.sse', contentType: SSE_PLAIN, format: 'ai-sdk', text: { prefix: 'Hello, world!', suffix: 'Hello, world!', length: 13 }, complete: true, finishReason: 'stop' },
  { file: 'aisdk-error.sse', contentType: SSE_PLAIN, format: 'ai-sdk', text: '', complete: false, error: { messagePrefix: 'An error occurred.' } },
  { file: 'aisdk-reasoning.sse', contentType: SSE_PLAIN, format: 'ai-sdk', text: { prefix: 'Hi there!', suffix: 'Hi there!', length: 9 },
    reasoning: { prefix: 'I will open the conversation with witty banter. Once the user has relaxed,', suffix: 'requires careful consideration of all factors.' }, complete: true, finishReason: 'stop' },
  { file: 'aisdk-sources.sse', contentType: SSE_PLAIN, format: 'ai-sdk', text: { prefix: 'Hello!', suffix: 'Hello!', length: 6 }, complete: true, finishReason: 'stop', sources: ['https://example.com', 'https://example.com/2'] },
];

function check(spec: RecordingExpectation, response: CollectedResponse, format: StreamFormat | null, end: { complete: boolean; reason?: string }, how: string): void {
  const label = `${spec.file} (${how})`;
  assert.equal(format, spec.format, `${label}: format`);
  if (spec.text === '') assert.equal(response.text, '', `${label}: no text`);
  else {
    assert.ok(response.text.startsWith(spec.text.prefix), `${label}: text starts ${JSON.stringify(response.text.slice(0, 80))}`);
    assert.ok(response.text.endsWith(spec.text.suffix), `${label}: text ends ${JSON.stringify(response.text.slice(-80))}`);
    assert.equal([...response.text].length, spec.text.length, `${label}: text length`);
  }
  if (spec.reasoning) {
    assert.ok(response.reasoning.startsWith(spec.reasoning.prefix), `${label}: reasoning starts ${JSON.stringify(response.reasoning.slice(0, 80))}`);
    assert.ok(response.reasoning.endsWith(spec.reasoning.suffix), `${label}: reasoning ends ${JSON.stringify(response.reasoning.slice(-80))}`);
  } else {
    assert.equal(response.reasoning, '', `${label}: no reasoning`);
  }
  // Reasoning never leaks into the text.
  if (spec.reasoning && spec.text !== '') assert.ok(!response.text.includes(spec.reasoning.prefix), `${label}: reasoning kept out of text`);
  assert.equal(end.complete, spec.complete, `${label}: complete`);
  assert.equal(response.complete, spec.complete && !spec.error, `${label}: end event`);
  if (spec.reason !== undefined) assert.equal(end.reason, spec.reason, `${label}: reason`);
  if (spec.error) {
    assert.equal(response.error?.code, 'provider', `${label}: provider error`);
    assert.ok(response.error?.message.startsWith(spec.error.messagePrefix), `${label}: error message ${response.error?.message}`);
    assert.equal(response.error?.providerType, spec.error.providerType, `${label}: provider type`);
  } else {
    assert.equal(response.error, null, `${label}: no error`);
  }
  assert.equal(response.finishReason, spec.finishReason ?? null, `${label}: finish reason`);
  const calls = response.toolCalls.map(({ name, arguments: args, status }) => ({ name, arguments: args, status }));
  assert.deepEqual(calls, (spec.toolCalls ?? []).map(({ name, arguments: args, status }) => ({ name, arguments: args, status })), `${label}: tool calls`);
  const ids = response.toolCalls.map((call) => call.id);
  assert.ok(ids.every((id) => id !== ''), `${label}: tool call ids non-empty`);
  assert.equal(new Set(ids).size, ids.length, `${label}: tool call ids unique`);
  (spec.toolCalls ?? []).forEach((call, index) => {
    const output = response.toolCalls[index]?.output;
    if (call.outputPrefix === undefined) assert.equal(output, undefined, `${label}: no output`);
    else assert.ok(output?.startsWith(call.outputPrefix), `${label}: output starts ${output?.slice(0, 100)}`);
  });
  assert.deepEqual(response.sources.map((source) => source.url), spec.sources ?? [], `${label}: sources`);
  for (const [field, value] of Object.entries(spec.usage ?? {})) {
    assert.equal(response.usage?.[field as keyof Usage], value, `${label}: usage ${field}`);
  }
}

test('every recording in the corpus has an expectation', () => {
  const files = readdirSync(corpus).filter((name) => name !== 'SOURCES.md').sort();
  assert.deepEqual(expectations.map((spec) => spec.file).sort(), files);
});

const splitters: Splitter[] = [whole, byteByByte, randomSplits(13), randomSplits(2024, 300)];

for (const spec of expectations) {
  const bytes = new Uint8Array(readFileSync(new URL(spec.file, corpus)));
  for (const splitter of splitters) {
    test(`recording ${spec.file} decodes to the documented response ${splitter.name}`, () => {
      const decoded = decode(bytes, { contentType: spec.contentType }, splitter.cuts(bytes.length));
      const collector = createResponseCollector();
      for (const event of decoded.events) collector.add(event);
      check(spec, collector.result(), decoded.format, decoded.end, splitter.name);
    });
  }
}
