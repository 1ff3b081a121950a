/**
 * `llm-stream/element` (components/element.ts): the class, unregistered, can be defined under a tag
 * of the page's own choosing and subclassed, and then streams like <llm-stream>.
 */
import { expect } from 'chai';
import { LlmStreamElement } from '../../components/element.js';

class MyAnswer extends LlmStreamElement {}
customElements.define('my-answer', MyAnswer);

describe('llm-stream/element', () => {
  afterEach(() => document.body.replaceChildren());

  it('defines under another tag name and renders a push stream through the Lit shell', async () => {
    expect(customElements.get('llm-stream'), 'importing the class registered nothing').to.equal(undefined);
    const element = document.createElement('my-answer') as MyAnswer;
    element.setAttribute('manual', '');
    document.body.append(element);
    await element.updateComplete;
    expect(element.shadowRoot?.querySelector('[part="content"]')).to.not.equal(null);
    const done = new Promise((resolve) => element.addEventListener('llm-done', resolve, { once: true }));
    element.write('# Hello\n\nFrom **my-answer**.');
    element.end();
    await done;
    expect(element.status).to.equal('done');
    expect(element.shadowRoot!.querySelector('h1')?.textContent).to.equal('Hello');
    expect(element.shadowRoot!.querySelector('strong')?.textContent).to.equal('my-answer');
  });

  it('start() and write() before the element is connected or rendered still render once it is', async () => {
    const element = document.createElement('my-answer') as MyAnswer;
    element.setAttribute('manual', '');
    const done = new Promise((resolve) => element.addEventListener('llm-done', resolve, { once: true }));
    element.write('Written *before* connecting.');
    element.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    document.body.append(element);
    await done;
    await element.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(element.text).to.equal('Written *before* connecting.');
    expect(element.shadowRoot!.querySelector('em')?.textContent).to.equal('before');
  });
});
