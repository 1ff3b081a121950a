import type { ProviderEvent } from '../../types.js';
import { isRecord, stringAt, type JsonObject } from './adapter.js';

/**
 * Recognize the error objects providers send instead of (or in the middle of) a stream:
 * - OpenAI / Gemini: `{"error":{"message":…,"type":…}}` / `{"error":{"code":429,"message":…,"status":…}}`
 * - Anthropic: `{"type":"error","error":{"type":"overloaded_error","message":…}}`
 * - OpenAI Responses: `{"type":"error","code":…,"message":…}`
 * - Vercel AI SDK: `{"type":"error","errorText":…}`; relay: `{"type":"error","message":…}`
 * - Ollama: `{"error":"model not found"}`
 * Returns null for anything else.
 */
export function providerError(value: JsonObject): Extract<ProviderEvent, { type: 'error' }> | null {
  const error = value.error;
  if (value.type === 'error' || (error !== undefined && error !== null && value.type === undefined)) {
    const inner = isRecord(error) ? error : undefined;
    const message =
      (inner && stringAt(inner, 'message')) ??
      (typeof error === 'string' ? error : undefined) ??
      stringAt(value, 'message') ??
      stringAt(value, 'errorText') ??
      'the provider reported an error without a message';
    const providerType =
      (inner && (stringAt(inner, 'type') ?? stringAt(inner, 'status') ?? codeOf(inner))) ?? codeOf(value);
    const event: Extract<ProviderEvent, { type: 'error' }> = { type: 'error', code: 'provider', message };
    if (providerType !== undefined) event.providerType = providerType;
    return event;
  }
  return null;
}

function codeOf(value: JsonObject): string | undefined {
  const code = value.code;
  if (typeof code === 'string' && code !== '') return code;
  return undefined;
}

/** A plain `{"message":"…"}` body: only meaningful as a whole non-streamed JSON response. */
export function messageOnlyError(value: JsonObject): Extract<ProviderEvent, { type: 'error' }> | null {
  const message = stringAt(value, 'message');
  if (message === undefined) return null;
  const event: Extract<ProviderEvent, { type: 'error' }> = { type: 'error', code: 'provider', message };
  const type = stringAt(value, 'type') ?? codeOf(value);
  if (type !== undefined) event.providerType = type;
  return event;
}

/** How much of an error body is read, and how much of it a summary keeps. */
const ERROR_BODY_READ_CHARS = 2000;
const ERROR_SUMMARY_CHARS = 500;

/**
 * A one-line summary of a non-2xx response body for the `http` error message: the provider's own
 * message when the body is JSON that carries one (`message`, `error`, or nested `error.message`),
 * else the body's text with its whitespace collapsed. At most 500 characters, from the first 2 000
 * of the body (an HTML error page is long and says little). `''` for an empty body.
 */
export function summarizeErrorBody(body: string): string {
  const text = body.slice(0, ERROR_BODY_READ_CHARS);
  try {
    const message = messageIn(JSON.parse(text));
    if (message) return message.slice(0, ERROR_SUMMARY_CHARS);
  } catch {
    // Not JSON: the text itself is the summary.
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, ERROR_SUMMARY_CHARS);
}

/** The message inside a parsed error body: a string, `message`, `error`, or the same inside `error`. */
function messageIn(json: unknown): string | null {
  if (typeof json !== 'object' || json === null) return typeof json === 'string' ? json : null;
  const record = json as Record<string, unknown>;
  if (typeof record.message === 'string') return record.message;
  if (typeof record.error === 'string') return record.error;
  if (record.error) return messageIn(record.error);
  return null;
}
