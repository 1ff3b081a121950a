// Bundles worker/llm-stream.worker.ts into one classic script and exposes it as the virtual module
// `virtual:llm-stream-worker-source` (a string), for Vite (build, dev server) and @web/test-runner.
// The element starts it from a blob: URL through a Trusted Types policy (DESIGN.md §5).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const WORKER_SOURCE_ID = 'virtual:llm-stream-worker-source';
const entry = fileURLToPath(new URL('../../worker/llm-stream.worker.ts', import.meta.url));

/** The worker as one self-contained IIFE script. */
export async function bundleWorker({ minify = true } = {}) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify,
    legalComments: 'none',
    write: false,
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return result.outputFiles[0].text;
}

/** The optional syntax highlighter (worker/highlighter.ts) as one classic script for importScripts. */
export async function bundleHighlighter() {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../../worker/highlighter.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
  });
  return result.outputFiles[0].text;
}

/**
 * A second minification for a shipped classic script (the CDN file, the self-hostable worker):
 * Oxc (Vite's own minifier), then terser's compressor alone, then Oxc again. terser's mangler stays
 * off: Oxc's naming of the whole file compresses better (terser mangling the CDN file made it 0.4 KB
 * gzip larger than Oxc alone; compressing with terser and re-mangling with Oxc made it 0.3 KB
 * smaller). Only terser's default, semantics-preserving transforms (no `unsafe*`, no `pure_*`);
 * top-level names stay, as these are scripts.
 */
export async function reminify(code) {
  const [{ minifySync }, { minify: terser }] = await Promise.all([import('vite'), import('terser')]);
  const oxc = (source) => {
    const result = minifySync('script.js', source, { module: false });
    if (result.errors.length > 0) throw new Error(`oxc minify: ${result.errors.map((error) => error.message).join('; ')}`);
    return result.code;
  };
  const compressed = await terser(oxc(code), { ecma: 2020, module: false, compress: { passes: 2 }, mangle: false, format: { comments: false } });
  return oxc(compressed.code);
}

/**
 * The virtual module's code: the worker as the body of a function, whose source text
 * (`Function.prototype.toString`) becomes the blob. Plain code compresses together with the rest of
 * the bundle, where a string literal pays for escaping every quote and backslash (~0.4 KB gzip).
 * The IIFE references nothing outside itself, so being re-minified inside the bundle is harmless.
 */
function workerModule(code) {
  return `export default function llmStreamWorker() {\n${code}\n}`;
}

/** Vite plugin: resolves the virtual module to the bundled worker source. */
export function workerSourceVitePlugin({ minify = true } = {}) {
  const resolved = '\0' + WORKER_SOURCE_ID;
  return {
    name: 'llm-stream-worker-source',
    resolveId(id) {
      return id === WORKER_SOURCE_ID ? resolved : null;
    },
    async load(id) {
      if (id !== resolved) return null;
      return workerModule(await bundleWorker({ minify }));
    },
  };
}

/** @web/dev-server plugin: the same virtual module, bundled fresh on each request (tests, dev). */
export function workerSourceWdsPlugin() {
  const path = '/__llm-stream-worker-source.js';
  return {
    name: 'llm-stream-worker-source',
    resolveImport({ source }) {
      return source === WORKER_SOURCE_ID ? path : undefined;
    },
    async serve(context) {
      if (context.path !== path) return undefined;
      return { body: workerModule(await bundleWorker({ minify: false })), type: 'js' };
    },
  };
}
