/**
 * Registers <llm-stream>. Importing `llm-stream.ts` alone has no side effects; this file defines the
 * tag once the bootstrap is ready (the worker factory and its Trusted Types policy), and starts the
 * shared worker early so the first answer does not wait for it.
 */
import { LlmStreamElement } from './llm-stream.js';
import { warmUpWorker } from './worker-client.js';

export const TAG_NAME = 'llm-stream';

/** Define the element (idempotent: a second copy of the script registers nothing and throws nothing). */
export function defineLlmStream(): void {
  if (typeof customElements === 'undefined' || customElements.get(TAG_NAME)) return;
  warmUpWorker();
  customElements.define(TAG_NAME, LlmStreamElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'llm-stream': LlmStreamElement;
  }
}
