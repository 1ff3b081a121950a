// Pure wire-format encoders for the mock LLM server. No I/O, no clocks, no randomness:
// the same input always gives the same output (ids and timestamps come from options).

/** @typedef {'openai'|'openai-completions'|'openai-responses'|'anthropic'|'gemini'|'ollama'|'ai-sdk'|'relay'|'relay-ndjson'|'text'} MockFormat */
/** @typedef {'stop'|'length'|'content_filter'|'tool_calls'} MockFinishReason */
/** @typedef {'none'|'truncate'|'no-final-newline'|'malformed'|'provider-error'} EncodeFault */

/**
 * @typedef {object} EncodeOptions
 * @property {{ inputTokens?: number, outputTokens?: number }} [usage]  defaults: input 12, output = tokens.length
 * @property {MockFinishReason} [finishReason]  default 'stop'
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
 * @property {'pre'|'token'|'post'|'end'|'fault'} kind
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
// encodeStream

/**
 * @typedef {object} Ev  internal event before framing
 * @property {'pre'|'token'|'post'|'end'|'fault'} kind
 * @property {number} token
 * @property {string} [event]  SSE `event:` name
 * @property {unknown} [json]  payload to JSON.stringify
 * @property {string} [raw]  payload used verbatim
 */

/**
 * Encodes an answer (already split into tokens) as the exact sequence of writes a provider would send.
 * @param {MockFormat} format
 * @param {readonly string[]} tokens
 * @param {EncodeOptions} [options]
 * @returns {string[]} one string per write
 */
export function encodeStream(format, tokens, options = {}) {
  return encodeEvents(format, tokens, options).map((c) => c.data);
}

/**
 * Like {@link encodeStream}, but each write is annotated with the token it carries (for pacing) and
 * its role in the stream.
 * @param {MockFormat} format
 * @param {readonly string[]} tokens
 * @param {EncodeOptions} [options]
 * @returns {EncodedChunk[]}
 */
