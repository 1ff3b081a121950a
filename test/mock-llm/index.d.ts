// Types for test/mock-llm/index.js (plain JS so Node config files can load it without a TS loader).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export type MockFormat =
  | 'openai'
  | 'openai-completions'
  | 'openai-responses'
  | 'anthropic'
  | 'gemini'
  | 'ollama'
  | 'ai-sdk'
  | 'relay'
  | 'relay-ndjson'
  | 'text';

export type MockFault =
  | 'none'
  | 'reset'
  | 'stall'
  | 'slow-first-byte'
  | 'status'
  | 'truncate'
  | 'no-final-newline'
  | 'html'
  | 'json-error'
  | 'malformed'
  | 'provider-error'
  | 'fail-times';

export type MockFinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls';

/** A web-search result the `search` answer (or your own structured answer) cites. */
export interface WebSearchResult {
  url: string;
  title: string;
  /** The passage a citation of this result quotes (Anthropic `cited_text`). */
  citedText: string;
  /** Anthropic `page_age`, e.g. '3 days ago'. */
  pageAge?: string;
}

/** One piece of a structured answer. Formats that cannot carry a piece leave it out (text always goes). */
export type MockPart =
  | { type: 'reasoning'; text: string }
  /** `citations`: indices into the results of the nearest preceding `web-search` part. */
  | { type: 'text'; text: string; citations?: number[] }
  /** `output`: what the tool returned; only the AI SDK stream carries it (`tool-output-available`). */
  | { type: 'tool-call'; name: string; input: Record<string, unknown>; output?: unknown }
  | { type: 'web-search'; query: string; results: WebSearchResult[] };

/** A structured answer: reasoning, text, tool calls and web searches, in stream order. */
export interface MockAnswer {
  parts: MockPart[];
}

export interface EncodeOptions {
  /** Defaults: input 12, output = every token sent (reasoning and tool arguments included), reasoning = reasoning tokens sent. */
  usage?: { inputTokens?: number; outputTokens?: number; reasoningTokens?: number };
  /** Default 'stop'; 'tool_calls' when the answer calls a client tool (except `ai-sdk`, whose stream carries the tool output and the next step). */
  finishReason?: MockFinishReason;
  /** Encoding-level faults: 'truncate' · 'no-final-newline' · 'malformed' · 'provider-error'; others are ignored. */
  fault?: MockFault | string;
  /** Token index where 'malformed' / 'provider-error' strike (default: half). */
  faultAt?: number;
  model?: string;
  /** Id suffix for response/message ids (default 'mock0001'). */
  id?: string;
  /** Unix seconds for `created` fields (default 1700000000). */
  created?: number;
  /** Ollama `eval_duration` in ns (default 20 ms per token). */
  evalDurationNs?: number;
}

export interface EncodedChunk {
  /** Exact text of one write. */
  data: string;
  /** Index of the answer token this write carries, or -1. */
  token: number;
  /** `part`: a structural event between tokens (a block or output item opening or closing, a tool result, a citation). */
  kind: 'pre' | 'token' | 'part' | 'post' | 'end' | 'fault';
}

export interface MockRecord {
  id: number;
  key: string | null;
  method: string;
  url: string;
  route: 'chat' | 'image' | 'not-found' | 'bad-request';
  format: string | null;
  fault: string | null;
  status: number | null;
  /** performance.now() ms in the server process. */
  startedAt: number;
  startedAtEpoch: number;
  firstByteAt: number | null;
  firstByteAtEpoch: number | null;
  closedAt: number | null;
  closedAtEpoch: number | null;
  closedBy: 'client' | 'server' | null;
  bytesSent: number;
  completed: boolean;
  headers: Record<string, string | string[] | undefined>;
  body: string | null;
}

export interface MockOptions {
  /** How long `fault=stall` keeps the connection open (default 120000 ms). */
  stallMs?: number;
  /** Keep at most this many log records (default 10000). */
  maxLog?: number;
  /** Extra canned answers, selectable with `answer=<name>`: markdown, or a structured answer. */
  answers?: Record<string, string | MockAnswer>;
}

export interface MockLlm {
  /** node:http handler; returns false when the URL is not under /mock/. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Connect-style middleware (Vite). */
  connect(req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void;
  /** Koa middleware (@web/dev-server, @web/test-runner). */
  koa(
    ctx: { req: IncomingMessage; res: ServerResponse; respond?: boolean },
    next: () => Promise<unknown>,
  ): Promise<unknown>;
  /** Live array of request records (also GET /mock/log). */
  readonly log: MockRecord[];
  /** Clears the log and the fail-times counters (also POST /mock/reset). */
  reset(): void;
  /** Ends every open response and clears its timers. */
  dispose(): void;
  readonly answers: Record<string, string | MockAnswer>;
}

export interface MockServer {
  url: string;
  port: number;
  mock: MockLlm;
  server: Server;
  close(): Promise<void>;
}

export const FORMATS: readonly MockFormat[];
export const FAULTS: readonly MockFault[];
export const CONTENT_TYPES: Readonly<Record<MockFormat, string>>;
export const ANSWERS: Readonly<Record<'default' | 'short' | 'long', string>> & Record<string, string>;
/** Structured answers: `reasoning`, `thinking-tags` (the same, thinking as a leading `<think>` block), `tools`, `search`. */
export const PART_ANSWERS: Readonly<Record<'reasoning' | 'thinking-tags' | 'tools' | 'search', MockAnswer>> &
  Record<string, MockAnswer>;

export function createMockLlm(options?: MockOptions): MockLlm;
export function startMockServer(options?: { port?: number } & MockOptions): Promise<MockServer>;
export function tokenize(text: string): string[];
/** Encodes text tokens or a structured answer as the exact writes of `format` (pure, deterministic). */
export function encodeStream(format: MockFormat, answer: readonly string[] | MockAnswer, options?: EncodeOptions): string[];
/** Like encodeStream, with the token each write carries and its role (for pacing). */
export function encodeEvents(
  format: MockFormat,
  answer: readonly string[] | MockAnswer,
  options?: EncodeOptions,
): EncodedChunk[];
/** How many tokens `format` streams for the answer (what usage, `faultAt` and `at` count). */
export function countTokens(format: MockFormat, answer: readonly string[] | MockAnswer): number;
/** The answer with its reasoning moved into the text as a leading `<think>…</think>` block. */
export function withThinkingTags(answer: MockAnswer): MockAnswer;
