// Browser side of the benchmark: the five contenders and the probes `run.js` drives through
// `page.evaluate(() => window.bench.…)`. Every contender reads the same OpenAI SSE stream from the same
// mock server; the four main-thread contenders share one minimal SSE reader, the element reads it in
// its own worker.
import { marked, DOMPurify, smd } from '/bench/vendor.js';

// Loaded dynamically: if the build is broken, the other contenders still run (and the element's runs
// record the error).
const elementLoaded = import('/dist/llm-stream.js').then(
  () => customElements.whenDefined('llm-stream').then(() => 'ok'),
  (error) => `dist/llm-stream.js failed to load: ${error?.message ?? error}`,
);

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
 * Calls `onChunk(text)` once per network read with the concatenated `delta.content` of the complete
 * events that read finished. Events are split on blank lines, `data: ` lines JSON-parsed.
 * @param {string} url @param {(text: string) => void} onChunk
 * @returns {Promise<{ reads: number, events: number }>}
 */
async function readSse(url, onChunk) {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  let reads = 0;
  let events = 0;
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
      const content = JSON.parse(ev.slice(6)).choices?.[0]?.delta?.content;
      if (content) text += content;
    }
    buf = buf.slice(pos);
    if (text) onChunk(text);
  }
  return { reads, events };
}

// ---------------------------------------------------------------------------------------------
// contenders: each renders the stream at `url` into a fresh box in #stage and resolves when done

const stage = /** @type {HTMLElement} */ (document.getElementById('stage'));

/** @param {string} cls */
function box(cls) {
  const div = document.createElement('div');
  div.className = cls;
  stage.append(div);
  return div;
}

/** @type {Record<string, (url: string) => Promise<{ text: string, container: Element, reads?: number, extra?: object }>>} */
const CONTENDERS = {
  /** 1. Floor: the deltas appended as raw text, no markdown. */
  async floor(url) {
    const div = box('floor');
    let text = '';
    const { reads } = await readSse(url, (t) => {
      text += t;
      div.insertAdjacentText('beforeend', t);
    });
    return { text, container: div, reads };
  },
  /** 2. Naive: concatenate, marked.parse, DOMPurify, innerHTML on every network chunk. */
  async naive(url) {
    const div = box('md');
    let text = '';
    const { reads } = await readSse(url, (t) => {
      text += t;
      div.innerHTML = DOMPurify.sanitize(/** @type {string} */ (marked.parse(text)));
    });
    return { text, container: div, reads };
  },
  /** 3. Naive per frame: the same, at most once per animation frame (and once at the end). */
  async 'naive-frame'(url) {
    const div = box('md');
    let text = '';
    let frame = 0;
    const render = () => {
      frame = 0;
      div.innerHTML = DOMPurify.sanitize(/** @type {string} */ (marked.parse(text)));
    };
    const { reads } = await readSse(url, (t) => {
      text += t;
      if (!frame) frame = requestAnimationFrame(render);
    });
    if (frame) cancelAnimationFrame(frame);
    render();
    return { text, container: div, reads };
  },
  /** 4. streaming-markdown: append-only streaming parser writing DOM nodes directly. */
  async smd(url) {
    const div = box('md');
    const parser = smd.parser(smd.default_renderer(div));
    let text = '';
    const { reads } = await readSse(url, (t) => {
      text += t;
      smd.parser_write(parser, t);
    });
    smd.parser_end(parser);
    return { text, container: div, reads };
  },
  /** 5. <llm-stream>: fetch, decoding and markdown in its worker; patches once per frame. */
  async 'llm-stream'(url) {
    const el = /** @type {any} */ (document.createElement('llm-stream'));
    stage.append(el);
    const result = await el.start({ url });
    const container = el.shadowRoot.querySelector('[part="content"]');
    return { text: el.text, container, extra: { status: el.status, finishReason: result.finishReason, sinkMode: el.sinkMode } };
  },
};

/** @param {Element} container */
function renderedChars(container) {
  return (container.textContent ?? '').length;
}

// ---------------------------------------------------------------------------------------------
// probes

const bench = {
  contenders: Object.keys(CONTENDERS),
  epochNow,
  userAgent: navigator.userAgent,

  /** One contender, one stream. */
  async run(/** @type {{ contender: string, url: string }} */ { contender, url }) {
    stage.replaceChildren();
    await settle();
    const t0 = performance.now();
    const out = await CONTENDERS[contender](url);
    const doneAtEpoch = epochNow();
    await settle();
    const t1 = performance.now();
    return {
      wallMs: t1 - t0,
      doneAtEpoch,
      textLength: out.text.length,
      renderedChars: renderedChars(out.container),
      reads: out.reads ?? null,
      ...out.extra,
      ...jankBetween(t0, t1),
    };
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
