/**
 * The typed events of <llm-stream>. All bubble and are composed, so they cross shadow roots and reach
 * framework handlers on ancestors.
 */
import type { LlmStreamError } from '../src/errors.js';
import type { Source, StreamRequest, StreamResult, ToolCall } from '../src/types.js';

export interface LlmStartDetail {
  request: StreamRequest;
}
export interface LlmDeltaDetail {
  /** The new text (after pacing). */
  text: string;
}
export interface LlmErrorDetail {
  error: LlmStreamError;
  /** The text received before the failure; it stays on screen. */
  text: string;
}
export interface LlmAbortDetail {
  text: string;
}
export interface LlmRetryDetail {
  /** 1 for the first retry. */
  attempt: number;
  /** How long until the retry is sent. */
  delayMs: number;
  /** What failed. */
  error: LlmStreamError;
}
export interface LlmRedactDetail {
  /** Matches replaced so far in this stream. */
  count: number;
}

export interface LlmReasoningDetail {
  /** The new reasoning text. */
  text: string;
}
export interface LlmToolCallDetail {
  /** The call as it is now: it appeared, or its status (or output) changed. */
  toolCall: ToolCall;
}
export interface LlmSourceDetail {
  /** A source not reported before in this response. */
  source: Source;
}

export interface LlmStreamEventMap {
  'llm-start': CustomEvent<LlmStartDetail>;
  'llm-delta': CustomEvent<LlmDeltaDetail>;
  'llm-done': CustomEvent<StreamResult>;
  'llm-error': CustomEvent<LlmErrorDetail>;
  'llm-abort': CustomEvent<LlmAbortDetail>;
  'llm-retry': CustomEvent<LlmRetryDetail>;
  'llm-redact': CustomEvent<LlmRedactDetail>;
  'llm-reasoning': CustomEvent<LlmReasoningDetail>;
  'llm-tool-call': CustomEvent<LlmToolCallDetail>;
  'llm-source': CustomEvent<LlmSourceDetail>;
}

declare global {
  interface GlobalEventHandlersEventMap extends LlmStreamEventMap {}
}

/** Create one of our events: bubbling and composed. */
export function llmEvent<K extends keyof LlmStreamEventMap>(
  type: K,
  detail: LlmStreamEventMap[K]['detail'],
): LlmStreamEventMap[K] {
  return new CustomEvent(type, { detail, bubbles: true, composed: true }) as LlmStreamEventMap[K];
}
