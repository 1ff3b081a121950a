/**
 * CDN build: DOMPurify is not inside llm-stream.cdn.js. Browsers that lack the HTML Sanitizer API load
 * `llm-stream.purify.js` from beside the CDN script (same origin as the script the page already
 * trusts). Until it has loaded the element renders nothing it would have to sanitize: the sink holds
 * patches back, so nothing unsanitized ever reaches the DOM.
 */
import type DOMPurify from 'dompurify';
import { siblingUrl } from './script-url.js';
import { trustedScriptUrl } from './trusted-types.js';

export type PurifyFactory = typeof DOMPurify;

let loading: Promise<PurifyFactory> | null = null;

export function loadPurify(): PurifyFactory | Promise<PurifyFactory> {
  const existing = (globalThis as { DOMPurify?: PurifyFactory }).DOMPurify;
  if (existing) return existing;
  loading ??= new Promise<PurifyFactory>((resolve, reject) => {
    const script = document.createElement('script');
    const url = siblingUrl('llm-stream.purify.js');
    script.src = trustedScriptUrl(url);
    script.async = true;
    script.onload = () => {
      const loaded = (globalThis as { DOMPurify?: PurifyFactory }).DOMPurify;
      if (loaded) resolve(loaded);
      else reject(new Error(`llm-stream: ${url} did not provide DOMPurify`));
    };
    script.onerror = () => reject(new Error(`llm-stream: could not load the sanitizer fallback ${url}`));
    document.head.append(script);
  });
  return loading;
}
