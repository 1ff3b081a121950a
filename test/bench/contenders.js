// Browser side of the benchmark: the contenders, the check of what each rendered, and the probes
// `run.js` drives through `page.evaluate(() => window.bench.…)`. Every contender reads the same OpenAI
// SSE stream from the same mock server; the main-thread contenders share one minimal SSE reader, the
// element reads it in its own worker.
import { marked, DOMPurify, smd } from '/bench/vendor.js';

// Loaded dynamically: if the build is broken, the other contenders still run (and the element's runs
// record the error).
const elementLoaded = import('/dist/llm-stream.js').then(
  (mod) => {
    // The worker's optional files, named where dist/ has them. By default the ES build looks for them
    // beside the module that computes the URL, which is a chunk in dist/chunks/ (run.js logs such 404s).
    for (const [key, file] of [['highlighterUrl', 'llm-stream.highlight.js'], ['mathUrl', 'llm-stream.math.js'], ['workerExtrasUrl', 'llm-stream.worker-extras.js']]) {
      if (mod.workerSettings && key in mod.workerSettings) mod.workerSettings[key] = new URL(`/dist/${file}`, location.href).href;
    }
    return customElements.whenDefined('llm-stream').then(() => 'ok');
  },
  (error) => `dist/llm-stream.js failed to load: ${error?.message ?? error}`,
);
/** React 19 + react-dom + streamdown (bundled by run.js, production build), loaded on first use. */
let reactVendor = null;
const loadReact = () => (reactVendor ??= import('/bench/vendor-react.js'));

const epochNow = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------
// jank observers: every long task (> 50 ms) and long animation frame (> 50 ms) since load

/** @type {{ start: number, duration: number }[]} */
const longTasks = [];
/** @type {{ start: number, duration: number, blocking: number }[]} */
const loafs = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
} catch {}
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      loafs.push({ start: e.startTime, duration: e.duration, blocking: /** @type {any} */ (e).blockingDuration ?? 0 });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
} catch {}

/** @param {number} t0 @param {number} t1 */
function jankBetween(t0, t1) {
  const tasks = longTasks.filter((e) => e.start >= t0 && e.start < t1);
  const frames = loafs.filter((e) => e.start >= t0 && e.start < t1);
  return {
    longTasks: tasks.length,
    longTaskMaxMs: Math.max(0, ...tasks.map((e) => e.duration)),
    longTaskTotalMs: tasks.reduce((s, e) => s + e.duration, 0),
    loafs: frames.length,
    loafMaxMs: Math.max(0, ...frames.map((e) => e.duration)),
    loafBlockingMs: frames.reduce((s, e) => s + e.blocking, 0),
    // the first long tasks: [ms since the run started, duration ms]
    longTaskList: tasks.slice(0, 12).map((e) => [Math.round(e.start - t0), Math.round(e.duration)]),
  };
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
const settle = async () => {
  await nextFrame();
  await nextFrame();
  await new Promise((resolve) => setTimeout(resolve, 20));
};

// ---------------------------------------------------------------------------------------------
// the shared, deliberately minimal OpenAI SSE reader of the main-thread contenders

/**
 * Calls `onChunk(text)` once per network read with the concatenated `delta.reasoning_content` and
 * `delta.content` of the complete events that read finished (in stream order: a rich answer's reasoning
 * comes first, so a main-thread contender renders reasoning and answer as one markdown string). Events
 * are split on blank lines, `data: ` lines JSON-parsed. `signal` aborting (the run's budget) ends the
 * read early: `truncated`.
 * @param {string} url @param {(text: string) => void} onChunk @param {AbortSignal} [signal]
 * @returns {Promise<{ reads: number, events: number, reasoning: string, text: string, truncated: boolean }>}
 */
async function readSse(url, onChunk, signal) {
  let reads = 0;
  let events = 0;
  let reasoning = '';
  let answer = '';
  let truncated = false;
  try {
    const res = await fetch(url, { signal });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      reads++;
      buf += value;
      let text = '';
      let pos = 0;
      for (let end = buf.indexOf('\n\n', pos); end !== -1; end = buf.indexOf('\n\n', pos)) {
        const ev = buf.slice(pos, end);
        pos = end + 2;
        if (!ev.startsWith('data: ') || ev === 'data: [DONE]') continue;
        events++;
        const delta = JSON.parse(ev.slice(6)).choices?.[0]?.delta;
        if (delta?.reasoning_content) {
          reasoning += delta.reasoning_content;
          text += delta.reasoning_content;
        }
        if (delta?.content) {
          answer += delta.content;
          text += delta.content;
        }
      }
      buf = buf.slice(pos);
      if (text) onChunk(text);
    }
  } catch (error) {
    if (!signal?.aborted) throw error;
    truncated = true;
  }
  return { reads, events, reasoning, text: answer, truncated };
}

