/**
 * CDN build: DOMPurify is not inside llm-stream.cdn.js. Browsers that lack the HTML Sanitizer API load
 * `llm-stream.purify.js` from beside the CDN script (same origin as the script the page already
 * trusts). Until it has loaded the element renders nothing it would have to sanitize: the sink holds
 * patches back, so nothing unsanitized ever reaches the DOM.
 */
import type DOMPurify from 'dompurify';
import { loadSiblingScript } from './sibling-script.js';

export type PurifyFactory = typeof DOMPurify;

export function loadPurify(): PurifyFactory | Promise<PurifyFactory> {
  return (globalThis as { DOMPurify?: PurifyFactory }).DOMPurify ?? loadSiblingScript<PurifyFactory>('llm-stream.purify.js', 'DOMPurify');
}
