/**
 * Math in the browser: LaTeX renders as MathML (display="block" for display math) on both sink paths
 * (setHTML + Sanitizer, DOMPurify), `math="off"` leaves `$` as text, the math file loads beside the CDN
 * file, and MathML attack vectors — raw `<math>` a model writes, and LaTeX that reaches outside — on
 * both paths and both `html` modes: nothing forbidden reaches the DOM at any moment, nothing runs,
 * nothing is fetched.
 */
import { expect } from 'chai';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import { workerSettings } from '../../components/worker-client.js';
import { seededRandom } from '../seeded-random.js';
import { contentOf, createElement, mockUrl, testEnv, waitFor } from './helpers.js';
import { watchContent } from './dom-safety.js';

const MATHML = 'http://www.w3.org/1998/Math/MathML';
const MODES = ['sanitizer', 'dompurify'] as const;
const HTML_MODES = [null, 'sanitized'] as const;
const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

before(() => {
  // The built math file (npm run build writes dist/); the default is beside the script.
  workerSettings.mathUrl = new URL('/dist/llm-stream.math.js', location.href).href;
});

afterEach(() => document.body.replaceChildren());

function settled(element: LlmStreamElement): Promise<void> {
  return new Promise((resolve, reject) => {
    element.addEventListener('llm-done', () => resolve(), { once: true });
    element.addEventListener('llm-error', (event) => reject((event as CustomEvent<{ error: Error }>).detail.error), { once: true });
  });
}

/** Writes `markdown` at seeded random splits, with frames in between, and waits for the end. */
async function stream(element: LlmStreamElement, markdown: string, seed = 7): Promise<void> {
  await element.updateComplete;
  const done = settled(element);
  const random = seededRandom(seed);
  for (let i = 0; i < markdown.length;) {
    const size = 1 + Math.floor(random() * 12);
    element.write(markdown.slice(i, i + size));
    i += size;
    if (random() < 0.4) await frame();
  }
  element.end();
  await done;
  await frame();
}

const ANSWER = [
  'The energy $E = mc^2$ and \\(a^2 + b^2 = c^2\\).',
  '',
  '$$',
  '\\int_0^1 x^2 \\, dx = \\frac{1}{3}',
  '$$',
  '',
  'It costs $5 and $10, and \\[\\mathbb{R}^n\\] ends it.',
].join('\n');

describe('math renders as MathML', () => {
  for (const mode of MODES) {
    it(`inline and display formulas are MathML on the ${mode} path`, async () => {
      const element = createElement({ manual: '', sanitizer: mode });
      await stream(element, ANSWER);
      expect(element.sinkMode).to.equal(mode);
      const maths = Array.from(contentOf(element).querySelectorAll('math'));
      expect(maths.length).to.equal(4);
      for (const math of maths) expect(math.namespaceURI).to.equal(MATHML);
      expect(maths.map((math) => math.getAttribute('display'))).to.deep.equal([null, null, 'block', 'block']);
      expect(getComputedStyle(maths[2]!).display).to.equal('block math');
      expect(getComputedStyle(maths[0]!).display).to.equal('math');
      // The formulas' parts, and the TeX source kept as the annotation.
      expect(maths[0]!.querySelector('msup > mi')?.textContent).to.equal('c');
      expect(maths[2]!.querySelector('mfrac')).to.not.equal(null);
      expect(maths[3]!.querySelector('mi')?.textContent).to.equal('ℝ');
      expect(maths[0]!.querySelector('annotation')?.textContent).to.equal('E = mc^2');
      // Money stays text; the text is exactly what was written.
      expect(contentOf(element).textContent).to.contain('It costs $5 and $10, and');
      expect(element.text).to.equal(ANSWER);
    });
  }

  it('invalid and refused LaTeX shows its source as code marked as an error', async () => {
    const element = createElement({ manual: '' });
    await stream(element, 'Bad $\\frac{a$ and $\\href{javascript:alert(1)}{x}$ end.');
    const errors = Array.from(contentOf(element).querySelectorAll('code.llm-stream-math-error')).map((code) => code.textContent);
    expect(errors).to.deep.equal(['$\\frac{a$', '$\\href{javascript:alert(1)}{x}$']);
    expect(contentOf(element).querySelector('math, a')).to.equal(null);
  });

  it('math="off": `$` is plain text and the math file is not needed', async () => {
    const element = createElement({ manual: '', math: 'off' });
    await stream(element, 'The energy $E = mc^2$ and \\(x\\).');
    expect(contentOf(element).querySelector('math')).to.equal(null);
    expect(contentOf(element).textContent?.trim()).to.equal('The energy $E = mc^2$ and (x).');
  });

  it('an open formula shows nothing until it closes', async () => {
    const element = createElement({ manual: '' });
    await element.updateComplete;
    const done = settled(element);
    element.write('The energy $E = m');
    await waitFor(() => contentOf(element).textContent?.includes('The energy'), 'text before the formula');
    await frame();
    expect(contentOf(element).textContent?.trim()).to.equal('The energy');
    element.write('c^2$ is famous.');
    element.end();
    await done;
    await frame();
    expect(contentOf(element).querySelector('math')).to.not.equal(null);
  });
});

