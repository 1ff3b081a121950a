// Accessibility of <llm-stream>: axe-core finds nothing in the idle, streaming, done and error states;
// the live region announces start and end only (localizable); errors are alerts; every control is a
// labelled, keyboard-reachable <button>.
import { expect } from 'chai';
import 'axe-core'; // UMD: registers window.axe
import type { AxeResults, RunOptions } from 'axe-core';
import { sendKeys } from '@web/test-runner-commands';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import { createElement, mockUrl, nextEvent, uniqueKey, waitFor } from './helpers.js';

const axe = (window as unknown as { axe: { run(context: Node, options: RunOptions): Promise<AxeResults> } }).axe;

/** Markdown with everything that renders controls or structure: code fences, a table, a link, a list. */
const RICH = [
  '# Title',
  '',
  'Some **bold** prose with a [link](https://example.com/docs).',
  '',
  '```ts',
  'const answer: number = 42;',
  '```',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
  '- one',
  '- two',
  '',
  '```',
  'plain block',
  '```',
  '',
  'The end.',
].join('\n');

/** A page around the element, as an app would have it: lang, title, a landmark and a heading. */
function page(attributes: Record<string, string> = { manual: '' }): LlmStreamElement {
  document.documentElement.lang = 'en';
  document.title = 'llm-stream a11y';
  const main = document.createElement('main');
  const heading = document.createElement('h1');
  heading.textContent = 'Chat';
  main.append(heading);
  document.body.append(main);
  const element = createElement(attributes);
  main.append(element);
  return element;
}

/** Run axe on the whole document (it walks open shadow roots) and fail with readable violations. */
async function expectNoViolations(state: string): Promise<void> {
  const results = await axe.run(document, { resultTypes: ['violations'] });
  const summary = results.violations.map(
    (violation) => `${violation.id}: ${violation.help} — ${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`,
  );
  expect(summary, `axe violations in the ${state} state`).to.deep.equal([]);
}

function announcer(element: LlmStreamElement): HTMLElement {
  const node = element.shadowRoot?.querySelector<HTMLElement>('.announcer');
  if (!node) throw new Error('no announcer');
  return node;
}

afterEach(() => document.body.replaceChildren());

describe('accessibility (axe-core)', () => {
  it('has zero violations when idle, mid-stream, done and after an error', async () => {
    const element = page();
    await expectNoViolations('idle');

    const done = element.start({ url: mockUrl({ tps: 60, text: RICH }) });
    await waitFor(() => element.shadowRoot!.querySelector('[part="content"] pre') && element.status === 'streaming', 'mid-stream code');
    const content = element.shadowRoot!.querySelector('[part="content"]')!;
    expect(content.getAttribute('aria-busy')).to.equal('true');
    await expectNoViolations('streaming');

    await done;
    expect(content.hasAttribute('aria-busy')).to.equal(false);
    // Toolbars come with the extras, loaded with the first code block.
    await waitFor(() => element.shadowRoot!.querySelectorAll('pre .code-copy').length === 2, 'two copy buttons');
    await expectNoViolations('done');

    const failed = element.start({ url: mockUrl({ fault: 'reset', tps: 'max', at: 0.6, text: RICH }) }).catch(() => null);
    await nextEvent(element, 'llm-error');
    await failed;
    expect(element.shadowRoot!.querySelector('.retry')).to.not.equal(null);
    await expectNoViolations('error');
  });

  it('has zero violations in dark mode', async () => {
    const { emulateMedia } = await import('@web/test-runner-commands');
    await emulateMedia({ colorScheme: 'dark' });
    try {
      document.body.style.cssText = 'background:#0d1117;color:#e6edf3';
      const element = page();
      await element.start({ url: mockUrl({ tps: 'max', text: RICH }) });
      await expectNoViolations('done (dark)');
    } finally {
      document.body.style.cssText = '';
      await emulateMedia({ colorScheme: 'light' });
    }
  });
});

