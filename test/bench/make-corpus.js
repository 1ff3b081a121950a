// The benchmark corpus: mixed markdown answers of 10 KB, 100 KB and 1 MB, and a rich 100 KB answer.
//
//   node test/bench/make-corpus.js      # rewrites the committed files in test/bench/corpus/
//
// Plain: one deterministic stream of varied sections (prose, nested lists, tables, code fences in
// several languages, quotes, links, emphasis) — the kind of answer a model writes for a long technical
// question. The three documents are prefixes of that stream, each cut at the section boundary nearest
// to its target size, so the smaller documents are the beginnings of the larger ones and a comparison
// across sizes measures only the effect of size.
//
// Rich: a structured answer (test/mock-llm `MockAnswer`): reasoning first (streamed as OpenAI
// `delta.reasoning_content`), then an answer with inline and display math (`$…$`, `$$…$$`), code in six
// languages (ts, python, rust, go, sql, bash) and tables, about 100 KB in all.
//
// `corpus/10k.md`, `corpus/100k.md`, `corpus/400k.md`, `corpus/rich-100k.reasoning.md` and
// `corpus/rich-100k.md` are committed (the flicker phase and other tools read them as files; the bench
// itself does not stream the 400 KB one); the 1 MB document is generated at bench start by
// `makeCorpus()` (run.js checks that the committed files are what it generates).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PLAIN_TARGETS = /** @type {const} */ ([
  ['10k', 10 * 1024],
  ['100k', 100 * 1024],
  ['400k', 400 * 1024],
  ['1m', 1024 * 1024],
]);
/** The plain documents written to corpus/ (the 1 MB one is generated on demand; 400k is kept for tools that read it). */
const COMMITTED = ['10k', '100k', '400k'];
const RICH_TARGET = 100 * 1024;
const PLAIN_SEED = 0x5eed1234;
const RICH_SEED = 0x71c4a11;

// ---------------------------------------------------------------------------------------------
// deterministic randomness

let seed = PLAIN_SEED;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
/** @template T @param {readonly T[]} list @returns {T} */
const pick = (list) => /** @type {T} */ (list[Math.floor(rand() * list.length)]);
/** @param {number} lo @param {number} hi */
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
/** @param {string} s */
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

// ---------------------------------------------------------------------------------------------
// vocabulary

