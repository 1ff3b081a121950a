import { expect } from 'chai';
import { createElement, mockUrl, waitFor } from './helpers.js';

const realClipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
let items: Record<string, string>[] = [];
let texts: string[] = [];

function stubClipboard(write: boolean): void {
  items = [];
  texts = [];
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: {
      writeText: (text: string) => (texts.push(text), Promise.resolve()),
      ...(write
        ? {
            write: async (clipboardItems: ClipboardItem[]) => {
              for (const item of clipboardItems) {
                const entry: Record<string, string> = {};
                for (const type of item.types) entry[type] = await (await item.getType(type)).text();
                items.push(entry);
              }
            },
          }
        : {}),
    },
  });
}

afterEach(() => {
  delete (navigator as unknown as Record<string, unknown>).clipboard;
  if (realClipboard && !('clipboard' in navigator)) Object.defineProperty(Navigator.prototype, 'clipboard', realClipboard);
  document.body.replaceChildren();
});

const ANSWER = '# Title\n\nSome **bold** text and [a link](https://example.com).\n\n```js\nlet x = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';

describe('copy()', () => {
  it('writes the markdown as text/plain and the sanitized rendering, without toolbars, as text/html', async () => {
    stubClipboard(true);
    const element = createElement({ manual: '' });
    await element.start({ url: mockUrl({ tps: 'max', text: ANSWER }) });
    await waitFor(() => element.shadowRoot!.querySelector('pre [data-llm-decoration]'), 'toolbars');
    await element.copy();
    expect(items).to.have.length(1);
    expect(items[0]!['text/plain']).to.equal(ANSWER);
    const html = items[0]!['text/html']!;
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(doc.querySelector('h1')?.textContent).to.equal('Title');
    expect(doc.querySelector('strong')?.textContent).to.equal('bold');
    expect(doc.querySelector('a')?.getAttribute('href')).to.equal('https://example.com');
    expect(doc.querySelector('pre code')?.textContent).to.equal('let x = 1;\n');
    expect(doc.querySelector('table td')?.textContent).to.equal('1');
    expect(doc.querySelector('[data-llm-decoration], button, caption')).to.equal(null);
  });

  it('falls back to the markdown alone where the browser cannot write HTML', async () => {
    stubClipboard(false);
    const element = createElement({ manual: '' });
    element.write('Just *text*.');
    element.end();
    await waitFor(() => element.status === 'done', 'done');
    await element.copy();
    expect(texts).to.deep.equal(['Just *text*.']);
  });
});

describe('table toolbar', () => {
  it('committed tables copy as Markdown and as CSV (RFC 4180)', async () => {
    stubClipboard(true);
    const element = createElement({ manual: '' });
    const table = '| name | note |\n|:---|---:|\n| a | has, comma |\n| "q" | line |\n| pipe \\| x | 2 |\n\nAfter.\n';
    await element.start({ url: mockUrl({ tps: 'max', text: table }) });
    const bar = await waitFor(() => element.shadowRoot!.querySelector<HTMLElement>('table [part~="table-toolbar"]'), 'table toolbar');
    const [markdown, csv] = Array.from(bar.querySelectorAll('button'));
    markdown!.click();
    await waitFor(() => texts.length === 1, 'markdown copied');
    expect(texts[0]).to.equal('| name | note |\n| :--- | ---: |\n| a | has, comma |\n| "q" | line |\n| pipe \\| x | 2 |');
    csv!.click();
    await waitFor(() => texts.length === 2, 'csv copied');
    expect(texts[1]).to.equal('name,note\r\na,"has, comma"\r\n"""q""",line\r\npipe | x,2\r\n');
  });

  it('a wide table scrolls inside its own box, not the page', async () => {
    const element = createElement({ manual: '' });
    element.style.width = '300px';
    const wide = `| ${Array.from({ length: 12 }, (_, i) => `column ${i} long header`).join(' | ')} |\n|${'---|'.repeat(12)}\n| ${Array.from({ length: 12 }, () => 'cell').join(' | ')} |\n`;
    await element.start({ url: mockUrl({ tps: 'max', text: wide }) });
    const table = element.shadowRoot!.querySelector('table')!;
    expect(table.scrollWidth).to.be.greaterThan(table.clientWidth);
    expect(document.documentElement.scrollWidth).to.be.at.most(innerWidth);
  });
});
