// Code blocks: each committed block gets a language label and a copy button that copies the code's
// exact text; the block still being streamed gets none until it is committed.
import { expect } from 'chai';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import { createElement, mockUrl, waitFor } from './helpers.js';

const TS_CODE = 'const greet = (name: string) => `Hello, ${name} <3 & "friends"`;\n\tif (a < b) {\n  return;\n}';
const PY_CODE = 'def f(x):\n    return x * 2  # doubled';
const FENCES = ['Intro text.', '', '```ts', TS_CODE, '```', '', 'Between.', '', '```python', PY_CODE, '```', '', '```', 'no language here', '```', '', 'Done.'].join('\n');

let written: string[] = [];
const realClipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');

beforeEach(() => {
  written = [];
  // Headless clipboard permissions vary: capture what would be written instead.
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: { writeText: (text: string) => (written.push(text), Promise.resolve()) },
  });
});

afterEach(() => {
  delete (navigator as unknown as Record<string, unknown>).clipboard;
  if (realClipboard && !('clipboard' in navigator)) Object.defineProperty(Navigator.prototype, 'clipboard', realClipboard);
  document.body.replaceChildren();
});

function blocks(element: LlmStreamElement): HTMLPreElement[] {
  return Array.from(element.shadowRoot!.querySelectorAll<HTMLPreElement>('[part="content"] > pre'));
}

/** Toolbars come with the extras, loaded when the first code block or table is committed. */
function toolbarsReady(element: LlmStreamElement): Promise<unknown> {
  return waitFor(() => blocks(element).every((pre) => pre.querySelector('[data-llm-decoration]')), 'code toolbars');
}

describe('code blocks', () => {
  it('gives every committed block a toolbar with its language and a Copy button', async () => {
    const element = createElement();
    await element.start({ url: mockUrl({ tps: 'max', text: FENCES }) });
    await toolbarsReady(element);
    const pres = blocks(element);
    expect(pres.length).to.equal(3);
    const labels = pres.map((pre) => pre.querySelector('[part="code-toolbar"] .code-language')?.textContent ?? null);
    expect(labels).to.deep.equal(['ts', 'python', null]);
    for (const pre of pres) {
      const toolbars = pre.querySelectorAll('[part="code-toolbar"]');
      expect(toolbars.length).to.equal(1);
      expect(toolbars[0]!.hasAttribute('data-llm-decoration')).to.equal(true);
      const button = toolbars[0]!.querySelector('button[part="copy-button"]') as HTMLButtonElement;
      expect(button.type).to.equal('button');
      expect(button.textContent).to.equal('Copy');
      // The code element holds only the code: the toolbar is its sibling.
      expect(pre.querySelector('code')!.querySelector('[data-llm-decoration]')).to.equal(null);
    }
    expect(pres[2]!.querySelector('button')!.getAttribute('aria-label')).to.equal('Copy code');
  });

  it('copies exactly the code text, then confirms and restores the label', async () => {
    const element = createElement();
    await element.start({ url: mockUrl({ tps: 'max', text: FENCES }) });
    await toolbarsReady(element);
    const [ts, py] = blocks(element);
    const button = ts!.querySelector<HTMLButtonElement>('.code-copy')!;
    button.click();
    await waitFor(() => written.length === 1, 'a clipboard write');
    const code = ts!.querySelector('code')!.textContent!;
    expect(written[0]).to.equal(code);
    expect(written[0]!.replace(/\n$/, '')).to.equal(TS_CODE);
    await waitFor(() => button.textContent === 'Copied', 'confirmation');
    expect(button.getAttribute('aria-label')).to.equal('Copied');
    await waitFor(() => button.textContent === 'Copy', 'label restored', 3000);
    expect(button.getAttribute('aria-label')).to.equal('Copy ts code');

    py!.querySelector<HTMLButtonElement>('.code-copy')!.click();
    await waitFor(() => written.length === 2, 'second write');
    expect(written[1]!.replace(/\n$/, '')).to.equal(PY_CODE);
  });

  it('falls back to execCommand when the Clipboard API refuses', async () => {
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) },
    });
    const copied: string[] = [];
    const original = document.execCommand.bind(document);
    let asked = '';
    document.execCommand = (command: string) => {
      asked = command;
      const active = document.activeElement;
      if (active instanceof HTMLTextAreaElement) copied.push(active.value);
      return true;
    };
    try {
      const element = createElement();
      await element.start({ url: mockUrl({ tps: 'max', text: FENCES }) });
    await toolbarsReady(element);
      const button = blocks(element)[1]!.querySelector<HTMLButtonElement>('.code-copy')!;
      button.click();
      await waitFor(() => button.textContent === 'Copied', 'confirmation');
      expect(asked).to.equal('copy');
      expect(copied[0]!.replace(/\n$/, '')).to.equal(PY_CODE);
      expect(document.querySelector('textarea')).to.equal(null);
    } finally {
      document.execCommand = original;
    }
  });

  it('leaves the block still streaming undecorated until it is committed', async () => {
    const element = createElement();
    const long = ['Start.', '', '```js', ...Array.from({ length: 60 }, (_, i) => `console.log(${i});`), '```', '', 'After.'].join('\n');
    const done = element.start({ url: mockUrl({ tps: 150, text: long }) });
    const tail = await waitFor(() => {
      const pre = blocks(element).at(-1);
      return pre && /console\.log\(3\)/.test(pre.textContent ?? '') && element.status === 'streaming' ? pre : null;
    }, 'a code block mid-stream');
    expect(tail.querySelector('[data-llm-decoration]')).to.equal(null);
    await done;
    await toolbarsReady(element);
    const [pre] = blocks(element);
    expect(pre!.querySelector('.code-language')!.textContent).to.equal('js');
    expect(pre!.querySelector('code')!.textContent!.trimEnd().split('\n').length).to.equal(60);
  });

  it('uses the localized copy labels', async () => {
    const element = createElement();
    element.strings = { ...element.strings, copy: 'Kopieren', copied: 'Kopiert' };
    await element.start({ url: mockUrl({ tps: 'max', text: FENCES }) });
    await toolbarsReady(element);
    const button = blocks(element)[0]!.querySelector<HTMLButtonElement>('.code-copy')!;
    expect(button.textContent).to.equal('Kopieren');
    button.click();
    await waitFor(() => button.textContent === 'Kopiert', 'localized confirmation');
  });
});

