/**
 * Loads a script shipped beside llm-stream into this worker, once per URL, and returns what it
 * defines on `self[global]`. `importScripts` is synchronous and the inline worker is a classic
 * script, so a stage can load what it needs at the moment it needs it. The URL goes through the
 * `llm-stream` Trusted Types policy, which accepts exactly this URL. A failure (404, CSP, Trusted
 * Types) returns null: the caller decides what that means (plain code, or a failed stream).
 */
interface WorkerTrustedTypes {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): unknown };
}

const loaded = new Map<string, unknown>();

export function loadOptionalScript<T>(url: string, global: string): T | null {
  if (loaded.has(url)) return loaded.get(url) as T | null;
  let value: T | null = null;
  try {
    const tt = (self as unknown as { trustedTypes?: WorkerTrustedTypes }).trustedTypes;
    const policy = tt?.createPolicy('llm-stream', {
      createScriptURL: (candidate) => {
        if (candidate === url) return candidate;
        throw new TypeError(`llm-stream: refusing script URL ${candidate}`);
      },
    });
    importScripts((policy ? policy.createScriptURL(url) : url) as string);
    value = ((self as unknown as Record<string, unknown>)[global] as T | undefined) ?? null;
  } catch {
    value = null;
  }
  loaded.set(url, value);
  return value;
}
