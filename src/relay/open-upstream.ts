/**
 * Step 2 of the handler: send the translated request to the provider and classify its answer — a
 * stream to pipe, or an error reply for the client (unreachable, redirect, non-2xx).
 */
import { summarizeErrorBody } from '../decoding/providers/provider-error.js';
import type { ErrorReply } from './http-io.js';
import { nodeFetch } from './node-fetch.js';
import { redactKeys, type ResolvedProvider } from './providers.js';
import type { RelayLog } from './types.js';
import { upstreamBody, upstreamHeaders } from './upstream-request.js';
import type { ChatRequest } from './validate-request.js';

/** How much of a provider's error body is read. */
const ERROR_BODY_CAP = 64 * 1024;
/** How much of a provider's error message reaches the client. */
const ERROR_MESSAGE_CAP = 1000;
/** Provider headers a client can act on (retry timing) or quote in a bug report (request ids). */
const FORWARDED_HEADERS = ['retry-after', 'retry-after-ms', 'x-request-id', 'request-id'];

/** The outcome of opening the upstream stream. */
export type UpstreamOutcome =
  | { kind: 'stream'; response: Response; forwardedHeaders: Record<string, string> }
  | { kind: 'reject'; reply: ErrorReply }
  /** The client left meanwhile; the upstream request has been cancelled. */
  | { kind: 'gone' };

export interface OpenUpstreamOptions {
  provider: ResolvedProvider;
  chat: ChatRequest;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  fetch: typeof fetch | undefined;
  keys: readonly string[];
  log: RelayLog;
  clientGone: () => boolean;
}

/** Calls the provider and classifies its answer; every failure is logged (keys redacted by the caller's log). */
export async function openUpstream(options: OpenUpstreamOptions): Promise<UpstreamOutcome> {
  const { provider, chat, keys, log } = options;
  const context = { provider: provider.name, model: chat.model };
  let response: Response;
  try {
    const init = {
      method: 'POST',
      headers: upstreamHeaders(provider),
      body: JSON.stringify(upstreamBody(provider.kind, chat)),
      signal: options.signal,
      redirect: 'error' as const, // never forward a key to wherever a redirect points
    };
    response = options.fetch ? await options.fetch(provider.url, init) : await nodeFetch(provider.url, init);
  } catch (err) {
    if (options.clientGone()) return { kind: 'gone' };
    log('upstream unreachable', { ...context, reason: failureReason(err) });
    return { kind: 'reject', reply: { status: 502, message: `Upstream provider "${provider.name}" is unreachable.`, type: 'upstream_unreachable' } };
  }
  if (options.clientGone()) {
    await response.body?.cancel().catch(() => {});
    return { kind: 'gone' };
  }

  const forwardedHeaders: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) forwardedHeaders[name] = value;
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => {});
    log('upstream redirect refused', { ...context, status: response.status });
    return {
      kind: 'reject',
      reply: {
        status: 502,
        message: `Upstream provider "${provider.name}" answered with a redirect; check its base URL.`,
        type: 'upstream_unreachable',
      },
    };
  }
  if (!response.ok) {
    const body = await readCapped(response, ERROR_BODY_CAP).catch(() => '');
    if (options.clientGone()) return { kind: 'gone' };
    const summary = summarizeErrorBody(body);
    // An HTML error page says nothing useful to an API client.
    const usable = summary !== '' && !summary.startsWith('<') ? summary : `Upstream returned HTTP ${response.status}.`;
    const message = redactKeys(usable, keys).slice(0, ERROR_MESSAGE_CAP);
    log('upstream error', { ...context, status: response.status, message });
    return {
      kind: 'reject',
      reply: { status: response.status, message, type: 'upstream_error', fields: { status: response.status }, headers: forwardedHeaders },
    };
  }
  return { kind: 'stream', response, forwardedHeaders };
}

/** A network failure's most telling part: the system error code (ECONNREFUSED, …) when there is one. */
export function failureReason(err: unknown): string {
  if (err instanceof Error) {
    const cause: unknown = err.cause;
    if (typeof cause === 'object' && cause !== null) {
      const { code, message } = cause as { code?: unknown; message?: unknown };
      if (typeof code === 'string') return code;
      if (typeof message === 'string') return message;
    }
    return err.message;
  }
  return String(err);
}

async function readCapped(response: Response, cap: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const utf8 = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += utf8.decode(value, { stream: true });
    if (text.length >= cap) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return text + utf8.decode();
}
