/**
 * The adapters of the formats the CDN file does not carry inline (OpenAI Responses and completions,
 * Gemini, Ollama, the AI SDK's UI message stream): there they are a file beside it, which the worker loads the first time a stream
 * is in one of them (see `useAdapterLoader`). Everywhere else they are simply part of the registry.
 */
import type { AdapterFormat, ProviderAdapter } from './adapter.js';
import { aiSdkAdapter } from './ai-sdk.js';
import { geminiAdapter } from './gemini.js';
import { ollamaAdapter } from './ollama.js';
import { openaiCompletionsAdapter } from './openai-completions.js';
import { openaiResponsesAdapter } from './openai-responses.js';

export const MORE_FORMATS: Partial<Record<AdapterFormat, () => ProviderAdapter>> = {
  'openai-completions': openaiCompletionsAdapter,
  'openai-responses': openaiResponsesAdapter,
  gemini: geminiAdapter,
  ollama: ollamaAdapter,
  'ai-sdk': aiSdkAdapter,
};
