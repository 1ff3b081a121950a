// Live code highlighting (issue 14 item 2): on by default, in the worker, line by line while a block
// streams; `highlight="off"` keeps code plain; the highlighter loads with the first fenced code that
// names a language. Needs the built highlighter (dist/llm-stream.highlight.js: `npm run build`).
import { expect } from 'chai';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import { workerSettings } from '../../components/worker-client.js';
import { contentOf, createElement, mockLog, mockUrl, testEnv, uniqueKey, waitFor } from './helpers.js';

const BUILT = new URL('/dist/llm-stream.highlight.js', location.href).href;
const defaultUrl = workerSettings.highlighterUrl;

/** Sixty lines of JavaScript in an open fence, streamed slowly enough to be seen mid-block. */
const LONG = ['Start.', '', '```js', ...Array.from({ length: 60 }, (_, i) => `const value${i} = compute(${i}); // step ${i}`), '```', '', 'After.'].join('\n');

function lastPre(element: LlmStreamElement): HTMLPreElement | null {
  return contentOf(element).querySelector<HTMLPreElement>(':scope > pre:last-of-type');
}

/** The streaming block: the last `pre`, not yet committed (committed blocks get a toolbar). */
function streamingBlock(element: LlmStreamElement): HTMLPreElement | null {
  const pre = lastPre(element);
  return pre && element.status === 'streaming' && !pre.querySelector('[data-llm-decoration]') ? pre : null;
}

afterEach(() => {
  workerSettings.highlighterUrl = defaultUrl;
  document.body.replaceChildren();
});