describe('syntax highlighting (on by default; live highlighting: highlight.test.ts)', () => {
  it('highlights committed code blocks in the worker once the highlighter is loaded', async () => {
    const { workerSettings } = await import('../../components/worker-client.js');
    workerSettings.highlighterUrl = new URL('/dist/llm-stream.highlight.js', location.href).href;
    const element = document.createElement('llm-stream');
    element.setAttribute('manual', '');
    document.body.append(element);
    const text = 'Code:\n\n```js\nconst answer = 42; // the answer\nfunction f() { return "x"; }\n```\n\nDone.';
    await element.start({ url: `/mock/chat?tps=max&text=${encodeURIComponent(text)}` });
    const content = element.shadowRoot!.querySelector('[part="content"]')!;
    const code = content.querySelector('pre code')!;
    expect(code.classList.contains('hljs')).to.equal(true);
    expect(code.querySelector('.hljs-keyword')?.textContent).to.equal('const');
    expect(code.querySelector('.hljs-comment')?.textContent).to.equal('// the answer');
    expect(code.textContent).to.equal('const answer = 42; // the answer\nfunction f() { return "x"; }\n');
    element.remove();
  });

  it('with highlight="off", code stays plain', async () => {
    const element = document.createElement('llm-stream');
    element.setAttribute('manual', '');
    element.setAttribute('highlight', 'off');
    document.body.append(element);
    await element.start({ url: `/mock/chat?tps=max&text=${encodeURIComponent('```js\nconst a = 1;\n```\n')}` });
    const code = element.shadowRoot!.querySelector('pre code')!;
    expect(code.querySelector('span')).to.equal(null);
    element.remove();
  });
});

