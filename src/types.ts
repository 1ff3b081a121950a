/**
 * Shared types of llm-stream. Interfaces only: no runtime code lives here.
 * Everything in this file is structured-clone safe, because it crosses the worker boundary.
 */

/** Wire formats understood by the decoder. `auto` detects from headers and the first event. */
export type StreamFormat =
  | 'auto'
  | 'openai'
  | 'openai-completions'
  | 'openai-responses'
  | 'anthropic'
  | 'gemini'
  | 'ollama'
  | 'ai-sdk'
  | 'relay'
  | 'text';

/** How the bytes are cut into messages. */
export type Framing = 'sse' | 'ndjson' | 'text';

/** Why the model stopped, normalized across providers. */
export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'abort' | 'error' | 'unknown';

/** Token usage normalized across providers. */
export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  /** Output tokens spent on reasoning, where the provider reports them (part of `outputTokens` for OpenAI). */
  reasoningTokens?: number;
}

/** Timing of one stream. Tokens come from the provider's usage when given, else are estimated. */
export interface Metrics {
  /** Request start → first answer text, in ms (0 until the first text). */
  ttftMs: number;
  /** Request start → end (or now, while live), in ms. */
  totalMs: number;
  outputTokens: number;
  tokensPerSecond: number;
  /** Time per output token after the first, in ms. */
  tpotMs: number;
  /** Cost in the pricing table's currency, when a pricing table was given. */
  cost?: number;
  /**
   * Time spent thinking, in ms: first reasoning → first answer text (→ now while the model still
   * thinks, → the end when no text followed). 0 without reasoning.
   */
  reasoningMs: number;
}

/** The lifecycle state shown by the element. */
export type StreamStatus = 'idle' | 'connecting' | 'streaming' | 'done' | 'incomplete' | 'error' | 'aborted';

/** What `start()` resolves with and `llm-done` carries. */
export interface StreamResult {
  text: string;
  finishReason: FinishReason;
  usage?: Usage;
  metrics: Metrics;
  /** `done` when the format's end marker arrived, `incomplete` otherwise. */
  status: 'done' | 'incomplete' | 'aborted';
  /** Why the stream is incomplete (e.g. "the body ended before [DONE]"). */
  reason?: string;
  /** The model's reasoning / thinking text (`''` if none). */
  reasoning: string;
  /** Tool calls in stream order. */
  toolCalls: ToolCall[];
  /** Sources, one per URL, in order of first appearance. */
  sources: Source[];
}

/** A request the worker performs. `body` objects are sent as JSON. */
export interface StreamRequest {
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Record<string, unknown> | unknown[] | null;
  credentials?: 'omit' | 'same-origin' | 'include';
}

/** Where a tool call stands: arguments still arriving, finished, or cut off by the end of the stream. */
export type ToolCallStatus = 'streaming' | 'complete' | 'incomplete';

/** A tool (function) call the model made, folded from `tool-call` events. */
export interface ToolCall {
  /** Non-empty and unique within one response (generated when the provider sends none). */
  id: string;
  /** The tool's name (`''` until the provider named it). */
  name: string;
  /** The raw argument text streamed so far, usually JSON; kept as sent even when it is not valid JSON. */
  arguments: string;
  status: ToolCallStatus;
  /** The tool's result, where the stream carries it; JSON text when the provider sent a structured value. */
  output?: string;
  /** Why the tool failed, where the stream says so (AI SDK `output-error`). */
  error?: string;
}

/** A web source the answer is grounded in. Only `http:` / `https:` URLs are ever reported. */
export interface Source {
  url: string;
  title?: string;
}

/**
 * One change to a tool call. The first event with a given `id` creates the call (status
 * `streaming`, empty name and arguments, unless it says otherwise); later ones change it:
 * `name` and `status` replace, `argumentsDelta` appends, `arguments` replaces the whole argument
 * text (a provider that sends the arguments at once), `output` sets the result.
 */
export interface ToolCallEvent {
  type: 'tool-call';
  id: string;
  name?: string;
  argumentsDelta?: string;
  arguments?: string;
  status?: ToolCallStatus;
  output?: string;
  error?: string;
}

/**
 * One normalized event from a provider adapter.
 * `end` is emitted only when the format's own end marker arrived.
 * `reasoning` is the model's thinking, never answer text; `source` carries an http(s) URL, each URL
 * once per response.
 */
export type ProviderEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | ToolCallEvent
  | { type: 'source'; url: string; title?: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; reason: FinishReason; raw?: string }
  | { type: 'error'; code: 'provider' | 'protocol' | 'content_type'; message: string; providerType?: string }
  | { type: 'end' };

/**
 * A DOM patch produced by the markdown engine, applied by the element's patcher.
 * Committed blocks are appended once and never replaced (except `replace` for late reference
 * definitions); the tail is replaced, or extended in place when only text was appended to its last
 * text run.
 */
export type Patch =
  /** Append one final block (HTML of one top-level markdown block) after the committed ones. */
  | { op: 'commit'; html: string }
  /** Re-render committed block `index` (0-based in commit order): a reference definition arrived. */
  | { op: 'replace'; index: number; html: string }
  /** Replace the whole tail (the blocks that may still change). */
  | { op: 'tail'; html: string }
  /** Append plain text to the tail's last text run (no HTML parsing needed). */
  | { op: 'append'; text: string }
  /** Drop everything rendered so far. */
  | { op: 'reset' };

/** Raw HTML policy of the markdown renderer. */
export type HtmlPolicy = 'escape' | 'sanitized';

/** Link and image policy applied in the worker (first layer) and again at the sink. */
export interface UrlPolicy {
  /** Schemes allowed for links, lower case without colon. Default: http, https, mailto. Relative URLs are always allowed. */
  linkSchemes: string[];
  /** Origins images may load from (`self` = the page's origin). Default: none. */
  imageOrigins: string[];
  /** Allow `data:image/...` images. Default false. */
  allowDataImages: boolean;
  /** The page's origin, used to resolve relative URLs and `self`. */
  baseUrl: string;
}

/** Options of the markdown engine. */
export interface MarkdownOptions {
  html: HtmlPolicy;
  urls: UrlPolicy;
  /** Link `target` attribute, or null for none. */
  linkTarget: string | null;
}

/** An error as data: how expected failures cross Comlink (a thrown Error loses its fields). */
export interface StreamErrorData {
  code: import('./errors.js').LlmStreamErrorCode;
  message: string;
  status?: number;
  retryAfterMs?: number;
  providerType?: string;
}
