import { expect } from 'chai';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import { contentOf, createElement, mockUrl, nextEvent, waitFor } from './helpers.js';
import { inspectTree } from './dom-safety.js';

afterEach(() => document.body.replaceChildren());

const part = (element: LlmStreamElement, name: string): HTMLElement | null =>
  element.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const parts = (element: LlmStreamElement, name: string): HTMLElement[] =>
  Array.from(element.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`));
const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

describe('the whole response: reasoning, tool calls and sources, end to end', () => {
  for (const format of ['anthropic', 'openai', 'openai-responses', 'gemini', 'ollama', 'ai-sdk']) {
    it(`${format}: reasoning renders in its own part, closes when the answer starts, never in text`, async () => {
      const element = createElement({ manual: '' });
      const reasoningEvents: string[] = [];
      element.addEventListener('llm-reasoning', (event) => reasoningEvents.push(event.detail.text));
      const result = await element.start({ url: mockUrl({ format, tps: 'max', answer: 'reasoning' }) });
      expect(result.status).to.equal('done');
      expect(result.reasoning.length).to.be.greaterThan(200);
      expect(result.reasoning).to.equal(element.reasoning);
      expect(reasoningEvents.join('')).to.equal(result.reasoning);
      expect(result.text).to.not.include(result.reasoning.slice(0, 40));
      const details = part(element, 'reasoning') as HTMLDetailsElement;
      expect(details.localName).to.equal('details');
      expect(details.open, 'closed once the answer started').to.equal(false);
      expect(part(element, 'reasoning-summary')!.textContent).to.match(/^Thought for \d+ s$/);
      // Reasoning is rendered markdown, before the content.
      expect(part(element, 'reasoning-content')!.querySelector('p, ol, ul')).to.not.equal(null);
      expect(details.compareDocumentPosition(contentOf(element)) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
      expect(contentOf(element).textContent).to.not.include(result.reasoning.slice(0, 40).replace(/[*_#`]/g, ''));
    });
  }

  it('<think> tags: reasoning, not text', async () => {
    const element = createElement({ manual: '' });
    const result = await element.start({ url: mockUrl({ format: 'openai', tps: 'max', answer: 'thinking-tags' }) });
    expect(result.reasoning.length).to.be.greaterThan(200);
    expect(result.text).to.not.match(/<\/?think>/);
    expect(part(element, 'reasoning')).to.not.equal(null);
  });

  it('no reasoning, no tool calls, no sources: no such parts at all', async () => {
    const element = createElement({ manual: '' });
    const result = await element.start({ url: mockUrl({ format: 'anthropic', tps: 'max', answer: 'short' }) });
    expect(result.reasoning).to.equal('');
    expect(result.toolCalls).to.deep.equal([]);
    expect(result.sources).to.deep.equal([]);
    for (const name of ['reasoning', 'tool-calls', 'tool-call', 'sources']) expect(part(element, name), name).to.equal(null);
  });

  it('the reasoning block stays open while the model thinks, with "Thinking…"', async () => {
    const element = createElement({ manual: '' });
    void element.start({ url: mockUrl({ format: 'anthropic', tps: 200, answer: 'reasoning' }) }).catch(() => {});
    await waitFor(() => element.reasoning.length > 20, 'reasoning');
    await frame();
    const details = part(element, 'reasoning') as HTMLDetailsElement;
    expect(element.text).to.equal('');
    expect(details.open).to.equal(true);
    expect(part(element, 'reasoning-summary')!.textContent).to.equal('Thinking…');
    element.abort();
  });

  it('a reader who opened the reasoning keeps it open when the answer starts', async () => {
    const element = createElement({ manual: '' });
    element.writeReasoning('Thinking **hard**.');
    await waitFor(() => part(element, 'reasoning'), 'reasoning part');
    part(element, 'reasoning-summary')!.click(); // closes it: the reader's choice
    part(element, 'reasoning-summary')!.click(); // and opens it again
    await frame();
    element.write('The answer.');
    await waitFor(() => element.text === 'The answer.', 'text');
    await frame();
    expect((part(element, 'reasoning') as HTMLDetailsElement).open).to.equal(true);
    expect(part(element, 'reasoning-summary')!.textContent).to.match(/^Thought for \d+ s$/);
    element.end();
    const result = await nextEvent(element, 'llm-done');
    expect(result.detail.reasoning).to.equal('Thinking **hard**.');
    expect(result.detail.text).to.equal('The answer.');
    expect(part(element, 'reasoning-content')!.querySelector('strong')?.textContent).to.equal('hard');
  });

  for (const format of ['openai', 'openai-responses', 'anthropic', 'gemini', 'ollama', 'ai-sdk']) {
    it(`${format}: tool calls render with name, status and arguments; events on appear and status change`, async () => {
      const element = createElement({ manual: '' });
      const events: Array<{ id: string; status: string }> = [];
      element.addEventListener('llm-tool-call', (event) => events.push({ id: event.detail.toolCall.id, status: event.detail.toolCall.status }));
      const result = await element.start({ url: mockUrl({ format, tps: 'max', answer: 'tools' }) });
      expect(result.toolCalls.length).to.be.greaterThan(0);
      const ids = result.toolCalls.map((call) => call.id);
      expect(new Set(ids).size).to.equal(ids.length);
      for (const id of ids) expect(id).to.be.a('string').and.not.equal('');
      const nodes = parts(element, 'tool-call');
      expect(nodes.length).to.equal(result.toolCalls.length);
      result.toolCalls.forEach((call, i) => {
        expect(call.status).to.equal('complete');
        expect(JSON.parse(call.arguments)).to.be.an('object');
        expect(nodes[i]!.dataset.status).to.equal('complete');
        expect(nodes[i]!.querySelector('[part~="tool-name"]')!.textContent).to.equal(call.name);
        // Pretty-printed once complete.
        expect(nodes[i]!.querySelector('[part~="tool-arguments"]')!.textContent).to.equal(JSON.stringify(JSON.parse(call.arguments), null, 2));
        expect((nodes[i] as HTMLDetailsElement).open, 'collapsed').to.equal(false);
      });
      for (const id of ids) expect(events.filter((event) => event.id === id).at(-1)?.status).to.equal('complete');
      expect(events.length).to.be.at.most(ids.length * 2);
    });
  }

  for (const format of ['anthropic', 'openai-responses', 'gemini', 'ai-sdk']) {
    it(`${format}: sources render as a list of safe links after the content`, async () => {
      const element = createElement({ manual: '', 'link-target': '_blank' });
      const seen: string[] = [];
      element.addEventListener('llm-source', (event) => seen.push(event.detail.source.url));
      const result = await element.start({ url: mockUrl({ format, tps: 'max', answer: 'search' }) });
      expect(result.sources.length).to.be.greaterThan(1);
      expect(seen).to.deep.equal(result.sources.map((source) => source.url));
      const nav = part(element, 'sources')!;
      expect(contentOf(element).compareDocumentPosition(nav) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
      const links = Array.from(nav.querySelectorAll('a'));
      expect(links.map((link) => link.getAttribute('href'))).to.deep.equal(result.sources.map((source) => new URL(source.url).href));
      for (const link of links) {
        expect(link.rel).to.equal('noopener noreferrer nofollow ugc');
        expect(link.target).to.equal('_blank');
      }
    });
  }

  it('push mode: a tool call still open at the end is incomplete; malformed arguments stay visible as sent', async () => {
    const element = createElement({ manual: '' });
    element.message = {
      id: 'm1',
      role: 'assistant',
      parts: [{ type: 'tool-lookup', toolCallId: 'a', state: 'input-streaming', input: { q: 'x' } }],
    };
    await waitFor(() => part(element, 'tool-call'), 'tool call');
    element.end();
    const done = await nextEvent(element, 'llm-done');
    expect(done.detail.toolCalls).to.deep.equal([{ id: 'a', name: 'lookup', arguments: '{"q":"x"}', status: 'incomplete' }]);
    expect(part(element, 'tool-call')!.dataset.status).to.equal('incomplete');
  });

  it('hostile parts: tool names, arguments and source titles are text; unsafe source URLs never render', async () => {
    const element = createElement({ manual: '' });
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    element.message = {
      id: 'm2',
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: `Thinking ${evil} [x](javascript:alert(1))` },
        { type: 'dynamic-tool', toolName: evil, toolCallId: 't1', state: 'output-error', input: evil, errorText: evil },
        { type: 'source-url', url: 'javascript:alert(1)', title: 'bad' },
        { type: 'source-url', url: ' data:text/html,<script>alert(1)</script>', title: 'bad' },
        { type: 'source-url', url: 'https://example.com/ok', title: evil },
        { type: 'text', text: 'Done.' },
      ],
    };
    element.end();
    await nextEvent(element, 'llm-done');
    await frame();
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    const root = element.shadowRoot!;
    const problems = new Set<string>();
    inspectTree(root, new Set(), problems);
    expect([...problems]).to.deep.equal([]);
    expect(root.querySelectorAll('script, img').length).to.equal(0);
    expect(part(element, 'tool-name')!.textContent).to.equal(evil);
    expect(part(element, 'tool-call')!.hasAttribute('data-error')).to.equal(true);
    const links = Array.from(part(element, 'sources')!.querySelectorAll('a'));
    expect(links.map((link) => link.href)).to.deep.equal(['https://example.com/ok']);
    expect(links[0]!.textContent).to.equal(evil);
    expect(element.sources).to.deep.equal([{ url: 'https://example.com/ok', title: evil }]);
  });
});