describe('a streaming code block after a backlog', () => {
  const sinkOptions = { linkSchemes: ['http', 'https'], imageOrigins: [], allowDataImages: false, rawHtml: false, linkTarget: null };
  const line = (html: string): string => `<span class="hljs-line">${html}</span>`;
  const codeTail = (body: string): string => `<pre part="pre"><code part="code" class="language-ts hljs">${body}</code></pre>\n`;
  const kw = (word: string): string => `<span class="hljs-keyword">${word}</span>`;

  for (const mode of ['sanitizer', 'dompurify'] as const) {
    it(`${mode}: re-parses only the lines that changed, keeps the others' nodes, and shows what a fresh render shows`, async () => {
      const { createDomPatcher } = await import('../../components/dom-patcher.js');
      const { createHtmlSink, detectSinkMode } = await import('../../components/html-sink.js');
      const { loadExtras } = await import('../../components/extras-loader.js');
      if (mode === 'sanitizer' && detectSinkMode() !== 'sanitizer') return;
      await loadExtras();
      const sink = createHtmlSink({ mode, ...sinkOptions });
      await sink.ready;
      const div = document.createElement('div');
      const patcher = createDomPatcher(div, sink);
      const before = codeTail(line(`${kw('const')} a = 1;\n`) + line(`${kw('const')} b = 2;\n`) + line('/* open\n') + 'still');
      // Several lines later (a backlog): the open comment's line was highlighted again with the lines after it.
      const after = codeTail(line(`${kw('const')} a = 1;\n`) + line(`${kw('const')} b = 2;\n`) + line('<span class="hljs-comment">/* open\nstill */</span>\n') + line(`${kw('let')} c &lt; 3;\n`) + 'retu');
      patcher.apply([{ op: 'tail', html: before }]);
      const code = div.querySelector('code')!;
      const [first, second] = Array.from(code.children);
      const records: MutationRecord[] = [];
      const observer = new MutationObserver((list) => records.push(...list));
      observer.observe(div, { childList: true, subtree: true });
      patcher.apply([{ op: 'tail', html: after }]);
      observer.takeRecords().forEach((record) => records.push(record));
      observer.disconnect();
      expect(div.querySelector('code'), 'the same code element').to.equal(code);
      expect(code.children[0]).to.equal(first);
      expect(code.children[1]).to.equal(second);
      const removed = records.flatMap((record) => Array.from(record.removedNodes));
      expect(removed.some((node) => node === first || node === second), 'unchanged lines are not removed').to.equal(false);
      const fresh = document.createElement('div');
      createDomPatcher(fresh, sink).apply([{ op: 'tail', html: after }]);
      expect(div.innerHTML).to.equal(fresh.innerHTML);
      expect(code.textContent).to.equal('const a = 1;\nconst b = 2;\n/* open\nstill */\nlet c < 3;\nretu');
      // The fence closed and a paragraph began, in one batch: the last lines change, a block follows.
      const closed = codeTail(line(`${kw('const')} a = 1;\n`) + line(`${kw('const')} b = 2;\n`) + line('<span class="hljs-comment">/* open\nstill */</span>\n') + line(`${kw('let')} c &lt; 3;\n`) + line(`${kw('return')} c;`)) + '<p part="p">After</p>\n';
      patcher.apply([{ op: 'tail', html: closed }]);
      expect(div.querySelector('code'), 'the same code element, the fence closed').to.equal(code);
      expect(code.children[0]).to.equal(first);
      const closedFresh = document.createElement('div');
      createDomPatcher(closedFresh, sink).apply([{ op: 'tail', html: closed }]);
      expect(div.innerHTML).to.equal(closedFresh.innerHTML);
    });
  }

  it('falls back to a whole render when the change is not only lines of the last code block', async () => {
    const { createDomPatcher } = await import('../../components/dom-patcher.js');
    const { createHtmlSink } = await import('../../components/html-sink.js');
    const { loadExtras } = await import('../../components/extras-loader.js');
    await loadExtras();
    const sink = createHtmlSink({ mode: 'dompurify', ...sinkOptions });
    await sink.ready;
    const div = document.createElement('div');
    const patcher = createDomPatcher(div, sink);
    const cases = [
      // a paragraph before the code block changed
      ['<p part="p">One</p>\n' + codeTail(line('a\n') + 'b'), '<p part="p">Two</p>\n' + codeTail(line('a\n') + line('b\n') + 'c')],
      // the new lines hold an element that is not a span (never from the highlighter: still rendered exactly)
      [codeTail(line('a\n') + 'b'), codeTail(line('a\n') + line('<em>b</em>\n') + 'c')],
      // the block is no longer code
      [codeTail(line('a\n') + 'b'), '<p part="p">a b</p>\n'],
    ];
    for (const [before, after] of cases) {
      patcher.apply([{ op: 'tail', html: before! }]);
      patcher.apply([{ op: 'tail', html: after! }]);
      const fresh = document.createElement('div');
      createDomPatcher(fresh, sink).apply([{ op: 'tail', html: after! }]);
      expect(div.innerHTML, after).to.equal(fresh.innerHTML);
    }
  });
});
