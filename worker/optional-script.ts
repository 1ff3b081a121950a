/**
 * Loads a script shipped beside llm-stream into this worker, once per URL, and returns what it
 * defines on `self[global]`. `importScripts` is synchronous and the inline worker is a classic
 * script, so a stage can load what it needs at the moment it needs it. URLs go through the worker's
 * one `llm-stream` Trusted Types policy (a second policy of that name would be refused under
 * `trusted-types llm-stream`), which accepts exactly the URLs asked for here. A failure (404, CSP,
 * Trusted Types) returns null: the caller decides what that means (plain code, or a failed stream).
 */
interface WorkerTrustedTypes {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): unknown };
}

const loaded = new Map<string, unknown>();
/** The URLs this module is about to load: the only ones its policy turns into script URLs. */
const allowed = new Set<string>();
let policy: { createScriptURL(url: string): unknown } | null | undefined;

/** `url` as the worker's Trusted Types want it (a TrustedScriptURL), or as is without them. */
export function trustedWorkerScriptUrl(url: string): string {
  allowed.add(url);
  if (policy === undefined) {
    const tt = (self as unknown as { trustedTypes?: WorkerTrustedTypes }).trustedTypes;
    policy = tt
      ? tt.createPolicy('llm-stream', {
          createScriptURL: (candidate) => {
            if (allowed.has(candidate)) return candidate;
            throw new TypeError(`llm-stream: refusing script URL ${candidate}`);
          },
        })
      : null;
  }
  return (policy ? policy.createScriptURL(url) : url) as string;
}

export function loadOptionalScript<T>(url: string, global: string): T | null {
  if (loaded.has(url)) return loaded.get(url) as T | null;
  let value: T | null = null;
  try {
    importScripts(trustedWorkerScriptUrl(url));
    value = ((self as unknown as Record<string, unknown>)[global] as T | undefined) ?? null;
  } catch {
    value = null;
  }
  loaded.set(url, value);
  return value;
}
