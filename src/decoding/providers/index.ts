import type { AdapterFormat, ProviderAdapter } from './adapter.js';
import { aiSdkAdapter } from './ai-sdk.js';
import { anthropicAdapter } from './anthropic.js';
import { geminiAdapter } from './gemini.js';
import { ollamaAdapter } from './ollama.js';
import { openaiChatAdapter } from './openai-chat.js';
import { openaiCompletionsAdapter } from './openai-completions.js';
import { openaiResponsesAdapter } from './openai-responses.js';
import { relayAdapter } from './relay.js';

export type { AdapterFormat, JsonObject, ProviderAdapter } from './adapter.js';

const FACTORIES: Record<AdapterFormat, () => ProviderAdapter> = {
  openai: openaiChatAdapter,
  'openai-completions': openaiCompletionsAdapter,
  'openai-responses': openaiResponsesAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
  ollama: ollamaAdapter,
  'ai-sdk': aiSdkAdapter,
  relay: relayAdapter,
};

/** A fresh adapter (with its own per-stream state) for a format. */
export function createAdapter(format: AdapterFormat): ProviderAdapter {
  return FACTORIES[format]();
}
