/**
 * Diagrams (issue 14 item 3): with `diagrams`, a committed ```mermaid block becomes a sanitized SVG
 * figure, drawn on the main thread in idle time; the code shows until then and stays (with a note)
 * when mermaid cannot draw it; without the attribute mermaid is never loaded.
 */
import { expect } from 'chai';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import { contentOf, createElement, waitFor } from './helpers.js';

const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const FLOWCHART = 'graph TD\n  A[Start here] --> B{Is it?}\n  B -->|Yes| C[Done]\n  B -->|No| A\n';
const SEQUENCE = 'sequenceDiagram\n  participant A as Alice\n  participant B as Bob\n  A->>B: Hello Bob\n  B-->>A: Hi Alice\n';

function settled(element: LlmStreamElement): Promise<void> {
  return new Promise((resolve, reject) => {
    element.addEventListener('llm-done', () => resolve(), { once: true });
    element.addEventListener('llm-error', (event) => reject((event as CustomEvent<{ error: Error }>).detail.error), { once: true });
  });
}

/** Requests for mermaid itself (its package or the CDN build's file beside the script), not our small loader. */
function mermaidRequests(): string[] {
  return performance.getEntriesByType('resource').map((entry) => entry.name).filter((url) => /node_modules\/mermaid\/|llm-stream\.mermaid\.js/.test(url));
}

async function diagramOf(element: LlmStreamElement, timeoutMs = 15000): Promise<HTMLElement> {
  return waitFor(() => contentOf(element).querySelector<HTMLElement>('figure[part="diagram"]'), 'a diagram figure', timeoutMs);
}

describe('diagrams', function () {
  this.timeout(60000);
  afterEach(() => document.body.replaceChildren());

  it('without the diagrams attribute a mermaid block stays code and mermaid is never loaded', async () => {
    const element = createElement({ manual: '' });
    const done = settled(element);
    element.write(`Before.\n\n\`\`\`mermaid\n${FLOWCHART}\`\`\`\n\nAfter.\n`);
    element.end();
    await done;
    // Long enough for an idle callback and a first draw to have happened, had it been asked for.
    await pause(1500);
    const content = contentOf(element);
    expect(content.querySelector('pre > code.language-mermaid')?.textContent).to.equal(FLOWCHART);
    expect(content.querySelector('svg, figure')).to.equal(null);
    expect(mermaidRequests()).to.deep.equal([]);
  });

  it('a flowchart renders as SVG once its fence has closed; the code shows before', async () => {
    const element = createElement({ manual: '', diagrams: '' });
    element.write(`Here is the flow:\n\n\`\`\`mermaid\n${FLOWCHART}`);
    await frame();
    await pause(800);
    const content = contentOf(element);
    expect(content.querySelector('code.language-mermaid')?.textContent).to.contain('A[Start here]');
    expect(content.querySelector('svg'), 'no SVG while the fence is open').to.equal(null);
    const done = settled(element);
    element.write('```\n\nThat is all.\n');
    element.end();
    await done;
    const figure = await diagramOf(element);
    const svg = figure.querySelector(':scope > svg') as SVGSVGElement;
    expect(svg.namespaceURI).to.equal('http://www.w3.org/2000/svg');
    const labels = Array.from(svg.querySelectorAll('text')).map((text) => text.textContent);
    expect(labels).to.include.members(['Start here', 'Is it?', 'Done', 'Yes', 'No']);
    expect(svg.querySelector('style, foreignObject, a')).to.equal(null);
    expect(svg.getBoundingClientRect().width).to.be.greaterThan(50);
    // The source stays, hidden, for copies.
    const pre = figure.querySelector(':scope > pre[hidden] > code.language-mermaid');
    expect(pre?.textContent).to.equal(FLOWCHART);
    expect(content.querySelector(':scope > p:last-child')?.textContent).to.equal('That is all.');
  });

  it('a sequence diagram renders as SVG', async () => {
    const element = createElement({ manual: '', diagrams: '' });
    const done = settled(element);
    element.write(`\`\`\`mermaid\n${SEQUENCE}\`\`\`\n`);
    element.end();
    await done;
    const figure = await diagramOf(element);
    const texts = Array.from(figure.querySelectorAll('svg text')).map((text) => text.textContent);
    expect(texts).to.include.members(['Alice', 'Bob', 'Hello Bob', 'Hi Alice']);
    expect(figure.querySelector('svg style')).to.equal(null);
  });

  it('invalid mermaid keeps its code and gets a short error note', async () => {
    const element = createElement({ manual: '', diagrams: '' });
    const done = settled(element);
    const source = 'graph TD\n  A[unclosed --> B\n';
    element.write(`\`\`\`mermaid\n${source}\`\`\`\n`);
    element.end();
    await done;
    const note = await waitFor(() => contentOf(element).querySelector('pre [part="diagram-error"]'), 'an error note', 15000);
    expect(note.textContent).to.match(/^Diagram not drawn: /);
    expect(note.textContent?.length).to.be.lessThan(160);
    expect(contentOf(element).querySelector('pre > code.language-mermaid')?.textContent).to.equal(source);
    expect(contentOf(element).querySelector('svg, figure')).to.equal(null);
  });
});