describe('live region', () => {
  it('announces "Response started" then "Response complete", never each token', async () => {
    const element = page();
    const region = announcer(element);
    expect(region.getAttribute('role')).to.equal('status');
    expect(region.getAttribute('aria-live')).to.equal('polite');
    const content = element.shadowRoot!.querySelector('[part="content"]')!;
    // The content itself is a polite live region, held busy while streaming (no per-token reading).
    expect(content.getAttribute('aria-live')).to.equal('polite');
    const seen: string[] = [];
    const observer = new MutationObserver(() => seen.push(region.textContent ?? ''));
    observer.observe(region, { childList: true, characterData: true, subtree: true });
    let deltas = 0;
    element.addEventListener('llm-delta', () => deltas++);
    const done = element.start({ url: mockUrl({ tps: 200, answer: 'short' }) });
    await Promise.resolve();
    expect(region.textContent).to.equal('Response started');
    expect(content.getAttribute('aria-busy')).to.equal('true');
    await done;
    expect(content.hasAttribute('aria-busy')).to.equal(false);
    await new Promise((resolve) => setTimeout(resolve, 0)); // deliver the last mutation records
    observer.disconnect();
    expect(deltas).to.be.greaterThan(3);
    expect(seen.length).to.be.at.most(3);
    expect(seen.at(-1)).to.equal('Response complete');
    expect(seen).to.include('Response started');
  });

  it('announces exactly start and end over a real stream, from outside any busy subtree; the host is never busy', async () => {
    const element = page();
    const region = announcer(element);
    const content = element.shadowRoot!.querySelector('[part="content"]')!;
    /** Each announcement, with whether the announcer or an ancestor (across the shadow boundary) was busy then. */
    const spoken: { text: string; busyAncestor: boolean }[] = [];
    let contentWasBusy = false;
    const hostBusy: (string | null)[] = [];
    const busyAncestorOf = (node: Node): boolean => {
      for (let at: Node | null = node; at; at = at instanceof ShadowRoot ? at.host : at.parentNode) {
        if (at instanceof Element && at.getAttribute('aria-busy') === 'true') return true;
      }
      return false;
    };
    const regionObserver = new MutationObserver(() => {
      const text = region.textContent ?? '';
      if (text && text !== spoken.at(-1)?.text) spoken.push({ text, busyAncestor: busyAncestorOf(region) });
    });
    regionObserver.observe(region, { childList: true, characterData: true, subtree: true });
    const busyObserver = new MutationObserver((records) => {
      for (const record of records) {
        if (record.target === element) hostBusy.push(element.getAttribute('aria-busy'));
        else if (content.getAttribute('aria-busy') === 'true') contentWasBusy = true;
      }
    });
    busyObserver.observe(element, { attributes: true, attributeFilter: ['aria-busy'] });
    busyObserver.observe(content, { attributes: true, attributeFilter: ['aria-busy'] });

    let deltas = 0;
    element.addEventListener('llm-delta', () => deltas++);
    await element.start({ url: mockUrl({ tps: 200, answer: 'short' }) });
    await new Promise((resolve) => setTimeout(resolve, 0)); // deliver the last mutation records
    regionObserver.disconnect();
    busyObserver.disconnect();

    expect(deltas, 'a real, multi-batch stream').to.be.greaterThan(3);
    expect(spoken.map((entry) => entry.text)).to.deep.equal(['Response started', 'Response complete']);
    expect(spoken.filter((entry) => entry.busyAncestor), 'announced inside a busy subtree').to.deep.equal([]);
    expect(busyAncestorOf(region)).to.equal(false);
    expect(contentWasBusy, 'the content part was busy while streaming').to.equal(true);
    expect(hostBusy, 'aria-busy never set on the host').to.deep.equal([]);
    expect(element.hasAttribute('aria-busy')).to.equal(false);
  });

  it('announces "Response stopped" on abort, and leaves an error to its alert', async () => {
    const element = page({ manual: '', 'max-retries': '0' });
    const region = announcer(element);
    const running = element.start({ url: mockUrl({ tps: 20, answer: 'default' }) });
    await waitFor(() => element.text.length > 0, 'first text');
    expect(region.textContent).to.equal('Response started');
    element.abort();
    expect((await running).finishReason).to.equal('abort');
    expect(region.textContent).to.equal('Response stopped');
    expect(element.shadowRoot!.querySelector('[part="content"]')!.hasAttribute('aria-busy')).to.equal(false);

    await element.start({ url: mockUrl({ fault: 'status', status: 400 }) }).catch(() => null);
    expect(element.status).to.equal('error');
    // Cleared, so a stale "Response started" is not read after the failure; the alert speaks instead.
    expect(region.textContent).to.equal('');
    const alert = element.shadowRoot!.querySelector('[role="alert"]');
    expect(alert?.getAttribute('part')).to.equal('error');
    expect(alert?.textContent).to.match(/\S/);
  });

  it('uses localized strings', async () => {
    const element = page();
    element.strings = { ...element.strings, started: 'Antwort gestartet', complete: 'Antwort fertig', copy: 'Kopieren', retry: 'Erneut versuchen' };
    const done = element.start({ url: mockUrl({ tps: 'max', text: 'Hallo\n\n```js\nx()\n```\n' }) });
    expect(announcer(element).textContent).to.equal('Antwort gestartet');
    await done;
    expect(announcer(element).textContent).to.equal('Antwort fertig');
    const copy = await waitFor(() => element.shadowRoot!.querySelector<HTMLButtonElement>('.code-copy'), 'copy button');
    expect(copy.textContent).to.equal('Kopieren');
    expect(copy.getAttribute('aria-label')).to.match(/^Kopieren/);
  });
});

