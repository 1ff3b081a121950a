import { expect } from 'chai';
import { mockUrl, testEnv, waitFor } from './helpers.js';

/**
 * The built CDN file, served from a second origin (another port), loaded by a classic <script> into
 * a page on this origin, registers <llm-stream> and renders a stream with its inline worker.
 */
describe('CDN file from another origin', () => {
  it('registers <llm-stream> and streams an answer', async () => {
    const { cdnOrigin } = await testEnv();
    const frame = document.createElement('iframe');
    document.body.append(frame);
    const doc = frame.contentDocument as Document;
    const element = doc.createElement('llm-stream');
    element.setAttribute('src', new URL(mockUrl({ tps: 'max', answer: 'short' }), location.href).href);
    doc.body.append(element);
    const script = doc.createElement('script');
    script.src = `${cdnOrigin}/dist/llm-stream.cdn.js`;
    doc.head.append(script);
    const win = frame.contentWindow as Window & typeof globalThis;
    await waitFor(() => win.customElements.get('llm-stream'), 'registration', 10000);
    const upgraded = element as unknown as { status: string; text: string; shadowRoot: ShadowRoot };
    await waitFor(() => upgraded.status === 'done', 'stream done', 10000);
    expect(upgraded.text.length).to.be.greaterThan(5);
    expect(upgraded.shadowRoot.querySelector('[part="content"] p')?.textContent?.length).to.be.greaterThan(5);
    expect(new URL(script.src).origin).to.not.equal(location.origin);
  });
});

describe('CDN file: the whole response', () => {
  for (const answer of ['reasoning', 'tools', 'search']) {
    it(`renders the ${answer} answer's parts from the inline worker`, async () => {
      const { cdnOrigin } = await testEnv();
      const frame = document.createElement('iframe');
      document.body.append(frame);
      const doc = frame.contentDocument as Document;
      const element = doc.createElement('llm-stream');
      element.setAttribute('src', new URL(mockUrl({ format: 'anthropic', tps: 'max', answer }), location.href).href);
      doc.body.append(element);
      const script = doc.createElement('script');
      script.src = `${cdnOrigin}/dist/llm-stream.cdn.js`;
      doc.head.append(script);
      const upgraded = element as unknown as { status: string; reasoning: string; toolCalls: unknown[]; sources: unknown[]; shadowRoot: ShadowRoot };
      await waitFor(() => upgraded.status === 'done', 'stream done', 10000);
      const root = upgraded.shadowRoot;
      if (answer === 'reasoning') {
        expect(upgraded.reasoning.length).to.be.greaterThan(100);
        expect(root.querySelector('details[part~="reasoning"] [part~="reasoning-content"] p')).to.not.equal(null);
      } else if (answer === 'tools') {
        expect(upgraded.toolCalls.length).to.be.greaterThan(0);
        expect(root.querySelectorAll('[part~="tool-call"][data-status="complete"]').length).to.equal(upgraded.toolCalls.length);
      } else {
        expect(upgraded.sources.length).to.be.greaterThan(0);
        expect(root.querySelectorAll('[part~="sources"] a[href^="https://"]').length).to.equal(upgraded.sources.length);
      }
    });
  }
});

describe('CDN file: the less common formats and named references come from beside it', () => {
  for (const format of ['openai-responses', 'gemini', 'ollama', 'openai-completions', 'ai-sdk']) {
    it(`${format}: decodes (its adapter loads with the first stream in it)`, async () => {
      const { cdnOrigin } = await testEnv();
      const frame = document.createElement('iframe');
      document.body.append(frame);
      const doc = frame.contentDocument as Document;
      const element = doc.createElement('llm-stream');
      const text = 'Read [the docs](/f&ouml;&ouml;) **now**.';
      element.setAttribute('src', new URL(mockUrl({ format, tps: 'max', text }), location.href).href);
      doc.body.append(element);
      const script = doc.createElement('script');
      script.src = `${cdnOrigin}/dist/llm-stream.cdn.js`;
      doc.head.append(script);
      const upgraded = element as unknown as { status: string; text: string; shadowRoot: ShadowRoot };
      await waitFor(() => upgraded.status === 'done' || upgraded.status === 'error', 'stream ended', 10000);
      expect(upgraded.status).to.equal('done');
      expect(upgraded.text).to.equal(text);
      expect(upgraded.shadowRoot.querySelector('[part="content"] strong')?.textContent).to.equal('now');
      expect(upgraded.shadowRoot.querySelector('[part="content"] a')?.getAttribute('href')).to.equal('/f%C3%B6%C3%B6');
    });
  }
});

