// Bundles worker/llm-stream.worker.ts into one classic script and exposes it as the virtual module
// `virtual:llm-stream-worker-source` (a string), for Vite (build, dev server) and @web/test-runner.
// The element starts it from a blob: URL through a Trusted Types policy (DESIGN.md §5).
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const WORKER_SOURCE_ID = 'virtual:llm-stream-worker-source';
const entry = fileURLToPath(new URL('../../worker/llm-stream.worker.ts', import.meta.url));

/** Where the inline worker finds the page's copy of comlink (see `workerModule`). */
const COMLINK_GLOBAL = 'LlmStreamComlink';

/**
 * The worker as one IIFE script. Self-contained by default (the self-hostable worker file); with
 * `sharedComlink` it takes comlink from `self.LlmStreamComlink` instead of carrying its own copy.
 */
export async function bundleWorker({ minify = true, sharedComlink = false, lazyExtras = false } = {}) {
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
    plugins: [
      // CDN: pacing and redaction are a file beside the CDN file (worker/bundled-extras.ts).
      ...(lazyExtras
        ? [
            {
              name: 'lazy-worker-extras',
              setup(build) {
                build.onResolve({ filter: /\/bundled-extras\.js$/ }, (args) => ({ path: fileURLToPath(new URL('bundled-extras.cdn.ts', `file://${args.resolveDir}/`)) }));
                // The less common formats' adapters: worker/formats.ts, a file of their own.
                build.onResolve({ filter: /^\.\/more-formats\.js$/ }, () => ({ path: fileURLToPath(new URL('../../worker/more-formats.cdn.ts', import.meta.url)) }));
              },
            },
          ]
        : []),
      ...(sharedComlink
      ? [
          {
            name: 'shared-comlink',
            setup(build) {
              build.onResolve({ filter: /^comlink$/ }, () => ({ path: 'comlink', namespace: 'shared-comlink' }));
              build.onLoad({ filter: /.*/, namespace: 'shared-comlink' }, () => ({
                contents: `const c = self.${COMLINK_GLOBAL}; export const expose = c.expose, releaseProxy = c.releaseProxy, proxy = c.proxy, transfer = c.transfer, wrap = c.wrap;`,
                loader: 'js',
              }));
            },
          },
        ]
      : []),
    ],
  });
  return result.outputFiles[0].text;
}

/**
 * The CDN build's worker files beside it, loaded by the worker when a stream needs them:
 * worker-extras (pacing, redaction, the failure path), entities (named references), formats (the
 * less common formats' adapters).
 */
export const WORKER_FILES = { 'llm-stream.worker-extras.js': 'worker-extras.ts', 'llm-stream.entities.js': 'entities.ts', 'llm-stream.formats.js': 'formats.ts' };

/** One file of the repository (`path` from its root) as a minified classic script, for importScripts or a script tag. */
async function bundleScript(path, extra = {}) {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../../${path}`, import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
    ...extra,
  });
  return result.outputFiles[0].text;
}

export function bundleWorkerFile(file) {
  return bundleScript(`worker/${WORKER_FILES[file]}`);
}

/** comlink as an IIFE that assigns its API to `__comlink` (nothing outside it is referenced). */
async function bundleComlink({ minify = true } = {}) {
  const result = await build({
    stdin: { contents: "export * from 'comlink';", resolveDir: fileURLToPath(new URL('../..', import.meta.url)), loader: 'js' },
    bundle: true,
    format: 'iife',
    globalName: '__comlink',
    platform: 'browser',
    target: 'es2022',
    minify,
    legalComments: 'none',
    write: false,
  });
  return result.outputFiles[0].text;
}

/** The optional syntax highlighter (worker/highlighter.ts) as one classic script for importScripts. */
export function bundleHighlighter() {
  return bundleScript('worker/highlighter.ts');
}

/**
 * The optional math file (worker/math.ts: the markdown math syntax and Temml) as one classic script for
 * importScripts; the worker loads it with the first text that holds a math opener. Re-minified like
 * the worker (0.7 KB gzip less than esbuild alone: 60.3 KB).
 */
export async function bundleMath() {
  return reminify(await bundleScript('worker/math.ts'));
}

/** A styles module's `const cssText = \`…\`` with comments stripped and whitespace collapsed (CSS is a string to JS minifiers). */
export function minifyCssModule(code) {
  return code.replace(/const cssText = `([\s\S]*?)`;/, (_, css) => {
    const minified = css
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/\s*([{};,>])\s*/g, '$1')
      .replace(/:\s+/g, ':')
      .replace(/;}/g, '}')
      .replace(/([\s:(,-])0\.(\d)/g, '$1.$2')
      .trim();
    return `const cssText = ${JSON.stringify(minified)};`;
  });
}

