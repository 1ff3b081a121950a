import type { ProviderEvent } from '../types.js';

type SourceEvent = Extract<ProviderEvent, { type: 'source' }>;

/**
 * A source as reported to consumers, or null when its URL must not be shown. Only absolute
 * `http:` / `https:` URLs are kept: a model's citation could as well carry `javascript:`, a relative
 * path or a placeholder (`test_uri_1` in Google's own fixtures). `key` is the parsed URL, so the
 * same page spelled with different case in its scheme or host counts once; the event keeps the URL
 * as the provider wrote it.
 */
export function cleanSource(url: string, title: string | undefined): { key: string; event: SourceEvent } | null {
  const trimmed = url.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  let key: string;
  try {
    key = new URL(trimmed).href;
  } catch {
    return null;
  }
  const cleanTitle = title?.trim();
  return { key, event: { type: 'source', url: trimmed, ...(cleanTitle ? { title: cleanTitle } : {}) } };
}
