import type { AdapterFormat, JsonObject } from './providers/adapter.js';
import { arrayAt, isRecord } from './providers/adapter.js';
import { AI_SDK_TYPES } from './providers/ai-sdk.js';
import { RELAY_TYPES } from './providers/relay.js';

/**
 * Format detection for `format: 'auto'`, in two steps: the body kind (how bytes are cut into
 * messages) from the Content-Type or, when that is missing or generic, from the first bytes; then
 * the provider from the shape of the first JSON message.
 */

/**
 * How a body is read. Besides the three framings: `json` is one whole JSON document (a
 * non-streamed response or an error body), `html` is an error page served with a 2xx status.
 */
export type BodyKind = 'sse' | 'ndjson' | 'text' | 'json' | 'html';

const NDJSON_TYPES = new Set([
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonl',
  'application/jsonlines',
  'application/x-jsonlines',
  'application/json-seq',
  'application/stream+json',
  'application/x-json-stream',
]);

/** The media type of a Content-Type header: lower case, without parameters. */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * The body kind a Content-Type announces, or null when it says nothing useful (missing,
 * `application/octet-stream`, or a type we do not know) and the bytes must decide.
 */
export function bodyKindFromContentType(contentType: string | null | undefined): BodyKind | null {
  const type = mediaType(contentType);
  if (type === 'text/event-stream') return 'sse';
  if (NDJSON_TYPES.has(type)) return 'ndjson';
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'text/plain' || type === 'text/markdown' || type === 'text/x-markdown') return 'text';
  return null;
}

/** SSE field names a body may start with (a `:` comment counts too). */
const SSE_PREFIXES = ['data:', 'event:', 'id:', 'retry:'];

/**
 * The body kind the first characters suggest, or null while they cannot tell yet (only whitespace
 * so far, or a prefix of `data:`). With `final`, the body has ended and an answer is forced.
 */
export function bodyKindFromPrefix(text: string, final = false): BodyKind | null {
  const start = text.search(/\S/);
  if (start === -1) return final ? 'text' : null;
  const first = text[start];
  if (first === '{') return 'ndjson';
  if (first === '[') return 'json';
  if (first === '<') return 'html';
  if (first === ':') return 'sse';
  const head = text.slice(start, start + 6);
  for (const prefix of SSE_PREFIXES) {
    if (head.startsWith(prefix)) return 'sse';
    // `dat` could still become `data:`: wait for more bytes unless the body ended.
    if (!final && prefix.startsWith(head)) return null;
  }
  return 'text';
}

const ANTHROPIC_TYPES = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'ping',
]);

/**
 * The provider format of a first JSON message, or null when the shape is not one we know.
 * Error objects are recognized separately (see providerError): they look alike across providers.
 */
export function detectFormat(value: JsonObject): AdapterFormat | null {
  const choices = arrayAt(value, 'choices');
  if (choices || value.object === 'chat.completion.chunk' || value.object === 'text_completion') {
    if (value.object === 'text_completion') return 'openai-completions';
    if (value.object === 'chat.completion.chunk' || value.object === 'chat.completion') return 'openai';
    const first = choices?.find(isRecord);
    if (first && typeof first.text === 'string' && !('delta' in first)) return 'openai-completions';
    // Role-only first chunks, usage-only chunks (empty choices) and Azure's prompt filter chunk.
    return 'openai';
  }
  const type = value.type;
  if (typeof type === 'string') {
    if (type.startsWith('response.')) return 'openai-responses';
    if (ANTHROPIC_TYPES.has(type)) return 'anthropic';
    if (RELAY_TYPES.has(type)) return 'relay';
    if (AI_SDK_TYPES.has(type) || type.startsWith('data-') || type.startsWith('tool-')) return 'ai-sdk';
  }
  if (Array.isArray(value.candidates) || isRecord(value.usageMetadata) || isRecord(value.promptFeedback)) {
    return 'gemini';
  }
  if ('done' in value && ('message' in value || 'response' in value || 'model' in value)) return 'ollama';
  return null;
}

/** At most `max` characters of a payload, for error messages. */
export function excerpt(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