describe('errors and controls', () => {
  it('shows the error as an alert with a labelled retry button that restarts the stream', async () => {
    const key = uniqueKey('a11y-retry');
    const element = page({ manual: '', 'max-retries': '0' });
    const url = mockUrl({ fault: 'fail-times', n: 1, status: 500, key, tps: 'max', answer: 'short' });
    const error = await element.start({ url }).then(() => null, (failure: unknown) => failure);
    expect(error).to.not.equal(null);
    expect(element.status).to.equal('error');

    const block = element.shadowRoot!.querySelector<HTMLElement>('[part="error"]')!;
    expect(block.getAttribute('role')).to.equal('alert');
    expect(block.querySelector('slot[name="error"]')).to.not.equal(null);
    expect(block.textContent).to.not.equal('');

    const retry = block.querySelector<HTMLButtonElement>('button[part="retry-button"]')!;
    expect(retry.type).to.equal('button');
    expect(retry.textContent!.trim()).to.equal('Retry');
    expect(retry.tabIndex).to.equal(0);
    retry.focus();
    expect(element.shadowRoot!.activeElement).to.equal(retry);

    // The keyboard, not a synthetic click: Enter on the focused button.
    const done = nextEvent(element, 'llm-done');
    await sendKeys({ press: 'Enter' });
    const result = (await done).detail;
    expect(result.status).to.equal('done');
    expect(element.status).to.equal('done');
    expect(element.shadowRoot!.querySelector('[part="error"]')).to.equal(null);
    expect(element.text.length).to.be.greaterThan(5);
  });

  it('lets a page replace the error block through the error slot', async () => {
    const element = page({ manual: '', 'max-retries': '0' });
    const custom = document.createElement('div');
    custom.slot = 'error';
    custom.textContent = 'Something went wrong — custom';
    element.append(custom);
    await element.start({ url: mockUrl({ fault: 'status', status: 400 }) }).catch(() => null);
    const slot = element.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="error"]')!;
    expect(slot.assignedElements()).to.deep.equal([custom]);
    await expectNoViolations('error with slotted content');
  });

  it('reaches every copy button with Tab, each with an accessible name', async () => {
    const element = page();
    const before = document.createElement('button');
    before.textContent = 'before';
    element.before(before);
    await element.start({ url: mockUrl({ tps: 'max', text: RICH }) });
    const buttons = Array.from(element.shadowRoot!.querySelectorAll<HTMLButtonElement>('pre button'));
    expect(buttons.length).to.equal(2);
    before.focus();
    const reached: Element[] = [];
    for (let i = 0; i < 6 && reached.length < buttons.length; i++) {
      await sendKeys({ press: 'Tab' });
      const active = element.shadowRoot!.activeElement;
      if (active && buttons.includes(active as HTMLButtonElement) && !reached.includes(active)) reached.push(active);
    }
    expect(reached).to.deep.equal(buttons);
    for (const button of buttons) {
      expect(button.localName).to.equal('button');
      expect(button.getAttribute('aria-label') || button.textContent).to.match(/\S/);
    }
    expect(buttons[0]!.getAttribute('aria-label')).to.equal('Copy ts code');
  });
});

