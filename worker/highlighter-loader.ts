/**
 * Loads the optional highlighter into this worker, once. `importScripts` is synchronous and the
 * inline worker is a classic script, so this needs no async plumbing; a failure (404, CSP, Trusted
 * Types refusing the URL) only means code stays plain.
 */
import type { Highlighter } from '../src/markdown/renderer.js';

interface WorkerTrustedTypes {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): unknown };
}

const loaded = new Map<string, Highlighter | null>();

export function loadHighlighter(url: string): Highlighter | null {
  const known = loaded.get(url);
  if (known !== undefined) return known;
  let highlighter: Highlighter | null = null;
  try {
    const tt = (self as unknown as { trustedTypes?: WorkerTrustedTypes }).trustedTypes;
    const policy = tt?.createPolicy('llm-stream', {
      createScriptURL: (candidate) => {
        if (candidate === url) return candidate;
        throw new TypeError(`llm-stream: refusing script URL ${candidate}`);
      },
    });
    importScripts((policy ? policy.createScriptURL(url) : url) as string);
    highlighter = (self as unknown as { llmStreamHighlight?: Highlighter }).llmStreamHighlight ?? null;
  } catch {
    highlighter = null;
  }
  loaded.set(url, highlighter);
  return highlighter;
}
