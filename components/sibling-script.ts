/**
 * CDN build: loads a classic script shipped beside the CDN file (the origin the page already trusts
 * for it) once, through the Trusted Types policy, and resolves with the global it defines.
 */
import { siblingUrl } from './script-url.js';
import { trustedScriptUrl } from './trusted-types.js';

const loading = new Map<string, Promise<unknown>>();

export function loadSiblingScript<T>(file: string, global: string): Promise<T> {
  let promise = loading.get(file) as Promise<T> | undefined;
  if (!promise) {
    const url = siblingUrl(file);
    promise = new Promise<T>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = trustedScriptUrl(url);
      script.async = true;
      script.onload = () => {
        const value = (globalThis as Record<string, unknown>)[global] as T | undefined;
        if (value) resolve(value);
        else reject(new Error(`llm-stream: ${url} did not define ${global}`));
      };
      script.onerror = () => {
        loading.delete(file);
        reject(new Error(`llm-stream: could not load ${url}`));
      };
      document.head.append(script);
    });
    loading.set(file, promise);
  }
  return promise;
}