describe('announcements and aria-busy placement', () => {
  /** Records every text the announcer shows, and checks at each change that no ancestor is busy. */
  function recordAnnouncer(element: LlmStreamElement): { texts: string[]; busyAncestor: string[]; stop(): void } {
    const region = announcer(element);
    const texts: string[] = [];
    const busyAncestor: string[] = [];
    const check = (): void => {
      for (let node: Node | null = region; node; node = node.parentNode ?? (node as ShadowRoot).host ?? null) {
        if (node instanceof Element && node.getAttribute('aria-busy') === 'true') busyAncestor.push(node.localName);
      }
      if (element.hasAttribute('aria-busy')) busyAncestor.push('host');
    };
    const observer = new MutationObserver(() => {
      texts.push(region.textContent ?? '');
      check();
    });
    observer.observe(region, { childList: true, characterData: true, subtree: true });
    const busyObserver = new MutationObserver(check);
    busyObserver.observe(element.shadowRoot!, { attributes: true, subtree: true, attributeFilter: ['aria-busy'] });
    busyObserver.observe(element, { attributes: true, attributeFilter: ['aria-busy'] });
    return {
      texts,
      busyAncestor,
      stop() {
        observer.disconnect();
        busyObserver.disconnect();
      },
    };
  }
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

  it('a full answer announces exactly "Response started" then "Response complete"; the announcer is never inside a busy subtree', async () => {
    const element = page();
    await element.updateComplete;
    const seen = recordAnnouncer(element);
    await element.start({ url: mockUrl({ tps: 300, answer: 'short' }) });
    await settle();
    seen.stop();
    expect(seen.texts).to.deep.equal(['Response started', 'Response complete']);
    expect(seen.busyAncestor).to.deep.equal([]);
    expect(element.shadowRoot!.querySelector('.announcer')!.closest('[aria-busy]')).to.equal(null);
  });

  it('stopping announces "Response stopped"; an error clears the announcer (the alert speaks)', async () => {
    const element = page({ manual: '', 'max-retries': '0' });
    await element.updateComplete;
    const seen = recordAnnouncer(element);
    const running = element.start({ url: mockUrl({ tps: 20, answer: 'default' }) });
    await nextEvent(element, 'llm-delta');
    element.abort();
    await running;
    await settle();
    expect(seen.texts).to.deep.equal(['Response started', 'Response stopped']);
    await element.start({ url: mockUrl({ fault: 'status', status: 400 }) }).catch(() => null);
    await settle();
    seen.stop();
    expect(seen.texts).to.deep.equal(['Response started', 'Response stopped', 'Response started', '']);
    expect(element.shadowRoot!.querySelector('[part="error"]')?.getAttribute('role')).to.equal('alert');
    expect(seen.busyAncestor).to.deep.equal([]);
  });
});
