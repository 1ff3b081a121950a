// @ts-check
// The reference relay: a Node-only request handler that forwards a chat request to OpenAI, Anthropic,
// Ollama or an OpenAI-compatible server and streams the answer back. Plain ES module with JSDoc types
// (types in index.d.ts), Node built-ins only. Never import this from worker/ or components/: it reads
// API keys from the server environment and must not reach a browser bundle.
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/** @typedef {import('node:http').IncomingMessage & { originalUrl?: string, body?: unknown }} Req */
/** @typedef {import('node:http').ServerResponse} Res */
/** @typedef {'openai' | 'anthropic' | 'ollama' | 'compatible'} ProviderKind */
/** @typedef {'passthrough' | 'relay' | 'relay-ndjson'} OutputMode */

/**
 * @typedef {object} ProviderConfig
 * @property {ProviderKind} [kind]  wire protocol; defaults to the provider's name for the four built-ins, else 'compatible'
 * @property {string} [baseUrl]  e.g. https://api.openai.com/v1 (the endpoint path is appended)
 * @property {string} [baseUrlEnv]  environment variable holding the base URL (used when baseUrl is not set)
 * @property {string} [path]  endpoint path appended to the base URL (default per kind)
 * @property {string} [url]  full endpoint URL; overrides baseUrl + path
 * @property {string} [apiKeyEnv]  environment variable holding the API key (keys come only from the environment)
 * @property {boolean} [requireKey]  refuse with 503 when the key is missing (default: true for openai and anthropic)
 * @property {Record<string, string>} [headers]  extra static request headers (never put a key here)
 * @property {string} [anthropicVersion]  `anthropic-version` header (default 2023-06-01)
 */

/**
 * @typedef {object} RelayOptions
 * @property {Record<string, ProviderConfig | false>} [providers]
 * @property {Record<string, string | undefined>} [env]
 * @property {string[] | RegExp | ((provider: string, model: string) => boolean)} [allowedModels]
 * @property {number} [maxBodyBytes]
 * @property {number} [maxConcurrentPerClient]
 * @property {(req: Req) => string} [clientId]
 * @property {string | null} [path]
 * @property {OutputMode} [output]
 * @property {typeof fetch} [fetch]
 * @property {(message: string, details?: Record<string, unknown>) => void} [log]
 */

const DEFAULT_PATH = '/api/chat';
const DEFAULT_MAX_BODY = 64 * 1024;
const DEFAULT_MAX_CONCURRENT = 4;
const ANTHROPIC_VERSION = '2023-06-01';
const ERROR_BODY_CAP = 64 * 1024;
const MODEL_RE = /^[A-Za-z0-9._:/@+-]{1,256}$/;
const ROLES = new Set(['system', 'developer', 'user', 'assistant']);

