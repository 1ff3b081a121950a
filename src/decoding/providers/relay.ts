import type { ProviderEvent, ToolCallStatus } from '../../types.js';
import { genericFinishReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { stringAt, type JsonObject, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';

/** Message types of the relay format (used by format detection). */
export const RELAY_TYPES: ReadonlySet<string> = new Set(['token', 'usage', 'done', 'error', 'reasoning', 'tool-call', 'source']);

/**
 * The relay format, what our reference relay emits, over SSE or NDJSON:
 * `{"type":"token","content":"Hi"}`, `{"type":"usage","usage":{…}}` (our names or OpenAI's),
 * `{"type":"done","finishReason"?:…}` (the end marker), `{"type":"error","message":…}`.
 * The rest of the response travels as the normalized events themselves:
 * `{"type":"reasoning","content":…}`, `{"type":"tool-call","id":…,"name"?,"argumentsDelta"?,
 * "arguments"?,"status"?,"output"?}` and `{"type":"source","url":…,"title"?}`.
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
        case 'reasoning': {
          const content = stringAt(value, 'content');
          return content ? [{ type: 'reasoning', text: content }] : [];
        }
        case 'tool-call':
          return toolCall(value);
        case 'source': {
          const url = stringAt(value, 'url');
          const title = stringAt(value, 'title');
          return url ? [{ type: 'source', url, ...(title ? { title } : {}) }] : [];
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

function isToolCallStatus(value: string | undefined): value is ToolCallStatus {
  return value === 'streaming' || value === 'complete' || value === 'incomplete';
}

/** A relayed tool-call event, with only the fields of their proper types kept. */
function toolCall(value: JsonObject): ProviderEvent[] {
  const id = stringAt(value, 'id');
  if (!id) return [];
  const event: Extract<ProviderEvent, { type: 'tool-call' }> = { type: 'tool-call', id };
  const name = stringAt(value, 'name');
  const argumentsDelta = stringAt(value, 'argumentsDelta');
  const whole = stringAt(value, 'arguments');
  const status = stringAt(value, 'status');
  const output = stringAt(value, 'output');
  if (name !== undefined) event.name = name;
  if (argumentsDelta) event.argumentsDelta = argumentsDelta;
  if (whole !== undefined) event.arguments = whole;
  if (isToolCallStatus(status)) event.status = status;
  if (output !== undefined) event.output = output;
  return [event];
}
