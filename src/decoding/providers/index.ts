import type { AdapterFormat, ProviderAdapter } from './adapter.js';
import { anthropicAdapter } from './anthropic.js';
import { MORE_FORMATS } from './more-formats.js';
import { openaiChatAdapter } from './openai-chat.js';
import { relayAdapter } from './relay.js';

export type { AdapterFormat, JsonObject, ProviderAdapter } from './adapter.js';

type Factories = Partial<Record<AdapterFormat, () => ProviderAdapter>>;

const FACTORIES: Factories = {
  openai: openaiChatAdapter,
  anthropic: anthropicAdapter,
  relay: relayAdapter,
  ...MORE_FORMATS,
};

/** Where adapters that are not in this bundle come from (the CDN worker: a file beside it). */
let loadMore: (() => Factories | null) | null = null;
export function useAdapterLoader(loader: (() => Factories | null) | null): void {
  loadMore = loader;
}

/** A fresh adapter (with its own per-stream state) for a format. */
export function createAdapter(format: AdapterFormat): ProviderAdapter {
  const factory = FACTORIES[format] ?? loadMore?.()?.[format];
  if (factory) return factory();
  // The format's adapter could not be loaded: the stream fails with a clear protocol error.
  return {
    format,
    endMarker: '',
    map: () => [{ type: 'error', code: 'protocol', message: `the decoder for the ${format} format could not be loaded` }],
  };
}
