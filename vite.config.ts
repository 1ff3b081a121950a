// One config for the demo server and the library build.
// - `npm start` (vite): serves index.html with the element from source and the built-in mock LLM;
//   with a provider key in the environment, also the reference relay at /api/chat (src/relay/).
// - `vite build` (mode `production`): the ES module entry dist/llm-stream.js.
// - `vite build --mode cdn`: the self-contained CDN file dist/llm-stream.cdn.js (IIFE, inline worker),
//   the self-hostable worker dist/llm-stream.worker.js, the optional highlighter
//   dist/llm-stream.highlight.js, and the CDN size budget (fails the build).
import { defineConfig, type Plugin } from 'vite';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { WORKER_FILES, bundleExtras, bundleHighlighter, bundleMath, bundleWorker, bundleWorkerFile, minifyCssModule, reminify, workerSourceVitePlugin } from './test/build/worker-source.js';
import { createMockLlm } from './test/mock-llm/index.js';
import { relayVitePlugin } from './src/relay/vite-plugin.js';

/** The CDN file's budget, gzip. */
const CDN_BUDGET_BYTES = 48 * 1024;

function mockLlmPlugin(): Plugin {
  const mock = createMockLlm();
  return {
    name: 'llm-stream-mock-llm',
    configureServer(server) {
      server.middlewares.use(mock.connect);
    },
    configurePreviewServer(server) {
      server.middlewares.use(mock.connect);
    },
  };
}

/**
 * Dev server: the files the worker loads from beside the script (here /components/, where the
 * element's modules are served), bundled on first request — so the demo renders math and highlights
 * code from source.
 */
function mathFileDevPlugin(): Plugin {
  // The worker's files beside the script, bundled on first request: math and the highlighter.
  const files: Record<string, () => Promise<string>> = { 'llm-stream.math.js': bundleMath, 'llm-stream.highlight.js': bundleHighlighter };
  const built = new Map<string, Promise<string>>();
  return {
    name: 'llm-stream-worker-files',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = req.url?.split('?')[0]?.split('/').pop() ?? '';
        const bundle = files[file];
        if (!bundle) return next();
        if (!built.has(file)) built.set(file, bundle());
        built.get(file)!.then((code) => {
          res.setHeader('content-type', 'text/javascript');
          res.end(code);
        }, next);
      });
    },
  };
}

/** Build: strip comments and collapse whitespace in the element's CSS template (it is a string to JS minifiers). */
function minifyCssTemplatePlugin(): Plugin {
  return {
    name: 'llm-stream-minify-css',
    apply: 'build',
    transform(code, id) {
      if (!id.endsWith('components/llm-stream.styles.ts') && !id.endsWith('components/extras.styles.ts')) return null;
      return minifyCssModule(code);
    },
  };
}

/** CDN build: DOMPurify is loaded on demand from beside the CDN file (components/purify.cdn.ts). */
function cdnPurifyPlugin(outDir: string): Plugin {
  return {
    name: 'llm-stream-cdn-purify',
    apply: 'build',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (source === './purify.js' && importer?.replace(/\\/g, '/').endsWith('components/html-sink.ts')) {
        return (await this.resolve('./purify.cdn.ts', importer))?.id ?? null;
      }
      // The extras (parts beside the text, table toolbar) are a file beside the CDN file as well.
      if (source === './extras-loader.js' && importer?.replace(/\\/g, '/').includes('/components/')) {
        return (await this.resolve('./extras-loader.cdn.ts', importer))?.id ?? null;
      }
      return null;
    },
    closeBundle() {
      copyFileSync('node_modules/dompurify/dist/purify.min.js', `${outDir}/llm-stream.purify.js`);
      // Diagrams: mermaid's own minified build, loaded with the first diagram (components/mermaid-loader.cdn.ts).
      copyFileSync('node_modules/mermaid/dist/mermaid.min.js', `${outDir}/llm-stream.mermaid.js`);
    },
  };
}

/**
 * CDN build: the finished file (after Vite's minifier) minified once more, see `reminify`: 0.3 KB
 * gzip less. No source map to keep in step: the CDN build writes none.
 */
function cdnReminifyPlugin(): Plugin {
  return {
    name: 'llm-stream-cdn-reminify',
    apply: 'build',
    async generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk' && chunk.fileName === 'llm-stream.cdn.js') chunk.code = await reminify(chunk.code);
      }
    },
  };
}

