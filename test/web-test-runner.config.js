// Browser tests (`npm run test:browser`): headless Debian Chromium, TypeScript via esbuild, the worker
// bundled on the fly, the mock LLM on the same origin, and a second origin serving dist/ (CDN tests).
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extname, join, normalize } from 'node:path';
import { workerSourceWdsPlugin } from './build/worker-source.js';
import { createMockLlm } from './mock-llm/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const executablePath = process.env.CHROME_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync);

/** A second origin: serves the repository's files with CORS, like a CDN would. Stops with the process. */
function startCdnServer() {
  const types = { '.js': 'text/javascript', '.html': 'text/html', '.json': 'application/json', '.map': 'application/json' };
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(root, path));
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream', 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'access-control-allow-origin': '*' });
      res.end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    server.unref();
    resolve(`http://127.0.0.1:${server.address().port}`);
  }));
}

/**
 * Strict-CSP test pages (test/components/csp.test.ts): /csp/<page>.html is served with a
 * Content-Security-Policy header; the page's scripts are files (inline scripts are not allowed).
 */
// Exactly the README's recipe (README.md "Content-Security-Policy"): lit-html is Lit's own policy.
const TT_POLICIES = 'trusted-types llm-stream lit-html dompurify';
const CSP_PAGES = {
  // The policy, with an inline (blob:) worker.
  a: `default-src 'self'; script-src 'self'; worker-src 'self' blob:; require-trusted-types-for 'script'; ${TT_POLICIES}`,
  // No blob: workers: works with workerSettings.workerUrl (self-hosted worker file).
  b: `default-src 'self'; script-src 'self'; worker-src 'self'; require-trusted-types-for 'script'; ${TT_POLICIES}`,
  // Same policy, used without workerUrl: must fail with a clear `worker` error.
  c: `default-src 'self'; script-src 'self'; worker-src 'self'; require-trusted-types-for 'script'; ${TT_POLICIES}`,
};
async function cspPages(ctx, next) {
  const match = /^\/csp\/([a-z])\.html$/.exec(ctx.path);
  const policy = match && CSP_PAGES[match[1]];
  if (!policy) return next();
  ctx.set('Content-Security-Policy', policy);
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'text/html';
  ctx.body = `<!doctype html><html><head><meta charset="utf-8"><title>csp ${match[1]}</title>
<script src="/test/csp/violations.js"></script>
${match[1] === 'a' ? '<script type="module" src="/dist/llm-stream.js"></script>\n' : ''}<script type="module" src="/test/csp/page.js"></script>
</head><body></body></html>`;
}

const cdnOrigin = await startCdnServer();
const mock = createMockLlm();

export default {
  rootDir: root,
  files: ['test/components/**/*.test.ts'],
  nodeResolve: true,
  // One page at a time: a second, background page gets no animation frames, and these tests wait for frames.
  concurrency: 1,
  testsFinishTimeout: 10 * 60 * 1000,
  testFramework: { config: { timeout: 20000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--js-flags=--expose-gc'],
      },
    }),
  ],
  middleware: [
    mock.koa,
    cspPages,
    // Outside corpora are read in place (never copied into the repository): /__shared/corpora/… → ../shared/corpora/….
    async (ctx, next) => {
      const match = /^\/__shared\/corpora\/([\w.-]+(?:\/[\w.-]+)?)$/.exec(ctx.path);
      if (!match) return next();
      try {
        ctx.body = await readFile(join(root, '..', 'shared', 'corpora', match[1]));
        ctx.type = extname(match[1]) === '.json' ? 'application/json' : 'text/plain';
      } catch {
        ctx.status = 404;
      }
    },
    async (ctx, next) => {
      if (ctx.path === '/__test-env.json') {
        ctx.type = 'application/json';
        // GENERATED_CASES: the size of the generated-input runs (test/components/generated-sink.test.ts).
        ctx.body = JSON.stringify({ cdnOrigin, generatedCases: Number(process.env.GENERATED_CASES) || null });
        return;
      }
      await next();
    },
  ],
  plugins: [workerSourceWdsPlugin(), esbuildPlugin({ ts: true, target: 'es2022', tsconfig: join(root, 'tsconfig.json') })],
};
