import type { FinishReason, ProviderEvent, Source, ToolCall, ToolCallEvent, Usage } from '../types.js';
import { cleanSource } from './source-url.js';

/**
 * Folds normalized events into the whole response: what a consumer shows once the stream is over, or
 * at any moment while it runs. Pure and cheap per event, so the answer pipeline can keep one per
 * stream and tests can compare whole responses.
 */

/** The response so far. Arrays are fresh copies: mutating them does not change the collector. */
export interface CollectedResponse {
  text: string;
  reasoning: string;
  /** In order of first appearance. */
  toolCalls: ToolCall[];
  /** One per URL, in order of first appearance. */
  sources: Source[];
  /** The last stated finish reason, or null. */
  finishReason: FinishReason | null;
  /** Usage merged over all usage events (later defined fields win), or null if none came. */
  usage: Usage | null;
  /** True once the format's end marker arrived. */
  complete: boolean;
  /** The error that terminated the stream, or null. */
  error: Extract<ProviderEvent, { type: 'error' }> | null;
}

export interface ResponseCollector {
  /** Fold one event in. */
  add(event: ProviderEvent): void;
  /** The response so far. */
  result(): CollectedResponse;
}

/**
 * The tool call after `event`: `previous` changed, or a new call when there is none yet. Exposed
 * so that a consumer tracking calls itself (to fire an event when a status changes) folds the same way.
 */
export function foldToolCall(previous: ToolCall | undefined, event: ToolCallEvent): ToolCall {
  const call: ToolCall = previous ? { ...previous } : { id: event.id, name: '', arguments: '', status: 'streaming' };
  if (event.name !== undefined) call.name = event.name;
  if (event.arguments !== undefined) call.arguments = event.arguments;
  if (event.argumentsDelta !== undefined) call.arguments += event.argumentsDelta;
  if (event.status !== undefined) call.status = event.status;
  if (event.output !== undefined) call.output = event.output;
  if (event.error !== undefined) call.error = event.error;
  return call;
}

export function createResponseCollector(): ResponseCollector {
  // Pieces joined on demand: appending to one string per token would copy it again and again.
  const text: string[] = [];
  const reasoning: string[] = [];
  const toolCalls = new Map<string, ToolCall>();
  const sources = new Map<string, Source>();
  let finishReason: FinishReason | null = null;
  let usage: Usage | null = null;
  let complete = false;
  let error: CollectedResponse['error'] = null;

  return {
    add(event) {
      switch (event.type) {
        case 'text':
          text.push(event.text);
          return;
        case 'reasoning':
          reasoning.push(event.text);
          return;
        case 'tool-call':
          toolCalls.set(event.id, foldToolCall(toolCalls.get(event.id), event));
          return;
        case 'source': {
          // The decoder already reports clean sources once each; this keeps any other producer honest.
          const source = cleanSource(event.url, event.title);
          if (source && !sources.has(source.key)) {
            sources.set(source.key, source.event.title === undefined ? { url: source.event.url } : { url: source.event.url, title: source.event.title });
          }
          return;
        }
        case 'usage':
          usage = { ...usage, ...event.usage };
          return;
        case 'finish':
          finishReason = event.reason;
          return;
        case 'error':
          error = event;
          return;
        case 'end':
          complete = true;
          return;
      }
    },
    result() {
      return {
        text: text.join(''),
        reasoning: reasoning.join(''),
        toolCalls: [...toolCalls.values()].map((call) => ({ ...call })),
        sources: [...sources.values()].map((source) => ({ ...source })),
        finishReason,
        usage: usage ? { ...usage } : null,
        complete,
        error,
      };
    },
  };
}