describe('live highlighting', () => {
  it('is on by default: a streaming code block shows hljs spans, coloured, before its fence closes', async () => {
    workerSettings.highlighterUrl = BUILT;
    const element = createElement();
    expect(element.highlight).to.equal('on');
    expect(element.hasAttribute('highlight'), 'the default is not reflected').to.equal(false);
    const done = element.start({ url: mockUrl({ tps: 120, text: LONG }) });
    const pre = await waitFor(() => {
      const block = streamingBlock(element);
      return block && block.querySelectorAll('.hljs-keyword').length >= 3 ? block : null;
    }, 'a highlighted block mid-stream', 15000);
    const code = pre.querySelector('code')!;
    expect(code.classList.contains('hljs')).to.equal(true);
    expect(code.textContent).to.not.include('After.');
    // Every complete line is highlighted; only the line being typed may be plain.
    const lines = (code.textContent ?? '').split('\n');
    const keywords = Array.from(code.querySelectorAll('.hljs-keyword')).map((span) => span.textContent);
    expect(keywords.length).to.be.at.least(lines.length - 2);
    expect(new Set(keywords)).to.deep.equal(new Set(['const']));
    // The colours came with the extras' styles, adopted for a tail (no block was committed with code yet).
    const keyword = code.querySelector('.hljs-keyword')!;
    await waitFor(() => getComputedStyle(keyword).color !== getComputedStyle(code).color, 'keyword colour');
    await done;
    const committed = lastPre(element)!.querySelector('code')!;
    expect(committed.querySelectorAll('.hljs-keyword').length).to.equal(60);
    expect(committed.textContent).to.equal(LONG.split('```js\n')[1]!.split('\n```')[0] + '\n');
  });

  it('highlighted lines never turn plain again while the block streams', async () => {
    workerSettings.highlighterUrl = BUILT;
    const element = createElement();
    const done = element.start({ url: mockUrl({ tps: 200, text: LONG }) });
    let best = 0;
    let drops = 0;
    for (;;) {
      const code = lastPre(element)?.querySelector('code');
      const count = code?.querySelectorAll('.hljs-keyword').length ?? 0;
      if (count < best) drops++;
      best = Math.max(best, count);
      if (element.status !== 'streaming' && element.status !== 'connecting' && element.status !== 'idle') break;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    await done;
    expect(drops).to.equal(0);
    expect(best).to.equal(60);
  });

  it('highlight="off" keeps code plain and never loads the highlighter', async () => {
    const key = uniqueKey('hl-off');
    workerSettings.highlighterUrl = new URL(`/mock/highlighter.js?key=${key}`, location.href).href;
    const element = createElement({ manual: '', highlight: 'off' });
    const done = element.start({ url: mockUrl({ tps: 300, text: LONG }) });
    let spans = 0;
    while (element.status !== 'done') {
      spans += contentOf(element).querySelectorAll('pre span').length;
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await done;
    expect(spans).to.equal(0);
    expect(lastPre(element)!.querySelector('code')!.className).to.equal('language-js');
    expect(await mockLog(key)).to.deep.equal([]);
  });

  it('the bare attribute, kept from when highlighting was opt-in, means on', async () => {
    workerSettings.highlighterUrl = BUILT;
    const element = createElement({ manual: '', highlight: '' });
    await element.start({ url: mockUrl({ tps: 'max', text: '```python\ndef f(x):\n    return x\n```\n' }) });
    expect(lastPre(element)!.querySelector('code .hljs-keyword')?.textContent).to.equal('def');
  });

  it('the highlighter loads with the first fenced code that names a language, once per worker', async () => {
    const key = uniqueKey('hl-lazy');
    // A URL on the mock: its log shows whether (and how often) the worker asked for it. (It is a 404,
    // so code stays plain: a highlighter that cannot load costs nothing but colour.)
    workerSettings.highlighterUrl = new URL(`/mock/highlighter.js?key=${key}`, location.href).href;
    const prose = createElement();
    await prose.start({ url: mockUrl({ tps: 'max', text: 'No code here, only `inline` code and\n\n    indented code\n\n```\nan unnamed fence\n```\n' }) });
    expect(await mockLog(key), 'no request without a named fence').to.deep.equal([]);
    for (const language of ['js', 'rust']) {
      const element = createElement();
      await element.start({ url: mockUrl({ tps: 'max', text: `\`\`\`${language}\nlet x = 1;\n\`\`\`\n` }) });
      expect(element.status).to.equal('done');
      expect(lastPre(element)!.querySelector('code')!.textContent).to.equal('let x = 1;\n');
    }
    expect((await mockLog(key)).length, 'loaded once').to.equal(1);
  });

  it('a language outside the bundled set stays plain, and the answer around it renders', async () => {
    workerSettings.highlighterUrl = BUILT;
    const element = createElement();
    const result = await element.start({ url: mockUrl({ tps: 'max', text: 'Before.\n\n```brainfuck\n++[>+<-] < & >\n```\n\n```js\nreturn 1;\n```\n\nAfter.' }) });
    expect(result.finishReason).to.equal('stop');
    const [unknown, known] = Array.from(contentOf(element).querySelectorAll('pre code'));
    expect(unknown!.className).to.equal('language-brainfuck');
    expect(unknown!.querySelector('span')).to.equal(null);
    expect(unknown!.textContent).to.equal('++[>+<-] < & >\n');
    expect(known!.querySelector('.hljs-keyword')?.textContent).to.equal('return');
    expect(contentOf(element).textContent).to.include('After.');
  });
});

describe('live highlighting, patched in place', () => {
  const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const lines = [
    "import { readFile } from 'node:fs/promises';",
    '/* A cache of the files read so far:',
    ' * path -> text (a comment over three lines:',
    ' * highlighted again as one run as it grows). */',
    'const cache = new Map(); // path -> text',
    'export async function load(path) {',
    "  if (cache.has(path)) return cache.get(path); // 'cached'",
    '  const text = await readFile(path, "utf8");',
    '  cache.set(path, text);',
    '  return `${path}: ${text.length}`;',
    '}',
  ];

  for (const sanitizer of ['sanitizer', 'dompurify']) {
    it(`a completed line's highlighting replaces only its text, and ends as the one-shot render (${sanitizer})`, async () => {
      workerSettings.highlighterUrl = BUILT;
      const element = createElement({ manual: '', sanitizer });
      element.write('Code:\n\n```js\n');
      let pre: HTMLPreElement | null = null;
      for (const line of lines) {
        for (const part of [line.slice(0, 9), `${line.slice(9)}\n`]) {
          element.write(part);
          await frame();
          await frame();
          pre ??= contentOf(element).querySelector('pre');
        }
      }
      const code = await waitFor(() => {
        const shown = contentOf(element).querySelector('pre code');
        return shown && (shown.textContent ?? '').split('\n').length > lines.length ? shown : null;
      }, 'every line shown');
      expect(element.sinkMode).to.equal(sanitizer);
      expect(code.querySelectorAll('.hljs-keyword').length).to.be.greaterThan(8);
      // The block was never re-created while it grew (a full tail re-render would replace it).
      expect(contentOf(element).querySelector('pre')).to.equal(pre);
      // Each highlighted line is its own block (laid out alone); without them the code is the one-shot render.
      const blocks = Array.from(code.querySelectorAll(':scope > .hljs-line'));
      expect(blocks.length).to.equal(lines.length - 2, 'one block per line, the comment one block');
      expect(getComputedStyle(blocks[0]!).display).to.equal('block');
      const unwrapped = code.cloneNode(true) as Element;
      for (const line of Array.from(unwrapped.querySelectorAll('.hljs-line'))) line.replaceWith(...Array.from(line.childNodes));
      const live = unwrapped.innerHTML;
      element.end();
      await waitFor(() => element.status === 'done', 'done');
      const committed = contentOf(element).querySelector('pre code')!;
      expect(committed).to.not.equal(code);
      expect(committed.querySelector('.hljs-line')).to.equal(null);
      expect(live).to.equal(committed.innerHTML);
    });
  }
});

describe('live highlighting from the CDN file', () => {
  it('highlights a streaming block by default with the highlighter and styles from beside the CDN file', async () => {
    const { cdnOrigin } = await testEnv();
    const frame = document.createElement('iframe');
    document.body.append(frame);
    const doc = frame.contentDocument as Document;
    const element = doc.createElement('llm-stream');
    element.setAttribute('src', new URL(mockUrl({ tps: 120, text: LONG }), location.href).href);
    doc.body.append(element);
    const script = doc.createElement('script');
    script.src = `${cdnOrigin}/dist/llm-stream.cdn.js`;
    doc.head.append(script);
    const upgraded = element as unknown as { status: string; shadowRoot: ShadowRoot };
    const code = await waitFor(() => {
      const pre = upgraded.shadowRoot?.querySelector('[part="content"] > pre:last-of-type');
      const open = upgraded.status === 'streaming' && pre && !pre.querySelector('[data-llm-decoration]');
      return open && pre.querySelectorAll('code.hljs .hljs-keyword').length >= 3 ? pre.querySelector('code') : null;
    }, 'a highlighted block mid-stream', 15000);
    const keyword = code.querySelector('.hljs-keyword')!;
    const win = frame.contentWindow as Window & typeof globalThis;
    await waitFor(() => win.getComputedStyle(keyword).color !== win.getComputedStyle(code).color, 'keyword colour');
    await waitFor(() => upgraded.status === 'done', 'stream done', 15000);
  });
});
