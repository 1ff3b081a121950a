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
