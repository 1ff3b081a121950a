/**
 * The one Trusted Types policy of llm-stream (`trusted-types llm-stream` in a page's CSP). It only
 * vouches for script URLs this package minted or was configured with — the worker's blob: URL, a
 * self-hosted worker file, the lazily loaded sanitizer file of the CDN build — never for anything
 * derived from model output.
 */
interface TrustedTypePolicyLike {
  createScriptURL(url: string): unknown;
}
interface TrustedTypesLike {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): TrustedTypePolicyLike;
}

/** The policy name pages list in their CSP. */
export const TRUSTED_TYPES_POLICY = 'llm-stream';

let policy: TrustedTypePolicyLike | null | undefined;
const allowed = new Set<string>();

/** A script URL usable by `new Worker()` / `script.src` under Trusted Types (the string itself elsewhere). */
export function trustedScriptUrl(url: string): string {
  allowed.add(url);
  const tt = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
  if (!tt) return url;
  if (policy === undefined) {
    try {
      policy = tt.createPolicy(TRUSTED_TYPES_POLICY, {
        createScriptURL: (candidate) => {
          if (allowed.has(candidate)) return candidate;
          throw new TypeError(`llm-stream: refusing script URL ${candidate}`);
        },
      });
    } catch {
      // The page's CSP does not allow our policy name; the sink that needs the URL reports it.
      policy = null;
    }
  }
  return policy ? (policy.createScriptURL(url) as string) : url;
}