const SUBJECTS = [
  'the cache layer', 'the request handler', 'a background job', 'the connection pool', 'the scheduler',
  'the parser', 'each worker', 'the retry loop', 'the index', 'the load balancer', 'the client library',
  'the migration script', 'the event bus', 'the rate limiter', 'the session store', 'the query planner',
  'the build step', 'the deploy pipeline', 'the message queue', 'the feature flag service',
];
const VERBS = [
  'keeps', 'rejects', 'batches', 'retries', 'records', 'drops', 'validates', 'compresses', 'streams',
  'serializes', 'invalidates', 'replays', 'splits', 'merges', 'caches', 'throttles', 'logs', 'schedules',
];
const OBJECTS = [
  'recent responses', 'stale entries', 'incoming requests', 'partial writes', 'expired tokens',
  'duplicate events', 'large payloads', 'slow queries', 'failed jobs', 'open connections',
  'user sessions', 'config changes', 'schema updates', 'metrics samples', 'upload chunks',
];
const REASONS = [
  'so repeated lookups return in under a millisecond',
  'which keeps the tail latency predictable under load',
  'because the upstream service cannot absorb bursts',
  'so that a crash never leaves the data half written',
  'which is why the memory footprint stays flat over a long run',
  'so the dashboard shows what the system actually did',
  'because clients tend to retry all at once after an outage',
  'which makes the behaviour easy to reproduce in a test',
  'so an operator can tell a slow disk from a slow network',
  'because the default timeout is far too generous for interactive use',
];
const OPENERS = [
  'In practice,', 'Under the hood,', 'By default,', 'In most deployments,', 'When traffic spikes,',
  'During a rolling restart,', 'On a cold start,', 'For small teams,', 'In our measurements,',
  'As a rule of thumb,', 'In the worst case,', 'Once the queue is warm,',
];
const ADJ = ['simple', 'robust', 'cheap', 'predictable', 'explicit', 'boring', 'observable', 'incremental'];
const NOUNS = [
  'timeout', 'backoff', 'checkpoint', 'snapshot', 'quota', 'watermark', 'lease', 'heartbeat', 'shard',
  'replica', 'cursor', 'buffer', 'handshake', 'manifest', 'fallback', 'budget',
];
const TOPICS = [
  'Caching strategy', 'Retries and backoff', 'Connection management', 'Schema migrations', 'Observability',
  'Rate limiting', 'Error handling', 'Data validation', 'Deployment', 'Configuration', 'Testing strategy',
  'Security review', 'Capacity planning', 'Streaming responses', 'Pagination', 'Background jobs',
  'Feature flags', 'Search indexing', 'Authentication', 'Cost control',
];
const SITES = [
  ['the HTTP caching RFC', 'https://www.rfc-editor.org/rfc/rfc9111'],
  ['MDN on fetch', 'https://developer.mozilla.org/en-US/docs/Web/API/Fetch_API'],
  ['the PostgreSQL manual', 'https://www.postgresql.org/docs/current/index.html'],
  ['the Node.js streams guide', 'https://nodejs.org/api/stream.html'],
  ['the Python docs', 'https://docs.python.org/3/library/asyncio.html'],
  ['the Rust book', 'https://doc.rust-lang.org/book/'],
  ['the Go blog', 'https://go.dev/blog/'],
  ['the WHATWG streams spec', 'https://streams.spec.whatwg.org/'],
  ['web.dev', 'https://web.dev/articles/optimize-long-tasks'],
  ['the SQLite docs', 'https://www.sqlite.org/wal.html'],
];
const IDENTS = [
  'fetchUser', 'loadConfig', 'retryWithBackoff', 'parseHeader', 'flushQueue', 'openSession', 'readChunk',
  'computeDigest', 'resolveRoute', 'applyPatch', 'scheduleJob', 'encodeFrame', 'trimCache', 'pickReplica',
];

// ---------------------------------------------------------------------------------------------
// inline text

function inlineCode() {
  return '`' + pick([`${pick(IDENTS)}()`, `max_${pick(NOUNS)}s`, `--${pick(NOUNS)}-ms`, `${pick(NOUNS)}.enabled`, 'null', '429', 'ETag']) + '`';
}
function link() {
  const [label, href] = pick(SITES);
  return `[${label}](${href})`;
}
function sentence() {
  let s = `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)}, ${pick(REASONS)}`;
  if (rand() < 0.45) s = `${pick(OPENERS)} ${s}`;
  else s = cap(s);
  const r = rand();
  if (r < 0.12) s = s.replace(/ (\w+),/, ' **$1**,');
  else if (r < 0.22) s = s.replace(/ (\w+) (\w+)$/, ' *$1* $2');
  else if (r < 0.34) s += ` (see ${inlineCode()})`;
  else if (r < 0.40) s += `; ${link()} explains the details`;
  else if (r < 0.44) s += ` — set ${inlineCode()} to change it`;
  return s + pick(['.', '.', '.', '.', '!', '.']);
}
/** @param {number} n */
function paragraph(n = int(2, 5)) {
  return Array.from({ length: n }, sentence).join(' ');
}
function shortItem() {
  const r = rand();
  if (r < 0.3) return `**${cap(pick(NOUNS))}**: ${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)}.`;
  if (r < 0.5) return `Use ${inlineCode()} when ${pick(OBJECTS)} pile up.`;
  if (r < 0.6) return `Read ${link()} before changing the ${pick(NOUNS)}.`;
  return cap(`${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(REASONS)}.`);
}

// ---------------------------------------------------------------------------------------------
// blocks

