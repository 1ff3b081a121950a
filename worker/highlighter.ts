/**
 * The optional syntax highlighter, built as its own file (dist/llm-stream.highlight.js) and loaded
 * into the worker with `importScripts` by the first fenced code with a language — so the CDN file
 * and every answer without code pay nothing for it. highlight.js's common languages; committed
 * blocks whole, growing blocks line by line (src/markdown/highlight.ts).
 */
import hljs from 'highlight.js/lib/common';
import { createHighlighter } from '../src/markdown/highlight.js';

(self as unknown as { llmStreamHighlight?: unknown }).llmStreamHighlight = createHighlighter(hljs);
