/**
 * Where llm-stream's own script was loaded from, read while it runs: the CDN build's `<script>` tag
 * (`document.currentScript` is null afterwards), else this module's URL. Files shipped beside it —
 * the highlighter, the CDN build's sanitizer fallback — are found relative to it.
 */
export const scriptUrl: string =
  (typeof document !== 'undefined' ? (document.currentScript as HTMLScriptElement | null)?.src : undefined) ||
  // In the IIFE build `import.meta.url` compiles to undefined; the page's URL is the last resort.
  import.meta.url ||
  (typeof document !== 'undefined' ? document.baseURI : 'file:///');

/**
 * A file shipped beside llm-stream's script. The ES build's shared code is in `dist/chunks/`, while
 * the files are in `dist/` beside its entry: from a chunk, they are one folder up. (A page whose
 * bundler moves llm-stream's code elsewhere sets `workerSettings.*Url` to where it serves them.)
 */
export function siblingUrl(file: string): string {
  return new URL((/\/chunks\/[^/]*$/.test(new URL(scriptUrl).pathname) ? '../' : '') + file, scriptUrl).href;
}