describe('CDN file: the worker\'s optional stages', () => {
  it('loads pacing and redaction from beside the CDN file when a stream uses them', async () => {
    const { cdnOrigin } = await testEnv();
    const frame = document.createElement('iframe');
    document.body.append(frame);
    const doc = frame.contentDocument as Document;
    const script = doc.createElement('script');
    script.src = `${cdnOrigin}/dist/llm-stream.cdn.js`;
    doc.head.append(script);
    const win = frame.contentWindow as Window & typeof globalThis;
    await waitFor(() => win.customElements.get('llm-stream'), 'registration', 10000);
    const element = doc.createElement('llm-stream') as unknown as HTMLElement & {
      redact: string[];
      pacing: string;
      text: string;
      start(request: { url: string }): Promise<{ status: string; text: string }>;
    };
    element.setAttribute('manual', '');
    doc.body.append(element);
    element.redact = ['s3cr3t-\\d+'];
    element.pacing = 'word';
    let redactions = 0;
    element.addEventListener('llm-redact', () => redactions++);
    const result = await element.start({ url: new URL(mockUrl({ tps: 'max', text: 'The key is s3cr3t-42, keep it.' }), location.href).href });
    expect(result.status).to.equal('done');
    expect(result.text).to.equal('The key is [redacted], keep it.');
    expect(redactions).to.be.greaterThan(0);
  });

  it('retries a 429 with its Retry-After and reports an HTTP error with the body summary (the failure path loads from beside it)', async () => {
    const { cdnOrigin } = await testEnv();
    const frame = document.createElement('iframe');
    document.body.append(frame);
    const doc = frame.contentDocument as Document;
    const script = doc.createElement('script');
    script.src = `${cdnOrigin}/dist/llm-stream.cdn.js`;
    doc.head.append(script);
    const win = frame.contentWindow as Window & typeof globalThis;
    await waitFor(() => win.customElements.get('llm-stream'), 'registration', 10000);
    const element = doc.createElement('llm-stream') as unknown as HTMLElement & { start(request: { url: string }): Promise<{ status: string; text: string }> };
    element.setAttribute('manual', '');
    doc.body.append(element);
    const retries: number[] = [];
    element.addEventListener('llm-retry', (event) => retries.push((event as CustomEvent<{ delayMs: number }>).detail.delayMs));
    const key = `cdn-retry-${Date.now()}`;
    const url = (params: Record<string, string | number>) => new URL(mockUrl(params), location.href).href;
    const result = await element.start({ url: url({ fault: 'fail-times', n: 1, status: 429, 'retry-after-ms': 50, key, tps: 'max', answer: 'short' }) });
    expect(result.status).to.equal('done');
    expect(retries).to.deep.equal([50]);
    element.setAttribute('max-retries', '0');
    const error = await element.start({ url: url({ fault: 'status', status: 400, format: 'openai', tps: 'max' }) }).catch((thrown: unknown) => thrown as { code: string; status: number; message: string });
    expect(error).to.include({ code: 'http', status: 400 });
    expect((error as { message: string }).message).to.match(/^HTTP 400: \S/);
  });
});