describe('the message property (AI SDK UIMessage, re-assigned as useChat does)', () => {
  it('grows by appending: committed blocks are never re-created; parts follow the message', async () => {
    const element = createElement({ manual: '' });
    const base = { id: 'msg-1', role: 'assistant' as const };
    element.message = { ...base, parts: [{ type: 'reasoning', text: 'First I ' }] };
    element.message = { ...base, parts: [{ type: 'reasoning', text: 'First I look it up.' }] };
    element.message = {
      ...base,
      parts: [
        { type: 'reasoning', text: 'First I look it up.' },
        { type: 'tool-weather', toolCallId: 'call-1', state: 'input-streaming', input: { city: 'Par' } },
      ],
    };
    await waitFor(() => part(element, 'tool-call'), 'tool call');
    expect(part(element, 'tool-call')!.dataset.status).to.equal('streaming');
    const withOutput = [
      { type: 'reasoning', text: 'First I look it up.' },
      { type: 'tool-weather', toolCallId: 'call-1', state: 'output-available', input: { city: 'Paris' }, output: { celsius: 21 } },
      { type: 'source-url', sourceId: 's1', url: 'https://weather.example/paris', title: 'Paris weather' },
      { type: 'text', text: 'It is 21 °C in Paris.\n\nSunny,\n' },
    ];
    element.message = { ...base, parts: withOutput };
    await waitFor(() => contentOf(element).querySelectorAll('p').length === 2, 'two paragraphs');
    await frame();
    const firstParagraph = contentOf(element).querySelector('p')!;
    element.message = { ...base, parts: [...withOutput.slice(0, 3), { type: 'text', text: 'It is 21 °C in Paris.\n\nSunny,\ntoo.' }] };
    await waitFor(() => element.text.endsWith('too.'), 'grown text');
    await frame();
    expect(contentOf(element).querySelector('p'), 'the committed paragraph is the same node while streaming').to.equal(firstParagraph);
    element.end();
    const done = await nextEvent(element, 'llm-done');
    expect(done.detail.text).to.equal('It is 21 °C in Paris.\n\nSunny,\ntoo.');
    expect(done.detail.reasoning).to.equal('First I look it up.');
    expect(done.detail.toolCalls).to.deep.equal([{ id: 'call-1', name: 'weather', arguments: '{"city":"Paris"}', status: 'complete', output: '{"celsius":21}' }]);
    expect(done.detail.sources).to.deep.equal([{ url: 'https://weather.example/paris', title: 'Paris weather' }]);
    expect(contentOf(element).querySelector('p'), 'the committed paragraph is the same node').to.equal(firstParagraph);
    expect(part(element, 'tool-output')!.textContent).to.equal('{\n  "celsius": 21\n}');
    expect((part(element, 'reasoning') as HTMLDetailsElement).open).to.equal(false);
  });

  it('a different message re-renders from scratch', async () => {
    const element = createElement({ manual: '' });
    element.message = { id: 'a', role: 'assistant', parts: [{ type: 'text', text: 'Hello' }, { type: 'reasoning', text: 'hmm' }] };
    await waitFor(() => element.text === 'Hello', 'first message');
    element.message = { id: 'b', role: 'assistant', parts: [{ type: 'text', text: 'Other' }] };
    element.end();
    const done = await nextEvent(element, 'llm-done');
    expect(done.detail.text).to.equal('Other');
    expect(done.detail.reasoning).to.equal('');
    expect(part(element, 'reasoning')).to.equal(null);
    expect(contentOf(element).textContent!.trim()).to.equal('Other');
  });
});