/** An AbortSignal that fires after `ms` (the run's budget), and its cleanup. */
function budget(/** @type {number} */ ms) {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), ms);
  return { signal: ac.signal, clear: () => clearTimeout(timer) };
}

// ---------------------------------------------------------------------------------------------
// contenders: each renders the stream at `url` into a fresh box in #stage and resolves when done,
// or, once `budgetMs` has passed, stops reading, renders what it has and resolves with `truncated`.

const stage = /** @type {HTMLElement} */ (document.getElementById('stage'));
/** Run before the stage is cleared (React roots unmount). */
const cleanups = [];

/** @param {string} cls */
function box(cls) {
  const div = document.createElement('div');
  div.className = cls;
  stage.append(div);
  return div;
}

/**
 * streamdown in its documented streaming use: `<Streamdown isAnimating>{text}</Streamdown>` with the
 * growing answer as its child string, `parseIncompleteMarkdown` on (its default, stated), rendered by
 * React 19 (`createRoot`). `perFrame`: the state update is batched to once per animation frame instead
 * of once per network read. Resolves once React has committed the final text with `isAnimating` off.
 */
async function streamdownContender(/** @type {string} */ url, /** @type {number} */ budgetMs, /** @type {boolean} */ perFrame) {
  const { React, createRoot, Streamdown } = await loadReact();
  const div = box('md sd');
  const root = createRoot(div);
  cleanups.push(() => root.unmount());
  /** @type {(s: { text: string, streaming: boolean }) => void} */
  let setState = () => {};
  /** @type {{ text: string, resolve: () => void } | null} */
  let waiter = null;
  const mounted = new Promise((resolve) => {
    function Answer() {
      const [state, set] = React.useState({ text: '', streaming: true });
      setState = set;
      React.useEffect(() => resolve(undefined), []);
      React.useEffect(() => {
        if (waiter && !state.streaming && state.text === waiter.text) waiter.resolve();
      });
      return React.createElement(Streamdown, { isAnimating: state.streaming, parseIncompleteMarkdown: true }, state.text);
    }
    root.render(React.createElement(Answer));
  });
  await mounted;
  let text = '';
  let frame = 0;
  const b = budget(budgetMs);
  const out = await readSse(
    url,
    (t) => {
      text += t;
      if (!perFrame) setState({ text, streaming: true });
      else if (!frame) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          setState({ text, streaming: true });
        });
      }
    },
    b.signal,
  );
  b.clear();
  if (frame) cancelAnimationFrame(frame);
  const final = text;
  await new Promise((resolve) => {
    waiter = { text: final, resolve: () => resolve(undefined) };
    setState({ text: final, streaming: false });
  });
  return { ...out, container: div };
}

