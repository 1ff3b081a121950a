/**
 * The optional highlighter, loaded into this worker by the first code that needs it (once per URL,
 * by `loadOptionalScript`). `importScripts` is synchronous, so the engine can call the highlighter
 * the moment it meets fenced code with a language, with no async plumbing; a failure (404, CSP,
 * Trusted Types refusing the URL) only means code stays plain.
 */
import type { Highlighter } from '../src/markdown/renderer.js';
import { loadOptionalScript } from './optional-script.js';

/** The highlighter at `url`, loaded on its first call; each `live()` session loads it on its own first call. */
export function loadHighlighter(url: string): Highlighter {
  const load = (): Highlighter | null => loadOptionalScript<Highlighter>(url, 'llmStreamHighlight');
  const highlight: Highlighter = (code, language) => load()?.(code, language) ?? null;
  highlight.live = () => {
    let session: Highlighter | undefined;
    return (code, language, open) => (session ??= load()?.live?.())?.(code, language, open) ?? null;
  };
  return highlight;
}
