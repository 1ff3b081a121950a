// `npm run bench` (= `npm run build && node test/bench/run.js`): the performance benchmark of <llm-stream>.
//
//   node test/bench/run.js [--quick] [--reps=N] [--only=size,abort,latency,main,worker,ramp,concurrent,sequential,trace]
//                          [--sizes=10k,…] [--rate=1m:1000000] [--contenders=floor,…] [--sequential=N] [--out=DIR] [--no-save] [--replot]
//
// Headless Chromium, one browser for the whole run. A single local server serves the bench page, the
// built element (dist/llm-stream.js), a pre-bundled copy of marked + DOMPurify + streaming-markdown and
// the mock LLM (test/mock-llm) under /mock/ — same origin. Every contender reads the same OpenAI SSE
// stream at the same rate. Phases are independent: a phase that fails or runs out of time records an
// error in results.json and the run goes on. See README.md in this folder for what each number means.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { createMockLlm, tokenize } from '../mock-llm/index.js';
import { makeCorpus, committedFiles } from './make-corpus.js';

const ROOT = new URL('../../', import.meta.url);
const HERE = new URL('./', import.meta.url);
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const opt = (name, def) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : def;
};
const QUICK = flag('quick');
const ONLY = opt('only', '') ? new Set(opt('only', '').split(',')) : null;
const REPS = Number(opt('reps', QUICK ? 1 : 3));
const SAVE = !flag('no-save');
const OUT_DIR = opt('out', '');

// ---------------------------------------------------------------------------------------------
// configuration (documented in README.md; change both together)

/**
 * Main-thread comparison: document, stream rate (tokens/s), repetitions. Same rate for every contender
 * at a size. The 1 MB answer runs once per contender (each run streams for ~13 s; the run must fit in
 * ~15 minutes); the others REPS times.
 */
const ALL_SIZES = [
  { name: '10k', tps: 2000 },
  { name: '100k', tps: 4000 },
  { name: 'rich', tps: 4000 },
  { name: '1m', tps: 20000, reps: 1 },
];
const ALL_CONTENDERS = ['floor', 'floor-frame', 'naive', 'naive-frame', 'smd', 'streamdown', 'streamdown-frame', 'llm-stream', 'llm-stream-follow'];
// --sizes=… / --contenders=… restrict the main phase (for quick experiments; the report needs all).
// --rate=1m:1000000 streams a document at another rate (experiments: 1 MB at full speed; the report needs the rates above).
const RATES = new Map(opt('rate', '').split(',').filter(Boolean).map((x) => [x.split(':')[0], Number(x.split(':')[1])]));
for (const [name, tps] of RATES) if (!ALL_SIZES.some((s) => s.name === name) || !(tps > 0)) throw new Error(`--rate=${name}:${tps}: a document (${ALL_SIZES.map((s) => s.name).join(', ')}) and a rate in tokens/s`);
const SIZES = ALL_SIZES.filter((s) => !opt('sizes', '') || opt('sizes', '').split(',').includes(s.name)).map((s) => (RATES.has(s.name) ? { ...s, tps: RATES.get(s.name) } : s));
const CONTENDERS = ALL_CONTENDERS.filter((c) => !opt('contenders', '') || opt('contenders', '').split(',').includes(c));
/**
 * A run's budget: the stream's own duration × factor + slack. A contender still reading then stops,
 * renders what it has and is reported as a lower bound (≥), never dropped.
 */
const RUN_BUDGET = { factor: Number(opt('budget-factor', 2)), slackMs: Number(opt('budget-slack-ms', 5000)) };
/** Worker phase: one rate for every document, so per-delta costs are comparable across sizes. */
const WORKER_TPS = 10000;
const WORKER_REPS = QUICK ? 1 : 2;
const WORKER_SIZES = ['10k', '100k', 'rich', '1m'];
const LATENCY = { words: 300, tps: 60 };
/** start() → first painted text: fresh pages (cold worker) and streams on one page (warm). */
const FIRST_PAINT = { cold: QUICK ? 4 : 12, warm: QUICK ? 10 : 30, answer: 'short' };
/** Ramp: each rate up to `attempts` times (the 2-core machine is shared: one clean attempt is enough). */
const RAMP = { rates: [1000, 2000, 5000, 10000, 20000, 50000, 100000], seconds: 3, lagLimitMs: 250, attempts: 2 };
const CONCURRENT = { streams: 50, tps: 100, tokens: 600 };
const SEQUENTIAL = { streams: Number(opt('sequential', QUICK ? 200 : 1000)), warmup: 20 };
const ABORT = { samples: QUICK ? 10 : 30 };
/** The whole run must end within this (issue 16: about 15 minutes). */
const BUDGET_MS = 15 * 60_000;

const TARGETS = {
  floorFrameRatio100k: 1.2,
  streamdownRatio100k: 0.2,
  streamdownFrameRatio100k: 0.3,
  longTasks: 0,
  workerRatio: 2,
  richWorkerRatio: 3,
  latencyP95Ms: 20,
  cdnGzipKB: 48,
  // earlier issues' targets, still checked
  sustainedTps: 10_000,
  abortP95Ms: 50,
};

const started = performance.now();
const remaining = () => BUDGET_MS - (performance.now() - started);
const nodeEpoch = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (...a) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s]`, ...a);
/** What went wrong in this run (a contender's wrong or missing text, a failed phase): non-zero exit. */
const failures = [];

// ---------------------------------------------------------------------------------------------
// stats

const sorted = (xs) => [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
function quantile(xs, q) {
  const s = sorted(xs);
  if (s.length === 0) return null;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo] + (s[hi] - s[lo]) * (i - lo);
}
const median = (xs) => quantile(xs, 0.5);
const round = (x, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? x : Number(x.toFixed(d)));

// ---------------------------------------------------------------------------------------------
// corpus and mock answers

const generated = makeCorpus();
// The committed files must be what make-corpus.js generates (the flicker phase reads them as files).
for (const [name, text] of Object.entries(committedFiles(generated))) {
  const file = new URL(`corpus/${name}`, HERE);
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
    throw new Error(`test/bench/corpus/${name} differs from what make-corpus.js generates: run \`node test/bench/make-corpus.js\` and commit the corpus`);
  }
}
/** Each document as the stream sends it: reasoning (only the rich one has some), then the answer. */
const docs = {
  '10k': { reasoning: '', answer: generated.plain['10k'] },
  '100k': { reasoning: '', answer: generated.plain['100k'] },
  rich: { reasoning: generated.rich.reasoning, answer: generated.rich.answer },
  '1m': { reasoning: '', answer: generated.plain['1m'] },
};
const DOC_LABELS = { '10k': '10 KB', '100k': '100 KB', rich: 'rich 100 KB', '1m': '1 MB' };
const charsOf = (name) => docs[name].reasoning.length + docs[name].answer.length;
const tokensOf = Object.fromEntries(
  Object.entries(docs).map(([k, d]) => [k, [...(d.reasoning ? tokenize(d.reasoning) : []), ...tokenize(d.answer)]]),
);

const latencyText = Array.from({ length: LATENCY.words }, (_, i) => `w${i + 1}${(i + 1) % 20 === 0 ? '\n\n' : ' '}`)
  .join('')
  .trimEnd();

const answers = {};
for (const [name, d] of Object.entries(docs)) {
  answers[`bench-${name}`] = d.reasoning ? { parts: [{ type: 'reasoning', text: d.reasoning }, { type: 'text', text: d.answer }] } : d.answer;
}
answers['bench-latency'] = latencyText;
answers['bench-concurrent'] = tokensOf['10k'].slice(0, CONCURRENT.tokens).join('');
const rampTokens = {};
for (const tps of RAMP.rates) {
  // The plain documents are prefixes of one another: up to 24 k tokens this is the 100 KB answer; the
  // fastest rates continue into the 1 MB one so that they too last RAMP.seconds.
  const toks = tokensOf['1m'].slice(0, Math.min(tokensOf['1m'].length, tps * RAMP.seconds));
  answers[`bench-ramp-${tps}`] = toks.join('');
  rampTokens[tps] = toks.length;
}

// ---------------------------------------------------------------------------------------------
// server: page + scripts + mock, one origin; extra ports for the concurrency phase

