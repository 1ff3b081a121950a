/**
 * The provider table: built-ins merged with `options.providers`, and how a provider entry becomes an
 * endpoint URL and a key read from the environment (keys never come from requests or options).
 */
import type { ProviderConfig, ProviderKind, RelayOptions } from './types.js';

/** A provider entry with its wire protocol settled. */
export type ProviderEntry = ProviderConfig & { kind: ProviderKind };

/** A provider ready to be called: its endpoint and (optional) key. */
export interface ResolvedProvider {
  name: string;
  kind: ProviderKind;
  url: string;
  key: string | undefined;
  config: ProviderConfig;
}

const BUILTIN_PROVIDERS: Readonly<Record<string, ProviderEntry>> = {
  openai: { kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY', requireKey: true },
  anthropic: { kind: 'anthropic', baseUrl: 'https://api.anthropic.com/v1', apiKeyEnv: 'ANTHROPIC_API_KEY', requireKey: true },
  ollama: { kind: 'ollama', baseUrlEnv: 'OLLAMA_HOST', requireKey: false },
  compatible: { kind: 'compatible', baseUrlEnv: 'LLM_STREAM_BASE_URL', apiKeyEnv: 'LLM_STREAM_API_KEY', requireKey: false },
};

const DEFAULT_ENDPOINT: Readonly<Record<ProviderKind, string>> = {
  openai: '/chat/completions',
  compatible: '/chat/completions',
  anthropic: '/messages',
  ollama: '/api/chat',
};

function isProviderKind(kind: string): kind is ProviderKind {
  return Object.hasOwn(DEFAULT_ENDPOINT, kind);
}

/**
 * The merged provider table: built-ins, overridden or extended by `options.providers` (`false`
 * removes one). Throws on an unknown `kind`, so a typo fails at start-up rather than per request.
 */
export function providerTable(options: Pick<RelayOptions, 'providers'>): Map<string, ProviderEntry> {
  const table = new Map<string, ProviderEntry>();
  for (const [name, entry] of Object.entries(BUILTIN_PROVIDERS)) table.set(name, { ...entry });
  for (const [name, config] of Object.entries(options.providers ?? {})) {
    if (config === false) {
      table.delete(name);
      continue;
    }
    const builtin = Object.hasOwn(BUILTIN_PROVIDERS, name) ? BUILTIN_PROVIDERS[name] : undefined;
    const kind: string = config.kind ?? builtin?.kind ?? 'compatible';
    if (!isProviderKind(kind)) throw new TypeError(`llm-stream relay: provider "${name}" has unknown kind "${kind}"`);
    // An explicit url/baseUrl replaces the built-in's env-derived base URL.
    table.set(name, { ...builtin, ...config, kind });
  }
  return table;
}

/** OLLAMA_HOST may be `host`, `host:port` or a URL. */
function ollamaBaseUrl(value: string): string {
  const trimmed = value.trim();
  if (/^https?:\/\//i.test(trimmed)) return trimmed.replace(/\/+$/, '');
  return `http://${trimmed}${/:\d+$/.test(trimmed) ? '' : ':11434'}`;
}

/** The endpoint and key of a provider in this environment, or why it cannot be used. */
export function resolveProvider(
  name: string,
  entry: ProviderEntry,
  env: Record<string, string | undefined>,
): { ok: true; provider: ResolvedProvider } | { ok: false; reason: string } {
  const key = (entry.apiKeyEnv ? env[entry.apiKeyEnv] : undefined) || undefined;
  const requireKey = entry.requireKey ?? (entry.kind === 'openai' || entry.kind === 'anthropic');
  if (requireKey && !key) {
    return {
      ok: false,
      reason: `Provider "${name}" is not configured: set ${entry.apiKeyEnv ?? 'its API key variable'} in the server environment.`,
    };
  }
  let url = entry.url;
  if (!url) {
    const rawBase = entry.baseUrl ?? (entry.baseUrlEnv ? env[entry.baseUrlEnv] : undefined);
    if (!rawBase) {
      return {
        ok: false,
        reason: `Provider "${name}" is not configured: set ${entry.baseUrlEnv ?? 'its base URL'} in the server environment.`,
      };
    }
    const base = entry.kind === 'ollama' ? ollamaBaseUrl(rawBase) : rawBase.replace(/\/+$/, '');
    url = base + (entry.path ?? DEFAULT_ENDPOINT[entry.kind]);
  }
  return { ok: true, provider: { name, kind: entry.kind, url, key, config: entry } };
}

/** Names of the providers usable in this environment (key and base URL present). Never returns keys. */
export function configuredProviders(options: Pick<RelayOptions, 'providers' | 'env'> = {}): string[] {
  const env = options.env ?? process.env;
  const names: string[] = [];
  for (const [name, entry] of providerTable(options)) {
    if (resolveProvider(name, entry, env).ok) names.push(name);
  }
  return names;
}

/** Every key the relay could send, so that logs and error messages can be scrubbed of them. */
export function knownKeys(table: ReadonlyMap<string, ProviderEntry>, env: Record<string, string | undefined>): string[] {
  const keys: string[] = [];
  for (const entry of table.values()) {
    const key = entry.apiKeyEnv ? env[entry.apiKeyEnv] : undefined;
    // Very short values would redact ordinary words; no real key is that short.
    if (key && key.length >= 4) keys.push(key);
  }
  return keys;
}

/** Removes anything that looks like a key: the configured keys verbatim and common key shapes. */
export function redactKeys(text: string, keys: readonly string[]): string {
  let out = text;
  for (const key of keys) out = out.split(key).join('[redacted]');
  return out.replace(/\b(sk|pk|rk)-[A-Za-z0-9_*.-]{6,}/g, '[redacted]').replace(/\bBearer\s+[^\s"',]+/gi, 'Bearer [redacted]');
}
