import { expect } from 'chai';
import { getWorker } from '../../components/worker-client.js';
import { contentOf, createElement, nextEvent, oneShot, waitFor } from './helpers.js';

afterEach(() => document.body.replaceChildren());

const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

describe('minimal DOM patches', () => {
  it('committed blocks keep their nodes: a reader’s selection inside one survives the rest of the stream', async () => {
    const element = createElement();
    // The first block is final once the next block's first line is complete (DESIGN.md §2).
    element.write('First paragraph, which the reader selects.\n\nSecond line\n');
    await frame();
    await frame();
    const first = await new Promise<Element>((resolve) => {
      const check = (): void => {
        const p = contentOf(element).querySelector('p');
        if (p && contentOf(element).querySelectorAll('p').length > 1) resolve(p);
        else requestAnimationFrame(check);
      };
      check();
    });
    const range = document.createRange();
    range.selectNodeContents(first);
    const selection = getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    for (let i = 0; i < 40; i++) {
      element.write(` more text ${i}`);
      if (i % 10 === 9) element.write('\n\nAnother paragraph');
      await frame();
    }
    element.end();
    await new Promise((resolve) => element.addEventListener('llm-done', resolve, { once: true }));
    expect(first.isConnected, 'the first paragraph is the same node').to.equal(true);
    expect(contentOf(element).querySelector('p')).to.equal(first);
    expect(selection.rangeCount).to.equal(1);
    expect(selection.toString()).to.equal('First paragraph, which the reader selects.');
  });

  it('leaves no trace of the caret mark on a committed block it passed over', async () => {
    const element = createElement();
    // A table's header line is held back until its delimiter row arrives: the paragraph before it,
    // already committed, is then the content's last block and carries the caret for a while.
    const pieces = ['Before the table.\n\n| Strategy | Cost |\n', '|---|---|\n| append | low |\n\nAfter the table.'];
    for (const piece of pieces) {
      element.write(piece);
      for (let i = 0; i < 4; i++) await frame();
    }
    element.end();
    await new Promise((resolve) => element.addEventListener('llm-done', resolve, { once: true }));
    const rendered = contentOf(element).cloneNode(true) as HTMLElement;
    rendered.querySelectorAll('[data-llm-decoration]').forEach((node) => node.remove());
    expect(rendered.innerHTML).to.equal(oneShot(pieces.join(''), element.sinkMode === 'dompurify' ? 'dompurify' : 'sanitizer'));
  });

  it('text appended inside a paragraph or code block extends a text node instead of parsing HTML', async () => {
    const element = createElement();
    const records: MutationRecord[] = [];
    const observer = new MutationObserver((batch) => records.push(...batch));
    observer.observe(contentOf(element), { subtree: true, childList: true, characterData: true });
    element.write('A paragraph that keeps growing');
    for (let i = 0; i < 30; i++) {
      await frame();
      element.write(` word${i}`);
    }
    element.write('\n\n```js\nconst a = 1;\n');
    for (let i = 0; i < 30; i++) {
      await frame();
      element.write(`const v${i} = ${i};\n`);
    }
    await frame();
    observer.disconnect();
    const textEdits = records.filter((record) => record.type === 'characterData').length;
    const structural = records.filter((record) => record.type === 'childList').length;
    expect(textEdits, `characterData ${textEdits} vs childList ${structural}`).to.be.greaterThan(30);
    expect(structural).to.be.below(textEdits);
    element.end();
  });

  it('1 000 sequential streams leave no live streams in the worker and no heap growth', async () => {
    const element = createElement();
    const gc = (globalThis as { gc?: () => void }).gc;
    const heap = (): number => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
    const run = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) {
        const done = new Promise((resolve) => element.addEventListener('llm-done', resolve, { once: true }));
        element.write(`Answer **${i}**`);
        element.end();
        await done;
      }
    };
    await run(100); // warm up
    gc?.();
    const before = heap();
    await run(1000);
    gc?.();
    const after = heap();
    const { api } = await getWorker();
    expect(await api.activeStreams()).to.equal(0);
    if (gc) expect(after - before, `heap ${before} → ${after}`).to.be.below(4 * 1024 * 1024);
    expect(contentOf(element).textContent?.trim()).to.equal('Answer 999');
  });
});

describe('direction', () => {
  it('every top-level block and list item gets dir="auto"; code blocks stay left-to-right', async () => {
    const { createDomPatcher } = await import('../../components/dom-patcher.js');
    const { createHtmlSink } = await import('../../components/html-sink.js');
    const sink = createHtmlSink({ mode: 'sanitizer', linkSchemes: ['http', 'https'], imageOrigins: [], allowDataImages: false, rawHtml: false, linkTarget: null });
    const div = document.createElement('div');
    const patcher = createDomPatcher(div, sink);
    patcher.apply([{ op: 'commit', html: '<p part="p">مرحبا بالعالم</p>' }, { op: 'tail', html: '<ul part="ul"><li part="li">שלום<ol part="ol"><li part="li">x</li></ol></li></ul><pre part="pre"><code part="code">let x = 1;</code></pre>' }]);
    expect(Array.from(div.children).map((child) => `${child.localName}:${child.getAttribute('dir')}`)).to.deep.equal(['p:auto', 'ul:auto', 'pre:ltr']);
    expect(Array.from(div.querySelectorAll('li')).map((item) => item.dir)).to.deep.equal(['auto', 'auto']);
    const paragraph = div.querySelector('p')!;
    document.body.append(div);
    expect(getComputedStyle(paragraph).direction).to.equal('rtl');
    expect(getComputedStyle(div.querySelector('pre')!).direction).to.equal('ltr');
    div.remove();
  });
});

