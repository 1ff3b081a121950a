/**
 * A minimal fetch on node:http / node:https, the relay's default upstream transport.
 *
 * Why not the global fetch: in Node 20 the fetch's internal request holds the caller's AbortSignal
 * only through a WeakRef, so after a garbage collection `abort()` may no longer reach the socket and
 * the provider keeps generating (measured: the mock upstream kept streaming for seconds). Here the
 * abort listener destroys the request directly, so the provider sees the connection close at once.
 * Redirects are never followed: a key must not travel to wherever a 3xx points.
 */
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/** The subset of `RequestInit` the relay uses. */
export interface UpstreamInit {
  method: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

/** POSTs `init.body` to `url` and resolves with the provider's response (its body a web stream); rejects like fetch (`TypeError` with a `cause`). */
export function nodeFetch(url: string, init: UpstreamInit): Promise<Response> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    const body = Buffer.from(init.body);
    const request = transport.request(target, {
      method: init.method,
      headers: { ...init.headers, 'content-length': String(body.length) },
    });
    // Listen for errors first: destroying the request on abort emits one.
    request.once('error', (err) => reject(Object.assign(new TypeError('fetch failed'), { cause: err })));
    const onAbort = (): void => {
      request.destroy(new DOMException('The operation was aborted.', 'AbortError'));
    };
    if (init.signal.aborted) {
      onAbort();
      return;
    }
    init.signal.addEventListener('abort', onAbort, { once: true });
    request.once('close', () => init.signal.removeEventListener('abort', onAbort));
    request.once('response', (incoming) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
      }
      const status = incoming.statusCode ?? 502;
      const noBody = status === 204 || status === 205 || status === 304 || init.method === 'HEAD';
      if (noBody) incoming.resume();
      // Cancelling the web stream destroys the socket too. Node's web stream type and the DOM's
      // describe the same object; the cast only bridges the two declarations.
      const stream = noBody ? null : (Readable.toWeb(incoming) as NodeReadableStream<Uint8Array> as unknown as ReadableStream<Uint8Array>);
      resolve(new Response(stream, { status: status < 200 || status > 599 ? 502 : status, headers }));
    });
    request.end(body);
  });
}
