import type { ProviderEvent } from '../../types.js';
import { genericFinishReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { recordAt, stringAt, type JsonObject, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';
import { createToolCallIds, jsonText } from './tool-call-ids.js';

/** Chunk types of the Vercel AI SDK UI message stream, v1 (used by format detection). */
export const AI_SDK_TYPES: ReadonlySet<string> = new Set([
  'start',
  'start-step',
  'text-start',
  'text-delta',
  'text-end',
  'reasoning-start',
  'reasoning-delta',
  'reasoning-end',
  'finish-step',
  'finish',
  'error',
  'abort',
  'message-metadata',
  'file',
  'source-url',
  'source-document',
  'tool-input-start',
  'tool-input-delta',
  'tool-input-available',
  'tool-input-error',
  'tool-output-available',
  'tool-output-error',
]);

/**
 * Vercel AI SDK UI message stream (header `x-vercel-ai-ui-message-stream: v1`): SSE of typed JSON
 * chunks. `finish` is the end marker; the `[DONE]` that follows it is then ignored (the decoder stops
 * at the first end marker), and a `[DONE]` without `finish` ends the stream as well. `abort` ends it
 * with finish reason `abort`.
 * - Reasoning: `reasoning-delta` (`delta`), several reasoning parts concatenated as sent.
 * - Tool calls, by `toolCallId`: `tool-input-start` (`toolName`), `tool-input-delta`
 *   (`inputTextDelta`), `tool-input-available` (the whole `input`; it completes the call and gives
 *   its arguments when none streamed), `tool-output-available` (`output`), `tool-input-error` /
 *   `tool-output-error` (`errorText` as output).
 * - Sources: `source-url` (`url`, `title`). `source-document`, `file` and `data-*` carry no URL to cite.
 */
export function aiSdkAdapter(): ProviderAdapter {
  const ids = createToolCallIds();
  // Our id and whether arguments streamed, per provider toolCallId.
  const calls = new Map<string, { id: string; streamed: boolean }>();

  /** The call `toolCallId` names, created (with its name) on first sight. */
  function callOf(value: JsonObject, events: ProviderEvent[]): { id: string; streamed: boolean } {
    const providerId = stringAt(value, 'toolCallId') ?? '';
    let call = calls.get(providerId);
    if (!call) {
      call = { id: ids.claim(providerId), streamed: false };
      calls.set(providerId, call);
      const name = stringAt(value, 'toolName');
      events.push({ type: 'tool-call', id: call.id, ...(name ? { name } : {}) });
    }
    return call;
  }

  function toolEvents(value: JsonObject): ProviderEvent[] {
    const events: ProviderEvent[] = [];
    const call = callOf(value, events);
    switch (value.type) {
      case 'tool-input-delta': {
        const delta = stringAt(value, 'inputTextDelta');
        if (delta) {
          call.streamed = true;
          events.push({ type: 'tool-call', id: call.id, argumentsDelta: delta });
        }
        break;
      }
      case 'tool-input-available':
      case 'tool-input-error':
        // The streamed text is the raw argument text; the parsed `input` stands in only when none came.
        if (!call.streamed && value.input !== undefined) events.push({ type: 'tool-call', id: call.id, arguments: jsonText(value.input) });
        events.push({ type: 'tool-call', id: call.id, status: 'complete' });
        if (value.type === 'tool-input-error') events.push({ type: 'tool-call', id: call.id, output: stringAt(value, 'errorText') ?? '' });
        break;
      case 'tool-output-available':
        events.push({ type: 'tool-call', id: call.id, output: jsonText(value.output) });
        break;
      case 'tool-output-error':
        events.push({ type: 'tool-call', id: call.id, output: stringAt(value, 'errorText') ?? '' });
        break;
      default:
        break;
    }
    return events;
  }

  return {
    format: 'ai-sdk',
    endMarker: 'a finish event',
    map(value) {
      const error = providerError(value);
      if (error) return [error];
      switch (value.type) {
        case 'text-delta': {
          const delta = stringAt(value, 'delta');
          return delta ? [{ type: 'text', text: delta }] : [];
        }
        case 'reasoning-delta': {
          const delta = stringAt(value, 'delta');
          return delta ? [{ type: 'reasoning', text: delta }] : [];
        }
        case 'tool-input-start':
        case 'tool-input-delta':
        case 'tool-input-available':
        case 'tool-input-error':
        case 'tool-output-available':
        case 'tool-output-error':
          return toolEvents(value);
        case 'source-url': {
          const url = stringAt(value, 'url');
          const title = stringAt(value, 'title');
          return url ? [{ type: 'source', url, ...(title ? { title } : {}) }] : [];
        }
        case 'finish': {
          const events: ProviderEvent[] = [];
          // messageMetadata is the app's own object; usage inside it is a common convention.
          const metadata = recordAt(value, 'messageMetadata');
          const usage = metadata ? normalizeUsage(metadata.usage ?? metadata.totalUsage) : null;
          if (usage) events.push({ type: 'usage', usage });
          const raw = stringAt(value, 'finishReason');
          if (raw) events.push({ type: 'finish', reason: genericFinishReason(raw), raw });
          events.push({ type: 'end' });
          return events;
        }
        case 'abort':
          return [{ type: 'finish', reason: 'abort', raw: 'abort' }, { type: 'end' }];
        default:
          return [];
      }
    },
    done: () => [{ type: 'end' }],
  };
}
