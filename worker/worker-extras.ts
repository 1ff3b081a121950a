/**
 * The worker's optional stages, built as their own file (dist/llm-stream.worker-extras.js) and loaded
 * with `importScripts` only by a stream that asks for them: pacing other than `none`, redaction, and
 * what a failed attempt needs (error body summary, Retry-After, the retry policy).
 */
import { createPacer } from '../src/answer/pacer.js';
import { createRedactor } from '../src/answer/redactor.js';
import { summarizeErrorBody } from '../src/decoding/providers/provider-error.js';
import { defaultRetryOptions, parseRetryAfter, retryDelay } from '../src/transport/retry-policy.js';

export interface WorkerExtras {
  createPacer: typeof createPacer;
  createRedactor: typeof createRedactor;
  /** What a failed attempt needs: the error body's summary, Retry-After, and whether and when to retry. */
  summarizeErrorBody: typeof summarizeErrorBody;
  parseRetryAfter: typeof parseRetryAfter;
  retryDelay: typeof retryDelay;
  defaultRetryOptions: typeof defaultRetryOptions;
}

(self as unknown as { llmStreamWorkerExtras?: WorkerExtras }).llmStreamWorkerExtras = {
  createPacer,
  createRedactor,
  summarizeErrorBody,
  parseRetryAfter,
  retryDelay,
  defaultRetryOptions,
};
