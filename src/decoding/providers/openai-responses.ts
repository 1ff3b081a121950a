import type { FinishReason, ProviderEvent } from '../../types.js';
import { responsesIncompleteReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { arrayAt, isRecord, recordAt, stringAt, type JsonObject, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';

/**
 * OpenAI Responses API: typed events (`response.created`, `response.output_text.delta`, …).
 * `response.completed` and `response.incomplete` end the stream; `response.failed` and `error` are
 * provider errors; every other type (output items, content parts, reasoning, tool calls) is ignored.
 * Events carry a `sequence_number`; one not greater than the last seen is a replay and is dropped.
 */
export function openaiResponsesAdapter(): ProviderAdapter {
  let lastSequence = -1;

  function ending(response: JsonObject | undefined, finish: ProviderEvent): ProviderEvent[] {
    const events: ProviderEvent[] = [];
    const usage = response ? normalizeUsage(response.usage) : null;
    if (usage) events.push({ type: 'usage', usage });
    events.push(finish, { type: 'end' });
    return events;
  }

  return {
    format: 'openai-responses',
    endMarker: 'response.completed',
    map(value) {
      const sequence = value.sequence_number;
      if (typeof sequence === 'number') {
        if (sequence <= lastSequence) return [];
        lastSequence = sequence;
      }
      const error = providerError(value);
      if (error) return [error];
      const response = recordAt(value, 'response');
      switch (value.type) {
        case 'response.output_text.delta': {
          const delta = stringAt(value, 'delta');
          return delta ? [{ type: 'text', text: delta }] : [];
        }
        case 'response.completed': {
          // A turn that ends by calling a function has a function_call output item.
          const calledTool = (response && arrayAt(response, 'output'))?.some(
            (item) => isRecord(item) && item.type === 'function_call',
          );
          const reason: FinishReason = calledTool ? 'tool_calls' : 'stop';
          return ending(response, { type: 'finish', reason, raw: 'completed' });
        }
        case 'response.incomplete': {
          const details = response && recordAt(response, 'incomplete_details');
          const raw = (details && stringAt(details, 'reason')) ?? 'incomplete';
          return ending(response, { type: 'finish', reason: responsesIncompleteReason(raw), raw });
        }
        case 'response.failed': {
          const failure = response && recordAt(response, 'error');
          const event: Extract<ProviderEvent, { type: 'error' }> = {
            type: 'error',
            code: 'provider',
            message: (failure && stringAt(failure, 'message')) ?? 'the response failed',
          };
          const code = failure && stringAt(failure, 'code');
          if (code) event.providerType = code;
          return [event];
        }
        default:
          return [];
      }
    },
  };
}
