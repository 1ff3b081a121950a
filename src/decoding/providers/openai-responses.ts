import type { FinishReason, ProviderEvent } from '../../types.js';
import { responsesIncompleteReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { arrayAt, isRecord, recordAt, stringAt, type JsonObject, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';
import { createToolCallIds } from './tool-call-ids.js';

/**
 * OpenAI Responses API: typed events (`response.created`, `response.output_text.delta`, …).
 * `response.completed` and `response.incomplete` end the stream; `response.failed` and `error` are
 * provider errors. Events carry a `sequence_number`; one not greater than the last seen is a replay
 * and is dropped.
 * - Reasoning: `response.reasoning_summary_text.delta` (summaries; parts are separated by a blank
 *   line) and `response.reasoning_text.delta` (raw reasoning, from open-weight models).
 * - Tool calls: a `function_call` output item (`response.output_item.added`, with `call_id` and
 *   `name`), its `response.function_call_arguments.delta` fragments (by `item_id`), and
 *   `response.output_item.done`, which closes it. Built-in tools (`web_search_call`, …) run on the
 *   server and are not calls the page could answer, so they are not reported as tool calls.
 * - Sources: `url_citation` annotations, from `response.output_text.annotation.added` and again
 *   inside `response.output_text.done`, `response.content_part.done`, `response.output_item.done`
 *   and `response.completed` (the decoder keeps one per URL).
 */
export function openaiResponsesAdapter(): ProviderAdapter {
  let lastSequence = -1;
  const ids = createToolCallIds();
  // Our tool call id per output item id (and per output_index, for deltas that name only that).
  const callByItem = new Map<string, string>();
  const callByIndex = new Map<number, string>();
  const streamedArguments = new Set<string>();
  const closed = new Set<string>();
  let lastReasoningPart: string | undefined;
  let reasoningSeen = false;

  function reasoning(value: JsonObject): ProviderEvent[] {
    const delta = stringAt(value, 'delta');
    if (!delta) return [];
    const part = `${stringAt(value, 'item_id') ?? ''} ${String(value.summary_index ?? value.content_index ?? '')}`;
    const events: ProviderEvent[] = [];
    // Summary parts are separate paragraphs: without a break they would run into one another.
    if (reasoningSeen && part !== lastReasoningPart) events.push({ type: 'reasoning', text: '\n\n' });
    lastReasoningPart = part;
    reasoningSeen = true;
    events.push({ type: 'reasoning', text: delta });
    return events;
  }

  function callOf(value: JsonObject): string | undefined {
    const item = stringAt(value, 'item_id');
    if (item !== undefined) return callByItem.get(item);
    return typeof value.output_index === 'number' ? callByIndex.get(value.output_index) : undefined;
  }

  /** A function_call item, seen for the first time (added) or again (done, or in the final response). */
  function functionCall(item: JsonObject, outputIndex: unknown, done: boolean): ProviderEvent[] {
    const itemId = stringAt(item, 'id');
    let id = itemId !== undefined ? callByItem.get(itemId) : undefined;
    const events: ProviderEvent[] = [];
    const args = stringAt(item, 'arguments');
    if (id === undefined) {
      id = ids.claim(stringAt(item, 'call_id') ?? itemId);
      if (itemId !== undefined) callByItem.set(itemId, id);
      if (typeof outputIndex === 'number') callByIndex.set(outputIndex, id);
      const name = stringAt(item, 'name');
      events.push({ type: 'tool-call', id, ...(name ? { name } : {}), ...(args ? { arguments: args } : {}) });
    } else if (args && !streamedArguments.has(id)) {
      events.push({ type: 'tool-call', id, arguments: args });
    }
    if (done && !closed.has(id)) {
      closed.add(id);
      events.push({ type: 'tool-call', id, status: 'complete' });
    }
    return events;
  }

  function ending(response: JsonObject | undefined, finish: ProviderEvent): ProviderEvent[] {
    const events: ProviderEvent[] = [];
    for (const item of (response && arrayAt(response, 'output')) ?? []) {
      if (!isRecord(item)) continue;
      // A completed response holds every call whole; one never streamed (or not closed) is taken from here.
      if (item.type === 'function_call' && finish.type === 'finish' && finish.raw === 'completed') events.push(...functionCall(item, undefined, true));
      events.push(...sourcesInItem(item));
    }
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
        case 'response.reasoning_summary_text.delta':
        case 'response.reasoning_text.delta':
          return reasoning(value);
        case 'response.output_item.added':
        case 'response.output_item.done': {
          const item = recordAt(value, 'item');
          if (!item) return [];
          const done = value.type === 'response.output_item.done';
          if (item.type === 'function_call') return functionCall(item, value.output_index, done);
          return done ? sourcesInItem(item) : [];
        }
        case 'response.function_call_arguments.delta': {
          const id = callOf(value);
          const delta = stringAt(value, 'delta');
          if (id === undefined || !delta) return [];
          streamedArguments.add(id);
          return [{ type: 'tool-call', id, argumentsDelta: delta }];
        }
        case 'response.function_call_arguments.done': {
          const id = callOf(value);
          const args = stringAt(value, 'arguments');
          // The whole arguments, once more: only needed when no fragment came.
          if (id === undefined || !args || streamedArguments.has(id)) return [];
          streamedArguments.add(id);
          return [{ type: 'tool-call', id, arguments: args }];
        }
        case 'response.output_text.annotation.added': {
          const annotation = recordAt(value, 'annotation');
          return annotation ? citation(annotation) : [];
        }
        case 'response.output_text.done':
          return annotations(value);
        case 'response.content_part.done': {
          const part = recordAt(value, 'part');
          return part ? annotations(part) : [];
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

/** A `url_citation` annotation as a source; other annotation types (file citations) carry no URL. */
function citation(annotation: JsonObject): ProviderEvent[] {
  if (annotation.type !== 'url_citation') return [];
  const url = stringAt(annotation, 'url');
  if (!url) return [];
  const title = stringAt(annotation, 'title');
  return [{ type: 'source', url, ...(title ? { title } : {}) }];
}

/** The url citations in `holder.annotations` (an output_text part, or a `.done` event). */
function annotations(holder: JsonObject): ProviderEvent[] {
  return (arrayAt(holder, 'annotations') ?? []).flatMap((annotation) => (isRecord(annotation) ? citation(annotation) : []));
}

/** The url citations in the text parts of a `message` output item. */
function sourcesInItem(item: JsonObject): ProviderEvent[] {
  if (item.type !== 'message') return [];
  return (arrayAt(item, 'content') ?? []).flatMap((part) => (isRecord(part) ? annotations(part) : []));
}
