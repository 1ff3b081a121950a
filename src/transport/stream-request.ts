import type { StreamRequest } from '../types.js';

/** A request ready for `fetch`: body serialized, method and headers settled. */
export interface PreparedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
  credentials: 'omit' | 'same-origin' | 'include';
}

/**
 * Settle a user request: a plain-object body is sent as JSON (with `Content-Type: application/json`
 * unless the caller set one), a body implies POST, and relative URLs resolve against `baseUrl`
 * (the page's URL — the worker's own location is a blob: URL and would resolve nothing).
 */
export function prepareRequest(request: StreamRequest, baseUrl: string): PreparedRequest {
  if (!request.url) throw new TypeError('llm-stream: the request has no url (set `src` or pass { url } to start())');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = String(value);
  let body: string | null = null;
  if (typeof request.body === 'string') body = request.body;
  else if (request.body !== undefined && request.body !== null) {
    body = JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  headers['accept'] ??= 'text/event-stream, application/x-ndjson, text/plain;q=0.9, */*;q=0.5';
  return {
    url: new URL(request.url, baseUrl).href,
    method: (request.method ?? (body === null ? 'GET' : 'POST')).toUpperCase(),
    headers,
    body,
    credentials: request.credentials ?? 'same-origin',
  };
}