describe('math from the CDN file', () => {
  it('loads llm-stream.math.js from beside the CDN file', async () => {
    const { cdnOrigin } = await testEnv();
    const iframe = document.createElement('iframe');
    document.body.append(iframe);
    const doc = iframe.contentDocument as Document;
    const element = doc.createElement('llm-stream');
    element.setAttribute('src', new URL(mockUrl({ tps: 'max', text: 'Math: $\\sqrt{2}$ and\n\n$$\nx^2\n$$\n' }), location.href).href);
    doc.body.append(element);
    const script = doc.createElement('script');
    script.src = `${cdnOrigin}/dist/llm-stream.cdn.js`;
    doc.head.append(script);
    const upgraded = element as unknown as { status: string; shadowRoot: ShadowRoot };
    await waitFor(() => upgraded.status === 'done', 'stream done', 10000);
    const maths = upgraded.shadowRoot.querySelectorAll('[part="content"] math');
    expect(maths.length).to.equal(2);
    expect(maths[1]!.getAttribute('display')).to.equal('block');
    expect(maths[0]!.querySelector('msqrt')).to.not.equal(null);
  });
});

/** Raw MathML a model might write, and LaTeX that tries to reach outside. */
const ATTACKS: Record<string, string> = {
  'maction': '<math><maction actiontype="statusline"><mtext>x</mtext><mtext>javascript:window.__mathPwned=1</mtext></maction></math>',
  'annotation-xml text/html': '<math><semantics><mi>x</mi><annotation-xml encoding="text/html"><img src="http://127.0.0.1:9/a.png" onerror="window.__mathPwned=1"></annotation-xml></semantics></math>',
  'annotation of another encoding': '<math><semantics><mi>x</mi><annotation encoding="text/html">&lt;img src=x onerror=window.__mathPwned=1&gt;</annotation></semantics></math>',
  'href and xlink:href on MathML': '<math href="javascript:window.__mathPwned=1"><mi xlink:href="javascript:window.__mathPwned=1" href="javascript:window.__mathPwned=1">click</mi></math>',
  'event handlers': '<math onmouseover="window.__mathPwned=1"><mi onclick="window.__mathPwned=1" onfocus="window.__mathPwned=1" tabindex="1" autofocus>x</mi></math>',
  'mglyph and style': '<math><mglyph src="http://127.0.0.1:9/g.png"></mglyph><mi style="background:url(http://127.0.0.1:9/s.png)">x</mi><style>@import "http://127.0.0.1:9/i.css";</style></math>',
  'mXSS through mtext and table': '<math><mtext><table><mglyph><style><img src="http://127.0.0.1:9/m.png" onerror="window.__mathPwned=1">',
  'HTML inside mtext': '<math><mtext><img src="http://127.0.0.1:9/t.png" onerror="window.__mathPwned=1"><a href="javascript:window.__mathPwned=1">a</a></mtext></math>',
  'svg inside math': '<math><mi><svg><script>window.__mathPwned=1</script><image href="http://127.0.0.1:9/v.png"/></svg></mi></math>',
  'LaTeX \\href and \\url': '$\\href{javascript:window.__mathPwned=1}{x}$ and $\\url{http://127.0.0.1:9/u}$',
  'LaTeX \\includegraphics': '$\\includegraphics{http://127.0.0.1:9/g.png}$',
  'LaTeX \\html* and \\class, \\style, \\data': '$\\htmlClass{a}{x} \\htmlStyle{background:url(http://127.0.0.1:9/h.png)}{y} \\htmlData{a=b}{z}$ $\\class{a}{x}$ $\\style{color:red}{x}$ $\\data{a=b}{x}$',
};

