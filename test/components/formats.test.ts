import { expect } from 'chai';
import { contentOf, createElement, mockUrl } from './helpers.js';

/** Every wire format the mock speaks, streamed through the real element with format="auto". */
const FORMATS = ['openai', 'openai-completions', 'openai-responses', 'anthropic', 'gemini', 'ollama', 'ai-sdk', 'relay', 'relay-ndjson', 'text'];

afterEach(() => document.body.replaceChildren());

describe('every provider format, auto-detected, end to end', () => {
  let expected = '';
  before(async () => {
    expected = await (await fetch(mockUrl({ format: 'text', tps: 'max', answer: 'default' }))).text();
  });

  for (const format of FORMATS) {
    it(`${format}: done, the whole answer, rendered`, async () => {
      const element = createElement({ manual: '', format: 'auto' });
      const result = await element.start({ url: mockUrl({ format, tps: 'max', answer: 'default' }) });
      expect(result.status).to.equal('done');
      expect(result.text).to.equal(expected);
      if (format !== 'text') {
        expect(result.finishReason).to.equal('stop');
        // The AI SDK UI message stream carries no token usage; the metrics estimate it instead.
        if (format !== 'ai-sdk') expect(result.usage?.outputTokens, 'usage from the provider').to.be.a('number');
      }
      expect(result.metrics.outputTokens).to.be.greaterThan(100);
      expect(contentOf(element).querySelectorAll('h2, h3').length).to.be.greaterThan(1);
      expect(contentOf(element).querySelector('table')).to.not.equal(null);
    });

    it(`${format}: a stream cut before its end marker is incomplete`, async () => {
      if (format === 'text') return; // plain text has no end marker: the body end is the end
      const element = createElement({ manual: '', format: 'auto' });
      const result = await element.start({ url: mockUrl({ format, tps: 'max', answer: 'short', fault: 'truncate' }) });
      expect(result.status).to.equal('incomplete');
      expect(result.reason).to.be.a('string').and.not.equal('');
      expect(element.text.length).to.be.greaterThan(10);
    });
  }

  it('an explicit format that does not match the stream fails with protocol, not empty success', async () => {
    const element = createElement({ manual: '', format: 'anthropic' });
    const error = await element.start({ url: mockUrl({ format: 'openai', tps: 'max', answer: 'short' }) }).then(
      () => null,
      (thrown: unknown) => thrown as { code: string },
    );
    expect(error?.code).to.equal('protocol');
  });
});
