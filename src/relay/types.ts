/**
 * Public types of the reference relay (Node only). Interfaces only: no runtime code lives here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FinishReason, ToolCallStatus, Usage } from '../types.js';

/** The wire protocol a provider speaks. `compatible` = OpenAI chat completions on another server. */
export type ProviderKind = 'openai' | 'anthropic' | 'ollama' | 'compatible';

/** `passthrough`: the provider's bytes untouched. `relay` / `relay-ndjson`: the relay format over SSE / NDJSON. */
export type RelayOutput = 'passthrough' | 'relay' | 'relay-ndjson';

/** One provider entry of {@link RelayOptions.providers}. */
export interface ProviderConfig {
  /** Wire protocol. Default: the name for the built-ins (`openai`, `anthropic`, `ollama`, `compatible`), else `compatible`. */
  kind?: ProviderKind;
  /** Base URL, e.g. `https://api.openai.com/v1`; the endpoint path is appended. */
  baseUrl?: string;
  /** Environment variable holding the base URL (used when `baseUrl` is not set). */
  baseUrlEnv?: string;
  /** Endpoint path appended to the base URL. Default: `/chat/completions`, `/messages` (Anthropic), `/api/chat` (Ollama). */
  path?: string;
  /** Full endpoint URL; overrides `baseUrl` + `path`. */
  url?: string;
  /** Environment variable holding the API key. Keys are only ever read from the environment. */
  apiKeyEnv?: string;
  /** Answer 503 when the key is missing. Default: true for kinds `openai` and `anthropic`. */
  requireKey?: boolean;
  /** Extra static request headers (e.g. `OpenAI-Organization`). Never put a key here. */
  headers?: Record<string, string>;
  /** `anthropic-version` header. Default `2023-06-01`. */
  anthropicVersion?: string;
}

/** Options of {@link createRelay}. */
export interface RelayOptions {
  /**
   * Override or add providers by name; `false` removes a built-in. Built-ins:
   * `openai` (https://api.openai.com/v1, `OPENAI_API_KEY`), `anthropic` (https://api.anthropic.com/v1,
   * `ANTHROPIC_API_KEY`), `ollama` (`OLLAMA_HOST`, no key), `compatible` (`LLM_STREAM_BASE_URL`,
   * optional `LLM_STREAM_API_KEY`).
   */
  providers?: Record<string, ProviderConfig | false>;
  /** Where keys and base URLs come from. Default `process.env` (read on every request). */
  env?: Record<string, string | undefined>;
  /**
   * Allowed models: a list (`model`, `provider:model`, trailing `*` for a prefix), a RegExp tested
   * against the model, or a predicate. Default: the list in env `LLM_STREAM_MODELS` (comma/space
   * separated); when that is unset, every model is allowed.
   */
  allowedModels?: string[] | RegExp | ((provider: string, model: string) => boolean);
  /** Request body cap in bytes (413 beyond it). Default 65536. */
  maxBodyBytes?: number;
  /** Open upstream streams per client (429 beyond it). Default 4. */
  maxConcurrentPerClient?: number;
  /** Who "a client" is. Default `req.socket.remoteAddress`. */
  clientId?: (req: IncomingMessage) => string;
  /** Route path (matched against `req.originalUrl ?? req.url`); `null` handles every path. Default `/api/chat`. */
  path?: string | null;
  /** Default output; a request may choose with `?output=` or body `stream_format` / `output`. Default `passthrough`. */
  output?: RelayOutput;
  /** Injectable fetch (tests). Default a minimal fetch on `node:http` / `node:https`. */
  fetch?: typeof fetch;
  /** Error/diagnostic logger. Default `console.error`. Keys and Authorization values are redacted before it is called. */
  log?: (message: string, details?: Record<string, unknown>) => void;
}

/** A chat message the client sends. */
export interface RelayChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant';
  content: string;
}

/** The body a client POSTs. */
export interface RelayChatRequest {
  provider: string;
  model: string;
  messages: RelayChatMessage[];
  system?: string;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string | string[];
  /** Same as `?output=`. */
  stream_format?: RelayOutput;
  output?: RelayOutput;
}

/**
 * One event of the relay format. `done` is sent only when the upstream stream was complete in the
 * core decoder's sense (its format's end marker arrived); its `finishReason` is the core's.
 */
export type RelayEvent =
  | { type: 'token'; content: string }
  | { type: 'reasoning'; content: string }
  | { type: 'tool-call'; id: string; name?: string; argumentsDelta?: string; arguments?: string; status?: ToolCallStatus; output?: string }
  | { type: 'source'; url: string; title?: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'done'; finishReason: FinishReason }
  | { type: 'error'; message: string };

/** Error bodies: `{ error: { message, type, status? } }`. */
export type RelayErrorType =
  | 'invalid_request'
  | 'not_found'
  | 'unknown_provider'
  | 'model_not_allowed'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'provider_not_configured'
  | 'upstream_unreachable'
  | 'upstream_error'
  | 'internal_error';

/** A request as frameworks hand it over: Express/Connect add `originalUrl` and (with a body parser) `body`. */
export type RelayRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

/**
 * The relay handler for `http.createServer(relay)`, Express (`app.post('/api/chat', relay)`) and
 * Vite / Connect (`server.middlewares.use(relay)`). Other paths go to `next()` (or get a 404 JSON).
 */
export type RelayHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => Promise<void>;

/** Writes a log line; keys are already redacted. */
export type RelayLog = (message: string, details?: Record<string, unknown>) => void;
