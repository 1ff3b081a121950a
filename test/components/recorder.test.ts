import { expect } from 'chai';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import type { Recording } from '../../components/recorder.js';
import { createElement, mockUrl, nextEvent, renderedShadow } from './helpers.js';

afterEach(() => document.body.replaceChildren());

const rendered = renderedShadow;

describe('recorder: record, recording, replay', () => {
  it('off by default: no recording', async () => {
    const element = createElement({ manual: '' });
    await element.start({ url: mockUrl({ format: 'openai', tps: 'max', answer: 'short' }) });
    expect(element.recording).to.equal(null);
  });

  for (const [format, answer] of [['anthropic', 'reasoning'], ['openai', 'tools'], ['openai-responses', 'search'], ['gemini', 'default']] as const) {
    it(`${format} ${answer}: a recording survives JSON and replays to the same DOM and result`, async () => {
      const original = createElement({ manual: '', record: '' });
      const result = await original.start({ url: mockUrl({ format, tps: 'max', answer }) });
      const recording = JSON.parse(JSON.stringify(original.recording)) as Recording;
      expect(recording.version).to.equal(1);
      expect(recording.format).to.equal(format);
      expect(recording.contentType).to.be.a('string').and.include('/');
      expect(recording.events.length).to.be.greaterThan(0);
      expect(recording.events.map(([, , text]) => text).filter((_, i) => recording.events[i]![1] === 'text').join('')).to.equal(result.text);
      expect(recording.result).to.deep.equal(JSON.parse(JSON.stringify(result)));

      const replayed = createElement({ manual: '' });
      const again = await replayed.replay(recording, { speed: Infinity });
      expect(again).to.deep.equal(recording.result);
      expect(replayed.status).to.equal('done');
      expect(rendered(replayed)).to.equal(rendered(original));
    });
  }

  it('an incomplete stream replays as incomplete, with its reason', async () => {
    const original = createElement({ manual: '', record: '' });
    const result = await original.start({ url: mockUrl({ format: 'openai', tps: 'max', answer: 'short', fault: 'truncate' }) });
    expect(result.status).to.equal('incomplete');
    const replayed = createElement({ manual: '' });
    const again = await replayed.replay(original.recording!, { speed: Infinity });
    expect(again).to.deep.equal(original.recording!.result);
    expect(replayed.status).to.equal('incomplete');
  });

  it('an error replays as the same error, with the partial text', async () => {
    const original = createElement({ manual: '', record: '', 'max-retries': '0' });
    const error = await original.start({ url: mockUrl({ format: 'anthropic', tps: 'max', answer: 'short', fault: 'provider-error' }) }).catch((e: unknown) => e as Error & { code: string });
    expect(error).to.have.property('code', 'provider');
    const replayed = createElement({ manual: '' });
    const again = await replayed.replay(original.recording!, { speed: Infinity }).catch((e: unknown) => e as Error & { code: string });
    expect(again).to.have.property('code', 'provider');
    expect((again as unknown as Error).message).to.equal((error as Error).message);
    expect(replayed.status).to.equal('error');
    expect(replayed.text).to.equal(original.text);
  });

  it('replays at its recorded timing by default (speed scales it)', async () => {
    const recording: Recording = {
      version: 1,
      format: null,
      contentType: null,
      events: [[0, 'text', 'Hello '], [300, 'text', 'world']],
      result: null,
    };
    const element = createElement({ manual: '' });
    const started = performance.now();
    const deltas: number[] = [];
    element.addEventListener('llm-delta', () => deltas.push(performance.now() - started));
    const done = nextEvent(element, 'llm-done');
    const result = await element.replay(recording, { speed: 2 });
    await done;
    expect(result.text).to.equal('Hello world');
    expect(deltas.at(-1)).to.be.within(140, 1000);
  });

  it('refuses what is not a recording', async () => {
    const element = createElement({ manual: '' });
    const error = await element.replay({ version: 2 } as never).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TypeError);
  });
});
