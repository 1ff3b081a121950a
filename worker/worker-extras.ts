/**
 * The worker's optional stages, built as their own file (dist/llm-stream.worker-extras.js) and loaded
 * with `importScripts` only by a stream that asks for them: pacing other than `none`, and redaction.
 */
import { createPacer } from '../src/answer/pacer.js';
import { createRedactor } from '../src/answer/redactor.js';

export interface WorkerExtras {
  createPacer: typeof createPacer;
  createRedactor: typeof createRedactor;
}

(self as unknown as { llmStreamWorkerExtras?: WorkerExtras }).llmStreamWorkerExtras = { createPacer, createRedactor };
