/**
 * The worker's optional stages, built as their own file (dist/llm-stream.worker-extras.js) and loaded
 * with `importScripts` only by a stream that asks for them: pacing other than `none`, redaction, and
 * the full table of HTML named character references (a link whose URL holds one, `/f&ouml;`).
 */
import { createPacer } from '../src/answer/pacer.js';
import { createRedactor } from '../src/answer/redactor.js';
import { namedReference } from './named-reference.js';

export interface WorkerExtras {
  createPacer: typeof createPacer;
  createRedactor: typeof createRedactor;
  /** The text of the named character reference `&name;`, or undefined for an unknown name. */
  namedReference(name: string): string | undefined;
}

(self as unknown as { llmStreamWorkerExtras?: WorkerExtras }).llmStreamWorkerExtras = { createPacer, createRedactor, namedReference };