function nestedList() {
  const ordered = rand() < 0.4;
  const lines = [];
  const n = int(3, 6);
  for (let i = 1; i <= n; i++) {
    lines.push(`${ordered ? `${i}.` : '-'} ${shortItem()}`);
    if (rand() < 0.5) {
      const pad = ordered ? '   ' : '  ';
      const m = int(1, 3);
      for (let j = 0; j < m; j++) {
        lines.push(`${pad}- ${shortItem()}`);
        if (rand() < 0.3) lines.push(`${pad}  - ${shortItem()}`);
      }
    }
  }
  return lines.join('\n');
}

function table() {
  const cols = int(3, 6);
  const header = ['Option', 'Default', 'Range', 'Effect', 'Since', 'Notes'].slice(0, cols);
  const align = header.map((_, i) => (i === 0 ? ':---' : i === 1 ? '---:' : i === 2 ? ':---:' : '---'));
  const rows = [];
  const n = int(3, 9);
  for (let r = 0; r < n; r++) {
    const cells = [
      '`' + `${pick(NOUNS)}_${pick(['ms', 'count', 'bytes', 'ratio', 'mode'])}` + '`',
      String(int(1, 64) * pick([1, 10, 100, 1000])),
      `${int(0, 9)}–${int(10, 9999)}`,
      `${cap(pick(VERBS))} ${pick(OBJECTS)}`,
      `v${int(1, 4)}.${int(0, 19)}`,
      rand() < 0.3 ? `*${pick(ADJ)}*` : rand() < 0.5 ? link() : cap(pick(REASONS).split(' ').slice(0, 5).join(' ')),
    ].slice(0, cols);
    rows.push(`| ${cells.join(' | ')} |`);
  }
  return [`| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows].join('\n');
}

function quote() {
  const lines = [`> **${pick(['Note', 'Warning', 'Tip', 'Important'])}:** ${paragraph(int(1, 2))}`];
  if (rand() < 0.4) lines.push('>', `> ${sentence()}`);
  return lines.join('\n');
}

const CODE = {
  ts() {
    const name = pick(IDENTS);
    const out = [
      `interface ${cap(pick(NOUNS))}Options {`,
      `  ${pick(NOUNS)}Ms: number;`,
      `  maxAttempts?: number;`,
      `  signal?: AbortSignal;`,
      '}',
      '',
      `export async function ${name}(url: string, options: ${cap(pick(NOUNS))}Options): Promise<Response> {`,
      '  let attempt = 0;',
      '  for (;;) {',
    ];
    // Now and then a long fence (a whole module), as models write when asked for complete code.
    for (let i = 0, n = rand() < 0.2 ? int(50, 110) : int(4, 24); i < n; i++) {
      out.push(pick([
        `    const delay = Math.min(${int(2, 30) * 100}, ${int(1, 9) * 50} * 2 ** attempt);`,
        `    if (options.signal?.aborted) throw new DOMException('aborted', 'AbortError');`,
        `    const res = await fetch(url, { signal: options.signal, headers: { 'x-attempt': String(attempt) } });`,
        `    if (res.status === ${pick([429, 503, 502, 408])}) { await sleep(delay); attempt++; continue; }`,
        `    // ${cap(pick(SUBJECTS))} ${pick(VERBS)} ${pick(OBJECTS)} here.`,
        `    log.debug({ attempt, url }, '${pick(IDENTS)} took %d ms', performance.now() - started);`,
        `    const body = (await res.json()) as Record<string, unknown>;`,
        `    if (!res.ok && attempt >= (options.maxAttempts ?? ${int(2, 5)})) throw new HttpError(res.status, body);`,
      ]));
    }
    out.push('    return res;', '  }', '}');
    return ['ts', out];
  },
  python() {
    const cls = cap(pick(NOUNS)) + 'Store';
    const out = ['import asyncio', 'import time', 'from dataclasses import dataclass, field', '', '', '@dataclass', `class ${cls}:`,
      `    ttl_seconds: float = ${int(1, 600)}.0`, '    _items: dict[str, tuple[float, bytes]] = field(default_factory=dict)', ''];
    for (let i = 0, n = int(2, 6); i < n; i++) {
      const fn = pick(['get', 'put', 'evict', 'refresh', 'snapshot', 'restore', 'prune']) + `_${pick(NOUNS)}`;
      out.push(`    async def ${fn}(self, key: str) -> bytes | None:`, `        """${cap(pick(SUBJECTS))} ${pick(VERBS)} ${pick(OBJECTS)}."""`);
      for (let j = 0, m = int(2, 7); j < m; j++) {
        out.push(pick([
          '        now = time.monotonic()',
          '        entry = self._items.get(key)',
          '        if entry is None or now - entry[0] > self.ttl_seconds:',
          '            return None',
          `        await asyncio.sleep(${(rand() / 10).toFixed(3)})`,
          `        self._items[key] = (now, b"${pick(NOUNS)}")`,
          '        return entry[1] if entry else None',
        ]));
      }
      out.push('');
    }
    return ['python', out];
  },
  rust() {
    const st = cap(pick(NOUNS));
    const out = ['use std::collections::HashMap;', 'use std::time::{Duration, Instant};', '', '#[derive(Debug, Clone)]',
      `pub struct ${st} {`, '    entries: HashMap<String, (Instant, Vec<u8>)>,', '    ttl: Duration,', '}', '', `impl ${st} {`,
      '    pub fn new(ttl: Duration) -> Self {', '        Self { entries: HashMap::new(), ttl }', '    }', ''];
    for (let i = 0, n = int(1, 4); i < n; i++) {
      out.push(`    pub fn ${pick(['get', 'insert', 'prune', 'len_live'])}_${pick(NOUNS)}(&mut self, key: &str) -> Option<&[u8]> {`);
      for (let j = 0, m = int(2, 6); j < m; j++) {
        out.push(pick([
          '        let now = Instant::now();',
          '        self.entries.retain(|_, (t, _)| now.duration_since(*t) < self.ttl);',
          `        // ${pick(REASONS)}`,
          '        let (_, value) = self.entries.get(key)?;',
          `        debug_assert!(self.entries.len() < ${int(1, 64) * 1024});`,
        ]));
      }
      out.push('        self.entries.get(key).map(|(_, v)| v.as_slice())', '    }', '');
    }
    out.push('}');
    return ['rust', out];
  },
  go() {
    const out = ['package main', '', 'import (', '\t"context"', '\t"fmt"', '\t"net/http"', '\t"time"', ')', '',
      `func ${pick(IDENTS)}(ctx context.Context, client *http.Client, url string) error {`,
      `\tctx, cancel := context.WithTimeout(ctx, ${int(1, 30)}*time.Second)`, '\tdefer cancel()'];
    for (let i = 0, n = int(3, 12); i < n; i++) {
      out.push(pick([
        '\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)',
        '\tif err != nil {\n\t\treturn fmt.Errorf("build request: %w", err)\n\t}',
        '\tresp, err := client.Do(req)',
        '\tdefer resp.Body.Close()',
        `\tif resp.StatusCode >= ${pick([400, 500])} {\n\t\treturn fmt.Errorf("status %d", resp.StatusCode)\n\t}`,
        `\t// ${cap(pick(SUBJECTS))} ${pick(VERBS)} ${pick(OBJECTS)}.`,
      ]));
    }
    out.push('\treturn nil', '}');
    return ['go', out];
  },
  sql() {
    const t = pick(NOUNS) + 's';
    return ['sql', [
      `CREATE TABLE IF NOT EXISTS ${t} (`, '  id BIGSERIAL PRIMARY KEY,', '  owner_id BIGINT NOT NULL REFERENCES users(id),',
      `  state TEXT NOT NULL DEFAULT '${pick(['pending', 'active', 'queued'])}',`, '  created_at TIMESTAMPTZ NOT NULL DEFAULT now()', ');', '',
      `CREATE INDEX CONCURRENTLY ${t}_owner_state_idx ON ${t} (owner_id, state);`, '',
      `SELECT owner_id, count(*) AS n, max(created_at) AS latest`, `FROM ${t}`,
      `WHERE state = 'active' AND created_at > now() - interval '${int(1, 30)} days'`, 'GROUP BY owner_id', 'ORDER BY n DESC', `LIMIT ${int(1, 10) * 10};`,
    ]];
  },
  bash() {
    const out = ['#!/usr/bin/env bash', 'set -euo pipefail', ''];
    for (let i = 0, n = int(3, 10); i < n; i++) {
      out.push(pick([
        `export ${pick(NOUNS).toUpperCase()}_MS=${int(1, 90) * 100}`,
        'for host in $(cat hosts.txt); do\n  ssh "$host" "systemctl reload app" &\ndone\nwait',
        `curl -fsS --retry ${int(2, 5)} "https://api.example.com/v1/${pick(NOUNS)}s?limit=${int(1, 20) * 10}" | jq '.items | length'`,
        `# ${pick(REASONS)}`,
        `psql "$DATABASE_URL" -c "VACUUM (ANALYZE) ${pick(NOUNS)}s;"`,
        `tar -czf backup-$(date +%F).tgz ./data/${pick(NOUNS)}`,
      ]));
    }
    return ['bash', out];
  },
  json() {
    const out = ['{'];
    const n = int(3, 9);
    for (let i = 0; i < n; i++) {
      const key = `${pick(NOUNS)}${cap(pick(['Ms', 'Count', 'Enabled', 'Mode', 'Limit']))}`;
      const value = pick([String(int(0, 5000)), 'true', 'false', `"${pick(ADJ)}"`, `[${int(1, 9)}, ${int(10, 99)}]`]);
      out.push(`  "${key}": ${value}${i < n - 1 ? ',' : ''}`);
    }
    out.push('}');
    return ['json', out];
  },
  css() {
    const out = [];
    for (let i = 0, n = int(2, 5); i < n; i++) {
      out.push(`.${pick(NOUNS)}-${pick(['panel', 'list', 'row', 'badge'])} {`, `  display: ${pick(['grid', 'flex', 'block'])};`,
        `  gap: ${int(1, 6) * 4}px;`, `  color: var(--${pick(NOUNS)}-color, #${int(0x111, 0xeee).toString(16)});`, '}', '');
    }
    return ['css', out];
  },
};

