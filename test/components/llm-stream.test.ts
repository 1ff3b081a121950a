import { expect } from 'chai';
import { LlmStreamError } from '../../src/errors.js';
import { contentOf, createElement, mockLog, mockUrl, nextEvent, oneShot, uniqueKey, waitFor } from './helpers.js';

afterEach(() => {
  document.body.replaceChildren();
});

describe('<llm-stream> end to end', () => {
  it('streams the mock answer and ends with the DOM of a one-shot render', async () => {
    const element = createElement();
    const deltas: string[] = [];
    element.addEventListener('llm-delta', (event) => deltas.push(event.detail.text));
    const result = await element.start({ url: mockUrl({ tps: 'max', answer: 'default' }) });
    expect(result.status).to.equal('done');
    expect(result.finishReason).to.equal('stop');
    expect(element.status).to.equal('done');
    expect(result.text.length).to.be.greaterThan(2000);
    expect(deltas.join('')).to.equal(element.text);
    expect(result.usage?.outputTokens).to.be.a('number');
    const rendered = contentOf(element).cloneNode(true) as HTMLElement;
    rendered.querySelectorAll('[data-llm-decoration]').forEach((node) => node.remove());
    expect(rendered.innerHTML).to.equal(oneShot(element.text, element.sinkMode === 'dompurify' ? 'dompurify' : 'sanitizer'));
    const toolbar = await waitFor(() => contentOf(element).querySelector('pre [data-llm-decoration]'), 'code toolbar');
    expect(toolbar?.querySelector('button')?.textContent).to.equal('Copy');
    expect(contentOf(element).querySelector('table')).to.not.equal(null);
    expect(contentOf(element).querySelector('pre code[class^="language-"]')).to.not.equal(null);
  });

  it('starts by itself from the src attribute with GET', async () => {
    const key = uniqueKey('src');
    const element = createElement({ src: mockUrl({ tps: 'max', answer: 'short', key }) });
    await nextEvent(element, 'llm-done');
    const [record] = await mockLog(key);
    expect(record?.method).to.equal('GET');
    expect(element.text.length).to.be.greaterThan(5);
    expect(element.shadowRoot?.querySelector('[part="content"] p')).to.not.equal(null);
  });

  it('starts when src is first set on an element that was connected without one', async () => {
    const key = uniqueKey('late-src');
    const element = createElement({});
    await element.updateComplete;
    expect(element.status).to.equal('idle');
    element.src = mockUrl({ tps: 'max', answer: 'short', key });
    await nextEvent(element, 'llm-done');
    expect((await mockLog(key)).length).to.equal(1);
    expect(element.getAttribute('src')).to.equal(element.src);
  });

  it('reflects attributes to properties and back, with defaults that put no attribute on the host', async () => {
    const element = createElement({});
    await element.updateComplete;
    expect([element.src, element.format, element.manual, element.imageOrigins, element.pacing, element.html, element.linkTarget]).to.deep.equal([null, 'auto', false, '', 'none', 'escape', null]);
    expect([element.sanitizer, element.firstByteTimeout, element.idleTimeout, element.maxRetries, element.scrollContainer, element.lightDom, element.highlight]).to.deep.equal(['auto', 30000, 30000, 2, 'self', false, 'on']);
    expect(element.getAttributeNames(), 'defaults are not reflected').to.deep.equal([]);

    element.setAttribute('max-retries', '5');
    element.setAttribute('image-origins', 'self');
    element.setAttribute('manual', '');
    expect([element.maxRetries, element.imageOrigins, element.manual]).to.deep.equal([5, 'self', true]);
    element.idleTimeout = 1234;
    element.linkTarget = '_blank';
    element.highlight = 'off';
    await element.updateComplete;
    expect([element.getAttribute('idle-timeout'), element.getAttribute('link-target'), element.getAttribute('highlight')]).to.deep.equal(['1234', '_blank', 'off']);

    element.removeAttribute('max-retries');
    element.removeAttribute('image-origins');
    element.manual = false;
    await element.updateComplete;
    expect([element.maxRetries, element.imageOrigins, element.hasAttribute('manual')], 'removing an attribute restores the default').to.deep.equal([2, '', false]);
  });

  it('POSTs a JSON body given to start()', async () => {
    const key = uniqueKey('post');
    const element = createElement();
    await element.start({ url: mockUrl({ tps: 'max', answer: 'short', key }), body: { messages: [{ role: 'user', content: 'hi' }] } });
    const [record] = await mockLog(key);
    expect(record?.method).to.equal('POST');
    expect(JSON.parse(record?.body ?? '{}')).to.deep.equal({ messages: [{ role: 'user', content: 'hi' }] });
  });

  it('is aria-busy while streaming and not after — on the content part only, never on the host', async () => {
    const element = createElement();
    await element.updateComplete;
    const content = element.shadowRoot!.querySelector('[part="content"]')!;
    const done = element.start({ url: mockUrl({ tps: 200, answer: 'short' }) });
    await waitFor(() => content.getAttribute('aria-busy') === 'true', 'aria-busy');
    expect(element.hasAttribute('aria-busy')).to.equal(false);
    await done;
    expect(content.hasAttribute('aria-busy')).to.equal(false);
  });

  it('abort() closes the connection: the mock server sees the client go away', async () => {
    const key = uniqueKey('abort');
    const element = createElement();
    const done = element.start({ url: mockUrl({ tps: 30, answer: 'default', key }) });
    await waitFor(() => element.text.length > 10, 'first text');
    const abortEvent = nextEvent(element, 'llm-abort');
    element.abort();
    const result = await done;
    expect(result.finishReason).to.equal('abort');
    expect((await abortEvent).detail.text).to.equal(element.text);
    expect(element.status).to.equal('aborted');
    const record = await waitFor(async () => (await mockLog(key)).find((r) => r.closedBy === 'client'), 'server-side close');
    expect(record.completed).to.equal(false);
    const textAtAbort = element.text;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(element.text).to.equal(textAtAbort);
  });

  it('HTTP 500 rejects with an http LlmStreamError and fires llm-error', async () => {
    const element = createElement({ manual: '', 'max-retries': '0' });
    const errorEvent = nextEvent(element, 'llm-error');
    let caught: unknown;
    try {
      await element.start({ url: mockUrl({ fault: 'status', status: 500 }) });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(LlmStreamError);
    expect((caught as LlmStreamError).code).to.equal('http');
    expect((caught as LlmStreamError).status).to.equal(500);
    expect((await errorEvent).detail.error.code).to.equal('http');
    expect(element.status).to.equal('error');
  });

  it('a dropped connection keeps the partial text on screen and can start again', async () => {
    const element = createElement();
    const errorEvent = nextEvent(element, 'llm-error');
    const failed = await element.start({ url: mockUrl({ tps: 'max', answer: 'default', fault: 'reset' }) }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failed).to.be.instanceOf(LlmStreamError);
    expect(['network', 'protocol']).to.include((failed as LlmStreamError).code);
    const { detail } = await errorEvent;
    expect(detail.text.length).to.be.greaterThan(100);
    expect(element.text).to.equal(detail.text);
    expect(contentOf(element).textContent?.length).to.be.greaterThan(50);
    expect(element.status).to.equal('error');
    const again = await element.start({ url: mockUrl({ tps: 'max', answer: 'short' }) });
    expect(again.status).to.equal('done');
    expect(element.status).to.equal('done');
  });

  it('a malformed event ends with a protocol error and the text so far stays', async () => {
    const element = createElement();
    const error = await element.start({ url: mockUrl({ tps: 'max', answer: 'default', fault: 'malformed' }) }).then(
      () => null,
      (thrown: unknown) => thrown as LlmStreamError,
    );
    expect(error?.code).to.equal('protocol');
    expect(element.text.length).to.be.greaterThan(0);
    expect(contentOf(element).textContent).to.not.include('{not json');
  });

  it('a stream without its end marker is incomplete, not done', async () => {
    const element = createElement();
    const result = await element.start({ url: mockUrl({ tps: 'max', answer: 'short', fault: 'truncate' }) });
    expect(result.status).to.equal('incomplete');
    expect(element.status).to.equal('incomplete');
    expect(result.reason).to.be.a('string');
  });
});
