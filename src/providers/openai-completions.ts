import type { ProviderEvent } from '../types.js';
import { openaiFinishReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { firstChoice, stringAt, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';

/**
 * OpenAI legacy text completions: `{"object":"text_completion","choices":[{"text":"Hi","index":0,
 * "finish_reason":null}]}`, ended by `data: [DONE]` like chat.
 */
export function openaiCompletionsAdapter(): ProviderAdapter {
  return {
    format: 'openai-completions',
    endMarker: 'data: [DONE]',
    map(value) {
      const error = providerError(value);
      if (error) return [error];
      const events: ProviderEvent[] = [];
      const choice = firstChoice(value);
      if (choice) {
        const text = stringAt(choice, 'text');
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
