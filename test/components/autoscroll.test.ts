// Auto-scroll, tested by scrolling: pinned to the bottom while the answer grows; the reader scrolling
// up stops it until they come back; no jumps while unpinned; `none` turns it off; `document` follows
// the page.
import { expect } from 'chai';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import { createElement, mockUrl, waitFor } from './helpers.js';

const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
async function frames(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await frame();
}

/** The reader scrolls: set the position, then let the scroll event be delivered (next frame). */
async function userScroll(target: Element, top: number): Promise<void> {
  target.scrollTop = top;
  await frame();
}

function gap(target: Element): number {
  return target.scrollHeight - target.scrollTop - target.clientHeight;
}

/** A 200 px tall, scrolling element streaming the ~6 KB default answer. */
function scrollingElement(attributes: Record<string, string> = { manual: '' }): LlmStreamElement {
  const element = createElement(attributes);
  element.style.cssText = 'display:block;height:200px;overflow:auto';
  return element;
}

afterEach(() => {
  document.body.replaceChildren();
  document.body.style.cssText = '';
  window.scrollTo(0, 0);
});

describe('auto-scroll', () => {
  it('stays at the bottom while pinned, stops when the reader scrolls up, follows again at the bottom', async () => {
    const element = scrollingElement();
    const done = element.start({ url: mockUrl({ tps: 400, answer: 'default' }) });

    // Pinned: after every frame the bottom is in view.
    await waitFor(() => element.scrollHeight > 600, 'content taller than the box');
    for (let i = 0; i < 15; i++) {
      await frame();
      expect(gap(element), `gap after frame ${i}`).to.be.at.most(2);
    }

    // The reader scrolls up: the position stays put while the content keeps growing.
    await userScroll(element, 0);
    const height = element.scrollHeight;
    for (let i = 0; i < 20; i++) {
      await frame();
      expect(element.scrollTop, `scrollTop after frame ${i}`).to.equal(0);
    }
    expect(element.scrollHeight).to.be.greaterThan(height);

    // Back at the bottom: it follows again.
    await userScroll(element, element.scrollHeight);
    const grownFrom = element.scrollHeight;
    await waitFor(() => element.scrollHeight > grownFrom + 100 && element.status === 'streaming', 'more content');
    await frame();
    expect(gap(element)).to.be.at.most(2);

    await done;
    await frame();
    expect(gap(element)).to.be.at.most(2);
  });

  it('a small nudge within the slack does not unpin', async () => {
    const element = scrollingElement();
    const done = element.start({ url: mockUrl({ tps: 400, answer: 'default' }) });
    await waitFor(() => element.scrollHeight > 600, 'content taller than the box');
    await userScroll(element, element.scrollTop - 10);
    await waitFor(() => gap(element) <= 2 && element.scrollHeight > 900, 'following after a nudge');
    element.abort();
    await done;
  });

  it('does not jump while the tail block is replaced and the reader is mid-way', async () => {
    const element = scrollingElement();
    // Long paragraphs are tail blocks for many frames; a table and fences are re-rendered as they grow.
    const done = element.start({ url: mockUrl({ tps: 300, answer: 'default' }) });
    await waitFor(() => element.scrollHeight > 900, 'content');
    await userScroll(element, 300);
    const positions = new Set<number>();
    for (let i = 0; i < 40; i++) {
      await frame();
      positions.add(element.scrollTop);
    }
    expect([...positions]).to.deep.equal([300]);
    element.abort();
    await done;
  });

  it('follows a container with scroll-behavior: smooth (its own moves are instant)', async () => {
    const element = scrollingElement();
    element.style.scrollBehavior = 'smooth';
    const done = element.start({ url: mockUrl({ tps: 400, answer: 'default' }) });
    await waitFor(() => element.scrollHeight > 600, 'content taller than the box');
    for (let i = 0; i < 10; i++) {
      await frame();
      expect(gap(element)).to.be.at.most(2);
    }
    element.abort();
    await done;
  });

  it('a new answer pins again', async () => {
    const element = scrollingElement();
    await element.start({ url: mockUrl({ tps: 'max', answer: 'default' }) });
    await userScroll(element, 0);
    const done = element.start({ url: mockUrl({ tps: 400, answer: 'default' }) });
    await waitFor(() => element.scrollHeight > 600, 'content taller than the box');
    await frames(3);
    expect(gap(element)).to.be.at.most(2);
    element.abort();
    await done;
  });

  it('scroll-container="none" never scrolls', async () => {
    const element = scrollingElement({ manual: '', 'scroll-container': 'none' });
    await element.start({ url: mockUrl({ tps: 'max', answer: 'default' }) });
    await frames(2);
    expect(element.scrollHeight).to.be.greaterThan(600);
    expect(element.scrollTop).to.equal(0);
  });

  it('turning it off mid-stream stops following', async () => {
    const element = scrollingElement();
    const done = element.start({ url: mockUrl({ tps: 400, answer: 'default' }) });
    await waitFor(() => element.scrollHeight > 600, 'content taller than the box');
    element.scrollContainer = 'none';
    const top = element.scrollTop;
    await frames(15);
    expect(element.scrollTop).to.equal(top);
    expect(gap(element)).to.be.greaterThan(20);
    element.abort();
    await done;
  });

  it('scroll-container="document" follows the page, and lets the reader scroll up', async () => {
    const spacer = document.createElement('div');
    spacer.style.height = '1500px';
    document.body.append(spacer);
    const element = createElement({ manual: '', 'scroll-container': 'document' });
    const page = document.scrollingElement!;
    const done = element.start({ url: mockUrl({ tps: 400, answer: 'default' }) });
    await waitFor(() => page.scrollHeight > 1500 + innerHeight + 400, 'the page grows');
    await frame();
    expect(gap(page)).to.be.at.most(2);

    window.scrollTo(0, 100);
    await frame();
    for (let i = 0; i < 10; i++) {
      await frame();
      expect(page.scrollTop).to.equal(100);
    }
    element.abort();
    await done;
  });

  it('scroll-container="<selector>" follows an ancestor', async () => {
    const box = document.createElement('div');
    box.id = 'chat-box';
    box.style.cssText = 'height:240px;overflow:auto';
    const intro = document.createElement('p');
    intro.textContent = 'Earlier turn';
    box.append(intro);
    document.body.append(box);
    const element = document.createElement('llm-stream');
    element.setAttribute('manual', '');
    element.setAttribute('scroll-container', '#chat-box');
    box.append(element);
    const done = element.start({ url: mockUrl({ tps: 400, answer: 'default' }) });
    await waitFor(() => box.scrollHeight > 700, 'content taller than the box');
    await frames(2);
    expect(gap(box)).to.be.at.most(2);
    element.abort();
    await done;
  });
});
