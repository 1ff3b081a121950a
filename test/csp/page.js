// The /csp/ test pages' script: streams from the mock LLM into <llm-stream> elements using the built
// ES entry, then publishes the outcome in window.__csp.result. Query parameters:
//   sanitizer=sanitizer|dompurify   the element's sink
//   workerUrl=/dist/…               workerSettings.workerUrl (set before the first stream)
//   startTimeoutMs=N                workerSettings.startTimeoutMs
//   streams=N                       streams run one after another, each in a new element (default 2)
//   highlight=1                     the element's `highlight` attribute (highlighter from /dist/)
//   lightDom=1                      the element's `light-dom` attribute (no shadow root)
//   math=1                          an answer with math and code, the math renderer from /dist/ (two
//                                   optional files into one worker, with highlight=1)
import { workerSettings } from '/dist/llm-stream.js';

const params = new URLSearchParams(location.search);
const workerUrl = params.get('workerUrl');
if (workerUrl) workerSettings.workerUrl = workerUrl;
const startTimeout = params.get('startTimeoutMs');
if (startTimeout) workerSettings.startTimeoutMs = Number(startTimeout);
const sanitizer = params.get('sanitizer');
const highlight = params.get('highlight') === '1';
const lightDom = params.get('lightDom') === '1';
if (highlight) workerSettings.highlighterUrl = '/dist/llm-stream.highlight.js';
const math = params.get('math') === '1';
if (math) workerSettings.mathUrl = '/dist/llm-stream.math.js';
const MATH_ANSWER = 'Euler: $e^{i\\pi} + 1 = 0$.\n\n```js\nconst x = 1; // one\n```\n\n$$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$\n';
const streams = Number(params.get('streams') ?? 2);

const started = performance.now();
const results = [];
for (let i = 0; i < streams; i++) {
  const element = document.createElement('llm-stream');
  element.setAttribute('manual', '');
  if (sanitizer) element.setAttribute('sanitizer', sanitizer);
  if (highlight) element.setAttribute('highlight', '');
  if (lightDom) element.setAttribute('light-dom', '');
  document.body.append(element);
  const failure = new Promise((resolve) => element.addEventListener('llm-error', (event) => resolve(event.detail.error), { once: true }));
  try {
    await element.start({ url: math ? `/mock/chat?tps=max&text=${encodeURIComponent(MATH_ANSWER)}` : '/mock/chat?tps=max&answer=default' });
    const root = element.shadowRoot ?? element;
    const content = root.querySelector('[part="content"]');
    const announcer = root.querySelector('[role="status"]');
    results.push({
      status: element.status,
      sinkMode: element.sinkMode,
      textLength: element.text.length,
      renderedLength: content.textContent.length,
      headings: content.querySelectorAll('h1, h2, h3').length,
      highlighted: content.querySelectorAll('pre code.hljs span[class^="hljs-"]').length,
      math: content.querySelectorAll('math').length,
      shadow: element.shadowRoot !== null,
      announcerWidth: announcer.getBoundingClientRect().width,
      announced: announcer.textContent,
    });
  } catch (error) {
    const event = await failure;
    results.push({ status: element.status, error: { code: error.code, message: error.message }, eventCode: event.code });
  }
}
window.__csp.result = { results, elapsedMs: performance.now() - started };
