import type { ProviderEvent } from '../../types.js';
import { openaiFinishReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { firstChoice, recordAt, stringAt, type AdapterFormat, type JsonObject, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';

/**
 * The shape OpenAI's chat and legacy completion streams share: `choices[0]` carries the text and a
 * `finish_reason`, a last chunk may carry `usage`, `{"error": …}` is a provider error, and
 * `data: [DONE]` is the only end marker. They differ only in where a choice keeps its text.
 */
export function openaiChoicesAdapter(format: AdapterFormat, textOf: (choice: JsonObject) => string | undefined): ProviderAdapter {
  return {
    format,
    endMarker: 'data: [DONE]',
    map(value) {
      const error = providerError(value);
      if (error) return [error];
      const events: ProviderEvent[] = [];
      const choice = firstChoice(value);
      if (choice) {
        const text = textOf(choice);
        if (text) events.push({ type: 'text', text });
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

/**
 * OpenAI Chat Completions (and the many servers that copy it):
 * `data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}` … a chunk with
 * `finish_reason`, with `stream_options.include_usage` a last chunk with empty `choices` and `usage`,
 * then `data: [DONE]`.
 */
export function openaiChatAdapter(): ProviderAdapter {
  return openaiChoicesAdapter('openai', (choice) => {
    // `delta` when streamed; `message` when a whole non-streamed completion is decoded.
    // Reasoning fields (`reasoning_content`, `refusal`) are not answer text.
    const delta = recordAt(choice, 'delta') ?? recordAt(choice, 'message');
    return (delta && stringAt(delta, 'content')) || undefined;
  });
}
