/**
 * Diagrams from the CDN file (needs `npm run build`): a page on this origin loads
 * dist/llm-stream.cdn.js from another origin; with `diagrams`, a mermaid block is drawn by
 * dist/llm-stream.mermaid.js, loaded on first use from beside the CDN file (never bundled into it or
 * the extras file), on both sink paths — the native Sanitizer, and DOMPurify loaded from beside it
 * where `setHTML` is missing — and an attack in the diagram neither runs nor survives.
 */
import { expect } from 'chai';
import { mockUrl, testEnv, waitFor } from './helpers.js';

const SOURCE = 'graph LR\n  A[From the CDN] --> B{Works?}\n  click A href "javascript:alert(1)"\n  B --> C["<img src=x onerror=alert(2)>"]\n';

interface Upgraded {
  status: string;
  sinkMode: string;
  shadowRoot: ShadowRoot;
}

async function cdnPage(withSanitizerApi: boolean, diagrams: boolean): Promise<{ win: Window & typeof globalThis; doc: Document; element: Upgraded; cdnOrigin: string; calls: string[] }> {
  const { cdnOrigin } = await testEnv();
  const frame = document.createElement('iframe');
  document.body.append(frame);
  const win = frame.contentWindow as Window & typeof globalThis;
  if (!withSanitizerApi) delete (win.Element.prototype as unknown as { setHTML?: unknown }).setHTML;
  const calls: string[] = [];
  (win as unknown as { alert: (message: unknown) => void }).alert = (message) => void calls.push(String(message));
  const doc = frame.contentDocument as Document;
  const element = doc.createElement('llm-stream');
  if (diagrams) element.setAttribute('diagrams', '');
  const text = `A diagram:\n\n\`\`\`mermaid\n${SOURCE}\`\`\`\n\nDone.\n`;
  element.setAttribute('src', new URL(mockUrl({ tps: 'max', text }), location.href).href);
  doc.body.append(element);
  const script = doc.createElement('script');
  script.src = `${cdnOrigin}/dist/llm-stream.cdn.js`;
  doc.head.append(script);
  const upgraded = element as unknown as Upgraded;
  await waitFor(() => win.customElements.get('llm-stream') && upgraded.status === 'done', 'stream done', 15000);
  return { win, doc, element: upgraded, cdnOrigin, calls };
}

describe('CDN file: diagrams', function () {
  this.timeout(60000);
  afterEach(() => document.body.replaceChildren());

  for (const withSanitizerApi of [true, false]) {
    it(`draws a mermaid block with mermaid from beside the CDN file (${withSanitizerApi ? 'setHTML' : 'DOMPurify fallback'})`, async () => {
      const { doc, element, cdnOrigin, calls } = await cdnPage(withSanitizerApi, true);
      const figure = await waitFor(() => element.shadowRoot.querySelector('[part="content"] figure[part="diagram"]'), 'the diagram', 30000);
      expect(element.sinkMode).to.equal(withSanitizerApi ? 'sanitizer' : 'dompurify');
      const svg = figure.querySelector(':scope > svg') as SVGSVGElement;
      expect(Array.from(svg.querySelectorAll('text')).map((text) => text.textContent)).to.include.members(['From the CDN', 'Works?']);
      expect(svg.querySelector('style, a, foreignObject, img, image, script')).to.equal(null);
      for (const el of [svg, ...Array.from(svg.querySelectorAll('*'))]) {
        for (const name of el.getAttributeNames()) expect(name, `<${el.localName}>`).to.not.match(/^on|^style$|href$/i);
      }
      for (const shape of Array.from(svg.querySelectorAll('*'))) shape.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      const mermaidScript = Array.from(doc.scripts).find((script) => script.src.endsWith('/dist/llm-stream.mermaid.js'));
      expect(mermaidScript, 'llm-stream.mermaid.js loaded').to.not.equal(undefined);
      expect(new URL(mermaidScript!.src).origin).to.equal(cdnOrigin);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(calls).to.deep.equal([]);
    });
  }

  it('without the attribute the CDN page never loads mermaid', async () => {
    const { doc, element } = await cdnPage(true, false);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(element.shadowRoot.querySelector('[part="content"] pre > code.language-mermaid')?.textContent).to.equal(SOURCE);
    expect(element.shadowRoot.querySelector('figure, svg')).to.equal(null);
    expect(Array.from(doc.scripts).some((script) => script.src.includes('mermaid'))).to.equal(false);
  });
});
