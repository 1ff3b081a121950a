// The demo page (index.html, what `npm start` serves) in a frame: its answers stream, and a
// recording saved with its "Save stream" button replays to the same DOM.
import { expect } from 'chai';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import type { Recording } from '../../components/recorder.js';
import { createElement, waitFor, renderedShadow } from './helpers.js';

afterEach(() => document.body.replaceChildren());

const rendered = renderedShadow;

async function openDemo(): Promise<{ win: Window & typeof globalThis; doc: Document }> {
  const frame = document.createElement('iframe');
  frame.style.width = '1000px';
  frame.style.height = '800px';
  frame.src = '/index.html';
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const win = frame.contentWindow as Window & typeof globalThis;
  await waitFor(() => win.customElements.get('llm-stream'), 'the demo registers the element', 20000);
  return { win, doc: frame.contentDocument! };
}

describe('the demo', () => {
  for (const answer of ['reasoning', 'tools', 'rich']) {
    it(`"${answer}": streams, and its saved stream replays to the same DOM`, async () => {
      const { win, doc } = await openDemo();
      (doc.querySelector('#tps') as HTMLSelectElement).value = 'max';
      (doc.querySelector(`.suggestions [data-answer="${answer}"]`) as HTMLButtonElement).click();
      const stream = (await waitFor(() => doc.querySelector('llm-stream:not(#snippet)'), 'a turn')) as LlmStreamElement;
      await waitFor(() => stream.status === 'done', 'the answer done', 20000);
      // "Save stream" downloads the recording as JSON: capture the blob it links to.
      let saved: Blob | null = null;
      const createObjectURL = win.URL.createObjectURL;
      win.URL.createObjectURL = (blob: Blob) => ((saved = blob), 'blob:captured');
      const clicks: string[] = [];
      win.HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
        clicks.push(this.download);
      };
      (stream.closest('.assistant')!.querySelector('.save-stream') as HTMLButtonElement).click();
      win.URL.createObjectURL = createObjectURL;
      expect(clicks[0]).to.match(/^llm-stream-.+\.json$/);
      const recording = JSON.parse(await saved!.text()) as Recording;
      expect(recording.version).to.equal(1);
      expect(recording.result?.status).to.equal('done');

      const replayed = createElement({ manual: '', 'link-target': '_blank', 'image-origins': 'self' });
      const result = await replayed.replay(recording, { speed: Infinity });
      await waitFor(() => rendered(replayed) === rendered(stream), 'the same DOM', 5000).catch(() => undefined);
      expect(result).to.deep.equal(recording.result);
      expect(rendered(replayed)).to.equal(rendered(stream));
    });
  }
});
