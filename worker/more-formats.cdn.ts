/** CDN build: the formats of src/decoding/providers/more-formats.ts are a file beside it (worker/formats.ts). */
import type { AdapterFormat, ProviderAdapter } from '../src/decoding/providers/adapter.js';

export const MORE_FORMATS: Partial<Record<AdapterFormat, () => ProviderAdapter>> = {};
