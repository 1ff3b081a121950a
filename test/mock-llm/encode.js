// Pure wire-format encoders for the mock LLM server. No I/O, no clocks, no randomness:
// the same input always gives the same output (ids and timestamps come from options).

/** @typedef {'openai'|'openai-completions'|'openai-responses'|'anthropic'|'gemini'|'ollama'|'ai-sdk'|'relay'|'relay-ndjson'|'text'} MockFormat */
/** @typedef {'stop'|'length'|'content_filter'|'tool_calls'} MockFinishReason */
/** @typedef {'none'|'truncate'|'no-final-newline'|'malformed'|'provider-error'} EncodeFault */

/**
 * One piece of a structured answer. Text parts may cite the results of the nearest preceding
 * `web-search` part by index.
 * @typedef {{ type: 'reasoning', text: string }
 *   | { type: 'text', text: string, citations?: number[] }
 *   | { type: 'tool-call', name: string, input: Record<string, unknown>, output?: unknown }
 *   | { type: 'web-search', query: string, results: WebSearchResult[] }} MockPart
 */

/**
 * @typedef {object} WebSearchResult
 * @property {string} url
 * @property {string} title
 * @property {string} citedText  the passage a citation of this result quotes
 * @property {string} [pageAge]
 */

/**
 * A structured answer: reasoning, text, tool calls and web searches, in stream order.
 * @typedef {object} MockAnswer
 * @property {MockPart[]} parts
 */

/**
 * @typedef {object} EncodeOptions
 * @property {{ inputTokens?: number, outputTokens?: number, reasoningTokens?: number }} [usage]
 *   defaults: input 12, output = every token sent (reasoning included), reasoning = reasoning tokens sent
 * @property {MockFinishReason} [finishReason]  default 'stop'; 'tool_calls' when the answer calls a
 *   client tool (except `ai-sdk`, whose stream already contains the tool's output and the next step)
 * @property {string} [fault]  encoding-level faults: 'truncate' · 'no-final-newline' · 'malformed' ·
 *   'provider-error'; any other value (including transport faults such as 'reset') is ignored here.
 * @property {number} [faultAt]  token index where 'malformed' / 'provider-error' strike (default: half)
 * @property {string} [model]  model name written into the events (default per format)
 * @property {string} [id]  response/message id suffix (default 'mock0001')
 * @property {number} [created]  unix seconds used for `created` fields (default 1700000000)
 * @property {number} [evalDurationNs]  ollama eval_duration (default 20 ms per token)
 */

/**
 * One write of the encoded stream.
 * @typedef {object} EncodedChunk
 * @property {string} data  the exact text of the write
 * @property {number} token  index of the answer token this chunk carries, or -1
 * @property {'pre'|'token'|'part'|'post'|'end'|'fault'} kind  `part`: a structural event between
 *   tokens (a block or output item opening or closing, a tool result, a citation)
 */

/** All formats the encoder knows, in documentation order. */
export const FORMATS = /** @type {const} */ ([
  'openai',
  'openai-completions',
  'openai-responses',
  'anthropic',
  'gemini',
  'ollama',
  'ai-sdk',
  'relay',
  'relay-ndjson',
  'text',
]);

/** @type {Record<MockFormat, string>} */
export const CONTENT_TYPES = {
  openai: 'text/event-stream; charset=utf-8',
  'openai-completions': 'text/event-stream; charset=utf-8',
  'openai-responses': 'text/event-stream; charset=utf-8',
  anthropic: 'text/event-stream; charset=utf-8',
  gemini: 'text/event-stream',
  ollama: 'application/x-ndjson',
  'ai-sdk': 'text/event-stream',
  relay: 'text/event-stream',
  'relay-ndjson': 'application/x-ndjson',
  text: 'text/plain; charset=utf-8',
};

/** @type {Record<MockFormat, string>} */
const DEFAULT_MODELS = {
  openai: 'gpt-4o-mini-2024-07-18',
  'openai-completions': 'gpt-3.5-turbo-instruct',
  'openai-responses': 'gpt-4.1-mini-2025-04-14',
  anthropic: 'claude-sonnet-4-5-20250929',
  gemini: 'gemini-2.5-flash',
  ollama: 'llama3.2',
  'ai-sdk': 'mock-model',
  relay: 'mock-model',
  'relay-ndjson': 'mock-model',
  text: 'mock-model',
};

// ---------------------------------------------------------------------------------------------
// tokenize

const LONG_WORD = 7; // word runs longer than this are split
const PIECE = 4; // ...into pieces of this many code points
const MAX_TRAILING_SPACE = 8;

/**
 * Splits text into "tokens" of roughly 4 characters, at realistic boundaries: a word (or a run of
 * punctuation) keeps its trailing whitespace; long words and long punctuation runs are cut into
 * 4-code-point pieces. Deterministic, never splits a surrogate pair, and `tokens.join('') === text`.
 * @param {string} text
 * @returns {string[]}
 */
