import type { ProviderEvent, StreamFormat } from '../../types.js';

/** The formats that have an adapter (plain text needs none). */
export type AdapterFormat = Exclude<StreamFormat, 'auto' | 'text'>;

/** A parsed JSON object: the data of one SSE event, or one NDJSON line. */
export type JsonObject = Record<string, unknown>;

/**
 * A provider adapter maps one framed message to normalized events. It is created per stream,
 * because some formats need memory (the last `sequence_number`, whether `finish` was seen).
 * Framing, JSON parsing and termination after `error`/`end` are the decoder's job.
 */
export interface ProviderAdapter {
  readonly format: AdapterFormat;
  /** What ends a complete stream, for "the body ended before …" (e.g. `data: [DONE]`). */
  readonly endMarker: string;
  /** One JSON object; `event` is the SSE event type, when the framing was SSE. */
  map(value: JsonObject, event?: string): ProviderEvent[];
  /**
   * What an exact `data: [DONE]` means. Absent when the format has no such sentinel: the payload is
   * then parsed as JSON like any other and fails as a protocol error.
   */
  done?(): ProviderEvent[];
  /**
   * The body closed before any end marker. A format whose end *is* the end of the body (Gemini:
   * a finish reason says why the model stopped, not that nothing follows) returns its closing
   * events here (`finish`, `end`); absent or `[]` means the stream was cut short.
   */
  bodyEnd?(): ProviderEvent[];
}

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value[key]` when it is a JSON object. */
export function recordAt(value: JsonObject, key: string): JsonObject | undefined {
  const inner = value[key];
  return isRecord(inner) ? inner : undefined;
}

/** `value[key]` when it is a string. */
export function stringAt(value: JsonObject, key: string): string | undefined {
  const inner = value[key];
  return typeof inner === 'string' ? inner : undefined;
}

/** `value[key]` when it is an array. */
export function arrayAt(value: JsonObject, key: string): unknown[] | undefined {
  const inner = value[key];
  return Array.isArray(inner) ? inner : undefined;
}

/**
 * The choice a chat/completions chunk is about: the one with `index: 0`. Several choices (`n > 1`)
 * arrive interleaved, and only the first is the answer we render. Servers that omit `index` send a
 * single choice, so the first entry stands in for it.
 */
export function firstChoice(value: JsonObject): JsonObject | undefined {
  const choices = arrayAt(value, 'choices');
  if (!choices) return undefined;
  for (const choice of choices) {
    if (isRecord(choice) && choice.index === 0) return choice;
  }
  const only = choices[0];
  return isRecord(only) && only.index === undefined ? only : undefined;
}
