import { expect } from 'chai';
import { LlmStreamError } from '../../src/errors.js';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import { contentOf, createElement, mockLog, mockUrl, nextEvent, uniqueKey, waitFor } from './helpers.js';

afterEach(() => document.body.replaceChildren());

async function failure(promise: Promise<unknown>): Promise<LlmStreamError> {
  try {
    await promise;
  } catch (error) {
    return error as LlmStreamError;
  }
  throw new Error('expected the stream to fail');
}

describe('retries, timeouts and faults', () => {
  it('503 twice then success: retried with llm-retry events, the answer arrives once', async () => {
    const key = uniqueKey('retry');
    const element = createElement();
    const retries: Array<{ attempt: number; delayMs: number }> = [];
    element.addEventListener('llm-retry', (event) => retries.push({ attempt: event.detail.attempt, delayMs: event.detail.delayMs }));
    const result = await element.start({ url: mockUrl({ fault: 'fail-times', n: 2, status: 503, key, tps: 'max', answer: 'short' }) });
    expect(result.status).to.equal('done');
    expect(retries.map((r) => r.attempt)).to.deep.equal([1, 2]);
    expect(retries[0]!.delayMs).to.be.within(375, 500);
    expect((await mockLog(key)).length).to.equal(3);
  });

  it('503 three times exhausts the two retries and fails with http 503', async () => {
    const key = uniqueKey('retry3');
    const element = createElement();
    const error = await failure(element.start({ url: mockUrl({ fault: 'fail-times', n: 3, status: 503, key, tps: 'max' }) }));
    expect(error.code).to.equal('http');
    expect(error.status).to.equal(503);
    expect((await mockLog(key)).length).to.equal(3);
  });

  it('429 with Retry-After waits as told', async () => {
    const key = uniqueKey('429');
    const element = createElement();
    const retry = nextEvent(element, 'llm-retry');
    const done = element.start({ url: mockUrl({ fault: 'fail-times', n: 1, status: 429, 'retry-after': 1, key, tps: 'max', answer: 'short' }) });
    expect((await retry).detail.delayMs).to.equal(1000);
    expect((await done).status).to.equal('done');
    const [first, second] = await mockLog(key);
    expect(second!.startedAt - first!.startedAt).to.be.at.least(950);
  });

  it('400 is never retried', async () => {
    const key = uniqueKey('400');
    const element = createElement();
    const error = await failure(element.start({ url: mockUrl({ fault: 'status', status: 400, key }) }));
    expect(error.code).to.equal('http');
    expect(error.status).to.equal(400);
    expect(error.message).to.not.equal('');
    expect((await mockLog(key)).length).to.equal(1);
  });

  it('a stall after text ends with a timeout error, text kept, and no retry', async () => {
    const key = uniqueKey('stall');
    const element = createElement({ manual: '', 'idle-timeout': '400' });
    let retried = false;
    element.addEventListener('llm-retry', () => (retried = true));
    const error = await failure(element.start({ url: mockUrl({ fault: 'stall', tps: 'max', answer: 'default', key }) }));
    expect(error.code).to.equal('timeout');
    expect(error.message).to.match(/cut off/);
    expect(element.text.length).to.be.greaterThan(100);
    expect(contentOf(element).textContent!.length).to.be.greaterThan(50);
    expect(retried).to.equal(false);
    await waitFor(async () => (await mockLog(key)).find((r) => r.closedBy === 'client'), 'server sees the close');
  });

  it('a slow first byte times out with the first-byte timeout', async () => {
    const element = createElement({ manual: '', 'first-byte-timeout': '300', 'max-retries': '0' });
    const error = await failure(element.start({ url: mockUrl({ fault: 'slow-first-byte', delay: 3000 }) }));
    expect(error.code).to.equal('timeout');
  });

  it('a 200 text/html body fails with content_type and the server message', async () => {
    const element = createElement();
    const error = await failure(element.start({ url: mockUrl({ fault: 'html' }) }));
    expect(error.code).to.equal('content_type');
    expect(error.message).to.include('Gateway login');
  });

  it('a 200 JSON error body fails with provider and the server message', async () => {
    const element = createElement();
    const error = await failure(element.start({ url: mockUrl({ fault: 'json-error' }) }));
    expect(error.code).to.equal('provider');
    expect(error.message).to.include('Invalid API key');
  });

  it('an Anthropic overloaded_error mid-stream is a provider error with its type', async () => {
    const element = createElement();
    const error = await failure(element.start({ url: mockUrl({ fault: 'provider-error', format: 'anthropic', tps: 'max', answer: 'default' }) }));
    expect(error.code).to.equal('provider');
    expect(error.type).to.equal('overloaded_error');
    expect(element.text.length).to.be.greaterThan(0);
  });
});

