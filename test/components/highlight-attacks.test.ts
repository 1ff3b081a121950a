// Live highlighting and attacks (issue 14 items 2 and 8): code that tries to break out of its block,
// info strings that try to break out of the class attribute, grammars that embed other languages,
// and raw HTML posing as highlighted lines (the patcher parses a completed line in place): on both
// sink paths and both `html` modes, nothing forbidden reaches the DOM at any moment, nothing runs,
// nothing is fetched. Needs the built highlighter (dist/llm-stream.highlight.js).
import { expect } from 'chai';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import { workerSettings } from '../../components/worker-client.js';
import { seededRandom } from '../seeded-random.js';
import { watchContent } from './dom-safety.js';
import { contentOf, createElement } from './helpers.js';

const MODES = ['sanitizer', 'dompurify'] as const;
const HTML_MODES = [undefined, 'sanitized'] as const;
const defaultUrl = workerSettings.highlighterUrl;

before(() => {
  workerSettings.highlighterUrl = new URL('/dist/llm-stream.highlight.js', location.href).href;
});
after(() => {
  workerSettings.highlighterUrl = defaultUrl;
});
afterEach(() => document.body.replaceChildren());

const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

/** Writes `markdown` at seeded random splits, with frames in between, and waits for the end. */
async function stream(element: LlmStreamElement, markdown: string, seed: number): Promise<void> {
  await element.updateComplete;
  const done = new Promise<void>((resolve, reject) => {
    element.addEventListener('llm-done', () => resolve(), { once: true });
    element.addEventListener('llm-error', (event) => reject((event as CustomEvent<{ error: Error }>).detail.error), { once: true });
  });
  const random = seededRandom(seed);
  for (let i = 0; i < markdown.length;) {
    const size = 1 + Math.floor(random() * 9);
    element.write(markdown.slice(i, i + size));
    i += size;
    if (random() < 0.5) await frame();
  }
  element.end();
  await done;
}

const PWN = 'window.__hlPwned=1';
const IMG = 'http://127.0.0.1:9/hl.png';

/** Each attack: its markdown, and the code text a block must show exactly (when the attack is code). */
const ATTACKS: Record<string, { markdown: string; code?: string }> = {
  'code closing its block': {
    markdown: `\`\`\`html\n</code></pre><img src="${IMG}" onerror="${PWN}">\n<script>${PWN}</script>\n<style>@import "${IMG}";</style>\n\`\`\`\n`,
    code: `</code></pre><img src="${IMG}" onerror="${PWN}">\n<script>${PWN}</script>\n<style>@import "${IMG}";</style>\n`,
  },
  'info string closing the class attribute': {
    markdown: `\`\`\`js" onmouseover="${PWN}" x="\nlet a = 1;\n\`\`\`\n\n\`\`\`js><img src=${IMG} onerror=${PWN}>\nlet b = 2;\n\`\`\`\n`,
  },
  'embedded languages': {
    markdown: `\`\`\`html\n<div onclick="${PWN}">\n<script>\nfetch("${IMG}"); ${PWN};\n</script>\n<style>\nbody { background: url(${IMG}) }\n</style>\n</div>\n\`\`\`\n\n\`\`\`php-template\n<?php echo "<img src=${IMG} onerror=${PWN}>"; ?>\n\`\`\`\n`,
    code: `<div onclick="${PWN}">\n<script>\nfetch("${IMG}"); ${PWN};\n</script>\n<style>\nbody { background: url(${IMG}) }\n</style>\n</div>\n`,
  },
  'markdown links and images inside markdown code': {
    markdown: `\`\`\`markdown\n[click](javascript:${PWN})\n![x](${IMG})\n<img src="${IMG}">\n\`\`\`\n`,
    code: `[click](javascript:${PWN})\n![x](${IMG})\n<img src="${IMG}">\n`,
  },
  'raw HTML posing as highlighted lines': {
    markdown: `\`\`\`js\nconst a = 1;\n\`\`\`\n\nText <span class="hljs-line"><img src="${IMG}" onerror="${PWN}"></span> more <span class="hljs-line">x</span><a href="javascript:${PWN}">y</a>\n\n\`\`\`js\nconst b = 2;\nconst c = 3;\n<span class="hljs-line"><img src=${IMG} onerror=${PWN}></span>\n`,
  },
  'an open fence ending in markup': {
    markdown: `\`\`\`js\nconst s = "</code></pre><iframe src=${IMG}></iframe>";\n// <script>${PWN}</script>\nlet t = \`\n<img src=${IMG} onerror=${PWN}>`,
  },
};

const canary = window as unknown as Record<string, unknown>;

/** Resources fetched since `since` other than our own modules and files. */
function fetchedSince(since: number): string[] {
  return performance
    .getEntriesByType('resource')
    .filter((entry) => entry.startTime >= since)
    .map((entry) => entry.name)
    .filter((url) => !/\/(node_modules|components|src|worker|dist|test|__web-dev-server|__wds)[/-]/.test(new URL(url).pathname));
}

describe('live highlighting attack vectors', () => {
  for (const mode of MODES) {
    for (const html of HTML_MODES) {
      it(`nothing forbidden reaches the DOM, runs or loads (${mode}, html=${html ?? 'escape'})`, async () => {
        const since = performance.now();
        const originalAlert = window.alert;
        const alerts: string[] = [];
        window.alert = (message?: unknown) => void alerts.push(String(message));
        delete canary['__hlPwned'];
        try {
          for (const [name, attack] of Object.entries(ATTACKS)) {
            const element = createElement({ manual: '', sanitizer: mode, ...(html ? { html } : {}) });
            await element.updateComplete;
            const watcher = watchContent(element, new Set());
            await stream(element, attack.markdown, name.length);
            expect(element.sinkMode).to.equal(mode);
            const { problems } = watcher.stop();
            expect(problems, name).to.deep.equal([]);
            const content = contentOf(element);
            for (const span of Array.from(content.querySelectorAll('pre span'))) {
              expect(span.getAttributeNames(), name).to.deep.equal(['class']);
            }
            if (attack.code !== undefined) {
              const code = content.querySelector('pre code')!;
              expect(code.textContent, name).to.equal(attack.code);
              expect(code.querySelector('.hljs-tag, .hljs-string, .hljs-link, .hljs-name'), `${name}: highlighted`).to.not.equal(null);
            }
            // Info strings never leave the class attribute: one `language-…` class, no other attribute.
            for (const code of Array.from(content.querySelectorAll('pre code'))) {
              expect(code.getAttributeNames().sort(), name).to.deep.equal(['class', 'part']);
            }
            element.remove();
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
          expect(canary['__hlPwned'], 'a payload ran').to.equal(undefined);
          expect(alerts).to.deep.equal([]);
          expect(fetchedSince(since)).to.deep.equal([]);
        } finally {
          window.alert = originalAlert;
        }
      });
    }
  }
});
