// Default look: wide blocks scroll inside themselves, the streaming caret, colour schemes, custom
// properties and ::part hooks.
import { expect } from 'chai';
import { emulateMedia } from '@web/test-runner-commands';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import { contentOf, createElement, mockUrl, waitFor } from './helpers.js';

const WIDE_TABLE = [
  `| ${Array.from({ length: 14 }, (_, i) => `column ${i}`).join(' | ')} |`,
  `|${Array.from({ length: 14 }, () => '---').join('|')}|`,
  `| ${Array.from({ length: 14 }, (_, i) => `value-${i}-wide`).join(' | ')} |`,
].join('\n');
const LONG_CODE = ['```js', `const line = ${JSON.stringify('x'.repeat(400))};`, '```'].join('\n');
const LONG_WORD = `A URL: https://example.com/${'segment'.repeat(60)} and more.`;

let style: HTMLStyleElement | null = null;
function pageCss(css: string): void {
  style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
}

afterEach(async () => {
  document.body.replaceChildren();
  style?.remove();
  style = null;
  await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
});

function lastBlock(element: LlmStreamElement): Element {
  const last = contentOf(element).lastElementChild;
  if (!last) throw new Error('nothing rendered');
  return last;
}

describe('looks', () => {
  it('wide tables, long code lines and long words scroll or wrap inside a 300px element', async () => {
    const box = document.createElement('div');
    box.style.width = '300px';
    document.body.append(box);
    const element = document.createElement('llm-stream') as LlmStreamElement;
    element.setAttribute('manual', '');
    box.append(element);
    await element.start({ url: mockUrl({ tps: 'max', text: [WIDE_TABLE, LONG_CODE, LONG_WORD].join('\n\n') }) });
    const table = contentOf(element).querySelector('table')!;
    const pre = contentOf(element).querySelector('pre')!;
    expect(element.getBoundingClientRect().width).to.equal(300);
    expect(element.scrollWidth).to.be.at.most(300);
    expect(box.scrollWidth).to.be.at.most(300);
    expect(document.documentElement.scrollWidth).to.be.at.most(innerWidth);
    // The blocks themselves scroll sideways.
    expect(table.clientWidth).to.be.at.most(300);
    expect(table.scrollWidth).to.be.greaterThan(table.clientWidth);
    expect(getComputedStyle(table).overflowX).to.equal('auto');
    expect(pre.clientWidth).to.be.at.most(300);
    expect(pre.scrollWidth).to.be.greaterThan(pre.clientWidth);
    // The copy button stays in view at the block's right edge, not 400 characters away.
    const button = (await waitFor(() => pre.querySelector('.code-copy'), 'copy button')).getBoundingClientRect();
    expect(button.right).to.be.at.most(element.getBoundingClientRect().right + 1);
    // …and while the code is scrolled sideways.
    pre.scrollLeft = 200;
    const scrolled = pre.querySelector('.code-copy')!.getBoundingClientRect();
    expect(scrolled.left).to.be.closeTo(button.left, 1);
    // A long word wraps instead of overflowing.
    const paragraph = contentOf(element).querySelector('p')!;
    expect(paragraph.scrollWidth).to.be.at.most(paragraph.clientWidth);
  });

  it('shows a caret at the end of the text while streaming, and none after', async () => {
    const element = createElement();
    const done = element.start({ url: mockUrl({ tps: 60, text: 'A first paragraph.\n\nThen a second one that streams for a while at a slow pace.' }) });
    await waitFor(() => element.status === 'streaming' && contentOf(element).querySelectorAll('p').length === 2, 'mid-stream');
    const caret = getComputedStyle(lastBlock(element), '::after');
    expect(caret.content).to.not.equal('none');
    expect(caret.display).to.not.equal('none');
    expect(caret.animationName).to.equal('llm-stream-blink');
    // Only at the end: the first paragraph has none.
    expect(getComputedStyle(contentOf(element).querySelector('p')!, '::after').content).to.equal('none');
    await done;
    expect(getComputedStyle(lastBlock(element), '::after').content).to.equal('none');
  });

  it('puts the caret inside a list or code block being streamed', async () => {
    const element = createElement();
    const list = ['Items:', '', ...Array.from({ length: 40 }, (_, i) => `- item number ${i}`)].join('\n');
    const done = element.start({ url: mockUrl({ tps: 120, text: list }) });
    const ul = await waitFor(() => (element.status === 'streaming' ? contentOf(element).querySelector('ul:last-child') : null), 'a list mid-stream');
    const lastItem = ul.querySelector('li:last-child')!;
    expect(getComputedStyle(lastItem, '::after').content).to.not.equal('none');
    expect(getComputedStyle(ul, '::after').content).to.equal('none');
    element.abort();
    await done;

    const nested = ['- outer', '  - inner one', ...Array.from({ length: 40 }, (_, i) => `  - inner item ${i}`)].join('\n');
    const third = element.start({ url: mockUrl({ tps: 120, text: nested }) });
    const inner = await waitFor(() => (element.status === 'streaming' ? contentOf(element).querySelector('ul > li:last-child > ul > li:nth-child(2)') : null), 'a nested list mid-stream');
    const outer = contentOf(element).querySelector('ul > li:last-child')!;
    expect(getComputedStyle(outer, '::after').content).to.equal('none');
    expect(getComputedStyle(inner.parentElement!.lastElementChild!, '::after').content).to.not.equal('none');
    element.abort();
    await third;

    const code = ['```', ...Array.from({ length: 40 }, (_, i) => `line ${i}`), '```'].join('\n');
    const second = element.start({ url: mockUrl({ tps: 120, text: code }) });
    const codeElement = await waitFor(() => (element.status === 'streaming' ? contentOf(element).querySelector('pre:last-child > code') : null), 'code mid-stream');
    expect(getComputedStyle(codeElement, '::after').content).to.not.equal('none');
    element.abort();
    await second;
  });

  it('shows a caret while waiting for the first token', async () => {
    const element = createElement();
    const done = element.start({ url: mockUrl({ fault: 'slow-first-byte', delay: 400, answer: 'short' }) });
    await waitFor(() => element.status === 'connecting', 'connecting');
    expect(getComputedStyle(contentOf(element), '::after').content).to.not.equal('none');
    await done;
    expect(getComputedStyle(contentOf(element), '::after').content).to.equal('none');
  });

  it('stops the caret blinking under prefers-reduced-motion', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const element = createElement();
    const done = element.start({ url: mockUrl({ tps: 40, text: 'Slowly, one word after another, for a while.' }) });
    await waitFor(() => element.status === 'streaming' && contentOf(element).querySelector('p'), 'mid-stream');
    const caret = getComputedStyle(lastBlock(element), '::after');
    expect(caret.content).to.not.equal('none');
    expect(caret.animationName).to.equal('none');
    element.abort();
    await done;
  });

  it('follows prefers-color-scheme, and --llm-stream-* properties override both schemes', async () => {
    const element = createElement();
    await element.start({ url: mockUrl({ tps: 'max', text: 'See [the docs](https://example.com).' }) });
    const link = contentOf(element).querySelector('a')!;
    const light = { color: getComputedStyle(element).color, link: getComputedStyle(link).color };
    await emulateMedia({ colorScheme: 'dark' });
    const dark = { color: getComputedStyle(element).color, link: getComputedStyle(link).color };
    expect(dark.color).to.not.equal(light.color);
    expect(dark.link).to.not.equal(light.link);

    element.style.setProperty('--llm-stream-link-color', 'rgb(200, 10, 20)');
    element.style.setProperty('--llm-stream-color', 'rgb(1, 2, 3)');
    expect(getComputedStyle(link).color).to.equal('rgb(200, 10, 20)');
    expect(getComputedStyle(element).color).to.equal('rgb(1, 2, 3)');
    await emulateMedia({ colorScheme: 'light' });
    expect(getComputedStyle(link).color).to.equal('rgb(200, 10, 20)');
    expect(getComputedStyle(element).color).to.equal('rgb(1, 2, 3)');
  });

  it('exposes ::part names for page styling', async () => {
    pageCss(`
      llm-stream::part(p) { color: rgb(10, 20, 30); }
      llm-stream::part(h2) { letter-spacing: 3px; }
      llm-stream::part(pre) { border-top: 3px solid rgb(0, 128, 0); }
      llm-stream::part(copy-button) { text-transform: uppercase; }
      llm-stream::part(error) { font-style: italic; }
    `);
    const element = createElement({ manual: '', 'max-retries': '0' });
    await element.start({ url: mockUrl({ tps: 'max', text: '## Head\n\nText.\n\n```\ncode\n```\n' }) });
    const root = contentOf(element);
    expect(getComputedStyle(root.querySelector('p')!).color).to.equal('rgb(10, 20, 30)');
    expect(getComputedStyle(root.querySelector('h2')!).letterSpacing).to.equal('3px');
    expect(getComputedStyle(root.querySelector('pre')!).borderTopColor).to.equal('rgb(0, 128, 0)');
    expect(getComputedStyle(await waitFor(() => root.querySelector('.code-copy'), 'copy button')).textTransform).to.equal('uppercase');
    await element.start({ url: mockUrl({ fault: 'status', status: 400 }) }).catch(() => null);
    expect(getComputedStyle(element.shadowRoot!.querySelector('[part="error"]')!).fontStyle).to.equal('italic');
  });

  it('shows the error inline under the partial text', async () => {
    const element = createElement({ manual: '', 'max-retries': '0' });
    await element.start({ url: mockUrl({ fault: 'reset', at: 0.5, tps: 'max', answer: 'default' }) }).catch(() => null);
    const error = element.shadowRoot!.querySelector<HTMLElement>('[part="error"]')!;
    const content = contentOf(element);
    expect(content.textContent!.length).to.be.greaterThan(50);
    expect(error.getBoundingClientRect().top).to.be.at.least(content.getBoundingClientRect().bottom - 1);
    expect(error.querySelector('button')!.getBoundingClientRect().height).to.be.greaterThan(10);
  });
});
