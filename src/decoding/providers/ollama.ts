import type { ProviderEvent } from '../../types.js';
import { ollamaFinishReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { arrayAt, isRecord, recordAt, stringAt, type JsonObject, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';
import { createToolCallIds, jsonText } from './tool-call-ids.js';

/**
 * Ollama NDJSON, both endpoints: `/api/chat` streams `{"message":{"content":…},"done":false}` and
 * `/api/generate` streams `{"response":…,"done":false}`. The line with `"done": true` is the end
 * marker and carries `done_reason` and the token counts (`prompt_eval_count`, `eval_count`).
 * - Reasoning: `message.thinking` (chat) / `thinking` (generate), with `think: true`.
 * - Tool calls: `message.tool_calls[]`, each `{ function: { name, arguments } }` whole in one line,
 *   `arguments` an object; Ollama sends no call id, so one is generated.
 */
export function ollamaAdapter(): ProviderAdapter {
  const ids = createToolCallIds();

  function toolCall(entry: JsonObject): ProviderEvent[] {
    const fn = recordAt(entry, 'function');
    if (!fn) return [];
    const name = stringAt(fn, 'name');
    return [{ type: 'tool-call', id: ids.claim(stringAt(entry, 'id')), ...(name ? { name } : {}), arguments: jsonText(fn.arguments ?? {}), status: 'complete' }];
  }

  return {
    format: 'ollama',
    endMarker: 'a line with "done": true',
    map(value) {
      const error = providerError(value);
      if (error) return [error];
      const events: ProviderEvent[] = [];
      const message = recordAt(value, 'message');
      const thinking = (message && stringAt(message, 'thinking')) ?? stringAt(value, 'thinking');
      if (thinking) events.push({ type: 'reasoning', text: thinking });
      const text = (message && stringAt(message, 'content')) ?? stringAt(value, 'response');
      if (text) events.push({ type: 'text', text });
      for (const entry of (message && arrayAt(message, 'tool_calls')) ?? []) {
        if (isRecord(entry)) events.push(...toolCall(entry));
      }
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