export function encodeEvents(format, tokens, options = {}) {
  const builder = BUILDERS[format];
  if (!builder) throw new Error(`Unknown mock format: ${format}`);
  const n = tokens.length;
  const fault = options.fault ?? 'none';
  const ctx = {
    tokens,
    n,
    fault,
    finishReason: options.finishReason ?? 'stop',
    inputTokens: options.usage?.inputTokens ?? 12,
    outputTokens: options.usage?.outputTokens ?? n,
    model: options.model ?? DEFAULT_MODELS[format],
    id: options.id ?? 'mock0001',
    created: options.created ?? 1700000000,
    evalDurationNs: options.evalDurationNs ?? n * 20_000_000,
  };
  /** @type {Ev[]} */
  let events = builder(ctx);

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

  const chunks = events.map((e) => ({ data: frame(format, e), token: e.token, kind: e.kind }));
  if (fault === 'no-final-newline' && chunks.length > 0) {
    const last = /** @type {EncodedChunk} */ (chunks[chunks.length - 1]);
    last.data = last.data.replace(/[\r\n]+$/, '');
  }
  return chunks;
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
 * @property {readonly string[]} tokens
 * @property {number} n
 * @property {string} fault
 * @property {MockFinishReason} finishReason
 * @property {number} inputTokens
 * @property {number} outputTokens
 * @property {string} model
 * @property {string} id
 * @property {number} created
 * @property {number} evalDurationNs
 */

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
    c.tokens.forEach((t, i) => ev.push({ kind: 'token', token: i, json: chunk({ content: t }, null) }));
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
            reasoning_tokens: 0,
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
    const ev = c.tokens.map((t, i) => ({ kind: /** @type {const} */ ('token'), token: i, json: chunk(t, null) }));
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
    const itemId = `msg_${c.id}`;
    const full = c.tokens.join('');
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
    /** @param {'pre'|'token'|'post'|'end'} kind @param {number} token @param {string} type @param {object} body @returns {Ev} */
    const e = (kind, token, type, body) => ({ kind, token, event: type, json: { type, sequence_number: seq++, ...body } });
    const part = (/** @type {string} */ text) => ({ type: 'output_text', annotations: [], logprobs: [], text });
    const item = (/** @type {string} */ status, /** @type {unknown[]} */ content) => ({
      id: itemId,
      type: 'message',
      status,
      content,
      role: 'assistant',
    });
    /** @type {Ev[]} */
    const ev = [
      e('pre', -1, 'response.created', { response: response('in_progress', [], null) }),
      e('pre', -1, 'response.in_progress', { response: response('in_progress', [], null) }),
      e('pre', -1, 'response.output_item.added', { output_index: 0, item: item('in_progress', []) }),
      e('pre', -1, 'response.content_part.added', {
        item_id: itemId,
        output_index: 0,
        content_index: 0,
        part: part(''),
      }),
    ];
    c.tokens.forEach((t, i) =>
      ev.push(
        e('token', i, 'response.output_text.delta', {
          item_id: itemId,
          output_index: 0,
          content_index: 0,
          delta: t,
          logprobs: [],
        }),
      ),
    );
    const done = item(incomplete ? 'incomplete' : 'completed', [part(full)]);
    ev.push(
      e('post', -1, 'response.output_text.done', {
        item_id: itemId,
        output_index: 0,
        content_index: 0,
        text: full,
        logprobs: [],
      }),
      e('post', -1, 'response.content_part.done', {
        item_id: itemId,
        output_index: 0,
        content_index: 0,
        part: part(full),
      }),
      e('post', -1, 'response.output_item.done', { output_index: 0, item: done }),
      e('end', -1, incomplete ? 'response.incomplete' : 'response.completed', {
        response: response(incomplete ? 'incomplete' : 'completed', [done], {
          input_tokens: c.inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: c.outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
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
      {
        kind: 'pre',
        token: -1,
        event: 'content_block_start',
        json: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      },
      { kind: 'pre', token: -1, event: 'ping', raw: '{"type": "ping"}' },
    ];
    c.tokens.forEach((t, i) =>
      ev.push({
        kind: 'token',
        token: i,
        event: 'content_block_delta',
        json: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } },
      }),
    );
    ev.push(
      { kind: 'post', token: -1, event: 'content_block_stop', json: { type: 'content_block_stop', index: 0 } },
      {
        kind: 'post',
        token: -1,
        event: 'message_delta',
        json: {
          type: 'message_delta',
          delta: { stop_reason: stop, stop_sequence: null },
          usage: { output_tokens: c.outputTokens },
        },
      },
      { kind: 'end', token: -1, event: 'message_stop', json: { type: 'message_stop' } },
    );
    return ev;
  },

  gemini(c) {
    const reason = { stop: 'STOP', length: 'MAX_TOKENS', content_filter: 'SAFETY', tool_calls: 'STOP' }[c.finishReason];
    /** @param {string} text @param {boolean} last */
    const chunk = (text, last) => ({
      candidates: [
        {
          content: { parts: [{ text }], role: 'model' },
          ...(last ? { finishReason: reason } : {}),
          index: 0,
        },
      ],
      ...(last
        ? {
            usageMetadata: {
              promptTokenCount: c.inputTokens,
              candidatesTokenCount: c.outputTokens,
              totalTokenCount: c.inputTokens + c.outputTokens,
              promptTokensDetails: [{ modality: 'TEXT', tokenCount: c.inputTokens }],
            },
          }
        : {}),
      modelVersion: c.model,
      responseId: c.id,
    });
    // The final chunk carries the last token and the finishReason (as Gemini does). When truncating,
    // the last token goes out in an ordinary chunk and the final chunk is simply never sent.
    const truncate = c.fault === 'truncate';
    /** @type {Ev[]} */
    const ev = [];
    c.tokens.forEach((t, i) => {
      const last = i === c.n - 1 && !truncate;
      ev.push({ kind: last ? 'end' : 'token', token: i, json: chunk(t, last) });
    });
    if (c.n === 0) ev.push({ kind: 'end', token: -1, json: chunk('', true) });
    return ev;
  },

  ollama(c) {
    const createdAt = new Date(c.created * 1000).toISOString();
    /** @type {Ev[]} */
    const ev = c.tokens.map((t, i) => ({
      kind: /** @type {const} */ ('token'),
      token: i,
      json: { model: c.model, created_at: createdAt, message: { role: 'assistant', content: t }, done: false },
    }));
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
    const textId = 'txt-0';
    const finishReason = { stop: 'stop', length: 'length', content_filter: 'content-filter', tool_calls: 'tool-calls' }[
      c.finishReason
    ];
    /** @type {Ev[]} */
    const ev = [
      { kind: 'pre', token: -1, json: { type: 'start', messageId: `msg-${c.id}` } },
      { kind: 'pre', token: -1, json: { type: 'start-step' } },
      { kind: 'pre', token: -1, json: { type: 'text-start', id: textId } },
    ];
    c.tokens.forEach((t, i) => ev.push({ kind: 'token', token: i, json: { type: 'text-delta', id: textId, delta: t } }));
    ev.push(
      { kind: 'post', token: -1, json: { type: 'text-end', id: textId } },
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
    const ev = c.tokens.map((t, i) => ({ kind: /** @type {const} */ ('token'), token: i, json: { type: 'token', content: t } }));
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
    return c.tokens.map((t, i) => ({ kind: /** @type {const} */ ('token'), token: i, raw: t }));
  },
};
