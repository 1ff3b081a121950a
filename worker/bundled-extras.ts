/**
 * The worker's optional stages when they ship inside the worker (the ES build, the self-hostable
 * worker file, tests). The CDN build swaps this module for `bundled-extras.cdn.ts`, which has none:
 * there they are a file beside the CDN file (worker/worker-extras.ts), loaded by the streams that
 * use them, so the 48 KB file does not carry them.
 */
import { createPacer } from '../src/answer/pacer.js';
import { createRedactor } from '../src/answer/redactor.js';
import { summarizeErrorBody } from '../src/decoding/providers/provider-error.js';
import { defaultRetryOptions, parseRetryAfter, retryDelay } from '../src/transport/retry-policy.js';
import { namedReference } from './named-reference.js';
import type { WorkerExtras } from './worker-extras.js';

export const bundledExtras: WorkerExtras | null = {
  createPacer,
  createRedactor,
  summarizeErrorBody,
  parseRetryAfter,
  retryDelay,
  defaultRetryOptions,
};

/** The full table of named character references (the CDN build: llm-stream.entities.js). */
export const bundledNamedReference: ((name: string) => string | undefined) | null = namedReference;