function codeFence() {
  const [lang, lines] = CODE[pick(/** @type {const} */ (['ts', 'ts', 'python', 'python', 'rust', 'go', 'sql', 'bash', 'json', 'css']))]();
  return '```' + lang + '\n' + lines.join('\n') + '\n```';
}

/** @param {number} index */
function section(index) {
  const blocks = [`${index % 5 === 0 ? '##' : '###'} ${index + 1}. ${pick(TOPICS)}: ${pick(ADJ)} ${pick(NOUNS)}s`, paragraph()];
  const kinds = ['prose', 'list', 'code', 'table', 'prose', 'list', 'code', 'quote'];
  for (let i = 0, n = int(2, 5); i < n; i++) {
    const kind = pick(kinds);
    if (kind === 'prose') blocks.push(paragraph());
    else if (kind === 'list') blocks.push(`${cap(pick(['the main points:', 'in short:', 'what to check:', 'steps:']))}`, nestedList());
    else if (kind === 'code') blocks.push(`${cap(pick(['for example:', 'a sketch:', 'here is the core of it:', 'the relevant part:']))}`, codeFence());
    else if (kind === 'table') blocks.push(table());
    else blocks.push(quote());
  }
  if (rand() < 0.15) blocks.push('---');
  return blocks.join('\n\n');
}


