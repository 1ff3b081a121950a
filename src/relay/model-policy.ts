/** The model allow-list as a predicate. */
import type { RelayOptions } from './types.js';

/** Tells whether `model` may be used with `provider`. */
export type ModelPolicy = (provider: string, model: string) => boolean;

/**
 * A list entry is `model` (any provider) or `provider:model` — only when the prefix is a provider
 * name, so that `llama3.1:8b` stays a model name; a trailing `*` matches a prefix. Without a list,
 * env `LLM_STREAM_MODELS` supplies one; without that, every model is allowed.
 */
export function createModelPolicy(
  option: RelayOptions['allowedModels'],
  env: Record<string, string | undefined>,
  providerNames: ReadonlySet<string>,
): ModelPolicy {
  if (typeof option === 'function') return option;
  if (option instanceof RegExp) {
    return (_provider, model) => {
      // A global or sticky RegExp keeps state between tests; every check starts afresh.
      option.lastIndex = 0;
      return option.test(model);
    };
  }
  const list = option ?? env.LLM_STREAM_MODELS?.split(/[\s,]+/).filter(Boolean);
  if (!list) return () => true;
  const entries = list.map((entry) => {
    const colon = entry.indexOf(':');
    return colon > 0 && providerNames.has(entry.slice(0, colon))
      ? { provider: entry.slice(0, colon), pattern: entry.slice(colon + 1) }
      : { provider: '', pattern: entry };
  });
  const matches = (pattern: string, model: string): boolean =>
    pattern.endsWith('*') ? model.startsWith(pattern.slice(0, -1)) : pattern === model;
  return (provider, model) =>
    entries.some((entry) => (entry.provider === '' || entry.provider === provider) && matches(entry.pattern, model));
}