async function bundleVendor() {
  const out = await build({
    stdin: {
      contents:
        "export { marked } from 'marked'; export { default as DOMPurify } from 'dompurify'; export * as smd from 'streaming-markdown';",
      resolveDir: ROOT.pathname,
      loader: 'js',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

/**
 * React 19 + react-dom + streamdown for the streamdown contenders, a production build (NODE_ENV), the
 * way an app ships them. Separate from vendor.js so a failure here only costs those contenders.
 */
async function bundleReactVendor() {
  const out = await build({
    stdin: {
      contents:
        "import * as React from 'react'; export { React }; export { createRoot } from 'react-dom/client'; export { Streamdown } from 'streamdown';",
      resolveDir: ROOT.pathname,
      loader: 'js',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

const mock = createMockLlm({ answers, maxLog: 20_000 });
/** Write times of the latency streams: key → [[epochMs, data]]. */
const writeLogs = new Map();

const DIST_TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };
/**
 * The built files, read once at start: the whole run measures one build, and another engineer's
 * `npm run build` (which empties dist/ first) cannot pull files from under it.
 */
const dist = new Map();
function snapshotDist() {
  const root = new URL('dist/', ROOT);
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const url = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
      if (entry.isDirectory()) {
        if (entry.name !== 'types') walk(url);
      } else if (DIST_TYPES[path.extname(entry.name)]) {
        dist.set('/dist/' + url.pathname.slice(root.pathname.length), readFileSync(url));
      }
    }
  };
  walk(root);
}
/** A built file under /dist/ (the element loads its highlighter, extras and chunks from beside itself). */
function distFile(urlPath) {
  const body = dist.get(urlPath);
  return body ? { type: DIST_TYPES[path.extname(urlPath)], body: () => body } : null;
}

/** Paths the page asked for that do not exist (each logged once). */
const missing = new Set();

function makeHandler(files) {
  return (req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/mock/')) {
      const key = new URL(url, 'http://127.0.0.1').searchParams.get('key');
      if (key && key.startsWith('lat-')) {
        const entries = [];
        writeLogs.set(key, entries);
        const write = res.write;
        res.write = function (data, ...rest) {
          entries.push([nodeEpoch(), String(data)]);
          return write.call(this, data, ...rest);
        };
      }
      mock.handle(req, res);
      return;
    }
    const path = url.split('?')[0];
    const file = files[path === '/' ? '/bench/page.html' : path] ?? distFile(path);
    if (!file) {
      if (!missing.has(path)) {
        missing.add(path);
        log(`  warning: the page asked for ${path}, which the bench does not serve (404)`);
      }
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    let body;
    try {
      body = file.body();
    } catch (error) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(error?.message ?? error));
      return;
    }
    res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store' });
    res.end(body);
  };
}

async function listen(handler) {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

// ---------------------------------------------------------------------------------------------
// browser, pages, CDP

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${Math.round(ms / 1000)} s`)), ms);
    }),
  ]);
}

/** A fresh page on the bench origin, with a CDP session on it and one on the element's worker. */
/** Pages of the running phase; closed when the phase ends, even if it failed or timed out. */
const openPages = new Set();

async function openPage(browser, origin) {
  const page = await browser.newPage();
  openPages.add(page);
  page.once('close', () => openPages.delete(page));
  const cdp = await page.context().newCDPSession(page);
  // The worker target: non-flattened auto-attach on our own session; messages go through the page session.
  let workerSession = null;
  let nextId = 1;
  const pending = new Map();
  cdp.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type === 'worker' && e.targetInfo.title === 'llm-stream') workerSession = e.sessionId;
  });
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    const p = m.id !== undefined ? pending.get(m.id) : undefined;
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new Error(`${p.method}: ${m.error.message}`));
    else p.resolve(m.result);
  });
  const worker = (method, params = {}) => {
    if (!workerSession) return Promise.reject(new Error('no worker target'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, method });
      cdp
        .send('Target.sendMessageToTarget', { sessionId: workerSession, message: JSON.stringify({ id, method, params }) })
        .catch(reject);
    });
  };
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await cdp.send('Performance.enable');
  await page.goto(`${origin}/`);
  const element = await withTimeout(page.evaluate(() => window.benchReady), 20_000, 'bench page load');
  if (element !== 'ok') log(`  warning: ${element}`);
  for (let i = 0; i < 50 && !workerSession; i++) await sleep(50);
  const metrics = async () => {
    const { metrics: list } = await cdp.send('Performance.getMetrics');
    return Object.fromEntries(list.map((m) => [m.name, m.value]));
  };
  const gc = () => cdp.send('HeapProfiler.collectGarbage');
  return { page, cdp, worker, metrics, gc, hasWorker: () => workerSession !== null };
}

/** Offset (page epoch − node epoch) from the round trip with the smallest delay. */
async function clockOffset(page) {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 15; i++) {
    const a = nodeEpoch();
    const p = await page.evaluate(() => window.bench.epochNow());
    const b = nodeEpoch();
    if (b - a < best.rtt) best = { rtt: b - a, offset: p - (a + b) / 2 };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// phases

const results = {
  meta: {},
  main: null,
  worker: null,
  latency: null,
  ramp: null,
  concurrent: null,
  sequential: null,
  abort: null,
  size: null,
  firstpaint: null,
  trace: null,
  targets: [],
};

async function phase(name, timeoutMs, fn) {
  if (ONLY && !ONLY.has(name)) return;
  const budget = Math.min(timeoutMs, remaining() - 15_000);
  if (budget < 5_000) {
    results[name] = { error: 'skipped: out of time budget' };
    failures.push(`phase ${name} skipped: out of the run's time budget`);
    log(`${name}: skipped (time budget)`);
    return;
  }
  const t0 = performance.now();
  const loadBefore = os.loadavg()[0];
  log(`${name}: start (load ${loadBefore.toFixed(1)})`);
  try {
    results[name] = await withTimeout(fn(), budget, name);
    if (results[name] && typeof results[name] === 'object') {
      results[name].load1m = { before: round(loadBefore, 1), after: round(os.loadavg()[0], 1) };
    }
    log(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (error) {
    results[name] = { ...(results[name] ?? {}), error: String(error?.stack ?? error) };
    failures.push(`phase ${name} failed: ${String(error?.message ?? error)}`);
    log(`${name}: FAILED — ${String(error?.message ?? error)}`);
  } finally {
    for (const page of [...openPages]) await page.close().catch(() => {});
  }
}

const chatUrl = (params) => `/mock/chat?format=openai&${new URLSearchParams(params)}`;
const metricDelta = (m0, m1, name) => ((m1[name] ?? 0) - (m0[name] ?? 0)) * 1000;

async function mainPhase(ctx) {
  const out = {
    rates: Object.fromEntries(SIZES.map((s) => [s.name, s.tps])),
    reps: Object.fromEntries(SIZES.map((s) => [s.name, s.reps ?? REPS])),
    budget: RUN_BUDGET,
    sizes: {},
  };
  results.main = out;
  let p = await openPage(ctx.browser, ctx.origin);
  // Warm-up: every contender once on the small document, unmeasured (JIT, worker start, fonts, React).
  for (const contender of CONTENDERS) {
    await withTimeout(p.page.evaluate((a) => window.bench.run(a), { contender, url: chatUrl({ tps: 'max', answer: 'bench-10k' }) }), 60_000, 'warm-up');
  }
  // Idle main-thread cost (ms per s) of the warm page, subtracted from every run.
  await p.page.evaluate(() => window.bench.clear());
  await sleep(500);
  const i0 = await p.metrics();
  await sleep(2000);
  const i1 = await p.metrics();
  out.idleMsPerS = round(metricDelta(i0, i1, 'TaskDuration') / ((i1.Timestamp - i0.Timestamp) || 2), 2);
  let sink = null;
  for (const { name, tps, reps = REPS } of SIZES) {
    const size = {
      bytes: Buffer.byteLength(docs[name].reasoning + docs[name].answer),
      chars: charsOf(name),
      reasoningChars: docs[name].reasoning.length,
      tokens: tokensOf[name].length,
      tps,
      reps,
      runs: {},
    };
    out.sizes[name] = size;
    for (const c of CONTENDERS) size.runs[c] = [];
    const expectedMs = (size.tokens / tps) * 1000;
    size.streamMs = round(expectedMs, 0);
    size.budgetMs = round(expectedMs * RUN_BUDGET.factor + RUN_BUDGET.slackMs, 0);
    for (let rep = 0; rep < reps; rep++) {
      // Interleaved A B C …, rotated each repetition so no contender always runs first.
      const order = CONTENDERS.map((_, i) => CONTENDERS[(i + rep) % CONTENDERS.length]);
      for (const contender of order) {
        const url = chatUrl({ tps, answer: `bench-${name}`, key: `main-${name}-${contender}-${rep}` });
        try {
          await p.gc();
          const m0 = await p.metrics();
          const r = await withTimeout(
            p.page.evaluate((a) => window.bench.run(a), { contender, url, budgetMs: size.budgetMs }),
            // the budget, then the final render of what arrived (a 1 MB document, once, can take seconds)
            size.budgetMs + 120_000,
            `${contender} ${name}`,
          );
          const m1 = await p.metrics();
          // Outside the measured window: did it render what it was sent?
          const check = await withTimeout(p.page.evaluate(() => window.bench.verify()), 60_000, `verify ${contender} ${name}`);
          const rawMs = metricDelta(m0, m1, 'TaskDuration');
          const complete = !r.truncated && r.textLength === size.chars && (!contender.startsWith('llm-stream') || r.status === 'done');
          const run = {
            rep,
            mainMs: rawMs - out.idleMsPerS * (r.wallMs / 1000),
            rawTaskMs: rawMs,
            scriptMs: metricDelta(m0, m1, 'ScriptDuration'),
            layoutMs: metricDelta(m0, m1, 'LayoutDuration'),
            styleMs: metricDelta(m0, m1, 'RecalcStyleDuration'),
            ...r,
            check,
            // stopped at the budget: its time is a lower bound of what the whole answer costs
            lowerBound: Boolean(r.truncated),
            ok: check.ok && (complete || r.truncated),
          };
          if (r.sinkMode) sink = r.sinkMode;
          size.runs[contender].push(run);
          if (!run.ok) {
            const why = !check.ok ? check.problems.join('; ') : `received ${r.textLength} of ${size.chars} characters${r.status ? `, status ${r.status}` : ''}`;
            failures.push(`main ${name} ${contender} rep ${rep + 1}: wrong output — ${why}`);
          }
          log(
            `  ${name.padEnd(4)} ${contender.padEnd(16)} rep ${rep + 1}: main ${(run.lowerBound ? '≥' : ' ') + run.mainMs.toFixed(0).padStart(6)} ms, wall ${r.wallMs.toFixed(0).padStart(6)} ms, long tasks ${r.longTasks}` +
              `${run.lowerBound ? `  (stopped at the ${(size.budgetMs / 1000).toFixed(0)} s budget)` : ''}${run.ok ? '' : `  WRONG OUTPUT: ${check.problems.join('; ') || 'incomplete'}`}`,
          );
        } catch (error) {
          size.runs[contender].push({ rep, error: String(error?.message ?? error) });
          failures.push(`main ${name} ${contender} rep ${rep + 1}: ${String(error?.message ?? error)}`);
          log(`  ${name} ${contender} rep ${rep + 1}: ERROR ${String(error?.message ?? error)}`);
          await p.page.close().catch(() => {});
          p = await openPage(ctx.browser, ctx.origin);
        }
      }
    }
    size.median = {};
    for (const c of CONTENDERS) {
      const runs = size.runs[c].filter((r) => r.mainMs !== undefined);
      if (runs.length === 0) failures.push(`main ${name} ${c}: no run finished`);
      size.median[c] = {
        mainMs: round(median(runs.map((r) => r.mainMs)), 1),
        // one run stopped at the budget makes the median a lower bound too
        lowerBound: runs.length === 0 || runs.some((r) => r.lowerBound),
        scriptMs: round(median(runs.map((r) => r.scriptMs)), 1),
        layoutMs: round(median(runs.map((r) => r.layoutMs)), 1),
        styleMs: round(median(runs.map((r) => r.styleMs)), 1),
        wallMs: round(median(runs.map((r) => r.wallMs)), 0),
        longTasks: runs.reduce((s, r) => s + r.longTasks, 0),
        longTaskMaxMs: round(Math.max(0, ...runs.map((r) => r.longTaskMaxMs)), 0),
        loafs: runs.reduce((s, r) => s + r.loafs, 0),
        runs: runs.length,
        okRuns: runs.filter((r) => r.ok).length,
      };
    }
    size.ratio = {};
    for (const c of CONTENDERS) if (c !== 'llm-stream') size.ratio[c] = ratioOf(size.median['llm-stream'], size.median[c]);
    for (const c of ['floor-frame', 'streamdown', 'streamdown-frame']) (size.followRatio ??= {})[c] = ratioOf(size.median['llm-stream-follow'], size.median[c]);
  }
  out.sinkMode = sink;
  await p.page.close();
  return out;
}

/**
 * ours ÷ theirs, with what the bounds allow: `value` is exact, or `upper` (≤: theirs is a lower bound),
 * `lower` (≥: ours is a lower bound), or `unknown` (both are lower bounds).
 */
function ratioOf(ours, theirs) {
  if (!ours || !theirs || !(ours.mainMs > 0) || !(theirs.mainMs > 0)) return null;
  const bound = ours.lowerBound ? (theirs.lowerBound ? 'unknown' : 'lower') : theirs.lowerBound ? 'upper' : 'exact';
  return { value: round(ours.mainMs / theirs.mainMs, 3), bound };
}

/** Worker CPU time (V8 sampling profile of the worker thread, non-idle samples) per delta. */
function profileBusy(profile) {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  let t = 0;
  const busy = []; // [time µs since start, busy µs]
  for (let i = 0; i < profile.samples.length; i++) {
    const d = profile.timeDeltas[i] ?? 0;
    t += d;
    if (!idle.has(profile.samples[i])) busy.push([t, d]);
  }
  return busy;
}

async function workerPhase(ctx) {
  const out = { tps: WORKER_TPS, reps: WORKER_REPS, samplingIntervalUs: 200, sizes: {} };
  results.worker = out;
  const p = await openPage(ctx.browser, ctx.origin);
  if (!p.hasWorker()) throw new Error('no CDP session on the llm-stream worker');
  await p.worker('Profiler.enable');
  await p.worker('Profiler.setSamplingInterval', { interval: out.samplingIntervalUs });
  // warm-up (JIT) on the small document
  await p.page.evaluate((a) => window.bench.run(a), { contender: 'llm-stream', url: chatUrl({ tps: 'max', answer: 'bench-10k' }) });
  // The rich answer once more with math and highlighting off: what its renderers cost the worker.
  for (const [name, variant] of [...WORKER_SIZES.map((n) => [n, '']), ...(WORKER_SIZES.includes('rich') ? [['rich', 'rich-off']] : [])]) {
    const tokens = tokensOf[name].length;
    const runs = [];
    for (let rep = 0; rep < WORKER_REPS; rep++) {
      await p.worker('Profiler.start');
      const r = await withTimeout(
        p.page.evaluate((a) => window.bench.run(a), {
          contender: 'llm-stream',
          url: chatUrl({ tps: WORKER_TPS, answer: `bench-${name}`, key: `worker-${variant || name}-${rep}` }),
          attributes: variant ? { math: 'off', highlight: 'off' } : {},
        }),
        (tokens / WORKER_TPS) * 4000 + 30_000,
        `worker ${name}`,
      );
      const { profile } = await p.worker('Profiler.stop');
      const busy = profileBusy(profile);
      const totalUs = busy.reduce((s, [, d]) => s + d, 0);
      // The last 10 % of the stream, by time between the first and last busy sample (constant rate).
      const first = busy[0]?.[0] ?? 0;
      const last = busy[busy.length - 1]?.[0] ?? 0;
      const cut = first + 0.9 * (last - first);
      const tailUs = busy.filter(([t]) => t >= cut).reduce((s, [, d]) => s + d, 0);
      runs.push({
        rep,
        busyMs: totalUs / 1000,
        msPerDelta: totalUs / 1000 / tokens,
        tailMsPerDelta: tailUs / 1000 / (tokens * 0.1),
        wallMs: r.wallMs,
        ok: r.textLength === charsOf(name) && r.status === 'done',
      });
      if (!runs.at(-1).ok) failures.push(`worker ${variant || name} rep ${rep + 1}: <llm-stream> ended ${r.status} with ${r.textLength} of ${charsOf(name)} characters`);
      log(`  worker ${variant || name} rep ${rep + 1}: ${(totalUs / 1000).toFixed(0)} ms busy, ${(totalUs / 1000 / tokens).toFixed(4)} ms/delta`);
    }
    out.sizes[variant || name] = {
      tokens,
      runs,
      busyMs: round(median(runs.map((r) => r.busyMs)), 1),
      msPerDelta: round(median(runs.map((r) => r.msPerDelta)), 4),
      tailMsPerDelta: round(median(runs.map((r) => r.tailMsPerDelta)), 4),
    };
  }
  const s = out.sizes;
  out.ratio1mTo10k = round(s['1m'].msPerDelta / s['10k'].msPerDelta, 2);
  out.tailRatio1mTo10k = round(s['1m'].tailMsPerDelta / s['10k'].tailMsPerDelta, 2);
  // the rich answer (reasoning, math, code in six languages, tables) against the plain one of its size
  out.richToPlain = round(s.rich.msPerDelta / s['100k'].msPerDelta, 2);
  // math and highlighting on ÷ off, on the rich answer
  if (s['rich-off']) out.richOnToOff = round(s.rich.msPerDelta / s['rich-off'].msPerDelta, 2);
  await p.page.close();
  return out;
}

async function latencyPhase(ctx) {
  const out = { words: LATENCY.words, tps: LATENCY.tps };
  results.latency = out;
  const p = await openPage(ctx.browser, ctx.origin);
  const clock = await clockOffset(p.page);
  out.clock = { offsetMs: round(clock.offset, 2), rttMs: round(clock.rtt, 2) };
  for (const contender of ['floor', 'llm-stream']) {
    const key = `lat-${contender}`;
    const seen = await withTimeout(
      p.page.evaluate((a) => window.bench.latency(a), {
        contender,
        url: chatUrl({ tps: LATENCY.tps, answer: 'bench-latency', key }),
      }),
      (LATENCY.words / LATENCY.tps) * 3000 + 20_000,
      `latency ${contender}`,
    );
    const written = new Map();
    for (const [t, data] of writeLogs.get(key) ?? []) {
      for (const m of data.matchAll(/"content":"[^"]*?w(\d+)/g)) if (!written.has(Number(m[1]))) written.set(Number(m[1]), t);
    }
    const lat = [];
    for (const [n, t] of seen) if (written.has(n)) lat.push(t - clock.offset - written.get(n));
    out[contender] = {
      samples: lat.length,
      p50Ms: round(quantile(lat, 0.5), 1),
      p95Ms: round(quantile(lat, 0.95), 1),
      maxMs: round(Math.max(...lat), 1),
      minMs: round(Math.min(...lat), 1),
    };
    log(`  latency ${contender}: p50 ${out[contender].p50Ms} ms, p95 ${out[contender].p95Ms} ms (${lat.length} words)`);
  }
  await p.page.close();
  return out;
}

async function rampPhase(ctx) {
  const out = {
    answer: `corpus prefix of min(${RAMP.seconds} s of tokens, 1 MB)`,
    lagLimitMs: RAMP.lagLimitMs,
    attemptsPerRate: RAMP.attempts,
    steps: [],
  };
  results.ramp = out;
  const p = await openPage(ctx.browser, ctx.origin);
  const clock = await clockOffset(p.page);
  await p.page.evaluate((a) => window.bench.run(a), { contender: 'llm-stream', url: chatUrl({ tps: 'max', answer: 'bench-10k' }) });
  let best = 0;
  for (const tps of RAMP.rates) {
    const tokens = rampTokens[tps];
    const step = { tps, tokens, seconds: round(tokens / tps, 2), attempts: [] };
    out.steps.push(step);
    for (let attempt = 0; attempt < RAMP.attempts; attempt++) {
      const key = `ramp-${tps}-${attempt}`;
      const r = await withTimeout(
        p.page.evaluate((a) => window.bench.run(a), { contender: 'llm-stream', url: chatUrl({ tps, answer: `bench-ramp-${tps}`, key }) }),
        (tokens / tps) * 4000 + 20_000,
        `ramp ${tps}`,
      );
      const rec = mock.log.find((x) => x.key === key);
      // How long after the server's last byte the page had rendered everything.
      const lagMs = rec?.closedAt != null ? r.doneAtEpoch - clock.offset - (performance.timeOrigin + rec.closedAt) : null;
      const a = {
        longTasks: r.longTasks,
        longTaskMaxMs: round(r.longTaskMaxMs, 0),
        loafs: r.loafs,
        loafMaxMs: round(r.loafMaxMs, 0),
        lagMs: round(lagMs, 0),
        ok: r.status === 'done' && r.textLength === answers[`bench-ramp-${tps}`].length,
      };
      if (!a.ok) failures.push(`ramp ${tps} tok/s: <llm-stream> ended ${r.status} with ${r.textLength} of ${answers[`bench-ramp-${tps}`].length} characters`);
      a.sustained = a.ok && a.longTasks === 0 && lagMs !== null && lagMs <= RAMP.lagLimitMs;
      step.attempts.push(a);
      log(`  ramp ${tps} tok/s: long tasks ${a.longTasks} (max ${a.longTaskMaxMs} ms), lag ${a.lagMs} ms → ${a.sustained ? 'sustained' : 'not sustained'}`);
      if (a.sustained) break;
    }
    step.sustained = step.attempts.some((a) => a.sustained);
    if (!step.sustained) break; // the ramp stops at the first rate that fails every attempt
    best = tps;
  }
  out.sustainedTps = best;
  await p.page.close();
  return out;
}

/**
 * start() → first painted text. Cold: a fresh page whose first answer starts as soon as the element is
 * defined (its worker was created at registration a moment before and has never streamed). Warm: further
 * answers on one page. The `short` answer at full speed: the time is the element's, not the model's.
 */
async function firstPaintPhase(ctx) {
  const out = { answer: FIRST_PAINT.answer, cold: { samples: [] }, warm: { samples: [] } };
  results.firstpaint = out;
  const url = chatUrl({ tps: 'max', answer: FIRST_PAINT.answer });
  for (let i = 0; i < FIRST_PAINT.cold; i++) {
    const page = await ctx.browser.newPage();
    openPages.add(page);
    try {
      await page.goto(`${ctx.origin}/?cold=${encodeURIComponent(url + `&key=cold-${i}`)}`);
      const r = await withTimeout(page.evaluate(() => window.coldStart), 20_000, 'cold start');
      if (r.error || r.paintMs === null) failures.push(`firstpaint cold ${i + 1}: ${r.error ?? 'no text was painted'}`);
      else out.cold.samples.push({ textMs: round(r.textMs, 1), paintMs: round(r.paintMs, 1) });
    } finally {
      openPages.delete(page);
      await page.close().catch(() => {});
    }
  }
  const p = await openPage(ctx.browser, ctx.origin);
  for (let i = 0; i < 3; i++) await p.page.evaluate((a) => window.bench.firstPaint(a), { url });
  for (let i = 0; i < FIRST_PAINT.warm; i++) {
    const r = await withTimeout(p.page.evaluate((a) => window.bench.firstPaint(a), { url: url + `&key=warm-${i}` }), 20_000, 'warm start');
    if (r.paintMs === null) failures.push(`firstpaint warm ${i + 1}: no text was painted`);
    else out.warm.samples.push({ textMs: round(r.textMs, 1), paintMs: round(r.paintMs, 1) });
  }
  await p.page.close();
  for (const k of ['cold', 'warm']) {
    const xs = out[k].samples;
    Object.assign(out[k], {
      n: xs.length,
      textP50Ms: round(quantile(xs.map((x) => x.textMs), 0.5), 1),
      paintP50Ms: round(quantile(xs.map((x) => x.paintMs), 0.5), 1),
      paintP95Ms: round(quantile(xs.map((x) => x.paintMs), 0.95), 1),
      paintMaxMs: round(Math.max(...xs.map((x) => x.paintMs)), 1),
    });
  }
  log(`  first painted text p50 / p95: cold ${out.cold.paintP50Ms} / ${out.cold.paintP95Ms} ms, warm ${out.warm.paintP50Ms} / ${out.warm.paintP95Ms} ms`);
  return out;
}

/** Trace event names → coarse groups (first match wins). */
const TRACE_GROUPS = [
  ['gc', /GC|Heap/],
  ['html parse', /ParseHTML|ParseFragment|HTMLDocumentParser|setHTML/i],
  ['style', /recalcStyle|updateStyle|rebuildLayoutTree|UpdateLayoutTree|StyleInvalidat|ScheduleStyle/],
  ['layout', /Layout|InlineNode|Shape/],
  ['paint + composite', /Paint|Commit|Composit|CullRect|Layerize|UpdateLifecycle|Raster|Viewport|Intersection|HitTest|Frame/],
  ['script', /FunctionCall|Microtask|v8|V8|EvaluateScript|TimerFire|AnimationFrame|EventDispatch|Callback/],
];

/** Self time per trace event name on the page's main thread (the renderer's CrRendererMain). */
function summarizeTrace(json) {
  const events = (json.traceEvents ?? json).filter((e) => e && typeof e === 'object');
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const busiest = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask') continue;
    if (!mains.some((m) => m.pid === e.pid && m.tid === e.tid)) continue;
    const k = `${e.pid}:${e.tid}`;
    busiest.set(k, (busiest.get(k) ?? 0) + (e.dur ?? 0));
  }
  const [key] = [...busiest.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (!key) return null;
  const xs = events
    .filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === key && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const stack = [];
  let total = 0;
  for (const e of xs) {
    while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.childDur += e.dur;
    else total += e.dur;
    const frame = { e, end: e.ts + e.dur, childDur: 0, parent };
    stack.push(frame);
    e.frame = frame;
  }
  for (const e of xs) {
    e.frame.self = e.dur - e.frame.childDur;
    self.set(e.name, (self.get(e.name) ?? 0) + e.frame.self);
  }
  // Each long task (a top-level task over 50 ms): when, how long, and its five largest self times.
  const longTasks = [];
  xs.forEach((e, i) => {
    if (e.name !== 'ThreadControllerImpl::RunTask' || e.dur < 50_000) return;
    let up = e.frame.parent;
    while (up && up.e.name !== 'ThreadControllerImpl::RunTask') up = up.parent;
    if (up) return;
    // xs is sorted by start time: the task's descendants are the events after it that start before it ends.
    const inner = new Map();
    for (let j = i + 1; j < xs.length && xs[j].ts < e.frame.end; j++) inner.set(xs[j].name, (inner.get(xs[j].name) ?? 0) + xs[j].frame.self);
    const top = [...inner.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([n, us]) => `${n} ${round(us / 1000, 1)}`);
    longTasks.push({ atMs: round((e.ts - xs[0].ts) / 1000, 0), ms: round(e.dur / 1000, 1), top });
  });
  const rows = [...self.entries()]
    .map(([name, us]) => ({ name, ms: round(us / 1000, 1), pct: round((100 * us) / total, 1) }))
    .sort((a, b) => b.ms - a.ms)
    .filter((r) => r.ms >= 1);
  const groups = {};
  for (const [name, us] of self) {
    const g = TRACE_GROUPS.find(([, re]) => re.test(name))?.[0] ?? 'other';
    groups[g] = (groups[g] ?? 0) + us;
  }
  for (const g of Object.keys(groups)) groups[g] = round(groups[g] / 1000, 0);
  return { totalMs: round(total / 1000, 1), groups, self: rows.slice(0, 25), longTasks };
}

/** Self time per function (name, file:line) of a CDP CPU profile, highest first. */
function summarizeProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  return [...self.entries()].map(([name, us]) => ({ name, ms: round(us / 1000, 1) })).sort((a, b) => b.ms - a.ms).slice(0, 60);
}

async function tracePhase(ctx) {
  // --trace-size=1m / --trace-contenders=llm-stream: trace another document or fewer contenders (experiments).
  const size = opt('trace-size', '100k');
  if (!ALL_SIZES.some((x) => x.name === size)) throw new Error(`--trace-size=${size}: not one of ${ALL_SIZES.map((x) => x.name).join(', ')}`);
  const out = { size, tps: ALL_SIZES.find((x) => x.name === size).tps, contenders: {} };
  results.trace = out;
  const traced = opt('trace-contenders', 'llm-stream,floor,floor-frame').split(',');
  for (const contender of traced) {
    const p = await openPage(ctx.browser, ctx.origin);
    await p.page.evaluate((a) => window.bench.run(a), { contender, url: chatUrl({ tps: 'max', answer: 'bench-10k' }) });
    // --trace-profile: a CPU profile instead of a trace — where the script time goes, by function (experiments).
    if (flag('trace-profile')) {
      await p.cdp.send('Profiler.enable');
      await p.cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await p.cdp.send('Profiler.start');
      await p.page.evaluate((a) => window.bench.run(a), { contender, url: chatUrl({ tps: out.tps, answer: `bench-${size}`, key: `prof-${contender}` }) });
      const { profile } = await p.cdp.send('Profiler.stop');
      out.contenders[contender] = { profile: summarizeProfile(profile) };
      for (const row of out.contenders[contender].profile.slice(0, 30)) console.log(`  ${contender}: ${row.ms} ms ${row.name}`);
      await p.page.close();
      continue;
    }
    await ctx.browser.startTracing(p.page, {
      categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink'],
    });
    const r = await withTimeout(
      p.page.evaluate((a) => window.bench.run(a), { contender, url: chatUrl({ tps: out.tps, answer: `bench-${size}`, key: `trace-${contender}` }) }),
      (tokensOf[size].length / out.tps) * 4000 + 30_000,
      `trace ${contender}`,
    );
    const buf = await ctx.browser.stopTracing();
    // --trace-dump=FILE: keep the raw trace of the last traced contender (experiments: open it in DevTools).
    if (opt('trace-dump', '')) writeFileSync(opt('trace-dump', ''), buf);
    out.contenders[contender] = { wallMs: round(r.wallMs, 0), ...summarizeTrace(JSON.parse(buf.toString('utf8'))) };
    for (const t of out.contenders[contender].longTasks) console.log(`  trace ${contender}: long task at ${t.atMs} ms, ${t.ms} ms: ${t.top.join(', ')}`);
    await p.page.close();
  }
  return out;
}

async function heap(p) {
  await p.gc();
  const main = await p.cdp.send('Runtime.getHeapUsage');
  let worker = null;
  try {
    await p.worker('HeapProfiler.collectGarbage');
    worker = await p.worker('Runtime.getHeapUsage');
  } catch {}
  return { mainMB: round(main.usedSize / 2 ** 20, 2), workerMB: worker ? round(worker.usedSize / 2 ** 20, 2) : null };
}

async function concurrentPhase(ctx) {
  const out = { ...CONCURRENT, origins: ctx.extraOrigins.length + 1 };
  results.concurrent = out;
  const p = await openPage(ctx.browser, ctx.origin);
  out.heapBefore = await heap(p);
  // Chromium opens at most 6 HTTP/1.1 connections per origin: spread the streams over several ports
  // (as HTTP/2 would multiplex them on one connection).
  const origins = [ctx.origin, ...ctx.extraOrigins];
  const urls = Array.from(
    { length: CONCURRENT.streams },
    (_, i) => `${origins[i % origins.length]}${chatUrl({ tps: CONCURRENT.tps, answer: 'bench-concurrent', key: `conc-${i}` })}`,
  );
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      try {
        const { usedSize } = await p.cdp.send('Runtime.getHeapUsage');
        peak = Math.max(peak, usedSize);
      } catch {}
      await sleep(250);
    }
  })();
  const r = await withTimeout(
    p.page.evaluate((a) => window.bench.concurrent(a), { urls }),
    (CONCURRENT.tokens / CONCURRENT.tps) * 3000 + 30_000,
    'concurrent',
  );
  sampling = false;
  await sampler;
  Object.assign(out, {
    wallMs: round(r.wallMs, 0),
    ok: r.ok,
    errors: r.errors,
    longTasks: r.longTasks,
    longTaskMaxMs: round(r.longTaskMaxMs, 0),
    longTaskList: r.longTaskList,
    loafs: r.loafs,
    loafMaxMs: round(r.loafMaxMs, 0),
    peakMainHeapMB: round(peak / 2 ** 20, 2),
    heapAfter: await heap(p),
  });
  log(`  ${r.ok}/${CONCURRENT.streams} done, long tasks ${r.longTasks}, peak heap ${out.peakMainHeapMB} MB`);
  await p.page.close();
  return out;
}

