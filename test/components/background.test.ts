// Background tabs and motion (issue 16 item 5): a hidden page batches patches and pacing stops, so
// the answer is complete when the reader comes back instead of typing out; under
// prefers-reduced-motion the caret does not blink and `smooth` pacing is `none`.
import { expect } from 'chai';
import { emulateMedia } from '@web/test-runner-commands';
import { contentOf, createElement, mockUrl, waitFor } from './helpers.js';

function setHidden(hidden: boolean): void {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  document.dispatchEvent(new Event('visibilitychange'));
}

afterEach(async () => {
  setHidden(false);
  delete (document as unknown as Record<string, unknown>).hidden;
  delete (document as unknown as Record<string, unknown>).visibilityState;
  await emulateMedia({ reducedMotion: 'no-preference' });
  document.body.replaceChildren();
});

const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

describe('a hidden page', () => {
  it('batches patches while hidden and shows the whole answer at once when visible (no typing after the server finished)', async () => {
    const element = createElement({ manual: '', pacing: 'smooth' });
    let mutations = 0;
    const done = element.start({ url: mockUrl({ tps: 400, answer: 'default' }) });
    await waitFor(() => element.text.length > 20, 'the answer started');
    await frame();
    // Toolbars added to committed code blocks and tables are decoration, not answer text.
    const decoration = (node: Node): boolean => node instanceof Element && node.hasAttribute('data-llm-decoration');
    const observer = new MutationObserver((records) => {
      mutations += records.filter((record) => !(record.addedNodes.length > 0 && Array.from(record.addedNodes).every(decoration))).length;
    });
    observer.observe(contentOf(element), { childList: true, subtree: true, characterData: true });
    setHidden(true);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(mutations, 'no DOM work while hidden').to.equal(0);
    const result = await done;
    // The server finished while hidden: pacing released everything, the ending applied it in one go.
    expect(result.status).to.equal('done');
    expect(element.text).to.equal(result.text);
    const atEnd = mutations;
    setHidden(false);
    await frame();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mutations, 'nothing left to type once visible').to.equal(atEnd);
    observer.disconnect();
  });

  it('applies what arrived while hidden in one go when the page becomes visible', async () => {
    const element = createElement({ manual: '' });
    element.write('First paragraph.\n\n');
    await waitFor(() => contentOf(element).querySelector('p'), 'first paragraph');
    setHidden(true);
    element.write('Second paragraph.\n\nThird.');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(contentOf(element).textContent).to.not.include('Second');
    setHidden(false);
    await waitFor(() => contentOf(element).textContent!.includes('Third'), 'caught up');
    element.end();
  });
});

describe('prefers-reduced-motion', () => {
  it('stops the caret blinking and turns smooth pacing into none', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const element = createElement({ manual: '', pacing: 'smooth' });
    const done = element.start({ url: mockUrl({ tps: 'max', answer: 'default' }) });
    const content = contentOf(element);
    await waitFor(() => content.getAttribute('aria-busy') === 'true', 'busy');
    expect(getComputedStyle(content, '::after').animationName).to.equal('none');
    const deltas: number[] = [];
    element.addEventListener('llm-delta', (event) => deltas.push(event.detail.text.length));
    const result = await done;
    // smooth pacing would spread a max-speed burst over many batches; none shows it as it arrives.
    expect(result.text.length).to.be.greaterThan(1000);
    expect(deltas.length).to.be.lessThan(40);
  });

  it('without it, the caret blinks', async () => {
    await emulateMedia({ reducedMotion: 'no-preference' });
    const element = createElement({ manual: '' });
    element.write('x');
    const content = contentOf(element);
    await waitFor(() => content.getAttribute('aria-busy') === 'true', 'busy');
    await waitFor(() => content.querySelector('p'), 'paragraph');
    expect(getComputedStyle(content.querySelector('p')!, '::after').animationName).to.equal('llm-stream-blink');
    element.end();
  });
});
