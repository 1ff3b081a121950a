// Mock LLM server: streams canned answers in real provider wire formats, with injectable faults.
// Used by the demo (Vite, `mock.connect`), the browser tests (@web/dev-server, `mock.koa`), the
// benchmark and the Node tests (`startMockServer`). Node built-ins only. See README.md.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { deflateSync } from 'node:zlib';
import { ANSWERS, PART_ANSWERS } from './answers.js';
import { CONTENT_TYPES, FORMATS, countTokens, encodeEvents, encodeStream, tokenize, withThinkingTags } from './encode.js';

export { ANSWERS, PART_ANSWERS, CONTENT_TYPES, FORMATS, countTokens, encodeEvents, encodeStream, tokenize, withThinkingTags };

/** Every value accepted by the `fault` parameter. */
export const FAULTS = /** @type {const} */ ([
  'none',
  'reset',
  'stall',
  'slow-first-byte',
  'status',
  'truncate',
  'no-final-newline',
  'html',
  'json-error',
  'malformed',
  'provider-error',
  'fail-times',
]);

const ENCODER_FAULTS = new Set(['truncate', 'no-final-newline', 'malformed', 'provider-error']);
const FINISH_REASONS = new Set(['stop', 'length', 'content_filter', 'tool_calls']);

/** Parameters read from the query string and (for POST) the JSON body. The query wins. */
const KNOBS = [
  'format',
  'tps',
  'answer',
  'text',
  'fault',
  'delay',
  'key',
  'status',
  'retry-after',
  'retry-after-ms',
  'n',
  'at',
  'finish',
  'stall-ms',
  'model',
  'prompt',
  'q',
  'thinking',
];

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers':
    'retry-after, retry-after-ms, x-request-id, request-id, x-vercel-ai-ui-message-stream',
};

const BATCH = 20; // events per setImmediate at tps=max
const MAX_BODY = 1024 * 1024;

/**
 * @typedef {object} MockRecord
 * @property {number} id
 * @property {string|null} key  the `key` parameter, if any
 * @property {string} method
 * @property {string} url  path + query as received
 * @property {'chat'|'image'|'not-found'|'bad-request'} route
 * @property {string|null} format  chat format (null for non-chat routes)
 * @property {string|null} fault  chat fault (null for non-chat routes)
 * @property {number|null} status  HTTP status sent
 * @property {number} startedAt  performance.now() ms when the request arrived
 * @property {number} startedAtEpoch  Date.now() when the request arrived
 * @property {number|null} firstByteAt  performance.now() ms when the status line + headers were sent
 * @property {number|null} firstByteAtEpoch
 * @property {number|null} closedAt  performance.now() ms when the exchange ended (either side)
 * @property {number|null} closedAtEpoch
 * @property {'client'|'server'|null} closedBy  'client' = the client went away before the server finished
 * @property {number} bytesSent  body bytes written
 * @property {boolean} completed  the server wrote its whole planned response and ended it
 * @property {Record<string, string|string[]|undefined>} headers  request headers (lowercased names)
 * @property {string|null} body  request body (POST), else null
 */

/**
 * @typedef {object} MockOptions
 * @property {number} [stallMs]  how long `fault=stall` keeps the connection open (default 120000)
 * @property {number} [maxLog]  keep at most this many records (oldest dropped; default 10000)
 * @property {Record<string, string | import('./encode.js').MockAnswer>} [answers]  extra canned answers by
 *   name (for `answer=`): markdown text, or a structured answer with reasoning / tool calls / web search
 */

/**
 * @typedef {object} Stream  per-request state
 * @property {MockRecord} rec
 * @property {http.ServerResponse} res
 * @property {ReturnType<typeof setTimeout>|null} timer
 * @property {ReturnType<typeof setImmediate>|null} immediate
 */

/**
 * Creates a mock LLM request handler with its own log.
 * @param {MockOptions} [options]
 */