async function sequentialPhase(ctx) {
  const out = { streams: SEQUENTIAL.streams, answer: 'short', tps: 'max' };
  results.sequential = out;
  const p = await openPage(ctx.browser, ctx.origin);
  const url = chatUrl({ tps: 'max', answer: 'short' });
  await p.page.evaluate((a) => window.bench.sequential(a), { url, n: SEQUENTIAL.warmup });
  out.heapBaseline = await heap(p);
  const r = await withTimeout(
    p.page.evaluate((a) => window.bench.sequential(a), { url, n: SEQUENTIAL.streams }),
    SEQUENTIAL.streams * 150 + 30_000,
    'sequential',
  );
  out.heapAfter = await heap(p);
  Object.assign(out, {
    ok: r.ok,
    wallMs: round(r.wallMs, 0),
    msPerStream: round(r.wallMs / SEQUENTIAL.streams, 1),
    longTasks: r.longTasks,
    mainGrowthMB: round(out.heapAfter.mainMB - out.heapBaseline.mainMB, 2),
    workerGrowthMB:
      out.heapAfter.workerMB !== null && out.heapBaseline.workerMB !== null
        ? round(out.heapAfter.workerMB - out.heapBaseline.workerMB, 2)
        : null,
  });
  log(`  ${r.ok}/${SEQUENTIAL.streams} done; heap main ${out.heapBaseline.mainMB} → ${out.heapAfter.mainMB} MB, worker ${out.heapBaseline.workerMB} → ${out.heapAfter.workerMB} MB`);
  await p.page.close();
  return out;
}

