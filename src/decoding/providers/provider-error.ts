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
