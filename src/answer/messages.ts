/**
 * The messages an answer produces, in the order the page applies them. Pure data, structured-clone
 * safe: the worker batches them to the page's sink (worker/protocol.ts re-exports them as the wire
 * contract), and Node tests read them straight from the pipeline.
 */
import type { FinishReason, Metrics, Patch, Source, StreamErrorData, StreamFormat, StreamResult, ToolCall, Usage } from '../types.js';

/** One message about one stream. */
export type StreamMessage =
  /** Response headers accepted; the body is flowing. */
  | { kind: 'open'; status: number; contentType?: string | null }
  /** The wire format the decoder settled on (detected, or as configured); sent once. */
  | { kind: 'format'; format: StreamFormat }
  /**
   * One batch of every part, applied in one frame: the content's patches plus the raw text they came
   * from (for `text` and `llm-delta`), and, when they changed, the reasoning's patches and raw text,
   * the tool calls that changed (whole), and the sources that are new.
   */
  | {
      kind: 'patch';
      patches: Patch[];
      text: string;
      metrics: Metrics;
      reasoning?: { patches: Patch[]; text: string };
      toolCalls?: ToolCall[];
      sources?: Source[];
    }
  /** A retry was scheduled. */
  | { kind: 'retry'; attempt: number; delayMs: number; error: StreamErrorData }
  /** Redaction replaced matches; `count` is the total so far. */
  | { kind: 'redact'; count: number }
  /** The stream ended without error. `result.status` says `done` or `incomplete`. */
  | { kind: 'end'; result: StreamResult }
  /** The stream failed. Text already sent stays. */
  | { kind: 'error'; error: StreamErrorData; finishReason: FinishReason; usage?: Usage; metrics: Metrics };

/** The message kinds, for narrowing: `Extract<StreamMessage, { kind: 'patch' }>` reads as `PatchMessage`. */
export type PatchMessage = Extract<StreamMessage, { kind: 'patch' }>;
export type EndMessage = Extract<StreamMessage, { kind: 'end' }>;
export type ErrorMessage = Extract<StreamMessage, { kind: 'error' }>;

/**
 * A backlog (an answer out of view, a slow frame), compacted in place before it is applied: a tail
 * that a later tail replaces would be parsed and sanitized only to be thrown away (of a growing
 * table or list, every batch). It is dropped, with the appends to it, so the next tail is compared
 * with what is on screen and re-renders only what changed; where committed blocks come between it
 * and the next tail, it is emptied instead, so they never sit beside a stale tail.
 */
export function compactBacklog(messages: readonly StreamMessage[]): void {
  let replaced = false;
  let crossed = false;
  for (let i = messages.length; i--; ) {
    const patches = messages[i]!.kind === 'patch' ? (messages[i] as PatchMessage).patches : [];
    for (let j = patches.length; j--; ) {
      const op = patches[j]!.op;
      if (op !== 'tail' && op !== 'append') crossed = true;
      else if (!replaced) [replaced, crossed] = [op === 'tail', false];
      else if (op === 'append' || !crossed) patches.splice(j, 1);
      else [patches[j], crossed] = [{ op: 'tail', html: '' }, false];
    }
  }
}