async function abortPhase(ctx) {
  const out = { samples: ABORT.samples, tps: 50 };
  results.abort = out;
  const p = await openPage(ctx.browser, ctx.origin);
  const clock = await clockOffset(p.page);
  const lat = [];
  const closedBy = {};
  for (let i = 0; i < ABORT.samples; i++) {
    const key = `abort-${i}`;
    const r = await withTimeout(
      p.page.evaluate((a) => window.bench.abortOnce(a), { url: chatUrl({ tps: 50, answer: 'default', key }) }),
      20_000,
      'abort',
    );
    let rec;
    for (let w = 0; w < 200; w++) {
      rec = mock.log.find((x) => x.key === key);
      if (rec?.closedAt != null) break;
      await sleep(10);
    }
    if (rec?.closedAt == null) {
      lat.push(Infinity);
      continue;
    }
    closedBy[rec.closedBy] = (closedBy[rec.closedBy] ?? 0) + 1;
    lat.push(performance.timeOrigin + rec.closedAt - (r.abortedAt - clock.offset));
  }
  Object.assign(out, {
    p50Ms: round(quantile(lat, 0.5), 1),
    p95Ms: round(quantile(lat.map((x) => (Number.isFinite(x) ? x : 1e9)), 0.95), 1),
    maxMs: round(Math.max(...lat), 1),
    neverClosed: lat.filter((x) => !Number.isFinite(x)).length,
    closedBy,
    clock: { offsetMs: round(clock.offset, 2), rttMs: round(clock.rtt, 2) },
  });
  log(`  abort → server close: p50 ${out.p50Ms} ms, p95 ${out.p95Ms} ms`);
  await p.page.close();
  return out;
}