/** @type {Record<string, (url: string, budgetMs: number) => Promise<{ reasoning: string, text: string, container: Element | ShadowRoot, truncated: boolean, reads?: number, extra?: object }>>} */
const CONTENDERS = {
  /** Floor per delta: the deltas appended as raw text, one call per network read, no markdown. */
  async floor(url, budgetMs) {
    const div = box('floor');
    const b = budget(budgetMs);
    const out = await readSse(url, (t) => div.insertAdjacentText('beforeend', t), b.signal);
    b.clear();
    return { ...out, container: div };
  },
  /** Floor per frame: the frame's deltas appended as one text node per animation frame. */
  async 'floor-frame'(url, budgetMs) {
    const div = box('floor');
    let pending = '';
    let frame = 0;
    const flush = () => {
      frame = 0;
      if (pending) div.insertAdjacentText('beforeend', pending);
      pending = '';
    };
    const b = budget(budgetMs);
    const out = await readSse(
      url,
      (t) => {
        pending += t;
        if (!frame) frame = requestAnimationFrame(flush);
      },
      b.signal,
    );
    b.clear();
    if (frame) cancelAnimationFrame(frame);
    flush();
    return { ...out, container: div };
  },
  /** Naive: concatenate, marked.parse, DOMPurify, innerHTML on every network chunk. */
  async naive(url, budgetMs) {
    const div = box('md');
    let text = '';
    const b = budget(budgetMs);
    const out = await readSse(
      url,
      (t) => {
        text += t;
        div.innerHTML = DOMPurify.sanitize(/** @type {string} */ (marked.parse(text)));
      },
      b.signal,
    );
    b.clear();
    return { ...out, container: div };
  },
  /** Naive per frame: the same, at most once per animation frame (and once at the end). */
  async 'naive-frame'(url, budgetMs) {
    const div = box('md');
    let text = '';
    let frame = 0;
    const render = () => {
      frame = 0;
      div.innerHTML = DOMPurify.sanitize(/** @type {string} */ (marked.parse(text)));
    };
    const b = budget(budgetMs);
    const out = await readSse(
      url,
      (t) => {
        text += t;
        if (!frame) frame = requestAnimationFrame(render);
      },
      b.signal,
    );
    b.clear();
    if (frame) cancelAnimationFrame(frame);
    render();
    return { ...out, container: div };
  },
  /** streaming-markdown: append-only streaming parser writing DOM nodes directly. */
  async smd(url, budgetMs) {
    const div = box('md');
    const parser = smd.parser(smd.default_renderer(div));
    const b = budget(budgetMs);
    const out = await readSse(url, (t) => smd.parser_write(parser, t), b.signal);
    b.clear();
    smd.parser_end(parser);
    return { ...out, container: div };
  },
  /** streamdown (React 19), a state update per network read. */
  streamdown(url, budgetMs) {
    return streamdownContender(url, budgetMs, false);
  },
  /** streamdown (React 19), the state update batched once per animation frame. */
  'streamdown-frame'(url, budgetMs) {
    return streamdownContender(url, budgetMs, true);
  },
  /**
   * <llm-stream> with its end in view all along: a 600 px box that follows the end, as a chat UI
   * does. (On the bench page every contender's answer runs on below the fold; `<llm-stream>` then
   * patches a few times a second, this one every frame.)
   */
  'llm-stream-follow'(url, budgetMs, attributes = {}) {
    return CONTENDERS['llm-stream'](url, budgetMs, attributes, 'display:block;height:600px;overflow:auto');
  },
  /** <llm-stream>: fetch, decoding and markdown in its worker; patches once per frame. */
  async 'llm-stream'(url, budgetMs, attributes = {}, style = '') {
    const el = /** @type {any} */ (document.createElement('llm-stream'));
    el.style.cssText = style;
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
    stage.append(el);
    const timer = setTimeout(() => el.abort(), budgetMs);
    const result = await el.start({ url });
    clearTimeout(timer);
    return {
      reasoning: el.reasoning ?? '',
      text: el.text,
      container: el.shadowRoot,
      truncated: el.status === 'aborted',
      extra: { status: el.status, finishReason: result.finishReason, sinkMode: el.sinkMode },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// what a contender rendered, checked against what it was sent (see README.md "Checking the output")

/** Elements whose boundaries separate words (a renderer may put no whitespace between two blocks). */
const BLOCKS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BR', 'DD', 'DETAILS', 'DIV', 'DL', 'DT', 'FIGCAPTION', 'FIGURE', 'FOOTER',
  'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY',
  'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TR', 'UL', 'BUTTON', 'math',
]);
const SKIPPED = new Set(['STYLE', 'SCRIPT', 'TEMPLATE']);

/**
 * The text a reader sees: every text node under `root` (closed `<details>` included), a line break at
 * each block boundary, nothing from style / script / template.
 */
function visibleText(/** @type {Node} */ root) {
  const parts = [];
  const walk = (/** @type {Node} */ node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === Node.TEXT_NODE) parts.push(/** @type {Text} */ (child).data);
      else if (child.nodeType === Node.ELEMENT_NODE) {
        const tag = /** @type {Element} */ (child).tagName;
        if (SKIPPED.has(tag)) continue;
        const block = BLOCKS.has(tag);
        if (block) parts.push('\n');
        walk(child);
        if (block) parts.push('\n');
      }
    }
  };
  walk(root);
  return parts.join('');
}

