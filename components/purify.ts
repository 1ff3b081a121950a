/**
 * Where the DOMPurify fallback comes from. The ES build imports it dynamically, so bundlers split it
 * into its own chunk: only browsers without the HTML Sanitizer API (`setHTML`) fetch it, and the sink
 * holds patches back until it has loaded (nothing unsanitized reaches the DOM meanwhile). The CDN build
 * swaps this module for `purify.cdn.ts` (see vite.config.ts), which loads a sibling classic script.
 */
import type DOMPurify from 'dompurify';

export type PurifyFactory = typeof DOMPurify;

let loaded: PurifyFactory | null = null;
let loading: Promise<PurifyFactory> | null = null;

/** The DOMPurify factory: synchronously once loaded, else a promise of it. */
export function loadPurify(): PurifyFactory | Promise<PurifyFactory> {
  if (loaded) return loaded;
  loading ??= import('dompurify').then((module) => (loaded = module.default));
  return loading;
}
