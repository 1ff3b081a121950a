/** The relay's small HTTP helpers: JSON error replies, a capped body reader, back-pressure, the URL. */
import type { ServerResponse } from 'node:http';
import type { RelayErrorType, RelayRequest } from './types.js';

/** An error answer: JSON `{ error: { message, type, ...fields } }` with `status` and extra headers. */
export interface ErrorReply {
  status: number;
  message: string;
  type: RelayErrorType;
  fields?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Sends an error reply; once a stream has started it can only end the response. */
export function sendError(res: ServerResponse, reply: ErrorReply): void {
  if (res.headersSent || res.destroyed) {
    if (!res.writableEnded) res.end();
    return;
  }
  const body = JSON.stringify({ error: { message: reply.message, type: reply.type, ...reply.fields } });
  res.writeHead(reply.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-cache',
    ...reply.headers,
  });
  res.end(body);
}

/** What reading a request body gave. */
export type BodyRead = { kind: 'text'; text: string } | { kind: 'too-large' } | { kind: 'gone' };

/**
 * Reads the request body up to `limit` bytes. Reading stops at the cap (the rest is never
 * buffered), so an endless chunked body cannot grow memory.
 */
export function readBody(req: RelayRequest, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (read: BodyRead): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
      resolve(read);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        settle({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => settle({ kind: 'text', text: Buffer.concat(chunks).toString('utf8') });
    const onGone = (): void => settle({ kind: 'gone' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}

/** Resolves when `res` can take more data or has closed. */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** The request's path and query. `originalUrl` first: a mounted Express/Connect app strips `url`. */
export function requestTarget(req: RelayRequest): { pathname: string; query: URLSearchParams } {
  const raw = req.originalUrl ?? req.url ?? '/';
  const q = raw.indexOf('?');
  return q === -1
    ? { pathname: raw, query: new URLSearchParams() }
    : { pathname: raw.slice(0, q), query: new URLSearchParams(raw.slice(q + 1)) };
}