export function createMockLlm(options = {}) {
  const stallMsDefault = options.stallMs ?? 120_000;
  const maxLog = options.maxLog ?? 10_000;
  /** @type {Record<string, string | import('./encode.js').MockAnswer>} */
  const answers = { ...ANSWERS, ...PART_ANSWERS, ...(options.answers ?? {}) };
  /** @type {MockRecord[]} */
  const log = [];
  /** @type {Map<string, number>} */
  const failCounts = new Map();
  /** @type {Set<Stream>} */
  const active = new Set();
  let nextId = 1;

  function reset() {
    log.length = 0;
    failCounts.clear();
  }

  /**
   * node:http handler. Returns false (and does nothing) when the URL is not under /mock/.
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   * @returns {boolean}
   */
  function handle(req, res) {
    const rawUrl = /** @type {{ originalUrl?: string }} */ (req).originalUrl ?? req.url ?? '/';
    if (!isMockUrl(rawUrl)) return false;
    const url = new URL(rawUrl, 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    res.on('error', () => {}); // a write racing a client disconnect must not crash the host server

    if (method === 'OPTIONS') {
      res.writeHead(204, {
        ...CORS_HEADERS,
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'content-type, authorization, x-api-key',
        'Access-Control-Max-Age': '600',
        'Content-Length': '0',
      });
      res.end();
      return true;
    }
    if (url.pathname === '/mock/log') {
      if (method !== 'GET') return sendJson(res, 405, { error: { message: 'Use GET', type: 'invalid_request_error' } });
      const key = url.searchParams.get('key');
      return sendJson(res, 200, key === null ? log : log.filter((r) => r.key === key), { 'Cache-Control': 'no-store' });
    }
    if (url.pathname === '/mock/reset') {
      if (method !== 'POST') return sendJson(res, 405, { error: { message: 'Use POST', type: 'invalid_request_error' } });
      reset();
      req.resume();
      return sendJson(res, 200, { ok: true }, { 'Cache-Control': 'no-store' });
    }

    const rec = newRecord(req, url, rawUrl, method);
    const st = track(rec, res);
    readBody(req, method).then(
      (body) => {
        rec.body = body;
        if (res.destroyed) return;
        if (url.pathname === '/mock/chat' && (method === 'GET' || method === 'POST')) chat(st, url, body);
        else if (url.pathname === '/mock/image.png' && (method === 'GET' || method === 'HEAD')) image(st, method);
        else {
          rec.route = 'not-found';
          finishJson(st, 404, {
            error: { message: `No mock route for ${method} ${url.pathname}`, type: 'not_found_error' },
          });
        }
      },
      (/** @type {Error} */ err) => {
        if (res.destroyed) return;
        rec.route = 'bad-request';
        finishJson(st, 413, { error: { message: err.message, type: 'invalid_request_error' } });
      },
    );
    return true;
  }

  /**
   * @param {http.IncomingMessage} req @param {URL} url @param {string} rawUrl @param {string} method
   * @returns {MockRecord}
   */
  function newRecord(req, url, rawUrl, method) {
    /** @type {MockRecord} */
    const rec = {
      id: nextId++,
      key: url.searchParams.get('key'),
      method,
      url: rawUrl,
      route: url.pathname === '/mock/chat' ? 'chat' : url.pathname === '/mock/image.png' ? 'image' : 'not-found',
      format: null,
      fault: null,
      status: null,
      startedAt: performance.now(),
      startedAtEpoch: Date.now(),
      firstByteAt: null,
      firstByteAtEpoch: null,
      closedAt: null,
      closedAtEpoch: null,
      closedBy: null,
      bytesSent: 0,
      completed: false,
      headers: { ...req.headers },
      body: null,
    };
    log.push(rec);
    if (log.length > maxLog) log.splice(0, log.length - maxLog);
    return rec;
  }

  /** @param {MockRecord} rec @param {http.ServerResponse} res @returns {Stream} */
  function track(rec, res) {
    /** @type {Stream} */
    const st = { rec, res, timer: null, immediate: null };
    active.add(st);
    res.on('finish', () => {
      rec.completed = true;
      markClosed(rec, 'server');
    });
    res.on('close', () => {
      active.delete(st);
      clearTimers(st);
      // 'close' without a prior 'finish' or server-side destroy: the client went away.
      markClosed(rec, 'client');
    });
    return st;
  }

  /**
   * @param {Stream} st @param {URL} url @param {string|null} body
   */
  function chat(st, url, body) {
    const { rec } = st;
    /** @type {any} */
    let json = null;
    if (body) {
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
    }
    /** @type {Record<string, string>} */
    const p = {};
    for (const k of KNOBS) {
      const q = url.searchParams.get(k);
      if (q !== null) p[k] = q;
      else if (json && typeof json === 'object' && json[k] != null && typeof json[k] !== 'object') p[k] = String(json[k]);
    }
    rec.key = p.key ?? null;
    const format = p.format ?? 'openai';
    const fault = p.fault ?? 'none';
    rec.format = format;
    rec.fault = fault;

    /** @param {string} message */
    const bad = (message) => finishJson(st, 400, { error: { message, type: 'invalid_request_error', param: null, code: null } });
    if (!FORMATS.includes(/** @type {any} */ (format))) return bad(`Unknown format "${format}". Use one of: ${FORMATS.join(', ')}`);
    if (!FAULTS.includes(/** @type {any} */ (fault))) return bad(`Unknown fault "${fault}". Use one of: ${FAULTS.join(', ')}`);
    const fmt = /** @type {import('./encode.js').MockFormat} */ (format);

    const tpsRaw = p.tps ?? '50';
    const tps = tpsRaw === 'max' || Number(tpsRaw) === 0 ? Infinity : Number(tpsRaw);
    if (!(tps > 0)) return bad(`Invalid tps "${tpsRaw}"`);
    const delay = p.delay !== undefined ? Number(p.delay) : fault === 'slow-first-byte' ? 3000 : 0;
    if (!(delay >= 0)) return bad(`Invalid delay "${p.delay}"`);
    const at = p.at !== undefined ? Number(p.at) : 0.5;
    if (!(at >= 0 && at <= 1)) return bad(`Invalid at "${p.at}" (a fraction 0..1)`);
    // Without `finish`, the encoder picks the answer's own reason (tool_calls for an answer that calls tools).
    const finishReason = p.finish;
    if (finishReason !== undefined && !FINISH_REASONS.has(finishReason)) return bad(`Invalid finish "${finishReason}"`);
    const thinking = p.thinking ?? 'native';
    if (thinking !== 'native' && thinking !== 'tags') return bad(`Invalid thinking "${thinking}" (native or tags)`);
    const stallMs = p['stall-ms'] !== undefined ? Number(p['stall-ms']) : stallMsDefault;

    const prompt = extractPrompt(p, json);
    /** @type {string | import('./encode.js').MockAnswer | undefined} */
    let answer;
    if (p.text !== undefined) answer = p.text;
    else if ((p.answer ?? 'default') === 'echo') answer = prompt ?? '';
    else answer = answers[p.answer ?? 'default'];
    if (answer === undefined) return bad(`Unknown answer "${p.answer}". Use one of: ${Object.keys(answers).join(', ')}, echo`);
    if (typeof answer !== 'string' && thinking === 'tags') answer = withThinkingTags(answer);
    const content = typeof answer === 'string' ? tokenize(answer) : answer;

    let status = 0;
    if (fault === 'status') status = p.status !== undefined ? Number(p.status) : 500;
    if (fault === 'fail-times') {
      const n = p.n !== undefined ? Number(p.n) : 1;
      const k = rec.key ?? '';
      const count = (failCounts.get(k) ?? 0) + 1;
      failCounts.set(k, count);
      if (count <= n) status = p.status !== undefined ? Number(p.status) : 503;
    }
    if (status !== 0 && !(Number.isInteger(status) && status >= 400 && status <= 599)) {
      return bad(`Invalid status "${p.status}" (400..599)`);
    }

    const go = () => {
      if (status !== 0) return statusError(st, fmt, status, p['retry-after'], p['retry-after-ms']);
      if (fault === 'html') {
        return finishBody(st, 200, 'text/html; charset=utf-8', '<!doctype html><html><body>Gateway login</body></html>');
      }
      if (fault === 'json-error') {
        return finishBody(
          st,
          200,
          'application/json',
          JSON.stringify({ error: { message: 'Invalid API key', type: 'invalid_request_error' } }),
        );
      }
      // Every token the format streams counts (reasoning and tool arguments too), for usage, pacing and `at`.
      const n = countTokens(fmt, content);
      const inputTokens = prompt ? Math.max(1, tokenize(prompt).length) : 12;
      streamAnswer(st, fmt, content, n, {
        tps,
        fault,
        at,
        stallMs,
        encode: {
          usage: { inputTokens, outputTokens: n },
          finishReason: /** @type {import('./encode.js').MockFinishReason | undefined} */ (finishReason),
          fault: ENCODER_FAULTS.has(fault) ? fault : 'none',
          faultAt: Math.floor(n * at),
          model: p.model,
          id: `mock${String(rec.id).padStart(6, '0')}`,
          created: Math.floor(Date.now() / 1000),
          evalDurationNs: Number.isFinite(tps) ? Math.round((n / tps) * 1e9) : n * 1e6,
        },
      });
    };
    if (delay > 0) st.timer = setTimeout(go, delay);
    else go();
  }

  /**
   * @param {Stream} st
   * @param {import('./encode.js').MockFormat} format
   * @param {string[] | import('./encode.js').MockAnswer} content  text tokens or a structured answer
   * @param {number} n  how many tokens the format streams for it
   * @param {{ tps: number, fault: string, at: number, stallMs: number, encode: import('./encode.js').EncodeOptions }} o
   */
  function streamAnswer(st, format, content, n, o) {
    const { res, rec } = st;
    st.timer = null;
    if (res.destroyed) return;
    const chunks = encodeEvents(format, content, o.encode);
    /** @type {Record<string, string>} */
    const headers = {
      'Content-Type': CONTENT_TYPES[format],
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
      ...CORS_HEADERS,
      'X-Request-Id': `req_mock${String(rec.id).padStart(6, '0')}`,
    };
    if (format === 'anthropic') headers['Request-Id'] = headers['X-Request-Id'];
    if (format === 'ai-sdk') headers['x-vercel-ai-ui-message-stream'] = 'v1';
    begin(st, 200, headers);

    // Where reset/stall strike: before the first chunk carrying a token at or past the cut.
    const cutToken = Math.floor(n * o.at);
    const cutFault = o.fault === 'reset' || o.fault === 'stall' ? o.fault : null;
    let stopAt = chunks.length;
    if (cutFault) {
      const i = chunks.findIndex((c) => c.token >= cutToken || c.kind === 'post' || c.kind === 'end');
      stopAt = i === -1 ? chunks.length : i;
    }

    // Due time of each chunk: token k at k / tps seconds; other events go with the preceding token.
    const max = !Number.isFinite(o.tps);
    const interval = max ? 0 : 1000 / o.tps;
    /** @type {number[]} */
    const due = [];
    let last = 0;
    for (const c of chunks) {
      if (c.token >= 0) last = c.token * interval;
      due.push(last);
    }

    const t0 = performance.now();
    let i = 0;
    const step = () => {
      st.timer = null;
      st.immediate = null;
      if (res.destroyed) return;
      const limit = max ? Math.min(stopAt, i + BATCH) : stopAt;
      const elapsed = performance.now() - t0;
      while (i < limit && (max || /** @type {number} */ (due[i]) <= elapsed + 0.5)) {
        write(st, /** @type {import('./encode.js').EncodedChunk} */ (chunks[i]).data);
        i++;
      }
      if (i >= stopAt) {
        if (cutFault === 'reset') {
          // Let the first half reach the client, then drop the connection without the final chunk.
          st.timer = setTimeout(() => serverDestroy(st), 10);
        } else if (cutFault === 'stall') {
          st.timer = setTimeout(() => serverDestroy(st), o.stallMs);
        } else {
          res.end();
        }
        return;
      }
      if (max) st.immediate = setImmediate(step);
      else st.timer = setTimeout(step, Math.max(0, /** @type {number} */ (due[i]) - (performance.now() - t0)));
    };
    step();
  }

  /**
   * @param {Stream} st @param {import('./encode.js').MockFormat} format @param {number} status
   * @param {string|undefined} retryAfter @param {string|undefined} retryAfterMs
   */
  function statusError(st, format, status, retryAfter, retryAfterMs) {
    /** @type {Record<string, string>} */
    const extra = { 'X-Request-Id': `req_mock${String(st.rec.id).padStart(6, '0')}` };
    if (retryAfter !== undefined) extra['Retry-After'] = retryAfter;
    if (retryAfterMs !== undefined) extra['retry-after-ms'] = retryAfterMs;
    finishJson(st, status, errorBody(format, status, st.rec.id), extra);
  }

  /** @param {Stream} st @param {'GET'|'HEAD'|string} method */
  function image(st, method) {
    begin(st, 200, {
      'Content-Type': 'image/png',
      'Content-Length': String(PNG_1X1.length),
      'Cache-Control': 'no-store',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      ...CORS_HEADERS,
    });
    if (method === 'HEAD') st.res.end();
    else {
      st.rec.bytesSent += PNG_1X1.length;
      st.res.end(PNG_1X1);
    }
  }

  /** @param {Stream} st @param {number} status @param {unknown} value @param {Record<string, string>} [extra] */
  function finishJson(st, status, value, extra = {}) {
    finishBody(st, status, 'application/json', JSON.stringify(value), extra);
  }

  /**
   * @param {Stream} st @param {number} status @param {string} type @param {string} body
   * @param {Record<string, string>} [extra]
   */
  function finishBody(st, status, type, body, extra = {}) {
    if (st.res.destroyed) return;
    begin(st, status, {
      'Content-Type': type,
      'Content-Length': String(Buffer.byteLength(body)),
      'Cache-Control': 'no-cache',
      ...CORS_HEADERS,
      ...extra,
    });
    st.rec.bytesSent += Buffer.byteLength(body);
    st.res.end(body);
  }

  /** @param {Stream} st @param {number} status @param {Record<string, string>} headers */
  function begin(st, status, headers) {
    st.res.writeHead(status, headers);
    st.res.flushHeaders();
    st.rec.status = status;
    st.rec.firstByteAt = performance.now();
    st.rec.firstByteAtEpoch = Date.now();
  }

  /** @param {Stream} st @param {string} data */
  function write(st, data) {
    if (st.res.destroyed) return;
    st.rec.bytesSent += Buffer.byteLength(data);
    st.res.write(data);
  }

  /** @param {Stream} st */
  function serverDestroy(st) {
    clearTimers(st);
    markClosed(st.rec, 'server');
    st.res.destroy();
  }

  function dispose() {
    for (const st of [...active]) serverDestroy(st);
    active.clear();
  }

  /**
   * Connect-style middleware (Vite `server.middlewares.use(mock.connect)`).
   * @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {(err?: unknown) => void} next
   */
  function connect(req, res, next) {
    if (!handle(req, res)) next();
  }

  /**
   * Koa middleware (@web/dev-server / @web/test-runner `middleware: [mock.koa]`). Takes over the raw
   * response (`ctx.respond = false`) and resolves when it has ended.
   * @param {{ req: http.IncomingMessage, res: http.ServerResponse, respond?: boolean }} ctx
   * @param {() => Promise<unknown>} next
   */
  async function koa(ctx, next) {
    if (!isMockUrl(ctx.req.url ?? '/')) return next();
    ctx.respond = false;
    const ended = new Promise((resolve) => {
      ctx.res.once('close', resolve);
      ctx.res.once('finish', resolve);
    });
    handle(ctx.req, ctx.res);
    await ended;
  }

  return { handle, connect, koa, log, reset, dispose, answers };
}

/** @typedef {ReturnType<typeof createMockLlm>} MockLlm */

/**
 * Starts a standalone mock server on 127.0.0.1 (port 0 = any free port).
 * @param {{ port?: number } & MockOptions} [options]
 * @returns {Promise<{ url: string, port: number, mock: MockLlm, server: http.Server, close: () => Promise<void> }>}
 */
export async function startMockServer({ port = 0, ...options } = {}) {
  const mock = createMockLlm(options);
  const server = http.createServer((req, res) => {
    if (!mock.handle(req, res)) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...CORS_HEADERS });
      res.end('Not found (the mock LLM lives under /mock/)\n');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const actual = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    mock,
    server,
    close() {
      mock.dispose();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// helpers

/** @param {string} rawUrl */
function isMockUrl(rawUrl) {
  return rawUrl.startsWith('/mock/') || /^[a-z]+:\/\/[^/]+\/mock\//i.test(rawUrl);
}

/** @param {MockRecord} rec @param {'client'|'server'} by */
function markClosed(rec, by) {
  if (rec.closedBy !== null) return;
  rec.closedBy = by;
  rec.closedAt = performance.now();
  rec.closedAtEpoch = Date.now();
}

/** @param {Stream} st */
function clearTimers(st) {
  if (st.timer) clearTimeout(st.timer);
  if (st.immediate) clearImmediate(st.immediate);
  st.timer = null;
  st.immediate = null;
}

/** @param {http.ServerResponse} res @param {number} status @param {unknown} value @param {Record<string, string>} [extra] */
function sendJson(res, status, value, extra = {}) {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    ...CORS_HEADERS,
    ...extra,
  });
  res.end(body);
  return true;
}

/**
 * @param {http.IncomingMessage} req @param {string} method
 * @returns {Promise<string|null>}
 */
function readBody(req, method) {
  if (method === 'GET' || method === 'HEAD') {
    req.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const parts = [];
    let size = 0;
    let settled = false;
    req.on('data', (/** @type {Buffer} */ b) => {
      size += b.length;
      if (size > MAX_BODY) {
        if (!settled) reject(new Error(`Request body over ${MAX_BODY} bytes`));
        settled = true;
        return;
      }
      parts.push(b);
    });
    const done = () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(parts).toString('utf8'));
    };
    req.on('end', done);
    req.on('close', done);
    req.on('error', done);
  });
}

