/**
 * The reference relay: a Node-only request handler that forwards a chat request to OpenAI,
 * Anthropic, Ollama or an OpenAI-compatible server and streams the answer back, so API keys never
 * reach the page. Published as `llm-stream/relay`. Never import it from worker/ or components/: it
 * reads API keys from the server environment and must not reach a browser bundle.
 *
 * One request runs three steps, one file each: validate-request (is it ours, is it acceptable),
 * open-upstream (call the provider, classify its answer), pipe-answer (stream it back: passthrough,
 * or relay events decoded by the core decoder in relay-transform).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './http-io.js';
import { createModelPolicy } from './model-policy.js';
import { openUpstream } from './open-upstream.js';
import { pipeAnswer } from './pipe-answer.js';
import { knownKeys, providerTable, redactKeys } from './providers.js';
import type { RelayHandler, RelayLog, RelayOptions, RelayRequest } from './types.js';
import { isRelayOutput, validateRequest } from './validate-request.js';

export { configuredProviders } from './providers.js';
export { createRelayTransform, encodeRelayEvent, type RelayTransform, type RelayTransformOptions } from './relay-transform.js';
export type * from './types.js';

const DEFAULT_PATH = '/api/chat';
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_MAX_CONCURRENT = 4;

function defaultLog(message: string, details?: Record<string, unknown>): void {
  console.error(`[llm-stream relay] ${message}`, details ?? '');
}

/**
 * Creates the relay request handler `(req, res, next?) => Promise<void>`, usable with
 * `http.createServer(relay)`, Express (`app.post('/api/chat', relay)`) and Vite / Connect
 * (`server.middlewares.use(relay)`). Requests for other paths go to `next()` (404 JSON without it).
 * Throws at once on an invalid `output` or provider `kind`.
 */
export function createRelay(options: RelayOptions = {}): RelayHandler {
  const routePath = options.path === undefined ? DEFAULT_PATH : options.path;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxPerClient = options.maxConcurrentPerClient ?? DEFAULT_MAX_CONCURRENT;
  const clientIdOf = options.clientId ?? ((req: IncomingMessage) => req.socket?.remoteAddress ?? 'unknown');
  const log = options.log ?? defaultLog;
  const defaultOutput = options.output ?? 'passthrough';
  if (!isRelayOutput(defaultOutput)) throw new TypeError(`llm-stream relay: unknown output "${String(defaultOutput)}"`);
  const table = providerTable(options);
  const providerNames: ReadonlySet<string> = new Set(table.keys());
  /** Open upstream streams per client. */
  const openStreams = new Map<string, number>();

  /** Takes a concurrency slot for `client`; returns its release, or null when the client is at its limit. */
  function takeSlot(client: string): (() => void) | null {
    const open = openStreams.get(client) ?? 0;
    if (open >= maxPerClient) return null;
    openStreams.set(client, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (openStreams.get(client) ?? 1) - 1;
      if (left <= 0) openStreams.delete(client);
      else openStreams.set(client, left);
    };
  }

  async function handle(req: RelayRequest, res: ServerResponse, next: ((err?: unknown) => void) | undefined, safeLog: RelayLog, keys: readonly string[]): Promise<void> {
    const env = options.env ?? process.env;
    let clientGone = false;
    const upstreamAbort = new AbortController();
    let bodyReader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    res.once('close', () => {
      clientGone = !res.writableFinished;
      // Abort at once: the provider sees the connection close within milliseconds. Cancelling the
      // body reader as well covers an injected fetch whose abort signal may not reach the socket.
      upstreamAbort.abort();
      bodyReader?.cancel().catch(() => {});
    });
    const isClientGone = (): boolean => clientGone;

    const check = await validateRequest(req, {
      routePath,
      maxBodyBytes,
      table,
      env,
      modelPolicy: createModelPolicy(options.allowedModels, env, providerNames),
      defaultOutput,
      clientGone: isClientGone,
    });
    switch (check.kind) {
      case 'gone':
        return;
      case 'other-path':
        if (next) return next();
        return sendError(res, { status: 404, message: `No route for ${req.method} ${check.pathname}.`, type: 'not_found' });
      case 'reject':
        if (check.drainBody) req.resume();
        return sendError(res, check.reply);
      case 'valid':
        break;
    }

    // Concurrency: one slot per open upstream stream, released when the client response closes.
    const release = takeSlot(clientIdOf(req));
    if (!release) {
      return sendError(res, {
        status: 429,
        message: `Too many concurrent streams for this client (limit ${maxPerClient}).`,
        type: 'rate_limited',
        headers: { 'Retry-After': '1' },
      });
    }
    res.once('close', release);
    if (res.destroyed) release();

    const upstream = await openUpstream({
      provider: check.provider,
      chat: check.chat,
      signal: upstreamAbort.signal,
      fetch: options.fetch,
      keys,
      log: safeLog,
      clientGone: isClientGone,
    });
    if (upstream.kind === 'gone') return;
    if (upstream.kind === 'reject') return sendError(res, upstream.reply);
    await pipeAnswer(res, {
      response: upstream.response,
      forwardedHeaders: upstream.forwardedHeaders,
      provider: check.provider,
      model: check.chat.model,
      output: check.output,
      keys,
      log: safeLog,
      clientGone: isClientGone,
      onReader: (reader) => {
        bodyReader = reader;
      },
    });
  }

  return async function relay(req, res, next) {
    const keys = knownKeys(table, options.env ?? process.env);
    const safeLog: RelayLog = (message, details) => {
      try {
        log(redactKeys(message, keys), details && (JSON.parse(redactKeys(JSON.stringify(details), keys)) as Record<string, unknown>));
      } catch {
        // A throwing logger must not break the stream.
      }
    };
    try {
      await handle(req, res, next, safeLog, keys);
    } catch (err) {
      safeLog('internal error', { message: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) sendError(res, { status: 500, message: 'Internal relay error.', type: 'internal_error' });
      else res.destroy();
    }
  };
}
