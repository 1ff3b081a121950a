/**
 * Step 3 of the handler: stream the provider's answer to the client, either byte for byte
 * (passthrough) or re-encoded as relay events through the core decoder.
 */
import type { ServerResponse } from 'node:http';
import { drained } from './http-io.js';
import { failureReason } from './open-upstream.js';
import { redactKeys, type ResolvedProvider } from './providers.js';
import { createRelayTransform, encodeRelayEvent } from './relay-transform.js';
import type { RelayEvent, RelayLog, RelayOutput } from './types.js';

/** What a client sees when the provider connection breaks mid-stream in relay output. */
const LOST_MID_STREAM = 'The upstream connection was lost mid-stream.';

export interface PipeAnswerOptions {
  response: Response;
  forwardedHeaders: Record<string, string>;
  provider: ResolvedProvider;
  model: string;
  output: RelayOutput;
  keys: readonly string[];
  log: RelayLog;
  clientGone: () => boolean;
  /** Receives the body reader, so that a client disconnect can cancel it. */
  onReader: (reader: ReadableStreamDefaultReader<Uint8Array>) => void;
}

/**
 * Writes the streaming headers and the answer. Relay output ends as the core decoder says the upstream
 * ended (see relay-transform.ts); passthrough output mirrors a broken upstream by cutting the connection.
 */
export async function pipeAnswer(res: ServerResponse, options: PipeAnswerOptions): Promise<void> {
  const { response, provider, output } = options;
  const relayMode = output !== 'passthrough';
  const ndjson = output === 'relay-ndjson';
  const upstreamType = response.headers.get('content-type');
  res.writeHead(relayMode ? 200 : response.status, {
    'Content-Type': relayMode
      ? ndjson
        ? 'application/x-ndjson; charset=utf-8'
        : 'text/event-stream; charset=utf-8'
      : (upstreamType ?? (provider.kind === 'ollama' ? 'application/x-ndjson' : 'text/event-stream')),
    'Cache-Control': 'no-cache',
    'X-Accel-Buffering': 'no',
    ...options.forwardedHeaders,
  });
  res.flushHeaders();

  const write = async (data: string | Uint8Array): Promise<void> => {
    if (options.clientGone() || res.destroyed || data.length === 0) return;
    if (!res.write(data)) await drained(res);
  };
  const context = { provider: provider.name, model: options.model };

  const transform = relayMode
    ? createRelayTransform(provider.kind, { contentType: upstreamType, headers: headersOf(response) })
    : null;
  const writeEvents = (events: RelayEvent[]): Promise<void> =>
    write(
      events
        // Provider error messages may echo a key back (e.g. "Incorrect API key provided: sk-…").
        .map((event) => (event.type === 'error' ? { ...event, message: redactKeys(event.message, options.keys) } : event))
        .map((event) => encodeRelayEvent(event, ndjson))
        .join(''),
    );

  const reader = response.body?.getReader();
  if (reader) options.onReader(reader);
  try {
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || options.clientGone()) break;
        if (!transform) {
          await write(value);
          continue;
        }
        await writeEvents(transform.push(value));
        // After `done` or `error` the core decodes nothing more: stop reading, end the answer now.
        if (transform.terminated) break;
      }
    }
    if (options.clientGone()) return;
    if (transform) {
      await writeEvents(transform.end());
      const ending = transform.ending;
      if (ending && !ending.complete && !transform.terminated) {
        options.log('upstream stream incomplete', { ...context, reason: ending.reason ?? '' });
      }
    }
    res.end();
  } catch (err) {
    if (options.clientGone()) return;
    options.log('upstream stream broke', { ...context, reason: failureReason(err) });
    if (transform) {
      await writeEvents(transform.fail(LOST_MID_STREAM));
      res.end();
    } else {
      // Passthrough mirrors the failure: the client sees a cut stream, not a clean end.
      res.destroy();
    }
  } finally {
    reader?.cancel().catch(() => {});
  }
}

/** Response headers as the decoder takes them (names lower-cased, as `Headers` gives them). */
function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}