/** Markdown with its math (`$$…$$` blocks, `$…$` spans) removed; code fences and code spans are kept. */
function stripMath(/** @type {string} */ markdown) {
  const out = [];
  let fence = null;
  let display = false;
  for (const line of markdown.split('\n')) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length) fence = null;
      out.push(line);
    } else if (f) {
      fence = f[1];
      out.push(line);
    } else if (line.trim() === '$$') {
      display = !display;
    } else if (!display) {
      out.push(line.replace(/`[^`\n]*`|\$\$[^\n]*?\$\$|\$[^$\n]+?\$/g, (m) => (m[0] === '`' ? m : '')));
    }
  }
  return out.join('\n');
}

/** The words of the one-shot marked rendering (DOMPurify, innerHTML) of `markdown` without its math. */
function expectedWords(/** @type {string} */ markdown) {
  const div = document.createElement('div');
  div.innerHTML = DOMPurify.sanitize(/** @type {string} */ (marked.parse(stripMath(markdown))));
  return words(visibleText(div));
}
const words = (/** @type {string} */ text) => text.match(/[\p{L}\p{N}]+/gu) ?? [];

/** The rule's constants (README.md "Checking the output"). */
const CHECK = { lookahead: 64, missFraction: 0.005, minMisses: 3, extraFactor: 1.5, extraWords: 50, tailWords: 20, truncatedShare: 0.9 };

/**
 * Tolerant comparison of rendered words against expected words: each expected word must appear in
 * order within `lookahead` words of the previous match (extra words — copy buttons, labels, rendered
 * math — are skipped); at most `missFraction` of them may be missing; the rendering may not have more
 * than `extraFactor` × the expected words (+ `extraWords`); the last `tailWords` must all be there.
 * A truncated run (stopped at its budget) is checked on the first `truncatedShare` of what it received.
 */
function compareWords(/** @type {string[]} */ expected, /** @type {string[]} */ actual, /** @type {boolean} */ truncated) {
  const want = truncated ? expected.slice(0, Math.floor(expected.length * CHECK.truncatedShare)) : expected;
  let at = 0;
  let misses = 0;
  let firstMiss = -1;
  let missAt = 0;
  let tailMisses = 0;
  for (let i = 0; i < want.length; i++) {
    const limit = Math.min(actual.length, at + CHECK.lookahead);
    let j = at;
    let step = null;
    for (; j < limit; j++) if ((step = matchAt(want, i, actual, j))) break;
    if (step) {
      at = j + step.actual;
      i += step.want - 1;
    } else {
      misses++;
      if (firstMiss < 0) {
        firstMiss = i;
        missAt = at;
      }
      if (i >= want.length - CHECK.tailWords) tailMisses++;
    }
  }
  const maxMisses = Math.max(CHECK.minMisses, Math.floor(want.length * CHECK.missFraction));
  const problems = [];
  if (want.length > 0 && actual.length === 0) problems.push('rendered nothing');
  if (misses > maxMisses) problems.push(`${misses} of ${want.length} expected words missing (first: #${firstMiss} "${want[firstMiss]}", near "${want.slice(Math.max(0, firstMiss - 4), firstMiss + 4).join(' ')}"; rendered there: "${actual.slice(Math.max(0, missAt - 4), missAt + 8).join(' ')}")`);
  if (actual.length > expected.length * CHECK.extraFactor + CHECK.extraWords) problems.push(`${actual.length} words rendered for ${expected.length} expected`);
  if (!truncated && tailMisses > 0) problems.push(`${tailMisses} of the last ${CHECK.tailWords} words missing (the end was not rendered)`);
  return { expectedWords: expected.length, renderedWords: actual.length, misses, problems };
}

/**
 * Does `actual[j…]` show `want[i…]`? The same word, or words that one side's markup glued together
 * (streamdown puts each code line in its own element with no line break between them; another renderer
 * may split a word around an element): up to 3 words on one side equal to one on the other. Returns how
 * many words of each side matched.
 */
function matchAt(/** @type {string[]} */ want, /** @type {number} */ i, /** @type {string[]} */ actual, /** @type {number} */ j) {
  const w = want[i];
  const a = actual[j];
  if (a === w) return { want: 1, actual: 1 };
  if (a.length > w.length && a.startsWith(w)) {
    let joined = w;
    for (let k = 1; k < 3 && i + k < want.length && joined.length < a.length; k++) {
      joined += want[i + k];
      if (joined === a) return { want: k + 1, actual: 1 };
    }
  } else if (w.length > a.length && w.startsWith(a)) {
    let joined = a;
    for (let k = 1; k < 3 && j + k < actual.length && joined.length < w.length; k++) {
      joined += actual[j + k];
      if (joined === w) return { want: 1, actual: k + 1 };
    }
  }
  return null;
}