export function tokenize(text) {
  /** @type {string[]} */
  const tokens = [];
  const runs = text.match(/[\p{L}\p{N}\p{M}_'’]+|[^\p{L}\p{N}\p{M}_'’\s]+|\s+/gu) ?? [];
  for (const run of runs) {
    if (/^\s/u.test(run)) {
      // Whitespace: attach to the previous token (trailing space), overflow becomes its own tokens.
      const cps = Array.from(run);
      let head = cps.slice(0, MAX_TRAILING_SPACE).join('');
      let rest = cps.slice(MAX_TRAILING_SPACE);
      if (tokens.length > 0) tokens[tokens.length - 1] += head;
      else rest = cps;
      for (let i = 0; i < rest.length; i += PIECE) tokens.push(rest.slice(i, i + PIECE).join(''));
      continue;
    }
    const cps = Array.from(run);
    const isWord = /^[\p{L}\p{N}\p{M}_'’]/u.test(run);
    const limit = isWord ? LONG_WORD : PIECE;
    if (cps.length <= limit) {
      // Glue a short punctuation opener (`, **, [, () onto the word that follows it, like BPE does.
      const prev = tokens[tokens.length - 1];
      if (isWord && prev !== undefined && /^[^\p{L}\p{N}\s]{1,2}$/u.test(prev) && prev.length + cps.length <= 6) {
        tokens[tokens.length - 1] = prev + run;
      } else {
        tokens.push(run);
      }
      continue;
    }
    for (let i = 0; i < cps.length; i += PIECE) tokens.push(cps.slice(i, i + PIECE).join(''));
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// answer plan: which parts a format carries, and the global token index of every piece

/** Formats with a native reasoning channel. The others get only the answer text. */
const CARRIES_REASONING = new Set(['openai', 'openai-responses', 'anthropic', 'gemini', 'ollama', 'ai-sdk']);
/** Formats with native tool calls. */
const CARRIES_TOOLS = new Set(['openai', 'openai-responses', 'anthropic', 'gemini', 'ollama', 'ai-sdk']);
/** Formats with web-search results / citations. OpenAI chat completions has no documented streamed shape for them. */
const CARRIES_SOURCES = new Set(['openai-responses', 'anthropic', 'gemini', 'ai-sdk']);
/** Formats that stream tool arguments in pieces; Gemini and Ollama send a call whole. */
const STREAMS_TOOL_ARGS = new Set(['openai', 'openai-responses', 'anthropic', 'ai-sdk']);
/** Formats that stream the search query as tool input (Anthropic `server_tool_use`, AI SDK provider-executed tool). */
const STREAMS_SEARCH_QUERY = new Set(['anthropic', 'ai-sdk']);
/** Tool-argument JSON is cut into pieces of this many code points (real providers send 2–10 characters). */
const ARG_PIECE = 6;

/** @typedef {{ t: string, i: number }} Tok  a piece of streamed text and its global token index */

/**
 * @typedef {{ type: 'reasoning', tokens: Tok[], text: string }
 *   | { type: 'text', tokens: Tok[], text: string, citations: number[], search: SearchSeg | null }
 *   | ToolSeg
 *   | SearchSeg} Seg
 */
/**
 * @typedef {object} ToolSeg
 * @property {'tool-call'} type
 * @property {number} ordinal  0-based among the answer's tool calls (and searches)
 * @property {string} name
 * @property {Record<string, unknown>} input
 * @property {string} json  JSON.stringify(input): what the argument deltas concatenate to
 * @property {unknown} output
 * @property {Tok[]} tokens  argument pieces (one whole-call token where arguments are not streamed)
 */
/**
 * @typedef {object} SearchSeg
 * @property {'web-search'} type
 * @property {number} ordinal
 * @property {string} query
 * @property {string} json  the search tool's input JSON
 * @property {WebSearchResult[]} results
 * @property {Tok[]} tokens  query pieces (one token for the call where the query is not streamed, none for Gemini)
 */

/**
 * @param {readonly string[] | MockAnswer} answer
 * @returns {answer is MockAnswer}
 */
function isStructured(answer) {
  return !Array.isArray(answer);
}

/**
 * Cuts a string into pieces of `size` code points (never splitting a surrogate pair).
 * @param {string} s @param {number} size
 */
function pieces(s, size) {
  const cps = Array.from(s);
  /** @type {string[]} */
  const out = [];
  for (let i = 0; i < cps.length; i += size) out.push(cps.slice(i, i + size).join(''));
  return out;
}

/**
 * The parts a format carries, each with its tokens numbered in stream order. A plain token array
 * is one text part (the original, text-only answers, whose bytes must not change).
 * @param {MockFormat} format
 * @param {readonly string[] | MockAnswer} answer
 * @returns {{ segs: Seg[], n: number, reasoningTokens: number, callsClientTool: boolean }}
 */
function planAnswer(format, answer) {
  let next = 0;
  const number = (/** @type {readonly string[]} */ ts) => ts.map((t) => ({ t, i: next++ }));
  if (!isStructured(answer)) {
    const tokens = number(answer);
    return { segs: [{ type: 'text', tokens, text: answer.join(''), citations: [], search: null }], n: next, reasoningTokens: 0, callsClientTool: false };
  }
  /** @type {Seg[]} */
  const segs = [];
  let reasoningTokens = 0;
  let ordinal = 0;
  let callsClientTool = false;
  /** @type {SearchSeg | null} */
  let search = null;
  for (const part of answer.parts) {
    switch (part.type) {
      case 'reasoning': {
        if (!CARRIES_REASONING.has(format)) break;
        const tokens = number(tokenize(part.text));
        reasoningTokens += tokens.length;
        segs.push({ type: 'reasoning', tokens, text: part.text });
        break;
      }
      case 'text':
        segs.push({
          type: 'text',
          tokens: number(tokenize(part.text)),
          text: part.text,
          citations: CARRIES_SOURCES.has(format) && search ? (part.citations ?? []) : [],
          search: CARRIES_SOURCES.has(format) ? search : null,
        });
        break;
      case 'tool-call': {
        if (!CARRIES_TOOLS.has(format)) break;
        const json = JSON.stringify(part.input);
        const tokens = number(STREAMS_TOOL_ARGS.has(format) ? pieces(json, ARG_PIECE) : [json]);
        segs.push({ type: 'tool-call', ordinal: ordinal++, name: part.name, input: part.input, json, output: part.output, tokens });
        callsClientTool = true;
        break;
      }
      case 'web-search': {
        if (!CARRIES_SOURCES.has(format)) break;
        const json = JSON.stringify({ query: part.query });
        const raw = STREAMS_SEARCH_QUERY.has(format) ? pieces(json, ARG_PIECE) : format === 'gemini' ? [] : [json];
        search = { type: 'web-search', ordinal: ordinal++, query: part.query, json, results: part.results, tokens: number(raw) };
        segs.push(search);
        break;
      }
    }
  }
  return { segs, n: next, reasoningTokens, callsClientTool };
}

/**
 * How many tokens `format` streams for this answer (what `faultAt`, `at` and usage count).
 * @param {MockFormat} format
 * @param {readonly string[] | MockAnswer} answer
 */
export function countTokens(format, answer) {
  return planAnswer(format, answer).n;
}

/**
 * The same answer with its reasoning moved into the text as a leading `<think>…</think>` block, the
 * way DeepSeek-R1 and similar models send it through Ollama or OpenAI-compatible servers.
 * @param {MockAnswer} answer
 * @returns {MockAnswer}
 */
export function withThinkingTags(answer) {
  const reasoning = answer.parts.flatMap((p) => (p.type === 'reasoning' ? [p.text] : []));
  if (reasoning.length === 0) return answer;
  /** @type {MockPart} */
  const think = { type: 'text', text: `<think>\n${reasoning.join('\n\n')}\n</think>\n\n` };
  return { parts: [think, ...answer.parts.filter((p) => p.type !== 'reasoning')] };
}

// ---------------------------------------------------------------------------------------------
// encodeStream

/**
 * @typedef {object} Ev  internal event before framing
 * @property {'pre'|'token'|'part'|'slot'|'post'|'end'|'fault'} kind
 * @property {number} token
 * @property {string} [event]  SSE `event:` name
 * @property {unknown} [json]  payload to JSON.stringify
 * @property {string} [raw]  payload used verbatim
 */

/**
 * Encodes an answer as the exact sequence of writes a provider would send. The answer is either
 * text already split into tokens, or a structured {@link MockAnswer} (reasoning, tool calls, web
 * search), whose parts the format cannot carry are left out.
 * @param {MockFormat} format
 * @param {readonly string[] | MockAnswer} answer
 * @param {EncodeOptions} [options]
 * @returns {string[]} one string per write
 */
export function encodeStream(format, answer, options = {}) {
  return encodeEvents(format, answer, options).map((c) => c.data);
}

/**
 * Like {@link encodeStream}, but each write is annotated with the token it carries (for pacing) and
 * its role in the stream.
 * @param {MockFormat} format
 * @param {readonly string[] | MockAnswer} answer
 * @param {EncodeOptions} [options]
 * @returns {EncodedChunk[]}
 */
export function encodeEvents(format, answer, options = {}) {
  const builder = BUILDERS[format];
  if (!builder) throw new Error(`Unknown mock format: ${format}`);
  const plan = planAnswer(format, answer);
  const n = plan.n;
  const fault = options.fault ?? 'none';
  const defaultFinish = plan.callsClientTool && format !== 'ai-sdk' ? 'tool_calls' : 'stop';
  /** @type {Ctx} */
  const ctx = {
    segs: plan.segs,
    n,
    fault,
    finishReason: options.finishReason ?? defaultFinish,
    inputTokens: options.usage?.inputTokens ?? 12,
    outputTokens: options.usage?.outputTokens ?? n,
    reasoningTokens: options.usage?.reasoningTokens ?? plan.reasoningTokens,
    model: options.model ?? DEFAULT_MODELS[format],
    id: options.id ?? 'mock0001',
    created: options.created ?? 1700000000,
    evalDurationNs: options.evalDurationNs ?? n * 20_000_000,
  };
  /** @type {Ev[]} */
  let events = classifyParts(builder(ctx));

  const faultAt = clampInt(options.faultAt ?? Math.floor(n / 2), 0, n);
  if (fault === 'truncate') {
    events = events.filter((e) => e.kind !== 'end');
  } else if (fault === 'malformed' && format !== 'text') {
    const at = insertionIndex(events, faultAt);
    const bad = { kind: /** @type {const} */ ('fault'), token: -1, raw: '{not json' };
    if (format === 'anthropic') Object.assign(bad, { event: 'content_block_delta' });
    if (format === 'openai-responses') Object.assign(bad, { event: 'response.output_text.delta' });
    events.splice(at, 0, bad);
  } else if (fault === 'provider-error') {
    const at = insertionIndex(events, faultAt);
    const seq = events.slice(0, at).filter((e) => e.event !== undefined).length;
    events = events.slice(0, at).concat(providerErrorEvents(format, seq));
  }

  // classifyParts has removed every 'slot', so each kind is an EncodedChunk kind.
  const chunks = events.map((e) => ({ data: frame(format, e), token: e.token, kind: /** @type {EncodedChunk['kind']} */ (e.kind) }));
  if (fault === 'no-final-newline' && chunks.length > 0) {
    const last = /** @type {EncodedChunk} */ (chunks[chunks.length - 1]);
    last.data = last.data.replace(/[\r\n]+$/, '');
  }
  return chunks;
}

/**
 * Builders mark structural events between blocks as 'part'; the ones before the first token are
 * really 'pre' and the ones after the last token 'post' (pacing and the reset/stall cut rely on it).
 * @param {Ev[]} events
 */
function classifyParts(events) {
  // An empty text part leaves a 'slot' where its tokens would be, so that what opens it still counts
  // as 'pre' and what closes it as 'post'.
  const isToken = (/** @type {Ev} */ e) => e.kind === 'token' || e.kind === 'slot';
  const first = events.findIndex(isToken);
  let last = -1;
  events.forEach((e, i) => {
    if (isToken(e)) last = i;
  });
  return events.flatMap((e, i) => {
    if (e.kind === 'slot') return [];
    if (e.kind !== 'part') return [e];
    if (first === -1 || i < first) return [{ ...e, kind: /** @type {const} */ ('pre') }];
    if (i > last) return [{ ...e, kind: /** @type {const} */ ('post') }];
    return [e];
  });
}

/** Marks where an empty text part's tokens would be (see classifyParts). @param {Ev[]} ev @param {{ tokens: Tok[] }} seg */
function slotIfEmpty(ev, seg) {
  if (seg.tokens.length === 0) ev.push({ kind: 'slot', token: -1 });
}

/** @param {number} v @param {number} lo @param {number} hi */
function clampInt(v, lo, hi) {
  return Math.min(hi, Math.max(lo, Math.floor(Number.isFinite(v) ? v : lo)));
}

/**
 * Index of the first event that belongs at or after token `t` (i.e. just before token t is sent);
 * when t === n, just before the first post-answer event.
 * @param {Ev[]} events @param {number} t
 */
function insertionIndex(events, t) {
  const i = events.findIndex((e) => (e.token >= t && e.kind === 'token') || e.kind === 'post' || e.kind === 'end');
  return i === -1 ? events.length : i;
}

/** @param {MockFormat} format @param {Ev} e */
function frame(format, e) {
  const payload = e.raw ?? JSON.stringify(e.json);
  switch (format) {
    case 'text':
      return payload;
    case 'ollama':
    case 'relay-ndjson':
      return payload + '\n';
    case 'gemini':
      return `data: ${payload}\r\n\r\n`;
    default:
      return (e.event ? `event: ${e.event}\n` : '') + `data: ${payload}\n\n`;
  }
}

/** @param {MockFormat} format @param {number} seq */
function providerErrorEvents(format, seq) {
  const msg = 'The server had an error while processing your request. Sorry about that!';
  /** @type {(x: Partial<Ev>) => Ev} */
  const ev = (x) => ({ kind: 'fault', token: -1, ...x });
  switch (format) {
    case 'openai':
    case 'openai-completions':
      return [ev({ json: { error: { message: msg, type: 'server_error', param: null, code: null } } })];
    case 'openai-responses':
      return [
        ev({
          event: 'error',
          json: { type: 'error', sequence_number: seq, code: 'server_error', message: msg, param: null },
        }),
      ];
    case 'anthropic':
      return [ev({ event: 'error', json: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } })];
    case 'gemini':
      return [
        ev({ json: { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } } }),
      ];
    case 'ollama':
      return [ev({ json: { error: 'model runner has unexpectedly stopped, this may be due to resource limitations or an internal error' } })];
    case 'ai-sdk':
      // The AI SDK's SSE transform appends [DONE] when the stream closes, even after an error part.
      return [ev({ json: { type: 'error', errorText: msg } }), ev({ kind: 'end', raw: '[DONE]' })];
    case 'relay':
    case 'relay-ndjson':
      return [ev({ json: { type: 'error', message: msg } })];
    default:
      return []; // text: no error shape — the body just ends
  }
}

/**
 * @typedef {object} Ctx
 * @property {Seg[]} segs  the parts this format carries, tokens numbered in stream order
 * @property {number} n  tokens in all
 * @property {string} fault
 * @property {MockFinishReason} finishReason
 * @property {number} inputTokens
 * @property {number} outputTokens
 * @property {number} reasoningTokens
 * @property {string} model
 * @property {string} id
 * @property {number} created
 * @property {number} evalDurationNs
 */

/**
 * A deterministic opaque value (signatures, encrypted search content): base64 of a label, like the
 * opaque base64 blobs real providers send. Never meaningful, never random.
 * @param {string} label
 */
function opaque(label) {
  return btoa(`mock-opaque:${label}`);
}

/** @param {Ctx} c @param {ToolSeg | SearchSeg} seg */
const callId = (c, seg) => `call_${c.id}_${seg.ordinal}`;

/**
 * Groups consecutive segments for formats whose containers hold several of them (one Responses
 * `message` item for a run of text parts, one AI SDK step for a run of tool calls).
 * @param {Seg[]} segs @param {(s: Seg) => boolean} same
 * @returns {Seg[][]}
 */
function runs(segs, same) {
  /** @type {Seg[][]} */
  const out = [];
  for (const s of segs) {
    const last = out[out.length - 1];
    const prev = last?.[last.length - 1];
    if (last && prev && same(prev) && same(s)) last.push(s);
    else out.push([s]);
  }
  return out;
}

/** Code-point length (the Responses API counts annotation indices in characters). */
const cpLength = (/** @type {string} */ s) => Array.from(s).length;

/** UTF-8 byte length (Gemini counts grounding segment indices in bytes). */
const byteLength = (/** @type {string} */ s) => new TextEncoder().encode(s).length;

/** @type {Record<MockFormat, (ctx: Ctx) => Ev[]>} */
const BUILDERS = {
  openai(c) {
    const base = {
      id: `chatcmpl-${c.id}`,
      object: 'chat.completion.chunk',
      created: c.created,
      model: c.model,
      service_tier: 'default',
      system_fingerprint: 'fp_mock00001',
    };
    /** @param {object} delta @param {string|null} finish */
    const chunk = (delta, finish) => ({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      usage: null,
    });
    /** @type {Ev[]} */
    const ev = [{ kind: 'pre', token: -1, json: chunk({ role: 'assistant', content: '', refusal: null }, null) }];
    for (const seg of c.segs) {
      if (seg.type === 'text') {
        for (const { t, i } of seg.tokens) ev.push({ kind: 'token', token: i, json: chunk({ content: t }, null) });
      } else if (seg.type === 'reasoning') {
        // DeepSeek, vLLM and Azure AI stream reasoning as delta.reasoning_content next to a null content.
        for (const { t, i } of seg.tokens) {
          ev.push({ kind: 'token', token: i, json: chunk({ content: null, reasoning_content: t }, null) });
        }
      } else if (seg.type === 'tool-call') {
        // The first delta of a call names it (index, id, type, name, empty arguments); later ones only append arguments.
        const index = seg.ordinal;
        const head = { index, id: callId(c, seg), type: 'function', function: { name: seg.name, arguments: '' } };
        ev.push({ kind: 'part', token: -1, json: chunk({ tool_calls: [head] }, null) });
        for (const { t, i } of seg.tokens) {
          ev.push({ kind: 'token', token: i, json: chunk({ tool_calls: [{ index, function: { arguments: t } }] }, null) });
        }
      }
    }
    ev.push({ kind: 'post', token: -1, json: chunk({}, c.finishReason) });
    ev.push({
      kind: 'post',
      token: -1,
      json: {
        ...base,
        choices: [],
        usage: {
          prompt_tokens: c.inputTokens,
          completion_tokens: c.outputTokens,
          total_tokens: c.inputTokens + c.outputTokens,
          prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
          completion_tokens_details: {
            reasoning_tokens: c.reasoningTokens,
            audio_tokens: 0,
            accepted_prediction_tokens: 0,
            rejected_prediction_tokens: 0,
          },
        },
      },
    });
    ev.push({ kind: 'end', token: -1, raw: '[DONE]' });
    return ev;
  },

  'openai-completions'(c) {
    const base = { id: `cmpl-${c.id}`, object: 'text_completion', created: c.created };
    /** @param {string} text @param {string|null} finish */
    const chunk = (text, finish) => ({
      ...base,
      choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
      model: c.model,
    });
    /** @type {Ev[]} */
    const ev = textTokens(c).map(({ t, i }) => ({ kind: /** @type {const} */ ('token'), token: i, json: chunk(t, null) }));
    ev.push({ kind: 'post', token: -1, json: chunk('', c.finishReason) });
    ev.push({
      kind: 'post',
      token: -1,
      json: {
        ...base,
        choices: [],
        model: c.model,
        usage: {
          prompt_tokens: c.inputTokens,
          completion_tokens: c.outputTokens,
          total_tokens: c.inputTokens + c.outputTokens,
        },
      },
    });
    ev.push({ kind: 'end', token: -1, raw: '[DONE]' });
    return ev;
  },

  'openai-responses'(c) {
    let seq = 0;
    const respId = `resp_${c.id}`;
    const incomplete = c.finishReason === 'length' || c.finishReason === 'content_filter';
    /** @param {string} status @param {unknown[]} output @param {unknown} usage */
    const response = (status, output, usage) => ({
      id: respId,
      object: 'response',
      created_at: c.created,
      status,
      background: false,
      error: null,
      incomplete_details:
        status === 'incomplete'
          ? { reason: c.finishReason === 'length' ? 'max_output_tokens' : 'content_filter' }
          : null,
      instructions: null,
      max_output_tokens: null,
      model: c.model,
      output,
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: { effort: null, summary: null },
      store: true,
      temperature: 1,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [],
      top_p: 1,
      truncation: 'disabled',
      usage,
      user: null,
      metadata: {},
    });
    /** @param {Ev['kind']} kind @param {number} token @param {string} type @param {object} body @returns {Ev} */
    const e = (kind, token, type, body) => ({ kind, token, event: type, json: { type, sequence_number: seq++, ...body } });
    /** @param {string} text @param {unknown[]} [annotations] */
    const part = (text, annotations = []) => ({ type: 'output_text', annotations, logprobs: [], text });
    /** @type {Ev[]} */
    const ev = [
      e('pre', -1, 'response.created', { response: response('in_progress', [], null) }),
      e('pre', -1, 'response.in_progress', { response: response('in_progress', [], null) }),
    ];
    /** @type {unknown[]} */
    const output = [];
    // One output item per reasoning part, tool call or search; one `message` item per run of text parts.
    const groups = runs(c.segs, (s) => s.type === 'text');
    let messages = 0;
    for (const group of groups) {
      const outputIndex = output.length;
      const first = /** @type {Seg} */ (group[0]);
      if (first.type === 'reasoning') {
        const itemId = `rs_${c.id}_${outputIndex}`;
        const summary = (/** @type {string} */ text) => ({ type: 'summary_text', text });
        const at = { item_id: itemId, output_index: outputIndex, summary_index: 0 };
        ev.push(
          e('part', -1, 'response.output_item.added', { output_index: outputIndex, item: { id: itemId, type: 'reasoning', summary: [] } }),
          e('part', -1, 'response.reasoning_summary_part.added', { ...at, part: summary('') }),
        );
        for (const { t, i } of first.tokens) ev.push(e('token', i, 'response.reasoning_summary_text.delta', { ...at, delta: t }));
        const done = { id: itemId, type: 'reasoning', summary: [summary(first.text)] };
        ev.push(
          e('part', -1, 'response.reasoning_summary_text.done', { ...at, text: first.text }),
          e('part', -1, 'response.reasoning_summary_part.done', { ...at, part: summary(first.text) }),
          e('part', -1, 'response.output_item.done', { output_index: outputIndex, item: done }),
        );
        output.push(done);
      } else if (first.type === 'tool-call') {
        const itemId = `fc_${c.id}_${first.ordinal}`;
        const item = (/** @type {string} */ status, /** @type {string} */ args) => ({
          id: itemId,
          type: 'function_call',
          status,
          arguments: args,
          call_id: callId(c, first),
          name: first.name,
        });
        const at = { item_id: itemId, output_index: outputIndex };
        ev.push(e('part', -1, 'response.output_item.added', { output_index: outputIndex, item: item('in_progress', '') }));
        for (const { t, i } of first.tokens) ev.push(e('token', i, 'response.function_call_arguments.delta', { ...at, delta: t }));
        const done = item('completed', first.json);
        ev.push(
          e('part', -1, 'response.function_call_arguments.done', { ...at, arguments: first.json }),
          e('part', -1, 'response.output_item.done', { output_index: outputIndex, item: done }),
        );
        output.push(done);
      } else if (first.type === 'web-search') {
        const itemId = `ws_${c.id}_${first.ordinal}`;
        const at = { output_index: outputIndex, item_id: itemId };
        const done = {
          id: itemId,
          type: 'web_search_call',
          status: 'completed',
          action: { type: 'search', query: first.query, sources: first.results.map((r) => ({ type: 'url', url: r.url })) },
        };
        const searching = /** @type {Tok} */ (first.tokens[0]);
        ev.push(
          e('part', -1, 'response.output_item.added', { output_index: outputIndex, item: { id: itemId, type: 'web_search_call', status: 'in_progress' } }),
          e('part', -1, 'response.web_search_call.in_progress', at),
          e('token', searching.i, 'response.web_search_call.searching', at),
          e('part', -1, 'response.web_search_call.completed', at),
          e('part', -1, 'response.output_item.done', { output_index: outputIndex, item: done }),
        );
        output.push(done);
      } else {
        // The first message keeps the id the text-only answers always had.
        const itemId = messages++ === 0 ? `msg_${c.id}` : `msg_${c.id}_${outputIndex}`;
        const texts = /** @type {Extract<Seg, { type: 'text' }>[]} */ (group);
        const full = texts.map((s) => s.text).join('');
        const at = { item_id: itemId, output_index: outputIndex, content_index: 0 };
        const item = (/** @type {string} */ status, /** @type {unknown[]} */ content) => ({
          id: itemId,
          type: 'message',
          status,
          content,
          role: 'assistant',
        });
        ev.push(
          e('part', -1, 'response.output_item.added', { output_index: outputIndex, item: item('in_progress', []) }),
          e('part', -1, 'response.content_part.added', { ...at, part: part('') }),
        );
        /** @type {unknown[]} */
        const annotations = [];
        let offset = 0;
        for (const s of texts) {
          slotIfEmpty(ev, s);
          for (const { t, i } of s.tokens) ev.push(e('token', i, 'response.output_text.delta', { ...at, delta: t, logprobs: [] }));
          const end = offset + cpLength(s.text);
          // A citation is announced once the text it covers has been streamed.
          for (const k of s.citations) {
            const r = s.search?.results[k];
            if (!r) continue;
            const annotation = { type: 'url_citation', end_index: end, start_index: offset, title: r.title, url: r.url };
            ev.push(e('part', -1, 'response.output_text.annotation.added', { ...at, annotation_index: annotations.length, annotation }));
            annotations.push(annotation);
          }
          offset = end;
        }
        const done = item(incomplete ? 'incomplete' : 'completed', [part(full, annotations)]);
        ev.push(
          e('part', -1, 'response.output_text.done', { ...at, text: full, logprobs: [] }),
          e('part', -1, 'response.content_part.done', { ...at, part: part(full, annotations) }),
          e('part', -1, 'response.output_item.done', { output_index: outputIndex, item: done }),
        );
        output.push(done);
      }
    }
    ev.push(
      e('end', -1, incomplete ? 'response.incomplete' : 'response.completed', {
        response: response(incomplete ? 'incomplete' : 'completed', output, {
          input_tokens: c.inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: c.outputTokens,
          output_tokens_details: { reasoning_tokens: c.reasoningTokens },
          total_tokens: c.inputTokens + c.outputTokens,
        }),
      }),
    );
    return ev;
  },

  anthropic(c) {
    const stop = { stop: 'end_turn', length: 'max_tokens', content_filter: 'refusal', tool_calls: 'tool_use' }[
      c.finishReason
    ];
    let searches = 0;
    /** @type {Ev[]} */
    const ev = [
      {
        kind: 'pre',
        token: -1,
        event: 'message_start',
        json: {
          type: 'message_start',
          message: {
            id: `msg_${c.id}`,
            type: 'message',
            role: 'assistant',
            model: c.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: {
              input_tokens: c.inputTokens,
              cache_creation_input_tokens: 0,
              cache_read_input_tokens: 0,
              output_tokens: 1,
              service_tier: 'standard',
            },
          },
        },
      },
    ];
    let index = 0;
    /** @param {object} block */
    const start = (block) => {
      ev.push({ kind: 'part', token: -1, event: 'content_block_start', json: { type: 'content_block_start', index, content_block: block } });
      // Anthropic sends one ping right after the first block opens.
      if (index === 0) ev.push({ kind: 'part', token: -1, event: 'ping', raw: '{"type": "ping"}' });
    };
    /** @param {number} token @param {object} delta */
    const delta = (token, delta) => ({
      kind: /** @type {'token'|'part'} */ (token >= 0 ? 'token' : 'part'),
      token,
      event: 'content_block_delta',
      json: { type: 'content_block_delta', index, delta },
    });
    const stopBlock = () => {
      ev.push({ kind: 'part', token: -1, event: 'content_block_stop', json: { type: 'content_block_stop', index } });
      index++;
    };
    for (const seg of c.segs) {
      if (seg.type === 'reasoning') {
        start({ type: 'thinking', thinking: '', signature: '' });
        for (const { t, i } of seg.tokens) ev.push(delta(i, { type: 'thinking_delta', thinking: t }));
        // The signature arrives last, in its own delta, just before the block closes.
        ev.push(delta(-1, { type: 'signature_delta', signature: opaque(`thinking:${c.id}:${index}`) }));
        stopBlock();
      } else if (seg.type === 'text') {
        const cited = seg.citations.flatMap((k) => {
          const r = seg.search?.results[k];
          return r ? [r] : [];
        });
        // A block that carries citations opens with an empty citations list, then one citations_delta per source.
        start(cited.length > 0 ? { citations: [], type: 'text', text: '' } : { type: 'text', text: '' });
        for (const r of cited) {
          ev.push(
            delta(-1, {
              type: 'citations_delta',
              citation: {
                type: 'web_search_result_location',
                cited_text: r.citedText,
                url: r.url,
                title: r.title,
                encrypted_index: opaque(`index:${r.url}`),
              },
            }),
          );
        }
        slotIfEmpty(ev, seg);
        for (const { t, i } of seg.tokens) ev.push(delta(i, { type: 'text_delta', text: t }));
        stopBlock();
      } else if (seg.type === 'tool-call') {
        start({ type: 'tool_use', id: `toolu_${c.id}_${seg.ordinal}`, name: seg.name, input: {} });
        for (const { t, i } of seg.tokens) ev.push(delta(i, { type: 'input_json_delta', partial_json: t }));
        stopBlock();
      } else {
        // Server tool: the query streams as input JSON, then the results arrive whole in their own block.
        const id = `srvtoolu_${c.id}_${seg.ordinal}`;
        searches++;
        start({ type: 'server_tool_use', id, name: 'web_search', input: {} });
        for (const { t, i } of seg.tokens) ev.push(delta(i, { type: 'input_json_delta', partial_json: t }));
        stopBlock();
        start({
          type: 'web_search_tool_result',
          tool_use_id: id,
          content: seg.results.map((r) => ({
            type: 'web_search_result',
            title: r.title,
            url: r.url,
            encrypted_content: opaque(`content:${r.url}`),
            page_age: r.pageAge ?? null,
          })),
        });
        stopBlock();
      }
    }
    /** @type {Record<string, unknown>} */
    const usage = { output_tokens: c.outputTokens };
    if (searches > 0) usage.server_tool_use = { web_search_requests: searches };
    ev.push(
      {
        kind: 'post',
        token: -1,
        event: 'message_delta',
        json: { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage },
      },
      { kind: 'end', token: -1, event: 'message_stop', json: { type: 'message_stop' } },
    );
    return ev;
  },

  gemini(c) {
    const reason = { stop: 'STOP', length: 'MAX_TOKENS', content_filter: 'SAFETY', tool_calls: 'STOP' }[c.finishReason];
    const usageMetadata = {
      promptTokenCount: c.inputTokens,
      // Gemini counts thoughts apart from the candidates: total = prompt + candidates + thoughts.
      candidatesTokenCount: c.outputTokens - c.reasoningTokens,
      totalTokenCount: c.inputTokens + c.outputTokens,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: c.inputTokens }],
      ...(c.reasoningTokens > 0 ? { thoughtsTokenCount: c.reasoningTokens } : {}),
    };
    /** @param {object} part @param {boolean} last */
    const chunk = (part, last) => ({
      candidates: [
        {
          content: { parts: [part], role: 'model' },
          ...(last ? { finishReason: reason } : {}),
          index: 0,
        },
      ],
      ...(last ? { usageMetadata } : {}),
      modelVersion: c.model,
      responseId: c.id,
    });
    /** @type {{ part: object, token: number }[]} */
    const parts = [];
    for (const seg of c.segs) {
      if (seg.type === 'reasoning') for (const { t, i } of seg.tokens) parts.push({ part: { text: t, thought: true }, token: i });
      else if (seg.type === 'text') for (const { t, i } of seg.tokens) parts.push({ part: { text: t }, token: i });
      else if (seg.type === 'tool-call') {
        // A function call arrives whole, in one part, with its arguments as an object.
        const { i } = /** @type {Tok} */ (seg.tokens[0]);
        parts.push({ part: { functionCall: { name: seg.name, args: seg.input } }, token: i });
      }
    }
    // The final chunk carries the last token and the finishReason (as Gemini does). When truncating,
    // the last token goes out in an ordinary chunk and the final chunk is simply never sent.
    const truncate = c.fault === 'truncate';
    /** @type {Ev[]} */
    const ev = parts.map(({ part, token }, k) => {
      const last = k === parts.length - 1 && !truncate;
      return { kind: last ? 'end' : 'token', token, json: chunk(part, last) };
    });
    if (parts.length === 0) ev.push({ kind: 'end', token: -1, json: chunk({ text: '' }, true) });
    const grounding = groundingMetadata(c.segs);
    if (grounding) {
      // Grounding metadata comes after the STOP chunk, in a chunk of its own with empty content.
      ev.push({
        kind: 'end',
        token: -1,
        json: { candidates: [{ content: {}, index: 0, groundingMetadata: grounding }], usageMetadata, modelVersion: c.model, responseId: c.id },
      });
    }
    return ev;
  },

  ollama(c) {
    const createdAt = new Date(c.created * 1000).toISOString();
    /** @param {object} message */
    const line = (message) => ({ model: c.model, created_at: createdAt, message: { role: 'assistant', ...message }, done: false });
    /** @type {Ev[]} */
    const ev = [];
    for (const seg of c.segs) {
      if (seg.type === 'text') for (const { t, i } of seg.tokens) ev.push({ kind: 'token', token: i, json: line({ content: t }) });
      else if (seg.type === 'reasoning') {
        for (const { t, i } of seg.tokens) ev.push({ kind: 'token', token: i, json: line({ content: '', thinking: t }) });
      } else if (seg.type === 'tool-call') {
        // Ollama sends each call whole (arguments as an object) and gives it no id.
        const { i } = /** @type {Tok} */ (seg.tokens[0]);
        ev.push({ kind: 'token', token: i, json: line({ content: '', tool_calls: [{ function: { name: seg.name, arguments: seg.input } }] }) });
      }
    }
    const promptEval = c.inputTokens * 1_000_000;
    ev.push({
      kind: 'end',
      token: -1,
      json: {
        model: c.model,
        created_at: createdAt,
        message: { role: 'assistant', content: '' },
        done_reason: c.finishReason === 'length' ? 'length' : 'stop',
        done: true,
        total_duration: 1_500_000 + promptEval + c.evalDurationNs,
        load_duration: 1_500_000,
        prompt_eval_count: c.inputTokens,
        prompt_eval_duration: promptEval,
        eval_count: c.outputTokens,
        eval_duration: c.evalDurationNs,
      },
    });
    return ev;
  },

  'ai-sdk'(c) {
    const finishReason = { stop: 'stop', length: 'length', content_filter: 'content-filter', tool_calls: 'tool-calls' }[
      c.finishReason
    ];
    /** @type {Ev[]} */
    const ev = [
      { kind: 'pre', token: -1, json: { type: 'start', messageId: `msg-${c.id}` } },
      { kind: 'pre', token: -1, json: { type: 'start-step' } },
    ];
    const push = (/** @type {object} */ json) => ev.push({ kind: 'part', token: -1, json });
    let texts = 0;
    let reasonings = 0;
    const groups = runs(c.segs, (s) => s.type === 'tool-call');
    groups.forEach((group, g) => {
      const first = /** @type {Seg} */ (group[0]);
      if (first.type === 'text') {
        const id = `txt-${texts++}`;
        push({ type: 'text-start', id });
        slotIfEmpty(ev, first);
        for (const { t, i } of first.tokens) ev.push({ kind: 'token', token: i, json: { type: 'text-delta', id, delta: t } });
        push({ type: 'text-end', id });
      } else if (first.type === 'reasoning') {
        const id = `rsn-${reasonings++}`;
        push({ type: 'reasoning-start', id });
        for (const { t, i } of first.tokens) ev.push({ kind: 'token', token: i, json: { type: 'reasoning-delta', id, delta: t } });
        push({ type: 'reasoning-end', id });
      } else if (first.type === 'web-search') {
        // A provider-executed tool: input and output in the same step, then the sources it found.
        const toolCallId = callId(c, first);
        push({ type: 'tool-input-start', toolCallId, toolName: 'web_search', providerExecuted: true });
        for (const { t, i } of first.tokens) ev.push({ kind: 'token', token: i, json: { type: 'tool-input-delta', toolCallId, inputTextDelta: t } });
        push({ type: 'tool-input-available', toolCallId, toolName: 'web_search', input: { query: first.query }, providerExecuted: true });
        const output = first.results.map((r) => ({ type: 'web_search_result', url: r.url, title: r.title, pageAge: r.pageAge ?? null }));
        push({ type: 'tool-output-available', toolCallId, output, providerExecuted: true });
        first.results.forEach((r, k) => push({ type: 'source-url', sourceId: `src-${first.ordinal}-${k}`, url: r.url, title: r.title }));
      } else {
        // Client tools the server ran: every input of the step, then every output, then a new step.
        const calls = /** @type {ToolSeg[]} */ (group);
        for (const call of calls) {
          const toolCallId = callId(c, call);
          push({ type: 'tool-input-start', toolCallId, toolName: call.name });
          for (const { t, i } of call.tokens) ev.push({ kind: 'token', token: i, json: { type: 'tool-input-delta', toolCallId, inputTextDelta: t } });
          push({ type: 'tool-input-available', toolCallId, toolName: call.name, input: call.input });
        }
        for (const call of calls) {
          if (call.output !== undefined) push({ type: 'tool-output-available', toolCallId: callId(c, call), output: call.output });
        }
        if (g < groups.length - 1) {
          push({ type: 'finish-step' });
          push({ type: 'start-step' });
        }
      }
    });
    ev.push(
      { kind: 'post', token: -1, json: { type: 'finish-step' } },
      {
        kind: 'end',
        token: -1,
        json: finishReason === 'stop' ? { type: 'finish' } : { type: 'finish', finishReason },
      },
      { kind: 'end', token: -1, raw: '[DONE]' },
    );
    return ev;
  },

  relay(c) {
    /** @type {Ev[]} */
    const ev = textTokens(c).map(({ t, i }) => ({ kind: /** @type {const} */ ('token'), token: i, json: { type: 'token', content: t } }));
    ev.push(
      {
        kind: 'post',
        token: -1,
        json: {
          type: 'usage',
          usage: {
            inputTokens: c.inputTokens,
            outputTokens: c.outputTokens,
            totalTokens: c.inputTokens + c.outputTokens,
          },
        },
      },
      {
        kind: 'end',
        token: -1,
        json: c.finishReason === 'stop' ? { type: 'done' } : { type: 'done', finishReason: c.finishReason },
      },
    );
    return ev;
  },

  'relay-ndjson'(c) {
    return BUILDERS.relay(c);
  },

  text(c) {
    return textTokens(c).map(({ t, i }) => ({ kind: /** @type {const} */ ('token'), token: i, raw: t }));
  },
};

