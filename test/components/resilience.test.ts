import { expect } from 'chai';
import { restartWorker, workerSettings } from '../../components/worker-client.js';
import { LlmStreamError } from '../../src/errors.js';
import { contentOf, createElement, mockUrl } from './helpers.js';

afterEach(() => document.body.replaceChildren());

/** Watch animation frames during `work`: a responsive page keeps producing them without long gaps. */
async function framesDuring<T>(work: Promise<T>): Promise<{ value: T; frames: number; ms: number; longestGapMs: number }> {
  let frames = 0;
  let running = true;
  const start = performance.now();
  let last = start;
  let longestGapMs = 0;
  const tick = (now: number): void => {
    frames++;
    longestGapMs = Math.max(longestGapMs, now - last);
    last = now;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  try {
    const value = await work;
    const end = performance.now();
    longestGapMs = Math.max(longestGapMs, end - last);
    return { value, frames, ms: end - start, longestGapMs };
  } finally {
    running = false;
  }
}

describe('nothing a model writes can freeze the page', () => {
  for (const [name, text] of [
    ['quadratic emphasis', '**_* '.repeat(20000)],
    ['50 000 nested quotes', '> '.repeat(50000) + 'x'],
    ['60 000 asterisks', '*'.repeat(60000)],
  ] as const) {
    it(`${name} renders as escaped plain text within 2 s`, async () => {
      const element = createElement();
      const done = new Promise<void>((resolve) => element.addEventListener('llm-done', () => resolve(), { once: true }));
      const { longestGapMs, ms } = await framesDuring(
        (async () => {
          for (let i = 0; i < text.length; i += 1024) element.write(text.slice(i, i + 1024));
          element.end();
          await done;
        })(),
      );
      expect(ms, 'time to render').to.be.below(2000);
      // A freeze detector, not a benchmark: marked on the main thread would stall for seconds.
      expect(longestGapMs, 'longest main-thread stall').to.be.below(1000);
      expect(element.text.length).to.equal(text.length);
      const shown = contentOf(element).textContent ?? '';
      expect(shown.length).to.be.greaterThan(text.length * 0.5);
      expect(contentOf(element).querySelector('blockquote blockquote blockquote blockquote')).to.equal(null);
    });
  }
});

describe('watchdog', () => {
  const saved = { ...workerSettings };
  afterEach(() => Object.assign(workerSettings, saved));

  it('a worker that stops answering is replaced and the stream ends with a worker error', async () => {
    workerSettings.workerUrl = '/test/fixtures/workers/stuck-worker.js';
    workerSettings.watchdogIntervalMs = 50;
    workerSettings.watchdogTimeoutMs = 300;
    // A fresh worker: the shared one may already run; the stuck one must be the one started now.
    restartWorker();
    const element = createElement();
    const { value: error, longestGapMs } = await framesDuring(
      element.start({ url: mockUrl({ tps: 'max', answer: 'short' }) }).then(() => null, (thrown: unknown) => thrown as LlmStreamError),
    );
    expect(error).to.be.instanceOf(LlmStreamError);
    expect(error!.code).to.equal('worker');
    expect(longestGapMs, 'the page stayed responsive').to.be.below(1000);
    expect(element.status).to.equal('error');

    Object.assign(workerSettings, saved);
    restartWorker();
    const again = await element.start({ url: mockUrl({ tps: 'max', answer: 'short' }) });
    expect(again.status).to.equal('done');
  });
});