describe('CDN file without the HTML Sanitizer API', () => {
  it('loads its DOMPurify fallback from beside the CDN file and renders sanitized markdown', async () => {
    const { cdnOrigin } = await testEnv();
    const frame = document.createElement('iframe');
    document.body.append(frame);
    const win = frame.contentWindow as Window & typeof globalThis;
    // A browser without setHTML (e.g. Safari today).
    delete (win.Element.prototype as unknown as { setHTML?: unknown }).setHTML;
    const doc = frame.contentDocument as Document;
    const element = doc.createElement('llm-stream');
    const text = 'Some **bold** and [bad](javascript:alert(1)) <img src=x onerror=alert(1)>';
    element.setAttribute('src', new URL(mockUrl({ tps: 'max', text }), location.href).href);
    doc.body.append(element);
    const script = doc.createElement('script');
    script.src = `${cdnOrigin}/dist/llm-stream.cdn.js`;
    doc.head.append(script);
    const upgraded = element as unknown as { status: string; sinkMode: string; shadowRoot: ShadowRoot };
    await waitFor(() => upgraded.status === 'done', 'stream done', 10000);
    await waitFor(() => upgraded.shadowRoot.querySelector('strong'), 'bold rendered', 5000);
    expect(upgraded.sinkMode).to.equal('dompurify');
    const content = upgraded.shadowRoot.querySelector('[part="content"]') as HTMLElement;
    expect(content.querySelector('img')).to.equal(null);
    for (const link of Array.from(content.querySelectorAll('a'))) expect(link.getAttribute('href') ?? '').to.not.match(/javascript/i);
    expect(Array.from(doc.scripts).some((s) => s.src.endsWith('/dist/llm-stream.purify.js'))).to.equal(true);
  });
});

describe('CDN file included twice', () => {
  it('registers once, without errors, and still streams', async () => {
    const { cdnOrigin } = await testEnv();
    const frame = document.createElement('iframe');
    document.body.append(frame);
    const win = frame.contentWindow as Window & typeof globalThis;
    const doc = frame.contentDocument as Document;
    const errors: string[] = [];
    win.addEventListener('error', (event) => errors.push(event.message));
    const load = (): Promise<void> =>
      new Promise((resolve, reject) => {
        const script = doc.createElement('script');
        script.src = `${cdnOrigin}/dist/llm-stream.cdn.js`;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error('script failed to load'));
        doc.head.append(script);
      });
    await load();
    const first = win.customElements.get('llm-stream');
    await load();
    expect(win.customElements.get('llm-stream')).to.equal(first);
    expect(errors).to.deep.equal([]);
    const element = doc.createElement('llm-stream') as HTMLElement & { start(r: { url: string }): Promise<{ status: string }> };
    element.setAttribute('manual', '');
    doc.body.append(element);
    const result = await element.start({ url: new URL(mockUrl({ tps: 'max', answer: 'short' }), location.href).href });
    expect(result.status).to.equal('done');
  });
});

describe('CDN file with data-worker-url', () => {
  it('uses the self-hosted worker named on its script tag, so worker-src \'self\' without blob: works', async () => {
    const { cdnOrigin } = await testEnv();
    const frame = document.createElement('iframe');
    document.body.append(frame);
    const doc = frame.contentDocument as Document;
    // A page whose CSP forbids blob: workers: only the self-hosted worker file can start.
    const meta = doc.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = `worker-src 'self'; script-src 'self' ${cdnOrigin} 'unsafe-inline'`;
    doc.head.append(meta);
    const violations: string[] = [];
    doc.addEventListener('securitypolicyviolation', (event) => violations.push(event.violatedDirective));
    const script = doc.createElement('script');
    script.src = `${cdnOrigin}/dist/llm-stream.cdn.js`;
    script.dataset['workerUrl'] = '/dist/llm-stream.worker.js';
    const loaded = new Promise((resolve) => (script.onload = resolve));
    doc.head.append(script);
    await loaded;
    const element = doc.createElement('llm-stream') as HTMLElement & { start(r: { url: string }): Promise<{ status: string }> };
    element.setAttribute('manual', '');
    doc.body.append(element);
    const result = await element.start({ url: new URL(mockUrl({ tps: 'max', answer: 'short' }), location.href).href });
    expect(result.status).to.equal('done');
    expect(violations).to.deep.equal([]);
  });
});
