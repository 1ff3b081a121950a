import type { ProviderEvent } from '../../types.js';
import { anthropicFinishReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { recordAt, stringAt, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';

/**
 * Anthropic Messages: `message_start` (input usage) → `content_block_start` → `ping` →
 * `content_block_delta` … → `content_block_stop` → `message_delta` (stop reason, output usage) →
 * `message_stop`, the end marker. Only `text_delta` is answer text: thinking, signature and tool
 * input deltas are not.
 */
export function anthropicAdapter(): ProviderAdapter {
  return {
    format: 'anthropic',
    endMarker: 'message_stop',
    map(value) {
      const error = providerError(value);
      if (error) return [error];
      switch (value.type) {
        case 'message_start': {
          const message = recordAt(value, 'message');
          const usage = message ? normalizeUsage(message.usage) : null;
          return usage ? [{ type: 'usage', usage }] : [];
        }
        case 'content_block_delta': {
          const delta = recordAt(value, 'delta');
          if (!delta || delta.type !== 'text_delta') return [];
          const text = stringAt(delta, 'text');
          return text ? [{ type: 'text', text }] : [];
        }
        case 'message_delta': {
          const events: ProviderEvent[] = [];
          const delta = recordAt(value, 'delta');
          const reason = delta && stringAt(delta, 'stop_reason');
          // Usage first: it belongs to the finished message, and consumers may finalize on finish.
          const usage = normalizeUsage(value.usage);
          if (usage) events.push({ type: 'usage', usage });
          if (reason) events.push({ type: 'finish', reason: anthropicFinishReason(reason), raw: reason });
          return events;
        }
        case 'message_stop':
          return [{ type: 'end' }];
        default:
          // content_block_start, content_block_stop, ping and future types carry no answer text.
          return [];
      }
    },
  };
}
