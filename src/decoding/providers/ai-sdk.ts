import type { ProviderEvent } from '../../types.js';
import { genericFinishReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { recordAt, stringAt, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';

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
  'tool-output-available',
]);

/**
 * Vercel AI SDK UI message stream (header `x-vercel-ai-ui-message-stream: v1`): SSE of typed JSON
 * chunks. `finish` is the end marker; the `[DONE]` that follows it is then ignored (the decoder stops
 * at the first end marker), and a `[DONE]` without `finish` ends the stream as well. `abort` ends it
 * with finish reason `abort`. Reasoning, tool, source, file and `data-*` chunks are not answer text.
 */
export function aiSdkAdapter(): ProviderAdapter {
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
