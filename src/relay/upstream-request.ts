/** The provider's streaming request: body and headers per wire protocol. */
import type { ResolvedProvider } from './providers.js';
import type { ProviderKind } from './types.js';
import type { ChatRequest } from './validate-request.js';

const ANTHROPIC_VERSION = '2023-06-01';
/** Anthropic requires `max_tokens`; the others have their own defaults. */
const ANTHROPIC_DEFAULT_MAX_TOKENS = 1024;

/** A JSON object without its `undefined` members (they would otherwise mean "sent as null" to some servers). */
function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

const asList = (stop: string | string[] | undefined): string[] | undefined => (stop === undefined ? undefined : [stop].flat());

/** The provider's streaming request body for a validated chat request. */
export function upstreamBody(kind: ProviderKind, chat: ChatRequest): Record<string, unknown> {
  switch (kind) {
    case 'anthropic': {
      // Anthropic takes system text as a top-level field, not as messages.
      const systemParts = chat.system ? [chat.system] : [];
      const messages: { role: string; content: string }[] = [];
      for (const message of chat.messages) {
        if (message.role === 'system' || message.role === 'developer') systemParts.push(message.content);
        else messages.push({ role: message.role, content: message.content });
      }
      return defined({
        model: chat.model,
        messages,
        system: systemParts.length > 0 ? systemParts.join('\n\n') : undefined,
        max_tokens: chat.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
        // Anthropic's range is 0–1; ours (OpenAI's) is 0–2.
        temperature: chat.temperature === undefined ? undefined : Math.min(chat.temperature, 1),
        top_p: chat.top_p,
        stop_sequences: asList(chat.stop),
        stream: true,
      });
    }
    case 'ollama': {
      const messages = chat.messages.map((m) => ({ role: m.role === 'developer' ? 'system' : m.role, content: m.content }));
      if (chat.system) messages.unshift({ role: 'system', content: chat.system });
      const options = defined({ temperature: chat.temperature, top_p: chat.top_p, num_predict: chat.max_tokens, stop: asList(chat.stop) });
      return defined({ model: chat.model, messages, stream: true, options: Object.keys(options).length > 0 ? options : undefined });
    }
    case 'openai':
    case 'compatible': {
      const messages = chat.messages.map((m) => ({
        // Many compatible servers do not know the `developer` role yet.
        role: kind === 'compatible' && m.role === 'developer' ? 'system' : m.role,
        content: m.content,
      }));
      if (chat.system) messages.unshift({ role: 'system', content: chat.system });
      return defined({
        model: chat.model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
        // OpenAI's reasoning models accept only max_completion_tokens; compatible servers mostly know max_tokens.
        max_completion_tokens: kind === 'openai' ? chat.max_tokens : undefined,
        max_tokens: kind === 'openai' ? undefined : chat.max_tokens,
        temperature: chat.temperature,
        top_p: chat.top_p,
        stop: chat.stop,
      });
    }
  }
}

/** The provider's request headers, with its key in the header it expects. */
export function upstreamHeaders(provider: ResolvedProvider): Record<string, string> {
  const headers: Record<string, string> = {
    ...provider.config.headers,
    'content-type': 'application/json',
    accept: provider.kind === 'ollama' ? 'application/x-ndjson' : 'text/event-stream',
    // Bytes stay untouched and unbuffered: no compression between relay and provider.
    'accept-encoding': 'identity',
  };
  if (provider.kind === 'anthropic') {
    headers['anthropic-version'] = provider.config.anthropicVersion ?? ANTHROPIC_VERSION;
    if (provider.key) headers['x-api-key'] = provider.key;
  } else if (provider.key) {
    headers.authorization = `Bearer ${provider.key}`;
  }
  return headers;
}
