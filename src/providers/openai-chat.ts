import type { ProviderEvent } from '../types.js';
import { openaiFinishReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { firstChoice, recordAt, stringAt, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';

/**
 * OpenAI Chat Completions (and the many servers that copy it):
 * `data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}` … a chunk with
 * `finish_reason`, with `stream_options.include_usage` a last chunk with empty `choices` and `usage`,
 * then `data: [DONE]` — the only end marker.
 */
export function openaiChatAdapter(): ProviderAdapter {
  return {
    format: 'openai',
    endMarker: 'data: [DONE]',
    map(value) {
      const error = providerError(value);
      if (error) return [error];
      const events: ProviderEvent[] = [];
      const choice = firstChoice(value);
      if (choice) {
        // `delta` when streamed; `message` when a whole non-streamed completion is decoded.
        // Reasoning fields (`reasoning_content`, `refusal`) are not answer text.
        const delta = recordAt(choice, 'delta') ?? recordAt(choice, 'message');
        const content = delta && stringAt(delta, 'content');
        if (content) events.push({ type: 'text', text: content });
        const reason = stringAt(choice, 'finish_reason');
        if (reason) events.push({ type: 'finish', reason: openaiFinishReason(reason), raw: reason });
      }
      const usage = normalizeUsage(value.usage);
      if (usage) events.push({ type: 'usage', usage });
      return events;
    },
    done: () => [{ type: 'end' }],
  };
}
