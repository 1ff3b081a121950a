/**
 * Where mermaid comes from (components/diagrams.ts). The ES build imports mermaid's own bundled ES
 * build dynamically, on first use: a module graph without CommonJS inside, so it loads the same in
 * every bundler, in the test runner and natively. The ES build leaves it outside the package's
 * files (vite.config.ts), so the page's bundler takes it from the `mermaid` dependency. The CDN build
 * swaps this module for `mermaid-loader.cdn.ts`, which loads `llm-stream.mermaid.js` from beside it.
 */
import type { Mermaid } from 'mermaid';

let loading: Promise<Mermaid> | null = null;

export function loadMermaid(): Promise<Mermaid> {
  loading ??= import('mermaid/dist/mermaid.esm.min.mjs').then(
    (module: { default: Mermaid }) => module.default,
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}
