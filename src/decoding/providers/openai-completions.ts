import { stringAt, type ProviderAdapter } from './adapter.js';
import { openaiChoicesAdapter } from './openai-chat.js';

/**
 * OpenAI legacy text completions: `{"object":"text_completion","choices":[{"text":"Hi","index":0,
 * "finish_reason":null}]}`, ended by `data: [DONE]` like chat. Text only: the format has no
 * reasoning or tool fields (a `<think>` block in the text is split off by the decoder).
 */
export function openaiCompletionsAdapter(): ProviderAdapter {
  return openaiChoicesAdapter('openai-completions', {
    events(choice) {
      const text = stringAt(choice, 'text');
      return text ? [{ type: 'text', text }] : [];
    },
  });
}