/** What the rendering holds beyond text: math elements, code blocks, styled spans inside code (highlighting, or streamdown's line spans). */
function features(/** @type {Element | ShadowRoot} */ root) {
  return {
    math: root.querySelectorAll('math, .katex').length,
    codeBlocks: root.querySelectorAll('pre').length,
    spansInCode: root.querySelectorAll('pre code span[class]').length,
  };
}

/** The last run, kept until `verify()` (outside the measured window). */
let lastRun = null;

// ---------------------------------------------------------------------------------------------
// probes

const bench = {
  contenders: Object.keys(CONTENDERS),
  epochNow,
  userAgent: navigator.userAgent,

  /** One contender, one stream; `budgetMs`: stop reading after this and render what arrived. */
  async run(/** @type {{ contender: string, url: string, budgetMs?: number, attributes?: Record<string, string> }} */ { contender, url, budgetMs = 600_000, attributes = {} }) {
    bench.clear();
    await settle();
    const t0 = performance.now();
    const out = await CONTENDERS[contender](url, budgetMs, attributes);
    const doneAtEpoch = epochNow();
    await settle();
    const t1 = performance.now();
    lastRun = { contender, ...out };
    return {
      wallMs: t1 - t0,
      doneAtEpoch,
      textLength: out.reasoning.length + out.text.length,
      truncated: out.truncated,
      reads: out.reads ?? null,
      ...out.extra,
      ...jankBetween(t0, t1),
    };
  },

  /**
   * Did the last run render what it was sent? The floors must show exactly the streamed text; the
   * markdown renderers are compared word by word with the one-shot marked rendering (`compareWords`).
   */
  verify() {
    if (!lastRun) return { ok: false, problems: ['no run to verify'] };
    const { contender, reasoning, text, container, truncated } = lastRun;
    const sent = reasoning + text;
    const shown = visibleText(container);
    let result;
    if (contender === 'floor' || contender === 'floor-frame') {
      const problems = [];
      if (sent.length > 0 && shown.length === 0) problems.push('rendered nothing');
      else if (shown !== sent) {
        let i = 0;
        while (i < shown.length && shown[i] === sent[i]) i++;
        problems.push(`text differs from the stream at character ${i} of ${sent.length} (shown ${shown.length})`);
      }
      result = { sentChars: sent.length, shownChars: shown.length, problems };
    } else {
      result = { sentChars: sent.length, ...compareWords([...expectedWords(reasoning), ...expectedWords(text)], words(shown), truncated) };
    }
    return { ...result, features: features(container), ok: result.problems.length === 0 };
  },

  /**
   * Time from `start()` to the first text in the element's content and to the end of the frame that
   * painted it: the element applies patches in an animation-frame callback, so a message posted from
   * the MutationObserver callback runs once that frame's rendering (style, layout, paint) is done.
   */
  async firstPaint(/** @type {{ url: string }} */ { url }) {
    bench.clear();
    const el = /** @type {any} */ (document.createElement('llm-stream'));
    stage.append(el);
    await el.updateComplete;
    const root = el.shadowRoot;
    let t0 = 0;
    let textMs = null;
    const painted = new Promise((resolve) => {
      const mo = new MutationObserver(() => {
        const content = root.querySelector('[part="content"]');
        if (textMs !== null || !content || !(content.textContent ?? '').trim()) return;
        textMs = performance.now() - t0;
        mo.disconnect();
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now() - t0);
        channel.port2.postMessage(0);
      });
      mo.observe(root, { subtree: true, childList: true, characterData: true });
    });
    t0 = performance.now();
    const done = el.start({ url });
    // An answer that never shows text resolves with null (after its end and two frames).
    const paintMs = await Promise.race([painted, done.then(settle).then(() => null)]);
    await done;
    return { textMs, paintMs, status: el.status };
  },

  /**
   * Latency: the stream carries numbered words `w1 w2 …`; a MutationObserver records when each
   * number first appears in the rendered DOM (epoch ms). Returns `[[n, epochMs], …]`.
   */
  async latency(/** @type {{ contender: 'floor'|'llm-stream', url: string }} */ { contender, url }) {
    stage.replaceChildren();
    await settle();
    /** @type {[number, number][]} */
    const seen = [];
    let max = 0;
    /** @type {Element} */
    let container;
    /** @type {Promise<unknown>} */
    let done;
    const observe = () => {
      const mo = new MutationObserver(() => {
        const t = epochNow();
        const tail = (container.textContent ?? '').slice(-64);
        let hi = 0;
        for (const m of tail.matchAll(/w(\d+)/g)) hi = Math.max(hi, Number(m[1]));
        for (let n = max + 1; n <= hi; n++) seen.push([n, t]);
        if (hi > max) max = hi;
      });
      mo.observe(container, { subtree: true, childList: true, characterData: true });
      return mo;
    };
    let mo;
    if (contender === 'llm-stream') {
      const el = /** @type {any} */ (document.createElement('llm-stream'));
      stage.append(el);
      await el.updateComplete;
      container = el.shadowRoot.querySelector('[part="content"]');
      mo = observe();
      done = el.start({ url });
    } else {
      const div = box('floor');
      container = div;
      mo = observe();
      done = readSse(url, (t) => div.insertAdjacentText('beforeend', t));
    }
    await done;
    await settle();
    mo.disconnect();
    return seen;
  },

  /** Abort: start, wait for the first rendered text, abort; returns the abort time (epoch ms). */
  async abortOnce(/** @type {{ url: string }} */ { url }) {
    stage.replaceChildren();
    const el = /** @type {any} */ (document.createElement('llm-stream'));
    stage.append(el);
    const first = new Promise((resolve) => el.addEventListener('llm-delta', resolve, { once: true }));
    const p = el.start({ url });
    await first;
    const abortedAt = epochNow();
    el.abort();
    const result = await p;
    return { abortedAt, status: el.status, finishReason: result.finishReason };
  },

  /** N elements streaming at once. */
  async concurrent(/** @type {{ urls: string[] }} */ { urls }) {
    stage.replaceChildren();
    await settle();
    const t0 = performance.now();
    const els = urls.map(() => {
      const el = /** @type {any} */ (document.createElement('llm-stream'));
      stage.append(el);
      return el;
    });
    const results = await Promise.allSettled(els.map((el, i) => el.start({ url: urls[i] })));
    await settle();
    const t1 = performance.now();
    const ok = results.filter((r, i) => r.status === 'fulfilled' && els[i].status === 'done').length;
    const errors = results.filter((r) => r.status === 'rejected').map((r) => String(/** @type {any} */ (r).reason?.message ?? r));
    return { wallMs: t1 - t0, ok, errors: errors.slice(0, 3), ...jankBetween(t0, t1) };
  },

  /** Leave the stage empty (so retained memory is only what the library keeps). */
  clear() {
    for (const cleanup of cleanups.splice(0)) cleanup();
    lastRun = null;
    stage.replaceChildren();
  },

  /** One element, `n` streams one after another. */
  async sequential(/** @type {{ url: string, n: number }} */ { url, n }) {
    stage.replaceChildren();
    const el = /** @type {any} */ (document.createElement('llm-stream'));
    stage.append(el);
    const t0 = performance.now();
    let ok = 0;
    for (let i = 0; i < n; i++) {
      await el.start({ url: `${url}&key=seq-${i}` });
      if (el.status === 'done') ok++;
    }
    const t1 = performance.now();
    el.reset();
    stage.replaceChildren();
    return { wallMs: t1 - t0, ok, ...jankBetween(t0, t1) };
  },
};

/** @type {any} */ (window).bench = bench;
/** @type {any} */ (window).benchReady = Promise.race([
  elementLoaded,
  new Promise((resolve) => setTimeout(() => resolve('<llm-stream> was not defined within 10 s'), 10_000)),
]);

// Cold start (`/?cold=<stream url>`): the first answer of a fresh page, started as soon as the element
// is defined — its worker was only just created at registration and has never streamed.
const cold = new URLSearchParams(location.search).get('cold');
if (cold) {
  /** @type {any} */ (window).coldStart = elementLoaded.then((state) => (state === 'ok' ? bench.firstPaint({ url: cold }) : { error: state }));
}
