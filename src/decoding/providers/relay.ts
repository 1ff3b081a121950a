import type { ProviderEvent } from '../../types.js';
import { genericFinishReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { stringAt, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';

/** Message types of the relay format (used by format detection). */
export const RELAY_TYPES: ReadonlySet<string> = new Set(['token', 'usage', 'done', 'error']);

/**
 * The relay format, what our reference relay emits, over SSE or NDJSON:
 * `{"type":"token","content":"Hi"}`, `{"type":"usage","usage":{…}}` (our names or OpenAI's),
 * `{"type":"done","finishReason"?:…}` (the end marker), `{"type":"error","message":…}`.
 */
export function relayAdapter(): ProviderAdapter {
  return {
    format: 'relay',
    endMarker: '{"type":"done"}',
    map(value) {
      const error = providerError(value);
      if (error) return [error];
      switch (value.type) {
        case 'token': {
          const content = stringAt(value, 'content');
          return content ? [{ type: 'text', text: content }] : [];
        }
        case 'usage': {
          const usage = normalizeUsage(value.usage);
          return usage ? [{ type: 'usage', usage }] : [];
        }
        case 'done': {
          const events: ProviderEvent[] = [];
          const raw = stringAt(value, 'finishReason') ?? stringAt(value, 'finish_reason');
          if (raw) events.push({ type: 'finish', reason: genericFinishReason(raw), raw });
          events.push({ type: 'end' });
          return events;
        }
        default:
          return [];
      }
    },
  };
}
