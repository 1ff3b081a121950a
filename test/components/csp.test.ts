/**
 * Issue 5 / 4: strict CSP and Trusted Types. Pages under /csp/ (served by the middleware in
 * test/web-test-runner.config.js with a Content-Security-Policy header) load the built ES entry
 * dist/llm-stream.js and stream the mock's default answer; test/csp/violations.js records every
 * `securitypolicyviolation` from before the module loads. Needs `npm run build` (npm test does it).
 */
import { expect } from 'chai';
import { waitFor } from './helpers.js';

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  source: string;
}
interface StreamOutcome {
  status: string;
  sinkMode?: string;
  textLength?: number;
  renderedLength?: number;
  headings?: number;
  highlighted?: number;
  math?: number;
  shadow?: boolean;
  announcerWidth?: number;
  announced?: string;
  error?: { code: string; message: string };
  eventCode?: string;
}
interface PageState {
  violations: Violation[];
  result: { results: StreamOutcome[]; elapsedMs: number } | null;
}

/** The README's recipe, read from README.md itself: the pages under test must use exactly it. */
const readme = await (await fetch('/README.md')).text();
const recipe = /Content-Security-Policy: ([^`]+?)\n```/.exec(readme)?.[1]?.replace(/\s+/g, ' ').trim() ?? 'README recipe not found';
const TT = recipe.slice(recipe.indexOf('require-trusted-types-for'));
const POLICY = {
  a: recipe,
  b: `default-src 'self'; script-src 'self'; worker-src 'self'; ${TT}`,
};

async function openPage(path: string, timeoutMs = 15000): Promise<{ state: PageState; frame: HTMLIFrameElement }> {
  const frame = document.createElement('iframe');
  frame.src = path;
  document.body.append(frame);
  const win = (): (Window & { __csp?: PageState }) | null => frame.contentWindow as (Window & { __csp?: PageState }) | null;
  await waitFor(() => win()?.__csp?.result, `${path} to finish`, timeoutMs);
  // Late violations (e.g. from the last frame's patches) still count.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { state: win()?.__csp as PageState, frame };
}

/** The policy is really in force in the frame: a raw string into innerHTML is refused. */
function expectTrustedTypesEnforced(frame: HTMLIFrameElement): void {
  const doc = frame.contentDocument as Document;
  // (The TypeError comes from the frame's realm, so match its message rather than its class.)
  expect(() => {
    doc.createElement('div').innerHTML = '<b>x</b>';
  }, 'Trusted Types enforced in the test page').to.throw(/TrustedHTML/);
}

function expectStreamed(state: PageState, sinkMode: string): void {
  expect(state.result?.results.length).to.equal(2);
  for (const outcome of state.result?.results ?? []) {
    expect(outcome.error, JSON.stringify(outcome.error)).to.equal(undefined);
    expect(outcome.status).to.equal('done');
    expect(outcome.sinkMode).to.equal(sinkMode);
    expect(outcome.textLength).to.be.greaterThan(1000);
    expect(outcome.renderedLength).to.be.greaterThan(500);
    expect(outcome.headings).to.be.greaterThan(0);
  }
}

describe('strict CSP and Trusted Types (built dist/llm-stream.js)', function () {
  this.timeout(30000);

  before(async () => {
    for (const file of ['/dist/llm-stream.js', '/dist/llm-stream.worker.js']) {
      const response = await fetch(file, { method: 'HEAD', cache: 'no-store' });
      if (!response.ok) throw new Error(`${file} is missing (HTTP ${response.status}): run \`npm run build\` before the CSP tests`);
    }
  });
  afterEach(() => document.body.replaceChildren());

  it('the /csp/ pages carry the policies under test', async () => {
    expect((await fetch('/csp/a.html')).headers.get('content-security-policy')).to.equal(POLICY.a);
    expect((await fetch('/csp/b.html')).headers.get('content-security-policy')).to.equal(POLICY.b);
    expect((await fetch('/csp/c.html')).headers.get('content-security-policy')).to.equal(POLICY.b);
  });

  for (const sanitizer of ['sanitizer', 'dompurify']) {
    it(`page A (inline blob worker), sink ${sanitizer}: two streams render, zero violations`, async () => {
      const { state, frame } = await openPage(`/csp/a.html?sanitizer=${sanitizer}`);
      expect(state.violations).to.deep.equal([]);
      expectStreamed(state, sanitizer);
      expectTrustedTypesEnforced(frame);
    });
  }

  for (const sanitizer of ['sanitizer', 'dompurify']) {
    it(`page B (worker-src 'self', workerUrl), sink ${sanitizer}: streams render, zero violations`, async () => {
      const { state, frame } = await openPage(`/csp/b.html?sanitizer=${sanitizer}&workerUrl=/dist/llm-stream.worker.js`);
      expect(state.violations).to.deep.equal([]);
      expectStreamed(state, sanitizer);
      expectTrustedTypesEnforced(frame);
      const win = frame.contentWindow as Window;
      const workerLoads = win.performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith('/dist/llm-stream.worker.js'));
      expect(workerLoads.length, 'the self-hosted worker file was loaded').to.be.greaterThan(0);
    });
  }

  it('page A with syntax highlighting: the highlighter loads into the worker under Trusted Types, zero violations', async () => {
    const { state } = await openPage('/csp/a.html?highlight=1');
    expect(state.violations).to.deep.equal([]);
    expectStreamed(state, 'sanitizer');
    for (const outcome of state.result?.results ?? []) expect(outcome.highlighted, 'highlighted tokens').to.be.greaterThan(5);
  });

  it('page A with the ES build as shipped: the worker finds the highlighter beside dist/llm-stream.js, no setting needed', async () => {
    const { state } = await openPage('/csp/a.html');
    expect(state.violations).to.deep.equal([]);
    expectStreamed(state, 'sanitizer');
    for (const outcome of state.result?.results ?? []) expect(outcome.highlighted, 'highlighted tokens by default').to.be.greaterThan(5);
  });

  it('page A with highlighting and math: both optional files load into one worker under Trusted Types, zero violations', async () => {
    const { state } = await openPage('/csp/a.html?highlight=1&math=1');
    expect(state.violations).to.deep.equal([]);
    for (const outcome of state.result?.results ?? []) {
      expect(outcome.status).to.equal('done');
      expect(outcome.highlighted, 'highlighted tokens').to.be.greaterThan(1);
      expect(outcome.math, 'formulas as MathML').to.equal(2);
    }
  });

  it('page A in the light DOM: the announcer is visually hidden without an inline style attribute, zero violations', async () => {
    const { state } = await openPage('/csp/a.html?lightDom=1');
    // `style-src` falls back to `default-src 'self'`: a style attribute written by markup or
    // setAttribute would be refused (and reported); the CSSOM is not.
    expect(state.violations).to.deep.equal([]);
    expectStreamed(state, 'sanitizer');
    for (const outcome of state.result?.results ?? []) {
      expect(outcome.shadow).to.equal(false);
      expect(outcome.announced).to.equal('Response complete');
      expect(outcome.announcerWidth, 'visually hidden').to.be.at.most(1);
    }
  });

  it("page C (worker-src 'self', no workerUrl): fails fast with a `worker` error that names worker-src", async () => {
    const { state } = await openPage('/csp/c.html?startTimeoutMs=2000&streams=1', 10000);
    const outcome = state.result?.results[0] as StreamOutcome;
    expect(outcome.status).to.equal('error');
    expect(outcome.error?.code).to.equal('worker');
    expect(outcome.eventCode, 'llm-error carries the same code').to.equal('worker');
    expect(outcome.error?.message).to.match(/worker-src/);
    expect(state.result?.elapsedMs, 'within the start-up timeout').to.be.below(2000 + 1500);
    // It failed because of the policy (and only the worker was refused).
    expect(state.violations.length).to.be.greaterThan(0);
    for (const violation of state.violations) expect(violation.directive).to.equal('worker-src');
  });
});
