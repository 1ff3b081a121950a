/**
 * The package as users get it: `npm pack`, install the tarball into a scratch app, then
 * (a) build the app with Vite and render a stream in Chromium, (b) import the entry under Node
 * (SSR: no browser globals at import time), (c) load it with a plain <script type="module">, (d) build an
 * app that imports `llm-stream/element` and registers the class under its own tag.
 * Needs `npm run build` first (npm test does it).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium, type Browser } from 'playwright-core';
import { createMockLlm } from '../mock-llm/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let app = '';
let browser: Browser;
let server: Server;
let origin = '';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.json': 'application/json', '.map': 'application/json' };

before(async () => {
  assert.ok(existsSync(join(root, 'dist/llm-stream.js')), 'run `npm run build` first');
  app = mkdtempSync(join(tmpdir(), 'llm-stream-app-'));
  const tarball = execFileSync(npm, ['pack', '--silent', '--pack-destination', app], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop() ?? '';
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }));
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', join(app, tarball)], { cwd: app, stdio: 'pipe' });
  writeFileSync(join(app, 'index.html'), '<!doctype html><meta charset="utf-8"><llm-stream id="a" manual></llm-stream><script type="module" src="/main.js"></script>');
  writeFileSync(join(app, 'main.js'), "import { LlmStreamElement } from 'llm-stream';\nwindow.__ready = customElements.get('llm-stream') === LlmStreamElement;\n");
  // `llm-stream/element`: the page picks the tag; nothing may register <llm-stream> behind its back.
  mkdirSync(join(app, 'element-app'));
  writeFileSync(join(app, 'element-app/index.html'), '<!doctype html><meta charset="utf-8"><my-answer id="a" manual></my-answer><script type="module" src="./main.js"></script>');
  writeFileSync(join(app, 'element-app/main.js'), "import { LlmStreamElement } from 'llm-stream/element';\ncustomElements.define('my-answer', LlmStreamElement);\n");
  mkdirSync(join(app, 'plain'));
  writeFileSync(join(app, 'plain/index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/node_modules/llm-stream/dist/llm-stream.js"></script><llm-stream id="a" manual></llm-stream>');

  const mock = createMockLlm();
  server = createServer(async (req, res) => {
    if (mock.handle(req, res)) return;
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(app, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const executablePath = process.env.CHROME_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync);
  browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (app) rmSync(app, { recursive: true, force: true });
});

/** Stream the mock's short answer in the page's element `#a` (a `tag`) and return what rendered. */
async function streamIn(url: string, tag = 'llm-stream'): Promise<{ status: string; paragraph: string; tags: Record<string, boolean> }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(url);
    await page.waitForFunction((name) => customElements.get(name) !== undefined, tag, { timeout: 10_000 });
    return await page.evaluate(async () => {
      const element = document.getElementById('a') as HTMLElement & { start(r: { url: string }): Promise<{ status: string }> };
      const result = await element.start({ url: '/mock/chat?tps=max&answer=short' });
      return {
        status: result.status,
        paragraph: element.shadowRoot?.querySelector('[part="content"]')?.textContent ?? '',
        tags: { 'llm-stream': customElements.get('llm-stream') !== undefined, 'my-answer': customElements.get('my-answer') !== undefined },
      };
    });
  } finally {
    await page.close();
    assert.deepEqual(errors, []);
  }
}

test('the tarball carries the entry, types, CDN file, worker file and manifest — and no sources or tests', () => {
  const installed = join(app, 'node_modules/llm-stream');
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
  for (const file of ['dist/llm-stream.js', 'dist/llm-stream.cdn.js', 'dist/llm-stream.worker.js', 'dist/llm-stream.highlight.js', 'dist/llm-stream.purify.js', 'dist/custom-elements.json', 'dist/types/components/index.d.ts']) {
    assert.ok(existsSync(join(installed, file)), `${file} is in the package`);
  }
  assert.equal(manifest.unpkg, manifest.jsdelivr);
  assert.ok(existsSync(join(installed, String(manifest.unpkg))));
  assert.ok(existsSync(join(installed, String(manifest.customElements))));
  assert.equal(existsSync(join(installed, 'test')), false);
  assert.equal(existsSync(join(installed, 'components')), false);
});

test('a Vite app that imports the package builds and renders a stream', async () => {
  await build({ root: app, configFile: false, logLevel: 'silent', build: { outDir: join(app, 'out'), emptyOutDir: true } });
  const built = readFileSync(join(app, 'out/index.html'), 'utf8');
  const entry = /src="(\/assets\/[^"]+\.js)"/.exec(built)?.[1];
  assert.ok(entry, 'the built page references its bundle');
  mkdirSync(join(app, 'vite-app'), { recursive: true });
  writeFileSync(join(app, 'vite-app/index.html'), built.replaceAll('/assets/', '/out/assets/'));
  const { status, paragraph } = await streamIn(`${origin}/vite-app/`);
  assert.equal(status, 'done');
  assert.ok(paragraph.length > 5, `rendered: ${paragraph}`);
});

test('importing the entry under Node touches no browser global and does not throw (SSR)', () => {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', "const m = await import('llm-stream'); console.log(typeof m.LlmStreamElement, typeof m.LlmStreamError, typeof globalThis.window);"], { cwd: app, encoding: 'utf8' });
  assert.equal(output.trim(), 'function function undefined');
});

test('llm-stream/element exports the class without registering a tag (Node and the built file)', () => {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', "const m = await import('llm-stream/element'); console.log(typeof m.LlmStreamElement, typeof m.LlmStreamError, String(globalThis.customElements?.get?.('llm-stream')));"], { cwd: app, encoding: 'utf8' });
  // (Under Node, Lit's own SSR shim may provide a `customElements` registry: nothing is in it.)
  assert.equal(output.trim(), 'function function undefined');
  const built = readFileSync(join(app, 'node_modules/llm-stream/dist/element.js'), 'utf8');
  assert.doesNotMatch(built, /customElements\.define/, 'the element module defines nothing');
});

test('an app importing llm-stream/element defines the class as <my-answer>, registers no <llm-stream>, and streams', async () => {
  await build({ root: join(app, 'element-app'), configFile: false, logLevel: 'silent', base: '/element-app/out/', build: { outDir: join(app, 'element-app/out'), emptyOutDir: true } });
  const { status, paragraph, tags } = await streamIn(`${origin}/element-app/out/`, 'my-answer');
  assert.equal(status, 'done');
  assert.ok(paragraph.length > 5, `rendered: ${paragraph}`);
  assert.deepEqual(tags, { 'llm-stream': false, 'my-answer': true });
});

test('a plain <script type="module"> of the installed entry registers the element and streams', async () => {
  const { status, paragraph } = await streamIn(`${origin}/plain/`);
  assert.equal(status, 'done');
  assert.ok(paragraph.length > 5);
});