// ---------------------------------------------------------------------------------------------
// rich: reasoning, math, code in six languages, tables

const RICH_LANGUAGES = /** @type {const} */ (['ts', 'python', 'rust', 'go', 'sql', 'bash']);
const GREEK = ['\\alpha', '\\beta', '\\lambda', '\\mu', '\\sigma', '\\tau', '\\rho', '\\eta'];
const VARS = ['n', 'k', 't', 'x', 'r', 'q', 'w'];

/** Inline math: no `|` (it would split a table cell), no `*` or `_` pairs that read as emphasis. */
function inlineMath() {
  return '$' + pick([
    () => `O(${pick(VARS)} \\log ${pick(VARS)})`,
    () => `${pick(GREEK)} = ${int(1, 99)}`,
    () => `p_{${pick([50, 90, 95, 99])}} \\approx \\mu + ${(1 + rand() * 2).toFixed(3)}\\sigma`,
    () => `\\frac{${int(1, 9)}}{${int(2, 64)}}`,
    () => `e^{-t/${pick(GREEK)}}`,
    () => `\\sqrt{${int(2, 999)}}`,
    () => `${pick(VARS)}^{${int(2, 4)}} + ${int(1, 9)}${pick(VARS)}`,
    () => {
      const e = int(3, 20);
      return `2^{${e}} = ${2 ** e}`;
    },
    () => `\\lceil ${pick(VARS)} / ${int(2, 16)} \\rceil`,
  ])() + '$';
}

