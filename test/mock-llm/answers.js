// Canned answers, loaded once when the module is imported.
import { readFileSync } from 'node:fs';
import { withThinkingTags } from './encode.js';

/** @param {string} name */
function load(name) {
  return readFileSync(new URL(`./answers/${name}`, import.meta.url), 'utf8');
}

/** ~6 KB realistic markdown: headings, inline styles, nested lists, aligned table, ts + python fences, links, quote, rule. */
export const DEFAULT_ANSWER = load('default.md');

/** One short paragraph. */
export const SHORT_ANSWER = load('short.md').trimEnd();

/** Target size of the `long` answer, in UTF-16 code units. */
export const LONG_TARGET = 100 * 1024;

/**
 * ≈100 KB: the default answer followed by numbered "Part N" sections cycled from
 * answers/long-sections.md (with the part number and a derived number substituted so no two parts
 * are identical), until the target size is reached.
 */
export const LONG_ANSWER = buildLong(load('long-sections.md'));

/** @param {string} source */
function buildLong(source) {
  const sections = source
    .split(/^<!-- section -->\s*$/m)
    .slice(1)
    .map((s) => s.trim());
  if (sections.length === 0) throw new Error('long-sections.md has no sections');
  let out = DEFAULT_ANSWER.trimEnd() + '\n\n---\n\n# Appendix: field notes\n\n';
  for (let n = 1; out.length < LONG_TARGET; n++) {
    const section = /** @type {string} */ (sections[(n - 1) % sections.length]);
    const m = 100 + ((n * 37) % 400);
    out += section.replaceAll('{n}', String(n)).replaceAll('{m}', String(m)) + '\n\n';
  }
  return out.trimEnd() + '\n';
}

/** @type {Record<string, string>} */
export const ANSWERS = {
  default: DEFAULT_ANSWER,
  short: SHORT_ANSWER,
  long: LONG_ANSWER,
  /** Math, code in several languages, a mermaid diagram and a table (answers/rich.md). */
  rich: load('rich.md'),
};

/** @typedef {import('./encode.js').MockAnswer} MockAnswer */
/** @typedef {import('./encode.js').WebSearchResult} WebSearchResult */

/** A few hundred words of step-by-step markdown thinking, then a markdown answer with a table. */
export const REASONING_ANSWER = /** @type {MockAnswer} */ ({
  parts: [
    { type: 'reasoning', text: load('reasoning-thinking.md').trimEnd() },
    { type: 'text', text: load('reasoning-answer.md') },
  ],
});

/** The arguments of the `tools` answer's calls, exactly as their argument deltas concatenate. */
export const TOOL_CALLS = /** @type {const} */ ([
  { name: 'get_weather', input: { city: 'Paris', unit: 'celsius' } },
  { name: 'get_weather', input: { city: 'London', unit: 'celsius' } },
]);

/** Two parallel `get_weather` calls (with the outputs the tool returned), then a markdown answer. */
export const TOOLS_ANSWER = /** @type {MockAnswer} */ ({
  parts: [
    {
      type: 'tool-call',
      ...TOOL_CALLS[0],
      output: { city: 'Paris', unit: 'celsius', temperature: 18, conditions: 'partly cloudy' },
    },
    {
      type: 'tool-call',
      ...TOOL_CALLS[1],
      output: { city: 'London', unit: 'celsius', temperature: 14, conditions: 'light rain' },
    },
    { type: 'text', text: load('tools-answer.md') },
  ],
});

/**
 * Real public documentation pages about server-sent events. The cited passages are written for the
 * mock (summaries, not quotations of the pages).
 * @type {WebSearchResult[]}
 */
export const SEARCH_RESULTS = [
  {
    url: 'https://developer.mozilla.org/en-US/docs/Web/API/Server-sent_events/Using_server-sent_events',
    title: 'Using server-sent events - Web APIs | MDN',
    citedText: 'If the connection is lost, the browser reconnects automatically after a short delay.',
    pageAge: '2 months ago',
  },
  {
    url: 'https://developer.mozilla.org/en-US/docs/Web/API/EventSource',
    title: 'EventSource - Web APIs | MDN',
    citedText: 'close() shuts the connection down, and the EventSource does not reconnect afterwards.',
    pageAge: '3 weeks ago',
  },
  {
    url: 'https://html.spec.whatwg.org/multipage/server-sent-events.html',
    title: 'HTML Standard — 9.2 Server-sent events',
    citedText: 'The retry field sets the reconnection time in milliseconds; the id field sets the last event ID.',
  },
  {
    url: 'https://web.dev/articles/eventsource-basics',
    title: 'Stream updates with server-sent events | web.dev',
    citedText: 'Give events an id so that a reconnecting client can tell the server which one it saw last.',
    pageAge: '1 year ago',
  },
];

/** A web search, then an answer whose sentences cite the results (indices into SEARCH_RESULTS). */
export const SEARCH_ANSWER = /** @type {MockAnswer} */ ({
  parts: [
    { type: 'web-search', query: 'server-sent events reconnection retry Last-Event-ID', results: SEARCH_RESULTS },
    { type: 'text', text: 'Server-sent events reconnect by themselves. Here is how it works:\n\n' },
    {
      type: 'text',
      text: '- **Automatic reconnection.** When the connection drops, `EventSource` waits a few seconds and opens a new request to the same URL.',
      citations: [0],
    },
    { type: 'text', text: '\n' },
    {
      type: 'text',
      text: '- **The `retry:` field.** The server can change that wait by sending a line such as `retry: 10000` (milliseconds).',
      citations: [2],
    },
    { type: 'text', text: '\n' },
    {
      type: 'text',
      text: '- **Resuming with `Last-Event-ID`.** When events carry an `id:` line, the browser sends the last one back in a `Last-Event-ID` header, so the server can continue where the stream stopped.',
      citations: [2, 3],
    },
    { type: 'text', text: '\n' },
    {
      type: 'text',
      text: '- **Stopping for good.** Calling `close()` ends the stream and no reconnection follows.',
      citations: [1],
    },
    {
      type: 'text',
      text: '\n\nLLM APIs are usually read with `fetch` and a streamed body rather than `EventSource`, so there the client has to implement retries itself.\n',
    },
  ],
});

/**
 * Structured answers (reasoning, tool calls, web search), selectable with `answer=` like ANSWERS.
 * `thinking-tags` is the reasoning answer with its thinking as a `<think>…</think>` block at the
 * start of the text.
 * @type {Record<string, MockAnswer>}
 */
export const PART_ANSWERS = {
  reasoning: REASONING_ANSWER,
  'thinking-tags': withThinkingTags(REASONING_ANSWER),
  tools: TOOLS_ANSWER,
  search: SEARCH_ANSWER,
};