/**
 * The user's prompt: `prompt`/`q` parameter, else the last user message of an OpenAI/Anthropic/
 * Ollama/AI SDK `messages` array, Gemini `contents`, or Responses `input`.
 * @param {Record<string, string>} p @param {any} json
 * @returns {string|null}
 */
function extractPrompt(p, json) {
  if (p.prompt !== undefined) return p.prompt;
  if (p.q !== undefined) return p.q;
  if (!json || typeof json !== 'object') return null;
  /** @param {any} content @returns {string} */
  const textOf = (content) => {
    if (typeof content === 'string') return content;
    if (Array.isArray(content)) {
      return content
        .map((part) => (typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : ''))
        .join('');
    }
    return '';
  };
  /** @param {any} list @param {string} contentKey */
  const lastUser = (list, contentKey) => {
    if (!Array.isArray(list)) return null;
    for (let i = list.length - 1; i >= 0; i--) {
      const m = list[i];
      if (m && (m.role === 'user' || m.role === undefined)) {
        const t = textOf(m[contentKey] ?? m.content ?? m.parts);
        if (t) return t;
      }
    }
    return null;
  };
  if (typeof json.input === 'string') return json.input;
  return lastUser(json.messages, 'content') ?? lastUser(json.contents, 'parts') ?? lastUser(json.input, 'content');
}