const canary = window as unknown as Record<string, unknown>;

/** Resources fetched since `since` other than our own modules and files. */
function fetchedSince(since: number): string[] {
  return performance
    .getEntriesByType('resource')
    .filter((entry) => entry.startTime >= since)
    .map((entry) => entry.name)
    .filter((url) => !/\/(node_modules|components|src|worker|dist|__web-dev-server|__wds)[/-]/.test(new URL(url).pathname));
}

describe('MathML attack vectors', () => {
  for (const mode of MODES) {
    for (const html of HTML_MODES) {
      it(`nothing forbidden reaches the DOM, runs or loads (${mode}, html=${html ?? 'escape'})`, async () => {
        const since = performance.now();
        const originalAlert = window.alert;
        const alerts: string[] = [];
        window.alert = (message?: unknown) => void alerts.push(String(message));
        delete canary['__mathPwned'];
        try {
          for (const [name, payload] of Object.entries(ATTACKS)) {
            for (const context of [`Before.\n\n${payload}\n\nAfter $x^2$.\n`, `Inline ${payload} text $y$.`]) {
              const element = createElement({ manual: '', sanitizer: mode, ...(html ? { html } : {}) });
              await element.updateComplete;
              const watcher = watchContent(element, new Set());
              await stream(element, context, name.length);
              expect(element.sinkMode).to.equal(mode);
              const { problems } = watcher.stop();
              expect(problems, `${name}: ${context}`).to.deep.equal([]);
              const content = contentOf(element);
              // Our own formulas still render (raw HTML let in may swallow them: an unclosed `<style>`),
              // and raw `<math>` is text unless raw HTML is sanitized in.
              if (!html) expect(Array.from(content.querySelectorAll('math annotation')).some((a) => /^[xy](\^2)?$/.test(a.textContent ?? '')), name).to.equal(true);
              if (!html && payload.startsWith('<math')) expect(content.textContent, name).to.contain('<math');
              for (const math of Array.from(content.querySelectorAll('*'))) {
                expect(['maction', 'annotation-xml', 'mglyph', 'style', 'script', 'svg', 'image'], name).to.not.include(math.localName);
              }
              element.remove();
            }
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
          expect(canary['__mathPwned'], 'a payload ran').to.equal(undefined);
          expect(alerts).to.deep.equal([]);
          expect(fetchedSince(since)).to.deep.equal([]);
        } finally {
          window.alert = originalAlert;
        }
      });
    }
  }

  it('sanitized raw MathML that is safe still renders as MathML', async () => {
    for (const mode of MODES) {
      const element = createElement({ manual: '', sanitizer: mode, html: 'sanitized' });
      await stream(element, 'Raw <math><mfrac><mi>a</mi><mi>b</mi></mfrac></math> here.');
      const math = contentOf(element).querySelector('math');
      expect(math?.namespaceURI, mode).to.equal(MATHML);
      expect(math?.querySelector('mfrac > mi')?.textContent, mode).to.equal('a');
      element.remove();
    }
  });
});