/**
 * The CDN build's extras (components/extras.ts: the parts beside the text, the table toolbar) as one
 * classic script that defines `LlmStreamExtras`; components/extras-loader.cdn.ts loads it on first use.
 * Its loaders take their CDN versions, files beside it: DOMPurify (the SVG profile of diagrams) and
 * mermaid, so neither is bundled in.
 */
export function bundleExtras() {
  return bundleScript('components/extras.ts', {
    globalName: 'LlmStreamExtras',
    plugins: [
      {
        name: 'minify-css-modules',
        setup(build) {
          build.onLoad({ filter: /\.styles\.ts$/ }, async (args) => ({
            contents: minifyCssModule(await readFile(args.path, 'utf8')),
            loader: 'ts',
          }));
        },
      },
      {
        name: 'cdn-loaders',
        setup(build) {
          build.onResolve({ filter: /^\.\/(purify|mermaid-loader)\.js$/ }, (args) => ({
            path: fileURLToPath(new URL(`../../components/${args.path.slice(2, -3)}.cdn.ts`, import.meta.url)),
          }));
        },
      },
    ],
  });
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
 *
 * comlink is shared the same way: `comlinkFactory` is comlink's whole code in one function. The page
 * calls it for its own comlink (the build aliases `comlink` to `virtual:llm-stream-comlink`), and
 * the blob runs its source text before the worker's, as `self.LlmStreamComlink` — one copy of
 * comlink in the file instead of two (~0.5 KB gzip of the CDN budget).
 */
async function workerModule({ minify, lazyExtras = false }) {
  const [worker, comlink] = await Promise.all([bundleWorker({ minify, sharedComlink: true, lazyExtras }), bundleComlink({ minify })]);
  return `export function comlinkFactory() {\n${comlink}\nreturn __comlink;\n}\nexport default function llmStreamWorker() {\n${worker}\n}`;
}

/** The page's comlink, from the factory the inline worker shares (see `workerModule`). */
export const COMLINK_ID = 'virtual:llm-stream-comlink';
const comlinkModule = `import { comlinkFactory } from '${WORKER_SOURCE_ID}';
export const { wrap, proxy, transfer } = comlinkFactory();`;
// Only what the page imports: a read of each other export would stay in the file (the build fails on an import of one missing here).

/** Vite plugin: resolves the virtual module to the bundled worker source, and the page's `comlink` to the shared copy. */
export function workerSourceVitePlugin({ minify = true, lazyExtras = false } = {}) {
  const resolved = '\0' + WORKER_SOURCE_ID;
  const resolvedComlink = '\0' + COMLINK_ID;
  return {
    name: 'llm-stream-worker-source',
    // Before Vite's own resolver, which would resolve `comlink` to node_modules first.
    enforce: 'pre',
    resolveId(id) {
      if (id === WORKER_SOURCE_ID) return resolved;
      return id === 'comlink' ? resolvedComlink : null;
    },
    async load(id) {
      if (id === resolvedComlink) return comlinkModule;
      if (id !== resolved) return null;
      return workerModule({ minify, lazyExtras });
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
      return { body: await workerModule({ minify: false }), type: 'js' };
    },
  };
}
