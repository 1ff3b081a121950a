// `npm run screenshots`: pictures of the demo's reasoning, tool-call, web-search and rich answers.
//
//   node test/screenshots/take.js [--only=reasoning,tools,…]
//
// Starts the demo server (vite with the mock LLM, as `npm start` does) on a free 127.0.0.1 port, opens
// the demo in headless Chromium with a format and speed in its link (`?format=…&tps=…`), clicks the
// suggestion button of each answer, and writes one PNG per shot, cropped to the turn, into
// test/fixtures/screenshots/. The browser is
// CHROME_PATH or the first system Chromium found (as for the browser tests).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../fixtures/screenshots/', import.meta.url));
const VIEWPORT = { width: 1200, height: 900 };
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const executablePath = process.env.CHROME_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync);

/** The turn's <llm-stream>, as the wait conditions below see it (they run in the page). */
const STREAM = '.turn:last-of-type llm-stream';

/**
 * Each shot: the suggestion to click (its `data-answer`), the demo link's parameters, what the page
 * must show before the picture is taken, and how many tool calls to open first.
 * `reasoning-thinking` is taken mid-stream, slow enough that "Thinking…" is still open with a few
 * paragraphs in it.
 */
const SHOTS = [
  {
    name: 'reasoning-thinking',
    query: { answer: 'reasoning', format: 'anthropic', tps: '40' },
    ready: (selector) => {
      const stream = document.querySelector(selector);
      const details = stream?.shadowRoot?.querySelector('[part~="reasoning"]');
      return Boolean(details?.open && stream.reasoning.length > 900 && !stream.text);
    },
  },
  { name: 'reasoning', query: { answer: 'reasoning', format: 'anthropic', tps: '100' }, ready: isDone },
  { name: 'tools', query: { answer: 'tools', format: 'ai-sdk', tps: '60' }, ready: isDone, open: 1 },
  { name: 'sources', query: { answer: 'search', format: 'anthropic', tps: '60' }, ready: isDone },
  { name: 'tools-dark', query: { answer: 'tools', format: 'ai-sdk', tps: '60' }, ready: isDone, open: 1, colorScheme: 'dark' },
  // Math, highlighted code, a drawn diagram and a table with its toolbar.
  {
    name: 'rich',
    query: { answer: 'rich', format: 'openai', tps: '400' },
    ready: (selector) => {
      const stream = document.querySelector(selector);
      const root = stream?.shadowRoot;
      return Boolean(stream?.status === 'done' && root?.querySelector('figure[part~="diagram"] svg') && root.querySelector('math') && root.querySelector('[part~="table-toolbar"]'));
    },
  },
];

function isDone(selector) {
  const stream = document.querySelector(selector);
  return stream?.status === 'done';
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {net.AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function main() {
  if (!executablePath) throw new Error('no Chromium found: install one or set CHROME_PATH');
  const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
  const shots = only ? SHOTS.filter((shot) => only.includes(shot.name)) : SHOTS;
  mkdirSync(OUT_DIR, { recursive: true });

  const port = await freePort();
  // No hot reload: other edits to the checkout must not reload a page mid-shot.
  const vite = await createServer({ root: ROOT, configFile: `${ROOT}vite.config.ts`, logLevel: 'warn', server: { host: '127.0.0.1', port, strictPort: true, hmr: false } });
  await vite.listen();
  const origin = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  try {
    // A first visit lets vite pre-bundle the page's dependencies (it reloads the page when it does).
    const warm = await browser.newPage();
    await warm.goto(origin, { waitUntil: 'networkidle' });
    await warm.close();

    for (const shot of shots) {
      const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      // The page picks its theme from prefers-color-scheme when none is stored.
      await page.emulateMedia({ colorScheme: shot.colorScheme ?? 'light', reducedMotion: 'reduce' });
      const { answer, ...query } = shot.query;
      await page.goto(`${origin}/?${new URLSearchParams(query)}`);
      await page.click(`.suggestions button[data-answer="${answer}"]`);
      await page.waitForFunction(shot.ready, STREAM, { timeout: 60_000, polling: 50 }).catch(async (error) => {
        // Say what the page shows, to tell a slow answer from a broken one.
        const state = await page.evaluate((selector) => {
          const stream = document.querySelector(selector);
          const root = stream?.shadowRoot;
          return { status: stream?.status, text: stream?.text.length, parts: Array.from(root?.querySelectorAll('[part]') ?? [], (node) => node.getAttribute('part')).filter((p, i, all) => all.indexOf(p) === i) };
        }, STREAM);
        throw new Error(`${shot.name}: not ready (${JSON.stringify(state)}): ${error.message}`);
      });
      if (shot.open) {
        // Open the first tool calls the way a reader would, by their summary.
        const calls = page.locator(`${STREAM} >> [part~="tool-summary"]`);
        for (let i = 0; i < shot.open; i++) await calls.nth(i).click();
      }
      if (errors.length) throw new Error(`${shot.name}: the page reported errors:\n${errors.join('\n')}`);
      const path = `${OUT_DIR}${shot.name}.png`;
      await page.locator('.turn').last().screenshot({
        path,
        animations: 'disabled',
        caret: 'hide',
        // The turn with some room around it, without the fixed composer or the sticky header over it.
        style: '.composer { display: none !important; } header { position: static !important; } .turn:last-of-type { margin: 0 -24px; padding: 20px 24px; }',
      });
      console.log(`${shot.name.padEnd(20)} ${path.slice(ROOT.length)}  ${(statSync(path).size / 1024).toFixed(0)} KB`);
      await context.close();
    }
  } finally {
    await browser.close();
    await vite.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