function displayMath() {
  const body = pick([
    () => `\\sum_{i=1}^{${pick(VARS)}} w_i x_i = ${int(1, 999)}`,
    () => `\\mathrm{RTO} = \\mathrm{SRTT} + \\max\\left(G, ${int(2, 6)} \\cdot \\mathrm{RTTVAR}\\right)`,
    () => `\\int_0^{\\infty} e^{-${pick(GREEK)} t}\\,dt = \\frac{1}{${pick(GREEK)}}`,
    () => `\\begin{pmatrix} ${int(0, 9)} & ${int(0, 9)} \\\\ ${int(0, 9)} & ${int(0, 9)} \\end{pmatrix} \\begin{pmatrix} x \\\\ y \\end{pmatrix} = \\begin{pmatrix} ${int(0, 99)} \\\\ ${int(0, 99)} \\end{pmatrix}`,
    () => `P(\\text{${pick(NOUNS)} expires}) = 1 - e^{-${pick(GREEK)} t}, \\quad t \\ge 0`,
    () => `\\begin{aligned} T_{\\text{total}} &= T_{\\text{queue}} + T_{\\text{service}} \\\\ &\\le ${int(5, 500)}\\,\\text{ms} \\end{aligned}`,
    () => `\\bar{x} = \\frac{1}{n} \\sum_{i=1}^{n} x_i, \\qquad s^2 = \\frac{1}{n-1} \\sum_{i=1}^{n} (x_i - \\bar{x})^2`,
  ])();
  return `$$\n${body}\n$$`;
}

function mathSentence() {
  return cap(`${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} in ${inlineMath()} time, ${pick(REASONS)}`) + '.';
}

function mathTable() {
  const header = ['Case', 'Bound', 'Measured', 'Notes'];
  const rows = [];
  for (let r = 0, n = int(3, 7); r < n; r++) {
    rows.push(`| ${cap(pick(OBJECTS))} | ${inlineMath()} | ${int(1, 900)} ms | ${rand() < 0.5 ? '`' + pick(IDENTS) + '()`' : cap(pick(ADJ))} |`);
  }
  return [`| ${header.join(' | ')} |`, '|:---|:---:|---:|---|', ...rows].join('\n');
}

/** The model's reasoning: short numbered steps, a few lists, inline math and code; ends with a blank line. */
function reasoning(target) {
  const blocks = [`Let me work out what the question is really asking: ${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)}, and the answer has to say why.`];
  let step = 0;
  while (blocks.join('\n\n').length < target) {
    const r = rand();
    if (r < 0.45) blocks.push(`${++step}. ${sentence()}${rand() < 0.4 ? ` ${mathSentence()}` : ''}`);
    else if (r < 0.7) blocks.push(paragraph(int(1, 3)));
    else if (r < 0.85) blocks.push(`Things to check:\n\n${nestedList()}`);
    else blocks.push(`Rough estimate: ${inlineMath()} per ${pick(NOUNS)}, so ${inlineMath()} overall — good enough.`);
  }
  blocks.push('Now the answer, with the formulas, code and a table.');
  return blocks.join('\n\n') + '\n\n';
}