/** After the CDN build: write the self-hostable worker (minified once more: 1.7 KB gzip less) and enforce the size budget. */
function cdnBudgetPlugin(outDir: string): Plugin {
  return {
    name: 'llm-stream-cdn-budget',
    apply: 'build',
    async closeBundle() {
      writeFileSync(`${outDir}/llm-stream.worker.js`, await reminify(await bundleWorker()));
      writeFileSync(`${outDir}/llm-stream.highlight.js`, await bundleHighlighter());
      writeFileSync(`${outDir}/llm-stream.math.js`, await bundleMath());
      writeFileSync(`${outDir}/llm-stream.extras.js`, await bundleExtras());
      for (const file of Object.keys(WORKER_FILES)) writeFileSync(`${outDir}/${file}`, await bundleWorkerFile(file));
      const sizes: Record<string, { bytes: number; gzip: number }> = {};
      for (const file of ['llm-stream.cdn.js', 'llm-stream.js', 'llm-stream.worker.js', 'llm-stream.highlight.js', 'llm-stream.math.js', 'llm-stream.extras.js', ...Object.keys(WORKER_FILES)]) {
        const bytes = readFileSync(`${outDir}/${file}`);
        sizes[file] = { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
        console.log(`${file.padEnd(22)} ${(bytes.length / 1024).toFixed(1).padStart(7)} KB   gzip ${(sizes[file].gzip / 1024).toFixed(1).padStart(6)} KB`);
      }
      writeFileSync(`${outDir}/sizes.json`, JSON.stringify(sizes, null, 2));
      const cdn = sizes['llm-stream.cdn.js']?.gzip ?? Infinity;
      if (cdn > CDN_BUDGET_BYTES) {
        throw new Error(`size budget exceeded: llm-stream.cdn.js is ${(cdn / 1024).toFixed(1)} KB gzip > ${CDN_BUDGET_BYTES / 1024} KB`);
      }
      console.log(`size budget: llm-stream.cdn.js ${(cdn / 1024).toFixed(1)} KB of ${CDN_BUDGET_BYTES / 1024} KB gzip — PASS`);
    },
  };
}

export default defineConfig(({ command, mode }) => {
  const outDir = 'dist';
  const cdn = mode === 'cdn';
  return {
    plugins: [workerSourceVitePlugin({ minify: command === 'build', lazyExtras: cdn }), minifyCssTemplatePlugin(), ...(command === 'serve' ? [mockLlmPlugin(), relayVitePlugin(), mathFileDevPlugin()] : []), ...(cdn ? [cdnPurifyPlugin(outDir), cdnReminifyPlugin(), cdnBudgetPlugin(outDir)] : [])],
    define: command === 'build' ? { 'process.env.NODE_ENV': '"production"' } : {},
    server: { host: '127.0.0.1', port: 5173 },
    // The dev server pre-bundles what the element imports on first use, so the first diagram or
    // DOMPurify load does not make Vite re-optimize and reload the demo mid-answer.
    optimizeDeps: { include: ['mermaid/dist/mermaid.esm.min.mjs', 'dompurify'] },
    // ES build: Lit's `node` builds (same code, but the classes extend `globalThis.HTMLElement ?? shim`
    // and nothing touches `document` at import), so `import 'llm-stream'` under Node (SSR) does not
    // throw; in browsers they use the real HTMLElement. The CDN file keeps Lit's browser builds.
    ...(command === 'build' && !cdn ? { resolve: { conditions: ['node', 'module', 'import', 'production', 'default'] } } : {}),
    build: {
      outDir,
      emptyOutDir: !cdn,
      target: 'es2022',
      minify: true,
      sourcemap: !cdn,
      lib: cdn
        ? { entry: 'components/index.ts', formats: ['iife'], name: 'LlmStream', fileName: () => 'llm-stream.cdn.js' }
        : { entry: { 'llm-stream': 'components/index.ts', element: 'components/element.ts' }, formats: ['es'], fileName: (_format, name) => `${name}.js` },
      // Shared code of the two ES entries, and the lazily imported DOMPurify fallback. Mermaid (diagrams,
      // imported on first use) stays outside: the page's bundler takes it from the `mermaid` dependency.
      rollupOptions: cdn ? {} : { output: { chunkFileNames: 'chunks/[name]-[hash].js' }, external: [/^mermaid(\/|$)/] },
    },
  };
});