/**
 * An HTTP error body in the provider's own shape.
 * @param {import('./encode.js').MockFormat} format @param {number} status @param {number} id
 */
function errorBody(format, status, id) {
  const info = STATUS_INFO[status] ?? {
    message: `The mock was asked to fail with HTTP ${status}.`,
    openai: status >= 500 ? 'server_error' : 'invalid_request_error',
    code: null,
    anthropic: status >= 500 ? 'api_error' : 'invalid_request_error',
    gemini: status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION',
  };
  switch (format) {
    case 'anthropic':
      return {
        type: 'error',
        error: { type: info.anthropic, message: info.message },
        request_id: `req_mock${String(id).padStart(6, '0')}`,
      };
    case 'gemini':
      return { error: { code: status, message: info.message, status: info.gemini } };
    case 'ollama':
      return { error: info.message };
    default:
      return { error: { message: info.message, type: info.openai, param: null, code: info.code } };
  }
}

/** @type {Record<number, { message: string, openai: string, code: string|null, anthropic: string, gemini: string }>} */
const STATUS_INFO = {
  400: {
    message: 'Invalid request (mock status 400).',
    openai: 'invalid_request_error',
    code: null,
    anthropic: 'invalid_request_error',
    gemini: 'INVALID_ARGUMENT',
  },
  401: {
    message: 'Incorrect API key provided.',
    openai: 'invalid_request_error',
    code: 'invalid_api_key',
    anthropic: 'authentication_error',
    gemini: 'UNAUTHENTICATED',
  },
  403: {
    message: 'You do not have permission to use this model.',
    openai: 'invalid_request_error',
    code: 'permission_denied',
    anthropic: 'permission_error',
    gemini: 'PERMISSION_DENIED',
  },
  404: {
    message: 'The model does not exist or you do not have access to it.',
    openai: 'invalid_request_error',
    code: 'model_not_found',
    anthropic: 'not_found_error',
    gemini: 'NOT_FOUND',
  },
  408: {
    message: 'Request timed out.',
    openai: 'server_error',
    code: 'timeout',
    anthropic: 'api_error',
    gemini: 'DEADLINE_EXCEEDED',
  },
  409: {
    message: 'Conflict: another request is being processed.',
    openai: 'invalid_request_error',
    code: 'conflict',
    anthropic: 'api_error',
    gemini: 'ABORTED',
  },
  429: {
    message: 'Rate limit reached for requests. Please try again later.',
    openai: 'requests',
    code: 'rate_limit_exceeded',
    anthropic: 'rate_limit_error',
    gemini: 'RESOURCE_EXHAUSTED',
  },
  500: {
    message: 'The server had an error while processing your request. Sorry about that!',
    openai: 'server_error',
    code: null,
    anthropic: 'api_error',
    gemini: 'INTERNAL',
  },
  502: {
    message: 'Bad gateway.',
    openai: 'server_error',
    code: null,
    anthropic: 'api_error',
    gemini: 'UNAVAILABLE',
  },
  503: {
    message: 'The server is overloaded or not ready yet.',
    openai: 'server_error',
    code: null,
    anthropic: 'api_error',
    gemini: 'UNAVAILABLE',
  },
  504: {
    message: 'Gateway timeout.',
    openai: 'server_error',
    code: null,
    anthropic: 'api_error',
    gemini: 'DEADLINE_EXCEEDED',
  },
  529: {
    message: 'Overloaded',
    openai: 'server_error',
    code: null,
    anthropic: 'overloaded_error',
    gemini: 'UNAVAILABLE',
  },
};

// A valid 1×1 transparent PNG, built at load time (signature + IHDR + IDAT + IEND).
const PNG_1X1 = buildPng();

function buildPng() {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  /** @param {Buffer} buf */
  const crc32 = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = /** @type {number} */ (table[(c ^ b) & 0xff]) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  /** @param {string} type @param {Buffer} data */
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  // compression, filter, interlace = 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 0, 0, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
