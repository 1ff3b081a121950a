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

export interface EncodeOptions {
  /** Defaults: input 12, output = tokens.length. */
  usage?: { inputTokens?: number; outputTokens?: number };
  /** Default 'stop'. */
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
  kind: 'pre' | 'token' | 'post' | 'end' | 'fault';
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
  /** Extra canned answers, selectable with `answer=<name>`. */
  answers?: Record<string, string>;
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
  readonly answers: Record<string, string>;
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

export function createMockLlm(options?: MockOptions): MockLlm;
export function startMockServer(options?: { port?: number } & MockOptions): Promise<MockServer>;
export function tokenize(text: string): string[];
export function encodeStream(format: MockFormat, tokens: readonly string[], options?: EncodeOptions): string[];
export function encodeEvents(format: MockFormat, tokens: readonly string[], options?: EncodeOptions): EncodedChunk[];
