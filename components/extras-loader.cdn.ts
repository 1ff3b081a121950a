/**
 * CDN build: the extras are not inside llm-stream.cdn.js. The first answer that has reasoning, tool
 * calls, sources or a table loads `llm-stream.extras.js` from beside the CDN script (the origin the
 * page already trusts for it); it defines `LlmStreamExtras`. The element holds that answer's batches
 * until it is there, so every part still appears in the same frame as its text.
 */
import type * as Extras from './extras.js';
import { siblingUrl } from './script-url.js';
import { trustedScriptUrl } from './trusted-types.js';

export type ExtrasModule = typeof Extras;

const GLOBAL = 'LlmStreamExtras';
let loading: Promise<ExtrasModule> | null = null;

export function loadExtras(): ExtrasModule | Promise<ExtrasModule> {
  const existing = (globalThis as Record<string, unknown>)[GLOBAL] as ExtrasModule | undefined;
  if (existing) return existing;
  loading ??= new Promise<ExtrasModule>((resolve, reject) => {
    const script = document.createElement('script');
    const url = siblingUrl('llm-stream.extras.js');
    script.src = trustedScriptUrl(url);
    script.async = true;
    script.onload = () => {
      const module = (globalThis as Record<string, unknown>)[GLOBAL] as ExtrasModule | undefined;
      if (module) resolve(module);
      else reject(new Error(`llm-stream: ${url} did not define ${GLOBAL}`));
    };
    script.onerror = () => {
      loading = null;
      reject(new Error(`llm-stream: could not load ${url}`));
    };
    document.head.append(script);
  });
  return loading;
}
