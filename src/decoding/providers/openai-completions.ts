import { stringAt, type ProviderAdapter } from './adapter.js';
import { openaiChoicesAdapter } from './openai-chat.js';

/**
 * OpenAI legacy text completions: `{"object":"text_completion","choices":[{"text":"Hi","index":0,
 * "finish_reason":null}]}`, ended by `data: [DONE]` like chat.
 */
export function openaiCompletionsAdapter(): ProviderAdapter {
  return openaiChoicesAdapter('openai-completions', (choice) => stringAt(choice, 'text'));
}