/** The answer-text tokens, for formats that carry nothing else. @param {Ctx} c */
function textTokens(c) {
  return c.segs.flatMap((s) => (s.type === 'text' ? s.tokens : []));
}

/**
 * Gemini's `groundingMetadata` for the answer's web search, or null: the results as
 * `groundingChunks[].web`, and one `groundingSupports` entry per cited text part, with the part's
 * UTF-8 byte range in the whole answer text.
 * @param {Seg[]} segs
 */
function groundingMetadata(segs) {
  const search = /** @type {SearchSeg | undefined} */ (segs.find((s) => s.type === 'web-search'));
  if (!search) return null;
  /** @type {unknown[]} */
  const groundingSupports = [];
  let offset = 0;
  for (const s of segs) {
    if (s.type !== 'text') continue;
    const end = offset + byteLength(s.text);
    const cited = s.citations.filter((k) => k >= 0 && k < search.results.length);
    // Gemini's segments cover the sentence without its surrounding whitespace.
    const trimmed = s.text.trim();
    if (cited.length > 0 && trimmed !== '') {
      const lead = byteLength(s.text.slice(0, s.text.indexOf(trimmed)));
      const segment = { startIndex: offset + lead, endIndex: offset + lead + byteLength(trimmed), text: trimmed };
      groundingSupports.push({ segment, groundingChunkIndices: cited });
    }
    offset = end;
  }
  return {
    searchEntryPoint: { renderedContent: '<!-- search suggestions chip (mock) -->' },
    groundingChunks: search.results.map((r) => ({ web: { uri: r.url, title: r.title } })),
    groundingSupports,
    webSearchQueries: [search.query],
  };
}