describe('lifecycle races', () => {
  it('start() again aborts the old stream; no old text renders into the new one', async () => {
    const keyA = uniqueKey('a');
    const element = createElement();
    const first = element.start({ url: mockUrl({ tps: 40, text: 'AAAA '.repeat(200), key: keyA }) });
    await waitFor(() => element.text.includes('AAAA'), 'first text');
    const second = element.start({ url: mockUrl({ tps: 'max', text: 'BBBB '.repeat(20) }) });
    expect((await first).finishReason).to.equal('abort');
    await second;
    expect(element.text).to.equal('BBBB '.repeat(20));
    expect(contentOf(element).textContent).to.not.include('AAAA');
    await waitFor(async () => (await mockLog(keyA)).find((r) => r.closedBy === 'client'), 'old request closed');
  });

  it('changing src mid-stream aborts the old request and streams the new one', async () => {
    const keyA = uniqueKey('srcA');
    const element = createElement({ src: mockUrl({ tps: 40, text: 'old '.repeat(300), key: keyA }) });
    await waitFor(() => element.text.includes('old'), 'first text');
    element.src = mockUrl({ tps: 'max', text: 'new answer' });
    await waitFor(() => element.status === 'done' && element.text === 'new answer', 'new stream done');
    await waitFor(async () => (await mockLog(keyA)).find((r) => r.closedBy === 'client'), 'old request closed');
  });

  it('removing the element aborts its stream', async () => {
    const key = uniqueKey('remove');
    const element = createElement();
    void element.start({ url: mockUrl({ tps: 40, answer: 'default', key }) });
    await waitFor(() => element.text.length > 0, 'first text');
    element.remove();
    await waitFor(async () => (await mockLog(key)).find((r) => r.closedBy === 'client'), 'server sees the close');
  });

  it('moving the element in the DOM keeps its stream', async () => {
    const element = createElement();
    const done = element.start({ url: mockUrl({ tps: 40, answer: 'short' }) });
    await waitFor(() => element.text.length > 0, 'first text');
    const holder = document.createElement('div');
    document.body.append(holder);
    holder.append(element);
    expect((await done).status).to.equal('done');
  });

  it('50 elements streaming at once all finish with the right text', async () => {
    const elements: LlmStreamElement[] = [];
    for (let i = 0; i < 50; i++) elements.push(createElement());
    const results = await Promise.all(elements.map((element, i) => element.start({ url: mockUrl({ tps: 'max', text: `Answer **${i}**: ${'word '.repeat(30)}` }) })));
    results.forEach((result, i) => {
      expect(result.status).to.equal('done');
      expect(result.text).to.equal(`Answer **${i}**: ${'word '.repeat(30)}`);
      expect(contentOf(elements[i]!).querySelector('strong')?.textContent).to.equal(String(i));
    });
  });
});

describe('push mode, byte streams and pacing', () => {
  it('write() and end() render text obtained elsewhere', async () => {
    const element = createElement();
    const done = nextEvent(element, 'llm-done');
    for (const piece of ['# Ti', 'tle\n\nSome **bo', 'ld** text.']) element.write(piece);
    element.end();
    const result = (await done).detail;
    expect(result.status).to.equal('done');
    expect(element.text).to.equal('# Title\n\nSome **bold** text.');
    expect(contentOf(element).querySelector('h1')?.textContent).to.equal('Title');
    expect(contentOf(element).querySelector('strong')?.textContent).to.equal('bold');
  });

  it('controlled content appends extensions and re-renders replacements', async () => {
    const element = createElement();
    element.content = 'Hello';
    element.content = 'Hello **world**';
    await waitFor(() => contentOf(element).querySelector('strong'), 'bold rendered');
    expect(element.text).to.equal('Hello **world**');
    element.content = 'Something else';
    await waitFor(() => contentOf(element).textContent?.includes('Something else'), 're-rendered');
    expect(contentOf(element).textContent).to.not.include('world');
  });

  it('start({ stream }) decodes a page-owned byte stream in the worker', async () => {
    const response = await fetch(mockUrl({ tps: 'max', answer: 'short', format: 'anthropic' }));
    const element = createElement();
    const result = await element.start({ stream: response.body!, contentType: response.headers.get('content-type') ?? undefined });
    expect(result.status).to.equal('done');
    expect(result.text.length).to.be.greaterThan(5);
  });

  it('pacing="word" only ever releases whole words', async () => {
    const element = createElement({ manual: '', pacing: 'word' });
    const deltas: string[] = [];
    element.addEventListener('llm-delta', (event) => deltas.push(event.detail.text));
    const text = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu';
    await element.start({ url: mockUrl({ tps: 100, text }) });
    expect(deltas.join('')).to.equal(text);
    for (const delta of deltas.slice(0, -1)) expect(delta).to.match(/\s$/);
  });

  it('redaction catches an email split across chunks before it renders', async () => {
    const element = createElement();
    element.redact = ['[\\w.+-]+@[\\w-]+\\.[\\w.-]+'];
    let seen = '';
    const observer = new MutationObserver(() => (seen += ` ${contentOf(element).textContent}`));
    observer.observe(contentOf(element), { subtree: true, childList: true, characterData: true });
    const redacted = nextEvent(element, 'llm-redact');
    await element.start({ url: mockUrl({ tps: 200, text: 'Contact alice.smith@example.com today.' }) });
    observer.disconnect();
    expect((await redacted).detail.count).to.equal(1);
    expect(contentOf(element).textContent).to.include('[redacted]');
    expect(seen).to.not.include('alice');
  });
});

describe('limits', () => {
  it('an event larger than maxEventSize fails with protocol, the text before it kept', async () => {
    const body = `data: {"type":"token","content":"hello "}\n\ndata: {"type":"token","content":"${'x'.repeat(5000)}"}\n\ndata: {"type":"done"}\n\n`;
    const stream = new Blob([body]).stream();
    const element = createElement();
    element.maxEventSize = 1000;
    const error = await element.start({ stream, contentType: 'text/event-stream' }).then(
      () => null,
      (thrown: unknown) => thrown as LlmStreamError,
    );
    expect(error?.code).to.equal('protocol');
    expect(element.text).to.equal('hello ');
    expect(contentOf(element).textContent).to.include('hello');
  });
});