describe('a huge batch', () => {
  /**
   * Write `text` in one batch and end; the content's child count after each apply. (Each apply is
   * one task; the observer runs right after it and sees what that task rendered.)
   */
  async function applies(text: string): Promise<{ element: ReturnType<typeof createElement>; content: HTMLElement; counts: number[] }> {
    const element = createElement({ manual: '' });
    const content = contentOf(element);
    const counts: number[] = [];
    const observer = new MutationObserver(() => counts.push(content.childElementCount));
    observer.observe(content, { childList: true });
    element.write(text);
    element.end();
    await new Promise((resolve) => element.addEventListener('llm-done', resolve, { once: true }));
    observer.disconnect();
    return { element, content, counts };
  }

  it('is applied over several frames within the frame budget, not in one task', async () => {
    const paragraphs = Array.from({ length: 4000 }, (_, i) => `Paragraph ${i}.\n\n`).join('');
    const { element, content, counts } = await applies(paragraphs);
    expect(content.querySelectorAll('p').length).to.equal(4000);
    expect(element.text).to.equal(paragraphs);
    expect(counts.length, 'several applies').to.be.greaterThan(2);
    expect(counts[0], 'the first frame shows part of it').to.be.lessThan(4000);
  });

  it('puts few large blocks in one frame, however fast the script is (their style and layout come after it)', async () => {
    // 30 paragraphs of 8 KB: parsed in about a millisecond each, but each frame must also lay them out.
    const { content, counts } = await applies(Array.from({ length: 30 }, (_, i) => `${i} ${'word '.repeat(1600)}\n\n`).join(''));
    expect(content.querySelectorAll('p').length).to.equal(30);
    const steps = counts.map((count, i) => count - (counts[i - 1] ?? 0));
    expect(Math.max(...steps), `blocks added per apply: ${steps}`).to.be.at.most(3);
  });
});

describe('a long answer', () => {
  /** 430 blocks: paragraphs of varied length, headings, lists, quotes, code; a reference used early, defined late. */
  function longAnswer(): string {
    const parts: string[] = [];
    for (let i = 0; i < 430; i++) {
      if (i === 300) parts.push('A paragraph with a [late reference][later] link.');
      else if (i % 37 === 0) parts.push(`## Section ${i}`);
      else if (i % 23 === 0) parts.push(`- item ${i} one\n- item ${i} two\n  - nested ${i}`);
      else if (i % 29 === 0) parts.push(`> quoted ${i}\n>\n> second paragraph of the quote`);
      else if (i % 31 === 0) parts.push('```js\n' + `const v${i} = ${i};\nconsole.log(v${i});\n` + '```');
      else parts.push(`Paragraph ${i}: ${'lorem ipsum dolor sit amet '.repeat(1 + (i % 7))}with **bold** and \`code\`.`);
    }
    parts.push('[later]: https://example.com/later');
    return parts.join('\n\n') + '\n';
  }
  const unwrap = (content: HTMLElement): string => {
    const clone = content.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('[data-llm-decoration]').forEach((node) => node.remove());
    clone.querySelectorAll(':scope > .llm-stream-chunk').forEach((chunk) => chunk.replaceWith(...Array.from(chunk.childNodes)));
    return clone.innerHTML;
  };

  it('keeps older blocks in chunks the browser skips off screen, and ends with the one-shot render’s blocks, followed to the bottom', async () => {
    const element = createElement();
    element.style.cssText = 'display:block;height:300px;overflow:auto';
    const text = longAnswer();
    let sawSkippableChunk = false;
    for (let at = 0; at < text.length; at += 900) {
      element.write(text.slice(at, at + 900));
      await frame();
      const chunk = contentOf(element).querySelector(':scope > .llm-stream-chunk');
      if (chunk && getComputedStyle(chunk).contentVisibility === 'auto' && chunk.children.length === 32) sawSkippableChunk = true;
    }
    element.end();
    await new Promise((resolve) => element.addEventListener('llm-done', resolve, { once: true }));
    await frame();
    await frame();
    expect(sawSkippableChunk, 'a chunk with content-visibility: auto while streaming').to.equal(true);
    const content = contentOf(element);
    const direct = Array.from(content.children);
    const chunks = direct.filter((child) => child.classList.contains('llm-stream-chunk'));
    expect(direct.indexOf(chunks[0]!), 'the first 32 blocks are the content’s own children').to.equal(32);
    expect(chunks.length).to.be.greaterThan(10);
    for (const chunk of chunks) expect(chunk.children.length).to.be.within(1, 32);
    // The same blocks, in the same order, as rendering the whole text at once (the late reference resolved inside a chunk).
    expect(unwrap(content)).to.equal(oneShot(text, element.sinkMode === 'dompurify' ? 'dompurify' : 'sanitizer'));
    expect(content.querySelector('a[href="https://example.com/later"]')?.closest('.llm-stream-chunk')).to.not.equal(null);
    // The copied HTML is the blocks themselves, without the chunks.
    const { answerHtml } = await import('../../components/copy-answer.js');
    expect(answerHtml(content)).to.equal(unwrap(content));
    // Followed to the bottom: chunks skipped off screen keep their real height, so nothing drifts.
    expect(element.scrollHeight - element.scrollTop - element.clientHeight).to.be.at.most(2);
    expect(content.querySelector('.llm-stream-caret'), 'no caret mark after the end').to.equal(null);
    // Scrolled to the top, the first block is there to read.
    element.scrollTop = 0;
    await frame();
    expect(content.firstElementChild!.getBoundingClientRect().top - element.getBoundingClientRect().top).to.be.within(-1, 1);
  });
});

