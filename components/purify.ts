/**
 * Where the DOMPurify fallback comes from. The ES build imports it statically; the CDN build swaps
 * this module for `purify.cdn.ts` (see vite.config.ts), which loads it on demand — only browsers
 * without the HTML Sanitizer API pay for it, and the CDN file stays within its size budget.
 */
import DOMPurify from 'dompurify';

export type PurifyFactory = typeof DOMPurify;

export function loadPurify(): PurifyFactory | Promise<PurifyFactory> {
  return DOMPurify;
}