/** Flicker over the markdown corpus, ours vs naive: a Node child (the engine is TypeScript; tsx loads it). */
async function flickerPhase() {
  const output = execFileSync(process.execPath, ['--import', 'tsx', new URL('flicker.ts', HERE).pathname], { encoding: 'utf8', cwd: new URL('.', ROOT).pathname });
  const out = JSON.parse(output.trim().split('\n').pop());
  log(`  flicker (vanished characters, ${out.deltaChars}-char deltas): ours ${out.total.ours}, naive ${out.total.naive}`);
  return out;
}

async function sizePhase(ctx) {
  const out = {};
  if (dist.has('/dist/sizes.json')) out.sizesJson = JSON.parse(dist.get('/dist/sizes.json').toString('utf8'));
  const bytes = dist.get('/dist/llm-stream.cdn.js');
  if (!bytes) throw new Error('dist/llm-stream.cdn.js is missing: run `npm run build` first');
  out.cdnBytes = bytes.length;
  out.cdnGzipBytes = out.sizesJson?.['llm-stream.cdn.js']?.gzip ?? gzipSync(bytes, { level: 9 }).length;
  out.cdnGzipKB = round(out.cdnGzipBytes / 1024, 1);
  // The main-thread share: what the page itself parses and runs, i.e. the CDN file without its inline
  // worker. The element starts that worker from a blob of the worker function's own source text
  // (Function.prototype.toString, so the text is in the file verbatim): the page records the blob,
  // the worker's text is cut out of the file, and what is left is gzipped.
  const page = await ctx.browser.newPage();
  openPages.add(page);
  try {
    await page.addInitScript(() => {
      const NativeBlob = window.Blob;
      window.__blobTexts = [];
      window.Blob = class extends NativeBlob {
        constructor(parts, options) {
          super(parts, options);
          if (options?.type === 'text/javascript' && parts?.every((x) => typeof x === 'string')) window.__blobTexts.push(parts.join(''));
        }
      };
    });
    await page.goto(`${ctx.origin}/bench/empty.html`);
    await page.addScriptTag({ url: '/dist/llm-stream.cdn.js' });
    await page.waitForFunction(() => window.__blobTexts.length > 0, null, { timeout: 10_000 });
    const blob = await page.evaluate(() => window.__blobTexts[0]);
    const text = bytes.toString('utf8');
    const worker = workerTextIn(blob, text);
    if (!worker) throw new Error('the worker blob’s source was not found in dist/llm-stream.cdn.js');
    const at = text.indexOf(worker);
    const pageOnly = gzipSync(Buffer.from(text.slice(0, at) + text.slice(at + worker.length)), { level: 9 }).length;
    out.workerSourceBytes = worker.length;
    out.mainThreadGzipKB = round(pageOnly / 1024, 1);
    out.mainThreadShare = round(pageOnly / out.cdnGzipBytes, 3);
    out.workerGzipKB = round(out.cdnGzipKB - out.mainThreadGzipKB, 1);
    log(`  CDN file ${out.cdnGzipKB} KB gzip: main thread ${out.mainThreadGzipKB} KB (${Math.round(out.mainThreadShare * 100)} %), inline worker ${out.workerGzipKB} KB`);
  } catch (error) {
    out.mainThreadError = String(error?.message ?? error);
    failures.push(`size: main-thread share not measured — ${out.mainThreadError}`);
  } finally {
    openPages.delete(page);
    await page.close().catch(() => {});
  }
  return out;
}

/**
 * The worker function's text inside the blob `self.LlmStreamComlink=(<comlink factory>)();(<worker>)()`
 * (or `(<worker>)()`): the split whose pieces both occur in the CDN file.
 */
