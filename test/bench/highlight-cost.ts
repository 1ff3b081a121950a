// The cost of live highlighting per delta (issue 14 item 2), measured on the markdown engine itself —
// the code the worker runs, here in Node, so the numbers are the engine's alone (no thread hops).
//
//   node --import tsx test/bench/highlight-cost.ts [--lines=2000] [--delta=4] [--reps=3]
//
// One fenced TypeScript block of `--lines` lines (the bench corpus's TypeScript, repeated), written
// `--delta` characters at a time with one flush per delta (the worst case: the worker flushes once
// per ~16 ms batch, usually many deltas). Three engines, interleaved, best of `--reps` runs:
//   off    no highlighter: the tail's code is plain (what `highlight="off"` does);
//   live   our highlighter: complete lines highlighted once each (src/markdown/highlight.ts);
//   whole  a highlighter that re-highlights the block's complete lines on every flush (the approach
//          the issue rules out), for comparison.
// 1. The whole block streamed, `off` and `live`: per delta mean, median, p95, max ms, the mean over
//    the last 10 % (where the block is longest), characters handed to highlight.js per delta, and
//    the one-time cost of the commit (`end()`, which highlights the block whole once).
// 2. All three at points of the block (`--at=` line counts): the prefix written and flushed untimed,
//    then `--sample` deltas timed. (Streaming the whole block with `whole` is quadratic: minutes.)
// Timing stays out of `npm test`.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import hljs from 'highlight.js/lib/common';
import { createHighlighter, type HljsApi, type HljsResult } from '../../src/markdown/highlight.js';
import { createMarkdownEngine } from '../../src/markdown/markdown-engine.js';
import { escapeHtml } from '../../src/markdown/dom-contract.js';
import type { Highlighter } from '../../src/markdown/renderer.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const lineCount = option('lines', 2000);
const deltaSize = option('delta', 4);
const reps = option('reps', 3);
const sample = option('sample', 50);
const points = (args.find((a) => a.startsWith('--at='))?.slice(5) ?? '250,500,1000,1500,1950').split(',').map(Number);

const corpus = readFileSync(new URL('./corpus/400k.md', import.meta.url), 'utf8');
const tsLines = [...corpus.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].flatMap((m) => (m[1] ?? '').replace(/\n$/, '').split('\n'));
const code = `${Array.from({ length: lineCount }, (_, i) => tsLines[i % tsLines.length] ?? '').join('\n')}\n`;
const text = `Here is the module:\n\n\`\`\`ts\n${code}\`\`\`\n\nThat is all.\n`;
const deltas: string[] = [];
for (let i = 0; i < text.length; i += deltaSize) deltas.push(text.slice(i, i + deltaSize));

let highlighted = 0;
const counting: HljsApi = {
  getLanguage: (name) => hljs.getLanguage(name),
  highlight: (source, options): HljsResult => {
    highlighted += source.length;
    return hljs.highlight(source, options) as unknown as HljsResult;
  },
};

/** The ruled-out approach: every flush highlights all complete lines of the block again. */
function wholeBlockHighlighter(): Highlighter {
  const base = createHighlighter(counting);
  const highlight: Highlighter = (source, language) => base(source, language);
  highlight.live = () => (source, language, open) => {
    if (!counting.getLanguage(language)) return null;
    const cut = open ? source.lastIndexOf('\n') + 1 : source.length;
    const html = base(source.slice(0, cut), language) ?? '';
    return open ? html + escapeHtml(source.slice(cut)) : html;
  };
  return highlight;
}

const engines: Record<string, () => Highlighter | null> = {
  off: () => null,
  live: () => createHighlighter(counting),
  whole: wholeBlockHighlighter,
};

interface Run {
  perDelta: number[];
  chars: number;
  endMs: number;
}

function run(make: () => Highlighter | null): Run {
  highlighted = 0;
  const engine = createMarkdownEngine({ highlight: make(), now: () => 0 });
  const perDelta: number[] = [];
  for (const delta of deltas) {
    const started = performance.now();
    engine.write(delta);
    engine.flush();
    perDelta.push(performance.now() - started);
  }
  const chars = highlighted;
  const started = performance.now();
  engine.end();
  return { perDelta, chars, endMs: performance.now() - started };
}

const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);
const quantile = (values: number[], q: number): number => sorted(values)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? 0;
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/** Per-delta ms of `sample` deltas written after the first `lines` lines of the block (flushed once, untimed). */
function sampleAt(make: () => Highlighter | null, lines: number): { ms: number; chars: number } {
  const prefixEnd = text.indexOf('```ts\n') + 6 + code.split('\n').slice(0, lines).join('\n').length + 1;
  const engine = createMarkdownEngine({ highlight: make(), now: () => 0 });
  engine.write(text.slice(0, prefixEnd - 3)); // ends mid-line: the sample completes it and goes on
  engine.flush();
  highlighted = 0;
  const times: number[] = [];
  for (let i = prefixEnd - 3; times.length < sample; i += deltaSize) {
    const started = performance.now();
    engine.write(text.slice(i, i + deltaSize));
    engine.flush();
    times.push(performance.now() - started);
  }
  return { ms: mean(times), chars: highlighted / sample };
}

const best: Record<string, Run> = {};
for (let rep = 0; rep < reps; rep++) {
  for (const name of ['off', 'live']) {
    const result = run(engines[name]!);
    if (!best[name] || mean(result.perDelta) < mean(best[name].perDelta)) best[name] = result;
  }
}

console.log(`${lineCount}-line TypeScript block (${(code.length / 1024).toFixed(1)} KB), ${deltas.length} deltas of ${deltaSize} characters, one flush each; best of ${reps}`);
console.log('engine   mean ms  median ms  p95 ms   max ms  last-10% mean ms  chars highlighted/delta  end() ms');
for (const [name, result] of Object.entries(best)) {
  const last = result.perDelta.slice(Math.floor(result.perDelta.length * 0.9));
  console.log([
    name.padEnd(6),
    mean(result.perDelta).toFixed(3).padStart(8),
    quantile(result.perDelta, 0.5).toFixed(3).padStart(10),
    quantile(result.perDelta, 0.95).toFixed(3).padStart(7),
    Math.max(...result.perDelta).toFixed(1).padStart(8),
    mean(last).toFixed(3).padStart(17),
    (result.chars / deltas.length).toFixed(1).padStart(24),
    result.endMs.toFixed(1).padStart(9),
  ].join(' '));
}

console.log(`\nper delta at a point of the block (${sample} deltas after the first N lines; best of ${reps}): ms (characters highlighted per delta)`);
console.log(`engine ${points.map((n) => `${n} lines`.padStart(20)).join('')}`);
for (const [name, make] of Object.entries(engines)) {
  const cells = points.map((n) => {
    let result = sampleAt(make, n);
    for (let rep = 1; rep < reps; rep++) {
      const again = sampleAt(make, n);
      if (again.ms < result.ms) result = again;
    }
    return `${result.ms.toFixed(3)} (${result.chars.toFixed(0)})`.padStart(20);
  });
  console.log(`${name.padEnd(6)} ${cells.join('')}`);
}