/** @param {number} index */
function richSection(index) {
  const lang = RICH_LANGUAGES[index % RICH_LANGUAGES.length];
  const [, lines] = CODE[lang]();
  const blocks = [
    `## ${index + 1}. ${pick(TOPICS)}: ${pick(ADJ)} ${pick(NOUNS)}s`,
    `${paragraph(int(1, 3))} ${mathSentence()}`,
    displayMath(),
    `${pick(['In', 'The same in', 'An implementation in', 'A sketch in'])} ${{ ts: 'TypeScript', python: 'Python', rust: 'Rust', go: 'Go', sql: 'SQL', bash: 'Bash' }[lang]}:`,
    '```' + lang + '\n' + lines.join('\n') + '\n```',
  ];
  const r = rand();
  if (r < 0.45) blocks.push(mathTable());
  else if (r < 0.7) blocks.push(table());
  else if (r < 0.85) blocks.push(nestedList());
  else blocks.push(quote());
  if (rand() < 0.4) blocks.push(`${mathSentence()} ${paragraph(1)}`);
  return blocks.join('\n\n');
}

// ---------------------------------------------------------------------------------------------

const PLAIN_INTRO =
  '# Notes on building a dependable service\n\nShort answer: keep every moving part ' +
  'observable, bounded and boring. The long answer follows, one concern per section.\n\n';

/**
 * The whole corpus, deterministic (the same strings on every call).
 * @returns {{ plain: Record<'10k'|'100k'|'400k'|'1m', string>, rich: { reasoning: string, answer: string } }}
 */
export function makeCorpus() {
  seed = PLAIN_SEED;
  const sections = [];
  let total = 0;
  const biggest = PLAIN_TARGETS[PLAIN_TARGETS.length - 1][1];
  while (total < biggest) {
    const s = section(sections.length) + '\n\n';
    sections.push(s);
    total += s.length;
  }
  /** @type {Record<string, string>} */
  const plain = {};
  for (const [name, target] of PLAIN_TARGETS) {
    let text = PLAIN_INTRO;
    // Cut at the section boundary nearest to the target.
    for (const s of sections) {
      if (text.length + s.length / 2 >= target) break;
      text += s;
    }
    plain[name] = text.trimEnd() + '\n';
  }

  seed = RICH_SEED;
  const thinking = reasoning(RICH_TARGET * 0.18);
  let answer = `# Capacity, latency and cost: the worked answer\n\nIn short: ${mathSentence()} The details follow.\n\n`;
  for (let i = 0; answer.length + thinking.length < RICH_TARGET - 1500; i++) answer += richSection(i) + '\n\n';
  answer = answer.trimEnd() + '\n';
  return { plain: /** @type {any} */ (plain), rich: { reasoning: thinking, answer } };
}

/** File names in corpus/ of the committed documents, and their text. */
export function committedFiles(corpus = makeCorpus()) {
  return {
    ...Object.fromEntries(COMMITTED.map((name) => [`${name}.md`, corpus.plain[/** @type {'10k'} */ (name)]])),
    'rich-100k.reasoning.md': corpus.rich.reasoning,
    'rich-100k.md': corpus.rich.answer,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = new URL('./corpus/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const corpus = makeCorpus();
  for (const [name, text] of Object.entries(committedFiles(corpus))) {
    writeFileSync(new URL(name, dir), text);
    console.log(`corpus/${name}  ${(text.length / 1024).toFixed(1)} KB`);
  }
  console.log(`(generated at bench start, not written: 1m ${(corpus.plain['1m'].length / 1024).toFixed(1)} KB)`);
}