function workerTextIn(blob, file) {
  const prefix = 'self.LlmStreamComlink=(';
  if (!blob.endsWith(')()')) return null;
  if (!blob.startsWith(prefix)) {
    const w = blob.slice(1, -3);
    return blob.startsWith('(') && file.includes(w) ? w : null;
  }
  for (let k = blob.indexOf(')();(', prefix.length); k !== -1; k = blob.indexOf(')();(', k + 1)) {
    const factory = blob.slice(prefix.length, k);
    const worker = blob.slice(k + 5, -3);
    if (file.includes(worker) && file.includes(factory)) return worker;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// targets, report, chart

/** A ratio as text: `≤ 0.18×` when theirs was a lower bound, `≥ 1.40×` when ours was. */
function fmtRatio(r, d = 2) {
  if (!r) return '—';
  const prefix = { exact: '', upper: '≤ ', lower: '≥ ', unknown: '? ' }[r.bound];
  return `${prefix}${fmt(r.value, d)}×`;
}
/** `ours ÷ theirs ≤ goal` holds for sure only if the ratio is exact or an upper bound. */
const ratioPasses = (r, goal) => (r ? (r.bound === 'exact' || r.bound === 'upper') && r.value <= goal : null);

function evaluateTargets() {
  const t = [];
  const add = (name, value, target, pass, shown = value) => t.push({ name, value, shown, target, pass: value === null || value === undefined ? null : pass });
  const report = (name, value, shown = value) => t.push({ name, value, shown, target: 'reported', pass: value === null || value === undefined ? null : 'reported' });
  const r100 = results.main?.sizes?.['100k']?.ratio;
  for (const [c, goal, label] of [
    ['floor-frame', TARGETS.floorFrameRatio100k, 'the per-frame floor'],
    ['streamdown', TARGETS.streamdownRatio100k, 'streamdown (a state update per read)'],
    ['streamdown-frame', TARGETS.streamdownFrameRatio100k, 'streamdown (per frame)'],
  ]) {
    add(`main thread at 100 KB ÷ ${label}`, r100?.[c]?.value, `≤ ${goal}×`, ratioPasses(r100?.[c], goal), fmtRatio(r100?.[c], 3));
  }
  const sizes = results.main?.sizes ? Object.entries(results.main.sizes) : [];
  const lt = sizes.length ? sizes.reduce((sum, [, x]) => sum + (x.median?.['llm-stream']?.longTasks ?? 0), 0) : null;
  const ltMax = sizes.length ? Math.max(0, ...sizes.map(([, x]) => x.median?.['llm-stream']?.longTaskMaxMs ?? 0)) : 0;
  const ltWhere = sizes.filter(([, x]) => x.median?.['llm-stream']?.longTasks).map(([n, x]) => `${DOC_LABELS[n]}: ${x.median['llm-stream'].longTasks}`);
  add(`long tasks, \`<llm-stream>\`, all main runs (${sizes.map(([n]) => DOC_LABELS[n]).join(', ')})`, lt, `${TARGETS.longTasks}`, lt === TARGETS.longTasks, lt ? `${lt} (${ltWhere.join(', ')}; longest ${ltMax} ms)` : lt);
  add('worker ms per delta, 1 MB ÷ 10 KB', results.worker?.ratio1mTo10k, `≤ ${TARGETS.workerRatio}`, results.worker?.ratio1mTo10k <= TARGETS.workerRatio);
  add('worker ms per delta, rich 100 KB ÷ plain 100 KB', results.worker?.richToPlain, `≤ ${TARGETS.richWorkerRatio}`, results.worker?.richToPlain <= TARGETS.richWorkerRatio);
  const lat = results.latency?.['llm-stream']?.p95Ms;
  add('chunk arrival → DOM patched, p95', lat, `≤ ${TARGETS.latencyP95Ms} ms`, lat <= TARGETS.latencyP95Ms, lat != null ? `${lat} ms` : lat);
  const fp = results.firstpaint;
  report('start() → first painted text, cold worker (fresh page), p95', fp?.cold?.paintP95Ms, fp?.cold?.n ? `${fp.cold.paintP95Ms} ms (p50 ${fp.cold.paintP50Ms}, n = ${fp.cold.n})` : undefined);
  report('start() → first painted text, warm worker, p95', fp?.warm?.paintP95Ms, fp?.warm?.n ? `${fp.warm.paintP95Ms} ms (p50 ${fp.warm.paintP50Ms}, n = ${fp.warm.n})` : undefined);
  const gz = results.size?.cdnGzipKB;
  add('CDN file (dist/llm-stream.cdn.js), gzip', gz, `≤ ${TARGETS.cdnGzipKB} KB`, gz <= TARGETS.cdnGzipKB, gz != null ? `${gz} KB` : gz);
  const share = results.size?.mainThreadGzipKB;
  report('CDN file: main-thread share (without the inline worker), gzip', share, share != null ? `${share} KB (${Math.round(results.size.mainThreadShare * 100)} %)` : share);
  add('sustained tokens/s (earlier target)', results.ramp?.sustainedTps, `≥ ${TARGETS.sustainedTps}`, results.ramp?.sustainedTps >= TARGETS.sustainedTps);
  const ab = results.abort?.p95Ms;
  add('abort → server sees close, p95 (earlier target)', ab, `≤ ${TARGETS.abortP95Ms} ms`, ab <= TARGETS.abortP95Ms, ab != null ? `${ab} ms` : ab);
  add('flicker: characters shown then vanished (earlier target)', results.flicker?.total?.ours, '0', results.flicker?.total?.ours === 0);
  return t;
}

const LABELS = {
  floor: 'floor (raw text per read)',
  'floor-frame': 'floor per frame',
  naive: 'naive (per read)',
  'naive-frame': 'naive per frame',
  smd: 'streaming-markdown',
  streamdown: 'streamdown (per read)',
  'streamdown-frame': 'streamdown per frame',
  'llm-stream': '<llm-stream>',
  'llm-stream-follow': '<llm-stream>, end in view',
};
const MD_LABELS = { ...LABELS, 'llm-stream': '`<llm-stream>`', 'llm-stream-follow': '`<llm-stream>`, end in view (a box following it)' };
const fmt = (x, d = 0) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));
const verdict = (pass) => (pass === null ? 'n/a' : pass === 'reported' ? 'reported' : pass ? 'PASS' : 'MISS');
/** The main-phase contenders and documents present in `results` (a --replot may have fewer). */
const mainSizes = () => ALL_SIZES.map((s) => s.name).filter((n) => results.main?.sizes?.[n]?.median);
const mainContenders = () => ALL_CONTENDERS.filter((c) => mainSizes().some((n) => results.main.sizes[n].median[c]));
const cellMs = (m) => (m?.mainMs == null ? '—' : `${m.lowerBound ? '≥ ' : ''}${fmt(m.mainMs)}`);

/** The main-thread table, the ratios and the documents line (results.md and README). */
function mainTable() {
  const r = results;
  const names = mainSizes();
  if (!names.length) return [];
  const L = [];
  L.push(`| contender | ${names.map((n) => `${DOC_LABELS[n]} @ ${r.main.sizes[n].tps} tok/s`).join(' | ')} | long tasks | long frames |`);
  L.push(`|---|${names.map(() => '---:').join('|')}|---:|---:|`);
  for (const c of mainContenders()) {
    const lt = names.reduce((s, n) => s + (r.main.sizes[n].median?.[c]?.longTasks ?? 0), 0);
    const lf = names.reduce((s, n) => s + (r.main.sizes[n].median?.[c]?.loafs ?? 0), 0);
    L.push(`| ${MD_LABELS[c]} | ${names.map((n) => cellMs(r.main.sizes[n].median?.[c])).join(' | ')} | ${lt} | ${lf} |`);
  }
  for (const c of ['floor-frame', 'floor', 'streamdown', 'streamdown-frame', 'smd', 'naive', 'naive-frame']) {
    if (!mainContenders().includes(c)) continue;
    const bold = ['floor-frame', 'streamdown', 'streamdown-frame'].includes(c);
    L.push(`| ${bold ? '**' : ''}\`<llm-stream>\` ÷ ${LABELS[c]}${bold ? '**' : ''} | ${names.map((n) => fmtRatio(r.main.sizes[n].ratio?.[c])).join(' | ')} | | |`);
  }
  for (const c of ['floor-frame', 'streamdown', 'streamdown-frame']) {
    if (!mainContenders().includes(c) || !mainContenders().includes('llm-stream-follow')) continue;
    L.push(`| \`<llm-stream>\`, end in view ÷ ${LABELS[c]} | ${names.map((n) => fmtRatio(r.main.sizes[n].followRatio?.[c])).join(' | ')} | | |`);
  }
  return L;
}

function documentsLine() {
  const r = results;
  const names = mainSizes();
  const doc = (n) => {
    const s = r.main.sizes[n];
    return `${DOC_LABELS[n]} = ${(s.bytes / 1024).toFixed(1)} KB${s.reasoningChars ? ` (${(s.reasoningChars / 1024).toFixed(1)} KB of it reasoning)` : ''}, ${s.tokens} deltas, ${s.reps} rep${s.reps > 1 ? 's' : ''}, budget ${(s.budgetMs / 1000).toFixed(0)} s`;
  };
  const runs = names.flatMap((n) => Object.values(r.main.sizes[n].runs).flat()).filter((x) => x.mainMs !== undefined);
  const bad = runs.filter((x) => !x.ok).length;
  const lower = runs.filter((x) => x.lowerBound).length;
  return (
    `Documents: ${names.map(doc).join('; ')}. Long tasks/frames: counts over all runs. ` +
    `\`≥\`: stopped at the run's budget (the stream's duration × ${RUN_BUDGET.factor} + ${RUN_BUDGET.slackMs / 1000} s) — a lower bound (${lower} of ${runs.length} runs). ` +
    `Output check: ${bad === 0 ? `all ${runs.length} runs rendered the text they were sent` : `**${bad} of ${runs.length} runs rendered the wrong text**`} (rule: test/bench/README.md). \`<llm-stream>\` sink: \`${r.main.sinkMode ?? '?'}\`.`
  );
}

/** What the streamdown targets mean at these rates: where the per-frame floor itself stands, how busy streamdown kept the page. */
function contextLine() {
  const s = results.main?.sizes?.['100k'];
  const m = s?.median;
  if (!m?.['floor-frame'] || !m.streamdown || !m['streamdown-frame']) return null;
  const busy = (c) => Math.round((100 * m[c].mainMs) / m[c].wallMs);
  const ff = (c) => fmtRatio(ratioOf(m['floor-frame'], m[c]));
  const load = results.main.load1m;
  return (
    `For scale, at 100 KB the per-frame floor itself — appending text and nothing else — used ${ff('streamdown')} streamdown's (per read) main-thread time ` +
    `and ${ff('streamdown-frame')} streamdown per frame's; streamdown per read kept the main thread ${busy('streamdown')} % busy (per frame ${busy('streamdown-frame')} %), ` +
    `so its time is capped by the stream's duration. 1-minute load average of the machine: ${load ? `${load.before} before the main phase, ${load.after} after` : 'not recorded'}.`
  );
}

function busyTable() {
  const r = results;
  const names = mainSizes();
  const busy = (n, c) => {
    const m = r.main.sizes[n].median?.[c];
    return m?.mainMs == null ? '—' : fmt((100 * m.mainMs) / m.wallMs);
  };
  const L = [`| main thread busy, % of wall time | ${names.map((n) => DOC_LABELS[n]).join(' | ')} |`, `|---|${names.map(() => '---:').join('|')}|`];
  for (const c of mainContenders()) L.push(`| ${MD_LABELS[c]} | ${names.map((n) => busy(n, c)).join(' | ')} |`);
  return L;
}

