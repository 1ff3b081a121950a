import type { FinishReason, ProviderEvent } from '../../types.js';
import { openaiFinishReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { arrayAt, firstChoice, isRecord, recordAt, stringAt, type AdapterFormat, type JsonObject, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';
import { createToolCallIds, jsonText } from './tool-call-ids.js';

/** What a format reads out of one choice, and what it closes when the choice states its finish reason. */
export interface ChoiceDecoder {
  /** Text, reasoning and tool-call events of one choice (of one chunk). */
  events(choice: JsonObject): ProviderEvent[];
  /** Events owed when the choice states why it stopped (e.g. closing its open tool calls). */
  finish?(reason: FinishReason): ProviderEvent[];
}

/**
 * The shape OpenAI's chat and legacy completion streams share: `choices[0]` carries the content and a
 * `finish_reason`, a last chunk may carry `usage`, `{"error": …}` is a provider error, and
 * `data: [DONE]` is the only end marker (a finish reason arrives before usage, so it ends nothing).
 * They differ only in what a choice carries.
 */
export function openaiChoicesAdapter(format: AdapterFormat, decoder: ChoiceDecoder): ProviderAdapter {
  return {
    format,
    endMarker: 'data: [DONE]',
    map(value) {
      const error = providerError(value);
      if (error) return [error];
      const events: ProviderEvent[] = [];
      const choice = firstChoice(value);
      if (choice) {
        events.push(...decoder.events(choice));
        const raw = stringAt(choice, 'finish_reason');
        if (raw) {
          const reason = openaiFinishReason(raw);
          if (decoder.finish) events.push(...decoder.finish(reason));
          events.push({ type: 'finish', reason, raw });
        }
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
 * - Reasoning: `delta.reasoning_content` (DeepSeek, vLLM, Azure) or `delta.reasoning` (OpenRouter,
 *   Ollama's compatible endpoint).
 * - Tool calls: `delta.tool_calls[]`, each entry keyed by `index`; the first entry of a call carries
 *   `id`, `function.name` and often `arguments: ""`, later entries only `index` and an arguments
 *   fragment. The calls close when the choice states its finish reason (`length` cuts them off).
 */
export function openaiChatAdapter(): ProviderAdapter {
  const ids = createToolCallIds();
  // Our id of the call at each `index` (or at a synthetic key, for servers that send no index), with
  // the provider's own id so that a reused index with a new id is recognized as a new call.
  const calls = new Map<string, { id: string; providerId: string | undefined }>();
  const open: string[] = [];
  let lastKey: string | undefined;
  let unindexed = 0;

  function toolCallEvents(entries: unknown[]): ProviderEvent[] {
    const events: ProviderEvent[] = [];
    for (const entry of entries) {
      if (!isRecord(entry)) continue;
      const fn = recordAt(entry, 'function') ?? {};
      const providerId = stringAt(entry, 'id') || undefined;
      const name = stringAt(fn, 'name') || undefined;
      const rawArguments = fn.arguments;
      const argumentsDelta = rawArguments === undefined || rawArguments === null ? '' : jsonText(rawArguments);
      // Without `index`, an entry naming a call starts a new one; a bare fragment continues the last.
      const key = typeof entry.index === 'number' ? `index ${entry.index}` : providerId || name ? `unindexed ${++unindexed}` : lastKey;
      if (key === undefined) continue;
      lastKey = key;
      let call = calls.get(key);
      if (!call || (providerId !== undefined && call.providerId !== undefined && providerId !== call.providerId)) {
        call = { id: ids.claim(providerId), providerId };
        calls.set(key, call);
        open.push(call.id);
        events.push({ type: 'tool-call', id: call.id, ...(name ? { name } : {}), ...(argumentsDelta ? { argumentsDelta } : {}) });
        continue;
      }
      if (argumentsDelta) events.push({ type: 'tool-call', id: call.id, argumentsDelta });
    }
    return events;
  }

  return openaiChoicesAdapter('openai', {
    events(choice) {
      // `delta` when streamed; `message` when a whole non-streamed completion is decoded.
      const delta = recordAt(choice, 'delta') ?? recordAt(choice, 'message');
      if (!delta) return [];
      const events: ProviderEvent[] = [];
      // `refusal` is neither answer nor reasoning: it is not shown as either.
      const reasoning = stringAt(delta, 'reasoning_content') || stringAt(delta, 'reasoning');
      if (reasoning) events.push({ type: 'reasoning', text: reasoning });
      const content = stringAt(delta, 'content');
      if (content) events.push({ type: 'text', text: content });
      const toolCalls = arrayAt(delta, 'tool_calls');
      if (toolCalls) events.push(...toolCallEvents(toolCalls));
      return events;
    },
    finish(reason) {
      // A token limit stops the model mid-arguments; any other stated reason means the calls are whole.
      const status = reason === 'length' ? 'incomplete' : 'complete';
      const events: ProviderEvent[] = open.map((id) => ({ type: 'tool-call', id, status }));
      open.length = 0;
      return events;
    },
  });
}
