/**
 * The optional syntax highlighter, built as its own file (dist/llm-stream.highlight.js) and loaded
 * into the worker with `importScripts` only when an element asks for highlighting — so the CDN file
 * and every page that does not highlight pay nothing for it. highlight.js's common languages.
 */
import hljs from 'highlight.js/lib/common';

type Highlight = (code: string, language: string) => string | null;

const highlight: Highlight = (code, language) =>
  hljs.getLanguage(language) ? hljs.highlight(code, { language, ignoreIllegals: true }).value : null;

(self as unknown as { llmStreamHighlight?: Highlight }).llmStreamHighlight = highlight;