function otherRows() {
  const r = results;
  const L = [];
  const w = r.worker?.sizes;
  if (w) {
    const ns = WORKER_SIZES.filter((n) => w[n]);
    L.push(`| worker ms per delta @ ${r.worker.tps} tok/s (${ns.map((n) => DOC_LABELS[n]).join(' / ')}) | ${ns.map((n) => fmt(w[n]?.msPerDelta, 4)).join(' / ')} (1 MB ÷ 10 KB: ${fmt(r.worker.ratio1mTo10k, 2)}; rich ÷ plain: ${fmt(r.worker.richToPlain, 2)}) |`);
    if (w['rich-off']) L.push(`| worker ms per delta, rich 100 KB, math and highlighting on / off | ${fmt(w.rich?.msPerDelta, 4)} / ${fmt(w['rich-off'].msPerDelta, 4)} (on ÷ off: ${fmt(r.worker.richOnToOff, 2)}) |`);
    L.push(`| … in the last 10 % of the stream | ${ns.map((n) => fmt(w[n]?.tailMsPerDelta, 4)).join(' / ')} (1 MB ÷ 10 KB: ${fmt(r.worker.tailRatio1mTo10k, 2)}) |`);
  } else if (r.worker?.error) L.push(`| worker ms per delta | error: ${r.worker.error.split('\n')[0]} |`);
  if (r.latency?.['llm-stream']) {
    L.push(`| chunk arrival → DOM patched @ ${r.latency.tps} tok/s, p50 / p95 | ${fmt(r.latency['llm-stream'].p50Ms, 1)} / ${fmt(r.latency['llm-stream'].p95Ms, 1)} ms (floor: ${fmt(r.latency.floor?.p50Ms, 1)} / ${fmt(r.latency.floor?.p95Ms, 1)} ms) |`);
  } else if (r.latency?.error) L.push(`| latency | error: ${r.latency.error.split('\n')[0]} |`);
  const fp = r.firstpaint;
  if (fp?.cold?.n || fp?.warm?.n) {
    const one = (x) => `p50 ${fmt(x.paintP50Ms, 1)} / p95 ${fmt(x.paintP95Ms, 1)} ms (text in the DOM p50 ${fmt(x.textP50Ms, 1)} ms, n = ${x.n})`;
    L.push(`| start() → first painted text (\`${fp.answer}\` answer, full speed) | cold worker: ${one(fp.cold)}; warm: ${one(fp.warm)} |`);
  } else if (fp?.error) L.push(`| first painted text | error: ${fp.error.split('\n')[0]} |`);
  if (r.ramp?.steps) {
    const att = (s) => s.attempts.map((a) => `${a.longTasks} LT/lag ${fmt(a.lagMs)} ms`).join(', ');
    L.push(`| highest sustained tokens/s (0 long tasks, lag ≤ ${r.ramp.lagLimitMs} ms) | **${r.ramp.sustainedTps}**${r.ramp.sustainedTps === RAMP.rates[RAMP.rates.length - 1] ? ' (the top of the ramp)' : ''} — ${r.ramp.steps.map((s) => `${s.tps}: ${att(s)}`).join('; ')} |`);
  } else if (r.ramp?.error) L.push(`| sustained tokens/s | error: ${r.ramp.error.split('\n')[0]} |`);
  if (r.concurrent?.heapAfter) {
    const c = r.concurrent;
    L.push(`| ${c.streams} concurrent streams @ ${c.tps} tok/s | ${c.ok}/${c.streams} done, ${c.longTasks} long tasks (max ${fmt(c.longTaskMaxMs)} ms), ${c.loafs} long frames; main heap ${c.heapBefore.mainMB} → peak ${c.peakMainHeapMB} → ${c.heapAfter.mainMB} MB after GC; worker heap ${c.heapBefore.workerMB} → ${c.heapAfter.workerMB} MB |`);
  } else if (r.concurrent?.error) L.push(`| concurrent streams | error: ${r.concurrent.error.split('\n')[0]} |`);
  if (r.sequential?.heapAfter) {
    const s = r.sequential;
    L.push(`| ${s.streams} sequential streams, heap vs baseline (after GC) | main ${s.heapBaseline.mainMB} → ${s.heapAfter.mainMB} MB (${s.mainGrowthMB >= 0 ? '+' : ''}${s.mainGrowthMB}), worker ${s.heapBaseline.workerMB} → ${s.heapAfter.workerMB} MB (${s.workerGrowthMB >= 0 ? '+' : ''}${s.workerGrowthMB}); ${s.ok}/${s.streams} done, ${s.msPerStream} ms each |`);
  } else if (r.sequential?.error) L.push(`| sequential streams | error: ${r.sequential.error.split('\n')[0]} |`);
  if (r.abort?.p95Ms !== undefined) {
    L.push(`| abort → server sees close, p50 / p95 (${r.abort.samples} samples) | ${fmt(r.abort.p50Ms, 1)} / ${fmt(r.abort.p95Ms, 1)} ms |`);
  } else if (r.abort?.error) L.push(`| abort | error: ${r.abort.error.split('\n')[0]} |`);
  if (r.size?.cdnGzipKB !== undefined) L.push(`| CDN file (dist/llm-stream.cdn.js) | ${(r.size.cdnBytes / 1024).toFixed(1)} KB, ${r.size.cdnGzipKB} KB gzip |`);
  if (r.size?.mainThreadGzipKB !== undefined) L.push(`| CDN file: main-thread share (without the inline worker) | ${r.size.mainThreadGzipKB} KB gzip (${Math.round(r.size.mainThreadShare * 100)} %); inline worker ${r.size.workerGzipKB} KB |`);
  if (r.flicker?.total) {
    L.push(`| flicker: characters shown then vanished, ${r.flicker.documents.length} answers in ${r.flicker.deltaChars}-char deltas — ours / naive \`marked.parse\` | **${r.flicker.total.ours}** / ${r.flicker.total.naive} |`);
  } else if (r.flicker?.error) L.push(`| flicker | error: ${r.flicker.error.split('\n')[0]} |`);
  return L;
}

function traceTable() {
  const tr = results.trace?.contenders;
  if (!tr?.['llm-stream']?.groups) return [];
  const groups = ['script', 'style', 'layout', 'paint + composite', 'html parse', 'gc', 'other'];
  const L = [`| contender | total | ${groups.join(' | ')} |`, `|---|---:|${groups.map(() => '---:').join('|')}|`];
  for (const [c, t] of Object.entries(tr)) L.push(`| ${MD_LABELS[c]} | ${fmt(t.totalMs)} | ${groups.map((g) => fmt(t.groups?.[g] ?? 0)).join(' | ')} |`);
  return L;
}

function targetsTable() {
  return ['| target | value | goal | |', '|---|---:|---|---|', ...results.targets.map((t) => `| ${t.name} | ${t.shown ?? '—'} | ${t.target} | **${verdict(t.pass)}** |`)];
}

function markdownReport(command) {
  const r = results;
  const L = [];
  L.push(`Command: \`${command}\` — ${r.meta.date}, ${r.meta.chromium}, ${r.meta.cpus} CPUs, ${r.meta.durationS} s.`, '');
  if (mainSizes().length) {
    L.push(`### Main-thread time (CDP \`TaskDuration\`, median, ms)`, '', ...mainTable(), '');
    L.push(`Main thread busy (main ms ÷ wall ms, %) — near 100 % a contender is saturated: its time is capped by the stream's duration, not by its work:`, '');
    L.push(...busyTable());
    L.push('', documentsLine(), '');
    if (contextLine()) L.push(contextLine(), '');
  }
  L.push('### Other measurements', '', '| measurement | value |', '|---|---|', ...otherRows());
  const tt = traceTable();
  if (tt.length) L.push('', `### Where the main-thread time goes (one traced run each, ${DOC_LABELS[r.trace.size ?? '100k']} @ ${r.trace.tps} tok/s, self time ms)`, '', ...tt);
  L.push('', '### Targets', '', ...targetsTable(), '');
  const f = r.failures ?? [];
  if (f.length) L.push('### Failures', '', ...f.map((x) => `- ${x}`), '');
  return L.join('\n');
}

/** The README's "## Performance" section, regenerated from this run. */
function readmeSection() {
  const r = results;
  const L = [
    '## Performance',
    '',
    `\`npm run bench\` (about ${Math.round((r.meta.durationS ?? 0) / 60)} minutes on ${r.meta.cpus} cores) streams the same answers from the same local mock server at the`,
    'same rate through nine contenders in one headless Chromium, interleaved and rotated per repetition:',
    'two raw-text **floors** (the deltas appended per network read, and once per animation frame — the',
    'physical limit of a renderer that shows every frame), **naive** (`marked.parse` + DOMPurify + `innerHTML`,',
    'per read and per frame), **streaming-markdown**, **streamdown** (React 19, its documented streaming use:',
    'a growing string, incomplete-markdown repair on; a state update per read, and once per frame) and',
    '**`<llm-stream>`**, on the page as the others (its answer, like theirs, grows below the fold after the first',
    'screen: it then patches at 10 Hz, since nobody can see the end) and in a box that follows its end (patched',
    'every frame: the cost while a reader watches it type). Main-thread cost is the CDP `Performance.getMetrics` `TaskDuration` delta (script,',
    'style, layout, paint) of one answer. The machine is shared and noisy (2 cores, other engineers run',
    'tests): **the ratios measured within one run are the point, not the absolute times**. Every contender\'s',
    'final text is checked against what it was sent; a contender that runs out of its time budget is',
    'reported as a lower bound (`≥`). Details, rates and what each number means:',
    '[`test/bench/README.md`](test/bench/README.md); raw data and more tables:',
    `[\`test/bench/results/\`](test/bench/results/results.md). Latest run: ${r.meta.date}, ${r.meta.chromium}.`,
    '',
    ...mainTable(),
    '',
    documentsLine(),
    '',
    '![Main-thread time per contender and document](test/bench/results/chart.png)',
    '',
    ...(contextLine() ? [contextLine(), ''] : []),
    ...busyTable(),
    '',
    ...targetsTable(),
    '',
    '| measurement | value |',
    '|---|---|',
    ...otherRows(),
    '',
  ];
  return L.join('\n');
}

/** Replace README.md's "## Performance" section (up to the next `## ` heading) with `section`. */
function writeReadmeSection(section) {
  const file = new URL('README.md', ROOT);
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('\n## Performance\n');
  if (start < 0) throw new Error('README.md has no "## Performance" section');
  const next = text.indexOf('\n## ', start + 1);
  writeFileSync(file, text.slice(0, start + 1) + section + (next < 0 ? '' : text.slice(next)));
}

const COLORS = {
  floor: '#b0b0b0',
  'floor-frame': '#6b6b6b',
  naive: '#d62728',
  'naive-frame': '#ff9f1c',
  smd: '#1f77b4',
  streamdown: '#9467bd',
  'streamdown-frame': '#c5b0d5',
  'llm-stream': '#2ca02c',
  'llm-stream-follow': '#98df8a',
};

