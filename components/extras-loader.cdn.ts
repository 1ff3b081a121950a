/**
 * CDN build: the extras are not inside llm-stream.cdn.js. The first answer that has reasoning, tool
 * calls, sources or a table loads `llm-stream.extras.js` from beside the CDN script; it defines
 * `LlmStreamExtras`. The element holds that answer's batches until it is there, so every part still
 * appears in the same frame as its text.
 */
import type * as Extras from './extras.js';
import { loadSiblingScript } from './sibling-script.js';

export type ExtrasModule = typeof Extras;

export function loadExtras(): ExtrasModule | Promise<ExtrasModule> {
  return (globalThis as { LlmStreamExtras?: ExtrasModule }).LlmStreamExtras ?? loadSiblingScript<ExtrasModule>('llm-stream.extras.js', 'LlmStreamExtras');
}