/** @type {Record<string, Required<Pick<ProviderConfig, 'kind'>> & ProviderConfig>} */
const BUILTIN = {
  openai: { kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY', requireKey: true },
  anthropic: {
    kind: 'anthropic',
    baseUrl: 'https://api.anthropic.com/v1',
    apiKeyEnv: 'ANTHROPIC_API_KEY',
    requireKey: true,
  },
  ollama: { kind: 'ollama', baseUrlEnv: 'OLLAMA_HOST', requireKey: false },
  compatible: { kind: 'compatible', baseUrlEnv: 'LLM_STREAM_BASE_URL', apiKeyEnv: 'LLM_STREAM_API_KEY', requireKey: false },
};

/** @type {Record<ProviderKind, string>} */
const DEFAULT_ENDPOINT = {
  openai: '/chat/completions',
  compatible: '/chat/completions',
  anthropic: '/messages',
  ollama: '/api/chat',
};

/** @param {string} message @param {Record<string, unknown>} [details] */
function defaultLog(message, details) {
  console.error(`[llm-stream relay] ${message}`, details ?? '');
}

// ---------------------------------------------------------------------------------------------
// Providers

/**
 * The merged provider table: built-ins, overridden or extended by `options.providers`
 * (`false` removes one).
 * @param {RelayOptions} options
 * @returns {Map<string, ProviderConfig & { kind: ProviderKind }>}
 */
function providerTable(options) {
  /** @type {Map<string, ProviderConfig & { kind: ProviderKind }>} */
  const table = new Map();
  for (const [name, cfg] of Object.entries(BUILTIN)) table.set(name, { ...cfg });
  for (const [name, cfg] of Object.entries(options.providers ?? {})) {
    if (cfg === false) {
      table.delete(name);
      continue;
    }
    const base = BUILTIN[name];
    const kind = cfg.kind ?? base?.kind ?? 'compatible';
    if (!(kind in DEFAULT_ENDPOINT)) throw new TypeError(`llm-stream relay: provider "${name}" has unknown kind "${kind}"`);
    // An explicit url/baseUrl replaces the built-in's env-derived base URL.
    table.set(name, { ...(base ?? {}), ...cfg, kind });
  }
  return table;
}

/** OLLAMA_HOST may be `host`, `host:port` or a URL. @param {string} value */
function normalizeBaseUrl(value) {
  const v = value.trim();
  if (/^https?:\/\//i.test(v)) return v.replace(/\/+$/, '');
  const hasPort = /:\d+$/.test(v);
  return `http://${v}${hasPort ? '' : ':11434'}`;
}

/**
 * @typedef {{ ok: true, name: string, kind: ProviderKind, url: string, key: string | undefined, cfg: ProviderConfig }
 *   | { ok: false, reason: string }} Resolved
 */

/**
 * @param {string} name @param {ProviderConfig & { kind: ProviderKind }} cfg
 * @param {Record<string, string | undefined>} env
 * @returns {Resolved}
 */
function resolveProvider(name, cfg, env) {
  const key = cfg.apiKeyEnv ? env[cfg.apiKeyEnv] || undefined : undefined;
  const requireKey = cfg.requireKey ?? (cfg.kind === 'openai' || cfg.kind === 'anthropic');
  if (requireKey && !key) {
    return {
      ok: false,
      reason: `Provider "${name}" is not configured: set ${cfg.apiKeyEnv ?? 'its API key variable'} in the server environment.`,
    };
  }
  let url = cfg.url;
  if (!url) {
    const rawBase = cfg.baseUrl ?? (cfg.baseUrlEnv ? env[cfg.baseUrlEnv] : undefined);
    if (!rawBase) {
      return {
        ok: false,
        reason: `Provider "${name}" is not configured: set ${cfg.baseUrlEnv ?? 'its base URL'} in the server environment.`,
      };
    }
    const base = cfg.kind === 'ollama' ? normalizeBaseUrl(rawBase) : rawBase.replace(/\/+$/, '');
    url = base + (cfg.path ?? DEFAULT_ENDPOINT[cfg.kind]);
  }
  return { ok: true, name, kind: cfg.kind, url, key, cfg };
}

/**
 * Names of the providers usable with this environment (key and base URL present). Never returns keys.
 * @param {RelayOptions} [options]
 * @returns {string[]}
 */
export function configuredProviders(options = {}) {
  const env = options.env ?? process.env;
  const out = [];
  for (const [name, cfg] of providerTable(options)) {
    if (resolveProvider(name, cfg, env).ok) out.push(name);
  }
  return out;
}

/** Every key the relay could send, for redaction. @param {RelayOptions} options */
function knownKeys(options) {
  const env = options.env ?? process.env;
  /** @type {string[]} */
  const keys = [];
  for (const cfg of providerTable(options).values()) {
    const k = cfg.apiKeyEnv ? env[cfg.apiKeyEnv] : undefined;
    if (k && k.length >= 4) keys.push(k);
  }
  return keys;
}

/**
 * Removes anything that looks like a key from a string: the configured keys verbatim and common key shapes.
 * @param {string} text @param {readonly string[]} keys
 */
function redact(text, keys) {
  let out = text;
  for (const k of keys) out = out.split(k).join('[redacted]');
  return out
    .replace(/\b(sk|pk|rk)-[A-Za-z0-9_*.-]{6,}/g, '[redacted]')
    .replace(/\bBearer\s+[^\s"',]+/gi, 'Bearer [redacted]');
}

// ---------------------------------------------------------------------------------------------
// Model allow-list

/**
 * The model allow-list as a predicate. A list entry is `model` (any provider) or `provider:model`
 * (when the prefix is a provider name: `llama3.1:8b` stays a model name); a trailing `*` matches a prefix.
 * @param {RelayOptions['allowedModels']} option @param {Record<string, string | undefined>} env
 * @param {ReadonlySet<string>} providerNames
 * @returns {(provider: string, model: string) => boolean}
 */
function modelPolicy(option, env, providerNames) {
  if (typeof option === 'function') return option;
  if (option instanceof RegExp) {
    return (_p, model) => {
      option.lastIndex = 0;
      return option.test(model);
    };
  }
  /** @type {string[] | undefined} */
  let list = option;
  if (!list && env.LLM_STREAM_MODELS) list = env.LLM_STREAM_MODELS.split(/[\s,]+/).filter(Boolean);
  if (!list) return () => true;
  const entries = list.map((entry) => {
    const i = entry.indexOf(':');
    return i > 0 && providerNames.has(entry.slice(0, i))
      ? { provider: entry.slice(0, i), pattern: entry.slice(i + 1) }
      : { provider: '', pattern: entry };
  });
  /** @param {string} pattern @param {string} model */
  const match = (pattern, model) => (pattern.endsWith('*') ? model.startsWith(pattern.slice(0, -1)) : pattern === model);
  return (provider, model) => entries.some((e) => (e.provider === '' || e.provider === provider) && match(e.pattern, model));
}

// ---------------------------------------------------------------------------------------------
// Request translation

/**
 * @typedef {object} ChatRequest
 * @property {string} provider
 * @property {string} model
 * @property {{ role: string, content: string }[]} messages
 * @property {string} [system]
 * @property {number} [max_tokens]
 * @property {number} [temperature]
 * @property {number} [top_p]
 * @property {string | string[]} [stop]
 */

/**
 * Validates the client's body. Returns an error message or the request.
 * @param {Record<string, unknown>} body
 * @returns {string | ChatRequest}
 */
function validate(body) {
  const { model, messages, system, max_tokens, temperature, top_p, stop } = body;
  if (typeof model !== 'string' || model === '') return 'Missing "model" (a string).';
  if (!MODEL_RE.test(model)) return 'Invalid "model": use letters, digits and . _ : / @ + - (at most 256).';
  if (!Array.isArray(messages) || messages.length === 0) return 'Missing "messages" (a non-empty array of {role, content}).';
  for (const [i, m] of messages.entries()) {
    if (!m || typeof m !== 'object') return `messages[${i}] must be an object {role, content}.`;
    const { role, content } = /** @type {Record<string, unknown>} */ (m);
    if (typeof role !== 'string' || !ROLES.has(role)) return `messages[${i}].role must be one of: ${[...ROLES].join(', ')}.`;
    if (typeof content !== 'string') return `messages[${i}].content must be a string.`;
  }
  if (system !== undefined && typeof system !== 'string') return '"system" must be a string.';
  if (max_tokens !== undefined && !(Number.isInteger(max_tokens) && /** @type {number} */ (max_tokens) > 0)) {
    return '"max_tokens" must be a positive integer.';
  }
  if (temperature !== undefined && !(typeof temperature === 'number' && temperature >= 0 && temperature <= 2)) {
    return '"temperature" must be a number between 0 and 2.';
  }
  if (top_p !== undefined && !(typeof top_p === 'number' && top_p >= 0 && top_p <= 1)) return '"top_p" must be a number between 0 and 1.';
  if (
    stop !== undefined &&
    typeof stop !== 'string' &&
    !(Array.isArray(stop) && stop.length <= 4 && stop.every((s) => typeof s === 'string'))
  ) {
    return '"stop" must be a string or an array of at most 4 strings.';
  }
  return /** @type {ChatRequest} */ ({
    provider: body.provider,
    model,
    messages: messages.map((m) => ({ role: m.role, content: m.content })),
    system,
    max_tokens,
    temperature,
    top_p,
    stop,
  });
}

/** @param {Record<string, unknown>} o */
function compact(o) {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * The provider's streaming request body.
 * @param {ProviderKind} kind @param {ChatRequest} r
 */
function upstreamBody(kind, r) {
  switch (kind) {
    case 'anthropic': {
      const systemParts = r.system ? [r.system] : [];
      const messages = [];
      for (const m of r.messages) {
        if (m.role === 'system' || m.role === 'developer') systemParts.push(m.content);
        else messages.push({ role: m.role, content: m.content });
      }
      return compact({
        model: r.model,
        messages,
        system: systemParts.length ? systemParts.join('\n\n') : undefined,
        max_tokens: r.max_tokens ?? 1024,
        temperature: r.temperature === undefined ? undefined : Math.min(r.temperature, 1),
        top_p: r.top_p,
        stop_sequences: r.stop === undefined ? undefined : [r.stop].flat(),
        stream: true,
      });
    }
    case 'ollama': {
      const messages = r.messages.map((m) => ({ role: m.role === 'developer' ? 'system' : m.role, content: m.content }));
      if (r.system) messages.unshift({ role: 'system', content: r.system });
      const options = compact({
        temperature: r.temperature,
        top_p: r.top_p,
        num_predict: r.max_tokens,
        stop: r.stop === undefined ? undefined : [r.stop].flat(),
      });
      return compact({ model: r.model, messages, stream: true, options: Object.keys(options).length ? options : undefined });
    }
    default: {
      const messages = r.messages.map((m) => ({
        role: kind === 'compatible' && m.role === 'developer' ? 'system' : m.role,
        content: m.content,
      }));
      if (r.system) messages.unshift({ role: 'system', content: r.system });
      return compact({
        model: r.model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
        // OpenAI's reasoning models accept only max_completion_tokens; compatible servers mostly know max_tokens.
        max_completion_tokens: kind === 'openai' ? r.max_tokens : undefined,
        max_tokens: kind === 'openai' ? undefined : r.max_tokens,
        temperature: r.temperature,
        top_p: r.top_p,
        stop: r.stop,
      });
    }
  }
}

/** @param {Extract<Resolved, { ok: true }>} p */
function upstreamHeaders(p) {
  /** @type {Record<string, string>} */
  const h = {
    ...(p.cfg.headers ?? {}),
    'content-type': 'application/json',
    accept: p.kind === 'ollama' ? 'application/x-ndjson' : 'text/event-stream',
    // Bytes stay untouched and unbuffered: no compression between relay and provider.
    'accept-encoding': 'identity',
  };
  if (p.kind === 'anthropic') {
    h['anthropic-version'] = p.cfg.anthropicVersion ?? ANTHROPIC_VERSION;
    if (p.key) h['x-api-key'] = p.key;
  } else if (p.key) {
    h.authorization = `Bearer ${p.key}`;
  }
  return h;
}

// ---------------------------------------------------------------------------------------------
// Relay-format conversion

/**
 * @typedef {{ type: 'token', content: string }
 *   | { type: 'usage', usage: { inputTokens?: number, outputTokens?: number, totalTokens?: number } }
 *   | { type: 'done', finishReason: string }
 *   | { type: 'error', message: string }} RelayEvent
 */

/** @param {unknown} v @returns {number | undefined} */
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** @param {string | null | undefined} raw */
function finishReason(raw) {
  switch (raw) {
    case 'stop':
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'length':
    case 'max_tokens':
      return 'length';
    case 'content_filter':
    case 'refusal':
      return 'content_filter';
    case 'tool_calls':
    case 'function_call':
    case 'tool_use':
      return 'tool_calls';
    default:
      return 'unknown';
  }
}

/**
 * Splits text into SSE events (`event`/`data` fields; LF, CRLF or CR line ends).
 * @param {(event: string | undefined, data: string) => void} onEvent
 */
function sseParser(onEvent) {
  let buf = '';
  /** @type {string[]} */
  let data = [];
  /** @type {string | undefined} */
  let event;
  const dispatch = () => {
    if (data.length) onEvent(event, data.join('\n'));
    data = [];
    event = undefined;
  };
  /** @param {string} line */
  const onLine = (line) => {
    if (line === '') return dispatch();
    if (line.startsWith(':')) return;
    const i = line.indexOf(':');
    const field = i === -1 ? line : line.slice(0, i);
    let value = i === -1 ? '' : line.slice(i + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
  };
  return {
    /** @param {string} text */
    push(text) {
      buf += text;
      let start = 0;
      for (let i = 0; i < buf.length; i++) {
        const c = buf[i];
        if (c !== '\n' && c !== '\r') continue;
        if (c === '\r' && i === buf.length - 1) break; // a CR at the end may be half of CRLF
        onLine(buf.slice(start, i));
        if (c === '\r' && buf[i + 1] === '\n') i++;
        start = i + 1;
      }
      buf = buf.slice(start);
    },
    end() {
      if (buf !== '') onLine(buf.replace(/\r$/, ''));
      buf = '';
      dispatch(); // a final event without its blank line still counts
    },
  };
}

/** @param {(line: string) => void} onLine */
function lineParser(onLine) {
  let buf = '';
  return {
    /** @param {string} text */
    push(text) {
      buf += text;
      const lines = buf.split(/\r?\n/);
      buf = lines.pop() ?? '';
      for (const l of lines) if (l.trim() !== '') onLine(l);
    },
    end() {
      if (buf.trim() !== '') onLine(buf);
      buf = '';
    },
  };
}

/** @param {string} text @returns {any} */
function tryJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** @param {any} v @returns {string | undefined} */
function errorMessageOf(v) {
  if (!v || typeof v !== 'object') return undefined;
  const e = v.error;
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && typeof e.message === 'string') return e.message;
  if (typeof v.message === 'string' && (v.type === 'error' || v.object === 'error')) return v.message;
  return undefined;
}

/**
 * Converts a provider stream (OpenAI or compatible SSE, Anthropic SSE, Ollama NDJSON) into relay events.
 * No `done` is produced unless the provider's own end marker arrived: a cut stream stays incomplete.
 * @param {ProviderKind} kind
 * @returns {{ push(text: string): RelayEvent[], end(): RelayEvent[], readonly finished: boolean }}
 */
export function createRelayTransform(kind) {
  /** @type {RelayEvent[]} */
  let out = [];
  let finished = false;
  let failed = false;
  /** @type {string | null} */
  let finish = null;
  /** @type {{ inputTokens?: number, outputTokens?: number }} */
  const usage = {};
  let usageSeen = false;

  /** @param {RelayEvent} e */
  const emit = (e) => {
    if (finished || failed) return;
    if (e.type === 'error') failed = true;
    out.push(e);
  };
  /** @param {string} text */
  const token = (text) => {
    if (typeof text === 'string' && text !== '') emit({ type: 'token', content: text });
  };
  const emitUsage = () => {
    if (!usageSeen) return;
    /** @type {{ inputTokens?: number, outputTokens?: number, totalTokens?: number }} */
    const u = { ...usage };
    if (u.inputTokens !== undefined && u.outputTokens !== undefined) u.totalTokens = u.inputTokens + u.outputTokens;
    emit({ type: 'usage', usage: u });
  };
  const done = () => {
    emit({ type: 'done', finishReason: finishReason(finish) });
    finished = true;
  };

  /** @param {string | undefined} _event @param {string} data */
  const openai = (_event, data) => {
    if (data === '[DONE]') {
      emitUsage();
      return done();
    }
    const j = tryJson(data);
    if (!j || typeof j !== 'object') return;
    const err = errorMessageOf(j);
    if (err !== undefined) return emit({ type: 'error', message: err });
    const choice = Array.isArray(j.choices) ? j.choices[0] : undefined;
    if (choice) {
      token(choice.delta?.content ?? choice.text);
      if (typeof choice.finish_reason === 'string') finish = choice.finish_reason;
    }
    if (j.usage && typeof j.usage === 'object') {
      usageSeen = true;
      usage.inputTokens = num(j.usage.prompt_tokens);
      usage.outputTokens = num(j.usage.completion_tokens);
    }
  };

  /** @param {string | undefined} event @param {string} data */
  const anthropic = (event, data) => {
    const j = tryJson(data);
    if (!j || typeof j !== 'object') return;
    switch (j.type ?? event) {
      case 'message_start': {
        const u = j.message?.usage;
        if (u) {
          usageSeen = true;
          const input = num(u.input_tokens);
          if (input !== undefined) {
            usage.inputTokens = input + (num(u.cache_creation_input_tokens) ?? 0) + (num(u.cache_read_input_tokens) ?? 0);
          }
        }
        return;
      }
      case 'content_block_delta':
        if (j.delta?.type === 'text_delta') token(j.delta.text);
        return;
      case 'message_delta':
        if (typeof j.delta?.stop_reason === 'string') finish = j.delta.stop_reason;
        if (j.usage) {
          usageSeen = true;
          usage.outputTokens = num(j.usage.output_tokens) ?? usage.outputTokens;
          const input = num(j.usage.input_tokens);
          if (input !== undefined && usage.inputTokens === undefined) usage.inputTokens = input;
        }
        return;
      case 'message_stop':
        emitUsage();
        return done();
      case 'error':
        return emit({ type: 'error', message: errorMessageOf(j) ?? 'Provider error' });
      default:
    }
  };

  /** @param {string} line */
  const ollama = (line) => {
    const j = tryJson(line);
    if (!j || typeof j !== 'object') return;
    const err = errorMessageOf(j);
    if (err !== undefined) return emit({ type: 'error', message: err });
    token(j.message?.content ?? j.response);
    if (j.done === true) {
      const input = num(j.prompt_eval_count);
      const output = num(j.eval_count);
      if (input !== undefined || output !== undefined) {
        usageSeen = true;
        usage.inputTokens = input;
        usage.outputTokens = output;
      }
      finish = typeof j.done_reason === 'string' ? j.done_reason : 'stop';
      emitUsage();
      done();
    }
  };

  const parser = kind === 'ollama' ? lineParser(ollama) : sseParser(kind === 'anthropic' ? anthropic : openai);
  const take = () => {
    const r = out;
    out = [];
    return r;
  };
  return {
    push(text) {
      parser.push(text);
      return take();
    },
    end() {
      parser.end();
      return take();
    },
    get finished() {
      return finished;
    },
  };
}

/** @param {RelayEvent} e @param {boolean} ndjson */
function encodeRelay(e, ndjson) {
  const json = JSON.stringify(e);
  return ndjson ? `${json}\n` : `data: ${json}\n\n`;
}

// ---------------------------------------------------------------------------------------------
// Upstream transport

/**
 * A minimal fetch on node:http / node:https, the default upstream transport. Why not the global fetch:
 * in Node 20 the fetch's internal request holds the caller's AbortSignal only through a WeakRef, so
 * after a garbage collection `abort()` may no longer reach the socket and the provider keeps
 * generating (measured: the mock upstream kept streaming for seconds). Here the abort listener
 * destroys the request directly: the provider sees the connection close at once. No redirects
 * are followed (a key must never travel to wherever a 3xx points).
 * @param {string} url
 * @param {{ method: string, headers: Record<string, string>, body: string, signal: AbortSignal }} init
 * @returns {Promise<Response>}
 */
function nodeFetch(url, init) {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : http;
    const body = Buffer.from(init.body);
    const req = lib.request(target, {
      method: init.method,
      headers: { ...init.headers, 'content-length': String(body.length) },
    });
    const onAbort = () => req.destroy(new DOMException('The operation was aborted.', 'AbortError'));
    if (init.signal.aborted) return onAbort();
    init.signal.addEventListener('abort', onAbort, { once: true });
    req.once('close', () => init.signal.removeEventListener('abort', onAbort));
    req.once('error', (err) => reject(Object.assign(new TypeError('fetch failed'), { cause: err })));
    req.once('response', (incoming) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      const status = incoming.statusCode ?? 502;
      const noBody = status === 204 || status === 205 || status === 304 || init.method === 'HEAD';
      if (noBody) incoming.resume();
      // Cancelling the web stream destroys the socket too.
      const stream = noBody ? null : /** @type {ReadableStream<Uint8Array>} */ (Readable.toWeb(incoming));
      resolve(new Response(stream, { status: status < 200 || status > 599 ? 502 : status, headers }));
    });
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

/**
 * @param {Res} res @param {number} status @param {string} message @param {string} type
 * @param {Record<string, unknown>} [extra] extra fields of `error`
 * @param {Record<string, string>} [headers]
 */
function sendError(res, status, message, type, extra = {}, headers = {}) {
  if (res.headersSent || res.destroyed) {
    if (!res.writableEnded) res.end();
    return;
  }
  const body = JSON.stringify({ error: { message, type, ...extra } });
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-cache',
    ...headers,
  });
  res.end(body);
}

/**
 * Reads the request body up to `limit` bytes; stops reading at the cap.
 * @param {Req} req @param {number} limit
 * @returns {Promise<{ text: string } | { tooLarge: true } | { gone: true }>}
 */
function readBody(req, limit) {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ tooLarge: true });
  return new Promise((resolve) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
    };
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        resolve({ tooLarge: true });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve({ text: Buffer.concat(chunks).toString('utf8') });
    };
    const onGone = () => {
      cleanup();
      resolve({ gone: true });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}

/** Resolves when `res` can take more data or has closed. @param {Res} res */
function drained(res) {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve(undefined);
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** @param {Req} req */
function pathnameOf(req) {
  const raw = req.originalUrl ?? req.url ?? '/';
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}

/** @param {Req} req @param {string} name */
function queryParam(req, name) {
  const raw = req.originalUrl ?? req.url ?? '/';
  const q = raw.indexOf('?');
  return q === -1 ? null : new URLSearchParams(raw.slice(q + 1)).get(name);
}

const OUTPUTS = new Set(['passthrough', 'relay', 'relay-ndjson']);

// ---------------------------------------------------------------------------------------------
// The handler

/**
 * Creates the relay request handler: `(req, res, next?) => Promise<void>`, usable with
 * `http.createServer(relay)`, Express (`app.post('/api/chat', relay)`) and Vite / Connect
 * (`server.middlewares.use(relay)`). Requests for other paths go to `next()` (404 JSON without `next`).
 * @param {RelayOptions} [options]
 */
export function createRelay(options = {}) {
  const routePath = options.path === undefined ? DEFAULT_PATH : options.path;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const maxPerClient = options.maxConcurrentPerClient ?? DEFAULT_MAX_CONCURRENT;
  const clientIdOf = options.clientId ?? ((req) => req.socket?.remoteAddress ?? 'unknown');
  const log = options.log ?? defaultLog;
  const defaultOutput = options.output ?? 'passthrough';
  if (!OUTPUTS.has(defaultOutput)) throw new TypeError(`llm-stream relay: unknown output "${defaultOutput}"`);
  const table = providerTable(options); // validates the provider options eagerly
  const providerNames = new Set(table.keys());
  /** Open upstream streams per client. @type {Map<string, number>} */
  const active = new Map();

  /**
   * @param {Req} req @param {Res} res @param {(err?: unknown) => void} [next]
   */
  async function relay(req, res, next) {
    const env = options.env ?? process.env;
    const keys = knownKeys(options);
    /** @param {string} message @param {Record<string, unknown>} [details] */
    const safeLog = (message, details) => {
      try {
        log(redact(message, keys), details && JSON.parse(redact(JSON.stringify(details), keys)));
      } catch {
        /* a throwing logger must not break the stream */
      }
    };
    try {
      await handle(req, res, next, env, keys, safeLog);
    } catch (err) {
      safeLog('internal error', { message: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) sendError(res, 500, 'Internal relay error.', 'internal_error');
      else res.destroy();
    }
  }

  /**
   * @param {Req} req @param {Res} res @param {((err?: unknown) => void) | undefined} next
   * @param {Record<string, string | undefined>} env @param {string[]} keys
   * @param {(message: string, details?: Record<string, unknown>) => void} safeLog
   */
  async function handle(req, res, next, env, keys, safeLog) {
    if (routePath !== null && pathnameOf(req) !== routePath) {
      if (next) return next();
      return sendError(res, 404, `No route for ${req.method} ${pathnameOf(req)}.`, 'not_found');
    }
    if (req.method !== 'POST') {
      req.resume();
      return sendError(res, 405, 'Use POST with a JSON body.', 'method_not_allowed', {}, { Allow: 'POST' });
    }

    let clientGone = false;
    const upstreamAbort = new AbortController();
    /** @type {ReadableStreamDefaultReader<Uint8Array> | undefined} */
    let bodyReader;
    res.once('close', () => {
      clientGone = !res.writableFinished;
      // Abort at once: the provider sees the connection close within milliseconds. Cancelling the
      // body reader as well covers an injected fetch whose abort signal may not reach the socket.
      upstreamAbort.abort();
      bodyReader?.cancel().catch(() => {});
    });

    // Body: pre-parsed by a framework (express.json()), else read here with a cap.
    /** @type {unknown} */
    let body;
    if (req.body !== undefined && req.body !== null && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) {
      body = req.body;
    } else {
      const type = String(req.headers['content-type'] ?? '').toLowerCase();
      if (!/^application\/(?:[\w.+-]*\+)?json\b/.test(type)) {
        req.resume();
        return sendError(res, 415, 'Send the request as Content-Type: application/json.', 'unsupported_media_type');
      }
      /** @type {string} */
      let text;
      if (typeof req.body === 'string' || Buffer.isBuffer(req.body)) {
        text = String(req.body);
        if (Buffer.byteLength(text) > maxBody) return tooLarge(res, maxBody);
      } else {
        const r = await readBody(req, maxBody);
        if ('gone' in r) return;
        if ('tooLarge' in r) return tooLarge(res, maxBody);
        text = r.text;
      }
      try {
        body = JSON.parse(text);
      } catch {
        return sendError(res, 400, 'The request body is not valid JSON.', 'invalid_request');
      }
    }
    if (clientGone) return;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return sendError(res, 400, 'The request body must be a JSON object.', 'invalid_request');
    }
    const b = /** @type {Record<string, unknown>} */ (body);
    if (typeof b.provider !== 'string' || b.provider === '') {
      return sendError(res, 400, `Missing "provider" (one of: ${[...table.keys()].join(', ')}).`, 'invalid_request');
    }
    const providerName = b.provider;
    const cfg = table.get(providerName);
    if (!cfg) {
      return sendError(
        res,
        404,
        `Unknown provider "${providerName.slice(0, 64)}". Use one of: ${[...table.keys()].join(', ')}.`,
        'unknown_provider',
      );
    }
    const chat = validate(b);
    if (typeof chat === 'string') return sendError(res, 400, chat, 'invalid_request');
    if (!modelPolicy(options.allowedModels, env, providerNames)(providerName, chat.model)) {
      return sendError(res, 403, `Model "${chat.model}" is not allowed for provider "${providerName}".`, 'model_not_allowed');
    }
    const requested = queryParam(req, 'output') ?? b.stream_format ?? b.output ?? defaultOutput;
    if (typeof requested !== 'string' || !OUTPUTS.has(requested)) {
      return sendError(res, 400, `Unknown output "${String(requested)}". Use passthrough, relay or relay-ndjson.`, 'invalid_request');
    }
    const output = /** @type {OutputMode} */ (requested);
    const provider = resolveProvider(providerName, cfg, env);
    if (!provider.ok) return sendError(res, 503, provider.reason, 'provider_not_configured');

    // Concurrency: one slot per open upstream stream, released when the client response closes.
    const client = clientIdOf(req);
    const open = active.get(client) ?? 0;
    if (open >= maxPerClient) {
      return sendError(
        res,
        429,
        `Too many concurrent streams for this client (limit ${maxPerClient}).`,
        'rate_limited',
        {},
        { 'Retry-After': '1' },
      );
    }
    active.set(client, open + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const n = (active.get(client) ?? 1) - 1;
      if (n <= 0) active.delete(client);
      else active.set(client, n);
    };
    res.once('close', release);
    if (res.destroyed) release();

    /** @type {Response} */
    let upstream;
    try {
      upstream = await (options.fetch ?? /** @type {typeof fetch} */ (/** @type {unknown} */ (nodeFetch)))(provider.url, {
        method: 'POST',
        headers: upstreamHeaders(provider),
        body: JSON.stringify(upstreamBody(provider.kind, chat)),
        signal: upstreamAbort.signal,
        redirect: 'error', // never forward a key to wherever a redirect points
      });
    } catch (err) {
      if (clientGone) return;
      const cause = /** @type {any} */ (err)?.cause;
      const reason = (cause && (cause.code || cause.message)) || (err instanceof Error ? err.message : String(err));
      safeLog('upstream unreachable', { provider: providerName, model: chat.model, reason: String(reason) });
      return sendError(res, 502, `Upstream provider "${providerName}" is unreachable.`, 'upstream_unreachable');
    }
    if (clientGone) {
      await upstream.body?.cancel().catch(() => {});
      return;
    }

    /** @type {Record<string, string>} */
    const passHeaders = {};
    for (const h of ['retry-after', 'retry-after-ms', 'x-request-id', 'request-id']) {
      const v = upstream.headers.get(h);
      if (v !== null) passHeaders[h] = v;
    }

    if (upstream.status >= 300 && upstream.status < 400) {
      await upstream.body?.cancel().catch(() => {});
      safeLog('upstream redirect refused', { provider: providerName, model: chat.model, status: upstream.status });
      return sendError(res, 502, `Upstream provider "${providerName}" answered with a redirect; check its base URL.`, 'upstream_unreachable');
    }
    if (!upstream.ok) {
      const text = await readCapped(upstream, ERROR_BODY_CAP).catch(() => '');
      if (clientGone) return;
      const parsed = tryJson(text);
      const raw = errorMessageOf(parsed) ?? (text.trim() && !/^\s*</.test(text) ? text.trim() : '');
      const message = redact(raw || `Upstream returned HTTP ${upstream.status}.`, keys).slice(0, 1000);
      safeLog('upstream error', { provider: providerName, model: chat.model, status: upstream.status, message });
      return sendError(res, upstream.status, message, 'upstream_error', { status: upstream.status }, passHeaders);
    }

    const upstreamType = upstream.headers.get('content-type');
    const relayMode = output !== 'passthrough';
    const ndjson = output === 'relay-ndjson';
    res.writeHead(relayMode ? 200 : upstream.status, {
      'Content-Type': relayMode
        ? ndjson
          ? 'application/x-ndjson; charset=utf-8'
          : 'text/event-stream; charset=utf-8'
        : upstreamType ?? (provider.kind === 'ollama' ? 'application/x-ndjson' : 'text/event-stream'),
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
      ...passHeaders,
    });
    res.flushHeaders();

    const transform = relayMode ? createRelayTransform(provider.kind) : null;
    const decoder = new TextDecoder();
    /** @param {string | Uint8Array} data */
    const write = async (data) => {
      if (clientGone || res.destroyed) return;
      if (!res.write(data)) await drained(res);
    };
    /** @param {RelayEvent[]} events */
    const writeEvents = async (events) => {
      if (events.length) await write(events.map((e) => encodeRelay(e, ndjson)).join(''));
    };

    if (transform && upstreamType && !/event-stream|ndjson|jsonl|json-seq|x-json-stream|text\/plain/i.test(upstreamType)) {
      // A 200 that is not a stream (an HTML login page, a JSON error): say so instead of an empty success.
      const text = await readCapped(upstream, ERROR_BODY_CAP).catch(() => '');
      const detail = errorMessageOf(tryJson(text));
      const message = redact(detail ?? `Upstream returned ${upstreamType.split(';')[0]}, not a stream.`, keys);
      await writeEvents([{ type: 'error', message }]);
      res.end();
      return;
    }

    const reader = upstream.body?.getReader();
    bodyReader = reader;
    try {
      if (reader) {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (clientGone) return;
          if (transform) await writeEvents(transform.push(decoder.decode(value, { stream: true })));
          else await write(value);
        }
      }
      if (clientGone) return;
      if (transform) await writeEvents(transform.push(decoder.decode()).concat(transform.end()));
      res.end();
    } catch (err) {
      if (clientGone) return;
      const reason = err instanceof Error ? (/** @type {any} */ (err).cause?.code ?? err.message) : String(err);
      safeLog('upstream stream broke', { provider: providerName, model: chat.model, reason: String(reason) });
      if (transform) {
        await writeEvents([...transform.end(), { type: 'error', message: 'The upstream connection was lost mid-stream.' }]);
        res.end();
      } else {
        // Passthrough mirrors the failure: the client sees a cut stream, not a clean end.
        res.destroy();
      }
    }
  }

  return relay;
}

/** @param {Res} res @param {number} limit */
function tooLarge(res, limit) {
  // Stop reading: close the connection after the answer instead of draining the rest of the body.
  sendError(res, 413, `The request body is larger than ${limit} bytes.`, 'payload_too_large', {}, { Connection: 'close' });
}

/** @param {Response} response @param {number} cap */
async function readCapped(response, cap) {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (text.length >= cap) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return text + decoder.decode();
}