/** Grouped bars, log scale: main-thread ms per contender, one group per document. */
function chartSvg() {
  const sizes = mainSizes();
  const cs = mainContenders();
  const W = 980;
  const H = 480;
  const m = { l: 70, r: 210, t: 44, b: 56 };
  const vals = sizes.flatMap((n) => [...cs.map((c) => results.main.sizes[n].median[c]?.mainMs), results.main.sizes[n].streamMs]).filter((v) => v > 0);
  const yMin = Math.min(...vals) / 1.6;
  const yMax = Math.max(...vals) * 1.4;
  const ticks = [];
  for (let e = Math.floor(Math.log10(yMin)); e <= Math.ceil(Math.log10(yMax)); e++) {
    for (const k of [1, 2, 5]) if (k * 10 ** e >= yMin && k * 10 ** e <= yMax) ticks.push(k * 10 ** e);
  }
  const Y = (v) => H - m.b - ((Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * (H - m.t - m.b);
  const groupW = (W - m.l - m.r) / sizes.length;
  const barW = (groupW * 0.82) / cs.length;
  const esc = (x) => x.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const P = [];
  P.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="13">`);
  P.push(`<defs><pattern id="lb" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff" fill-opacity="0.0"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2.5"/></pattern></defs>`);
  P.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  P.push(`<text x="${m.l}" y="26" font-size="15" font-weight="bold">Main-thread time per streamed answer (median ms, log scale; lower is better)</text>`);
  for (const v of ticks) {
    P.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${Y(v)}" y2="${Y(v)}" stroke="#e4e4e4"/>`);
    P.push(`<text x="${m.l - 8}" y="${Y(v) + 4}" text-anchor="end">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`);
  }
  for (const [g, n] of sizes.entries()) {
    const x0 = m.l + g * groupW + groupW * 0.09;
    const s = results.main.sizes[n];
    for (const [k, c] of cs.entries()) {
      const med = s.median[c];
      if (!(med?.mainMs > 0)) continue;
      const x = x0 + k * barW;
      const y = Y(Math.max(yMin, med.mainMs));
      P.push(`<rect x="${x}" y="${y}" width="${barW - 1.5}" height="${H - m.b - y}" fill="${COLORS[c]}"/>`);
      if (med.lowerBound) {
        P.push(`<rect x="${x}" y="${y}" width="${barW - 1.5}" height="${H - m.b - y}" fill="url(#lb)"/>`);
        P.push(`<text x="${x + barW / 2}" y="${y - 4}" text-anchor="middle" font-size="12">≥</text>`);
      }
    }
    // the stream's own duration: a bar reaching this line kept the main thread 100 % busy
    const yd = Y(Math.min(yMax, s.streamMs));
    P.push(`<line x1="${x0 - 3}" x2="${x0 + cs.length * barW + 1}" y1="${yd}" y2="${yd}" stroke="#333" stroke-dasharray="5 4" stroke-width="1.5"/>`);
    P.push(`<text x="${m.l + (g + 0.5) * groupW}" y="${H - m.b + 18}" text-anchor="middle">${esc(DOC_LABELS[n])}</text>`);
    P.push(`<text x="${m.l + (g + 0.5) * groupW}" y="${H - m.b + 34}" text-anchor="middle" fill="#666" font-size="11">${s.tps} tok/s, ${(s.streamMs / 1000).toFixed(1)} s stream</text>`);
  }
  P.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#999"/>`);
  for (const [k, c] of cs.entries()) {
    const ly = m.t + 14 + k * 24;
    P.push(`<rect x="${W - m.r + 16}" y="${ly - 11}" width="22" height="13" fill="${COLORS[c]}"/>`);
    P.push(`<text x="${W - m.r + 46}" y="${ly}"${c === 'llm-stream' ? ' font-weight="bold"' : ''}>${esc(LABELS[c])}</text>`);
  }
  const ly = m.t + 14 + cs.length * 24 + 6;
  P.push(`<line x1="${W - m.r + 16}" x2="${W - m.r + 38}" y1="${ly - 4}" y2="${ly - 4}" stroke="#333" stroke-dasharray="5 4" stroke-width="1.5"/>`);
  P.push(`<text x="${W - m.r + 46}" y="${ly}">stream duration</text>`);
  P.push(`<text x="${W - m.r + 46}" y="${ly + 16}" fill="#666" font-size="11">(= 100 % busy)</text>`);
  P.push(`<text x="${W - m.r + 16}" y="${ly + 40}" font-size="12">≥ hatched: stopped at the</text>`);
  P.push(`<text x="${W - m.r + 16}" y="${ly + 56}" font-size="12">run's budget (lower bound)</text>`);
  P.push('</svg>');
  return P.join('\n');
}

async function renderChart(browser, file) {
  const page = await browser.newPage({ viewport: { width: 980, height: 480 } });
  await page.setContent(`<!doctype html><body style="margin:0">${chartSvg()}</body>`);
  await page.locator('svg').screenshot({ path: file });
  await page.close();
}

/** PASS / MISS, one line per target. */
function printTargets() {
  console.log('\nTargets:');
  for (const t of results.targets) console.log(`  ${verdict(t.pass).padEnd(8)} ${t.name}: ${t.shown ?? '—'} (goal ${t.target})`);
}

// ---------------------------------------------------------------------------------------------

/** `--replot`: re-render results.md, chart.png and the README section from the saved results.json (no measuring). */
async function replot() {
  const dir = OUT_DIR ? pathToFileURL(path.resolve(OUT_DIR) + '/') : new URL('results/', HERE);
  Object.assign(results, JSON.parse(readFileSync(new URL('results.json', dir), 'utf8')));
  results.targets = evaluateTargets();
  writeFileSync(new URL('results.md', dir), markdownReport(results.meta.command ?? 'npm run bench'));
  if (!OUT_DIR && results.meta.fullRun) writeReadmeSection(readmeSection());
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    await renderChart(browser, new URL('chart.png', dir).pathname);
  } finally {
    await browser.close();
  }
  printTargets();
}

async function main() {
  if (flag('replot')) return replot();
  const command = 'npm run bench';
  snapshotDist();
  if (!dist.has('/dist/llm-stream.js')) throw new Error('dist/llm-stream.js is missing: run `npm run build` first');
  const [vendor, vendorReact] = await Promise.all([bundleVendor(), bundleReactVendor()]);
  const files = {
    '/bench/page.html': { type: 'text/html; charset=utf-8', body: () => readFileSync(new URL('page.html', HERE)) },
    '/bench/empty.html': { type: 'text/html; charset=utf-8', body: () => '<!doctype html><title>size</title><link rel="icon" href="data:,">' },
    '/bench/contenders.js': { type: 'text/javascript', body: () => readFileSync(new URL('contenders.js', HERE)) },
    '/bench/vendor.js': { type: 'text/javascript', body: () => vendor },
    '/bench/vendor-react.js': { type: 'text/javascript', body: () => vendorReact },
  };
  const handler = makeHandler(files);
  const main = await listen(handler);
  const extra = await Promise.all(Array.from({ length: 8 }, () => listen(handler)));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const ctx = { browser, origin: main.origin, extraOrigins: extra.map((e) => e.origin) };
  // A full run (every phase, document and contender, saved to results/) also rewrites the README section.
  const fullRun = !QUICK && !ONLY && !opt('sizes', '') && !opt('rate', '') && !opt('contenders', '') && !opt('reps', '') && !opt('sequential', '') && !opt('budget-factor', '') && !opt('budget-slack-ms', '') && SAVE && !OUT_DIR;
  results.meta = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    node: process.version,
    chromium: `Chromium ${browser.version()}`,
    cpus: os.cpus().length,
    quick: QUICK,
    reps: REPS,
    fullRun,
    streamdown: JSON.parse(readFileSync(new URL('node_modules/streamdown/package.json', ROOT), 'utf8')).version,
    react: JSON.parse(readFileSync(new URL('node_modules/react/package.json', ROOT), 'utf8')).version,
  };
  try {
    // Short phases first, so that a slow main phase can only squeeze the optional trace.
    await phase('size', 30_000, () => sizePhase(ctx));
    await phase('flicker', 120_000, flickerPhase);
    await phase('abort', 40_000, () => abortPhase(ctx));
    await phase('latency', 40_000, () => latencyPhase(ctx));
    await phase('firstpaint', 90_000, () => firstPaintPhase(ctx));
    await phase('main', 660_000, () => mainPhase(ctx));
    await phase('worker', 150_000, () => workerPhase(ctx));
    await phase('ramp', 90_000, () => rampPhase(ctx));
    await phase('concurrent', 60_000, () => concurrentPhase(ctx));
    await phase('sequential', 90_000, () => sequentialPhase(ctx));
    await phase('trace', 90_000, () => tracePhase(ctx));
    results.meta.durationS = Math.round((performance.now() - started) / 1000);
    results.targets = evaluateTargets();
    results.failures = failures;
    results.meta.command = command + (args.length ? ` -- ${args.join(' ')}` : '');
    const md = markdownReport(results.meta.command);
    console.log('\n' + md);
    if (SAVE) {
      const dir = OUT_DIR ? pathToFileURL(path.resolve(OUT_DIR) + '/') : new URL('results/', HERE);
      mkdirSync(dir, { recursive: true });
      writeFileSync(new URL('results.json', dir), JSON.stringify(results, null, 2) + '\n');
      writeFileSync(new URL('results.md', dir), md);
      if (results.main?.sizes && !results.main.error) {
        try {
          await renderChart(browser, new URL('chart.png', dir).pathname);
        } catch (error) {
          log(`chart: ${error.message}`);
        }
      }
      if (fullRun) writeReadmeSection(readmeSection());
      log(`wrote ${OUT_DIR || 'test/bench/results'}/results.json, results.md, chart.png${fullRun ? ', README.md "## Performance"' : ''}`);
    }
    printTargets();
  } finally {
    await browser.close().catch(() => {});
    mock.dispose();
    for (const s of [main, ...extra]) s.server.closeAllConnections?.(), s.server.close();
  }
  if (failures.length) {
    console.error(`\nBENCH FAILED — ${failures.length} problem${failures.length > 1 ? 's' : ''}:`);
    for (const f of failures) console.error(`  - ${f}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
