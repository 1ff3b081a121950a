/**
 * CDN build: mermaid is not inside llm-stream.cdn.js nor the extras file. The first diagram loads
 * `llm-stream.mermaid.js` (mermaid's own minified build, copied there by vite.config.ts) from beside
 * the CDN script, by a classic script through the `llm-stream` Trusted Types policy; it defines
 * `globalThis.mermaid`. A page that has loaded mermaid itself keeps its copy.
 */
import type { Mermaid } from 'mermaid';
import { siblingUrl } from './script-url.js';
import { trustedScriptUrl } from './trusted-types.js';

let loading: Promise<Mermaid> | null = null;

export function loadMermaid(): Promise<Mermaid> {
  const existing = (globalThis as { mermaid?: Mermaid }).mermaid;
  if (existing) return Promise.resolve(existing);
  loading ??= new Promise<Mermaid>((resolve, reject) => {
    const script = document.createElement('script');
    const url = siblingUrl('llm-stream.mermaid.js');
    script.src = trustedScriptUrl(url);
    script.async = true;
    script.onload = () => {
      const loaded = (globalThis as { mermaid?: Mermaid }).mermaid;
      if (loaded) resolve(loaded);
      else reject(new Error(`llm-stream: ${url} did not define mermaid`));
    };
    script.onerror = () => {
      loading = null;
      reject(new Error(`llm-stream: could not load ${url}`));
    };
    document.head.append(script);
  });
  return loading;
}
