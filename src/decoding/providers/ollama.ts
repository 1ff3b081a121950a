import type { ProviderEvent } from '../../types.js';
import { ollamaFinishReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { recordAt, stringAt, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';

/**
 * Ollama NDJSON, both endpoints: `/api/chat` streams `{"message":{"content":…},"done":false}` and
 * `/api/generate` streams `{"response":…,"done":false}`. The line with `"done": true` is the end
 * marker and carries `done_reason` and the token counts (`prompt_eval_count`, `eval_count`).
 * `message.thinking` / `thinking` are reasoning, not answer text.
 */
export function ollamaAdapter(): ProviderAdapter {
  return {
    format: 'ollama',
    endMarker: 'a line with "done": true',
    map(value) {
      const error = providerError(value);
      if (error) return [error];
      const events: ProviderEvent[] = [];
      const message = recordAt(value, 'message');
      const text = (message && stringAt(message, 'content')) ?? stringAt(value, 'response');
      if (text) events.push({ type: 'text', text });
      if (value.done === true) {
        const usage = normalizeUsage({ prompt_eval_count: value.prompt_eval_count, eval_count: value.eval_count });
        if (usage) events.push({ type: 'usage', usage });
        const raw = stringAt(value, 'done_reason');
        // Old servers omit done_reason; we do not guess why they stopped.
        events.push({ type: 'finish', reason: raw ? ollamaFinishReason(raw) : 'unknown', ...(raw ? { raw } : {}) });
        events.push({ type: 'end' });
      }
      return events;
    },
  };
}