describe('an answer whose end is out of view', () => {
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const paragraphs = (n: number, tag: string): string =>
    Array.from({ length: n }, (_, i) => `Paragraph ${tag}${i}: ${'words to fill a line '.repeat(4)}`).join('\n\n') + '\n\n';

  /** Write a word every 16 ms for `ms`; how many separate DOM updates the content got meanwhile. */
  async function updatesWhileWriting(element: ReturnType<typeof createElement>, ms: number, tag: string): Promise<number> {
    let updates = 0;
    const observer = new MutationObserver(() => updates++);
    observer.observe(contentOf(element), { childList: true, subtree: true, characterData: true });
    const until = performance.now() + ms;
    for (let i = 0; performance.now() < until; i++) {
      element.write(`${tag}${i} `);
      await sleep(16);
    }
    await sleep(50);
    observer.disconnect();
    return updates;
  }

  async function scrolledUpElement(blocks: number) {
    const element = createElement();
    element.style.cssText = 'display:block;height:200px;overflow:auto';
    element.write(paragraphs(blocks, 'p'));
    await waitFor(() => contentOf(element).textContent!.includes(`Paragraph p${blocks - 1}:`), 'the first paragraphs');
    // The reader scrolls up: the end is now far out of view.
    element.scrollTop = 0;
    element.dispatchEvent(new Event('scroll'));
    await frame();
    await frame();
    await frame();
    return element;
  }

  it('a long one is patched ten times a second, not every frame, and catches up as soon as its end comes into view', async () => {
    const element = await scrolledUpElement(60);
    const outOfView = await updatesWhileWriting(element, 1200, 'w');
    // 10 a second at most (one every 100 ms), against about one a frame in view.
    expect(outOfView, 'DOM updates in 1.2 s of streaming with the end out of view').to.be.within(1, 15);
    await waitFor(() => contentOf(element).textContent!.includes('w10 '), 'the text written meanwhile, applied');
    // The text so far is all there a moment later; nothing was lost.
    await sleep(300);
    expect(contentOf(element).textContent).to.include(element.text.trim().split(' ').at(-1));

    // A new paragraph arrives out of view: held back …
    element.write('\n\nThe reader scrolls down to this.\n\n');
    await sleep(60);
    expect(element.text).to.not.include('The reader scrolls down');
    expect(contentOf(element).textContent).to.not.include('The reader scrolls down');
    // … until the end comes into view: then it shows within a few frames, not at the next slow tick.
    element.scrollTop = element.scrollHeight;
    const scrolledAt = performance.now();
    await waitFor(() => contentOf(element).textContent!.includes('The reader scrolls down'), 'the held text, once in view', 1000);
    expect(performance.now() - scrolledAt).to.be.below(200);

    // In view again, it is patched every frame or so.
    element.scrollTop = element.scrollHeight;
    await frame();
    await frame();
    const inView = await updatesWhileWriting(element, 1200, 'v');
    expect(inView, 'DOM updates in 1.2 s of streaming with the end in view').to.be.at.least(25);
    element.end();
    await nextEvent(element, 'llm-done');
  });

  it('a short one is patched every frame wherever its end is', async () => {
    const element = await scrolledUpElement(12);
    const updates = await updatesWhileWriting(element, 1200, 's');
    expect(updates).to.be.at.least(25);
    element.end();
    await nextEvent(element, 'llm-done');
  });

  it('ends at once, in view or not', async () => {
    const element = await scrolledUpElement(60);
    element.write('The last words.');
    await sleep(40);
    const started = performance.now();
    element.end();
    await nextEvent(element, 'llm-done');
    expect(performance.now() - started, 'the ending is not held for the slow tick').to.be.below(200);
    expect(contentOf(element).textContent).to.include('The last words.');
  });
});
