// Syntax highlighting in the engine: committed blocks once, growing blocks line by line (issue 14
// item 2). highlight.js's common build is injected directly, as the worker's highlighter file does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import hljs from 'highlight.js/lib/common';
import { createHighlighter, type HljsApi, type HljsResult } from '../../../src/markdown/highlight.js';
import { createMarkdownEngine, renderMarkdown } from '../../../src/markdown/markdown-engine.js';
import type { MarkdownEngineOptions } from '../../../src/markdown/markdown-engine.js';
import { applyPatchesToHtml, joinHtml, type HtmlState } from '../../../src/markdown/html-model.js';
import type { Highlighter } from '../../../src/markdown/renderer.js';
import type { Patch } from '../../../src/types.js';
import { countFlicker, visibleText } from './flicker.js';
import { commonmarkExamples, createRandom, fixedChunks, gfmExamples, randomChunks } from './stream-helpers.js';

/** Every call the highlighter makes into highlight.js, and every whole-block (commit) call. */
interface HighlightLog {
  /** Code passed to `hljs.highlight` (whole blocks and line runs alike). */
  hljs: string[];
  /** Code passed to the highlighter itself: committed blocks. */
  whole: string[];
}

/** Our highlighter over highlight.js, logging its work. */
function loggedHighlighter(options: { maxPending?: number } = {}): { highlight: Highlighter; log: HighlightLog } {
  const log: HighlightLog = { hljs: [], whole: [] };
  const api: HljsApi = {
    getLanguage: (name) => hljs.getLanguage(name),
    highlight: (code, opts): HljsResult => {
      log.hljs.push(code);
      return hljs.highlight(code, opts) as unknown as HljsResult;
    },
  };
  const base = createHighlighter(api, options);
  const highlight: Highlighter = (code, language) => {
    log.whole.push(code);
    return base(code, language);
  };
  highlight.live = base.live;
  return { highlight, log };
}

/** The bench corpus (prose, lists, tables, fences in 8 languages): read in place. */
function benchCorpus(name: '10k' | '100k' | '400k'): string {
  return readFileSync(new URL(`../../bench/corpus/${name}.md`, import.meta.url), 'utf8');
}

/** Fenced blocks of `markdown` with their language: `[language, code]`. */
function fencedBlocks(markdown: string): Array<[string, string]> {
  return [...markdown.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']);
}

/**
 * Code whose constructs span lines (comments, docstrings, template and raw strings, heredocs, block
 * scalars, embedded languages) and which later lines re-decide (a setext heading): the hard cases
 * of line-by-line highlighting.
 */
const trickyBlocks: Array<[string, string]> = [
  ['js', "/* a\n * b\n */\nconst s = `x\n${y}\nz`;\nfunction f(a,\n  b) {\n  return a + b; // c\n}\nclass A extends B {\n  m() { return '<b>' }\n}\n"],
  ['python', 'def f(x):\n    """doc\n    more\n    """\n    return x\n\nclass A(B):\n    pass\n'],
  ['php', '<?php\n$a = 1;\nfunction f($x) {\n  return $x;\n}\n?>\n<b>hi</b>\n'],
  ['html', '<html>\n<script>\nvar a = 1;\n</script>\n<div class="x"\n  id="y">t &amp; u</div>\n'],
  ['cpp', '#include <x>\nint main() {\n  auto s = R"(a\nb)";\n  return 0;\n}\n'],
  ['markdown', 'Title\n=====\n\n- a\n- b\n'],
  ['yaml', 'a: 1\nb: |\n  x\n  y\nc: [1,\n 2]\n'],
  ['ruby', 'def f\n  x = <<~EOS\n    hi\n  EOS\nend\n'],
  ['sql', "SELECT a,\n b\nFROM t /* c\n d */\nWHERE x = 'a\nb';\n"],
  ['bash', 'cat <<EOF\na\nEOF\nif [ x ]; then\n  echo "a\nb"\nfi\n'],
  ['tsx', 'export function A() {\n  return (\n    <div className="a">\n      {b}\n    </div>\n  );\n}\n'],
  ['brainfuck', '++[>+<-]\n.\n'],
];

/** One character of rendered code: itself, and whether a highlight span colours it. */
interface CodeText {
  text: string;
  /** Per character of `text`: `1` inside an `hljs-*` span, else `0`. */
  coloured: string;
}

const references: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

/** The text of each `<pre><code>` in `html`, in order, with which characters are coloured. */
function codeTexts(html: string): CodeText[] {
  const blocks: CodeText[] = [];
  for (const match of html.matchAll(/<pre[^>]*><code[^>]*>([\s\S]*?)<\/code><\/pre>/g)) {
    let text = '';
    let coloured = '';
    /** Per open span: does it colour (an `hljs-*` class other than the `hljs-line` wrapper)? */
    const open: boolean[] = [];
    for (const token of (match[1] ?? '').matchAll(/<span class="([^"]*)">|<\/span>|&#?\w+;|[^<&]+|[<&]/g)) {
      const t = token[0];
      if (t.startsWith('<span')) open.push(token[1] !== 'hljs-line' && (token[1] ?? '').startsWith('hljs-'));
      else if (t === '</span>') open.pop();
      else {
        const decoded = references[t] ?? t;
        text += decoded;
        coloured += (open.includes(true) ? '1' : '0').repeat(decoded.length);
      }
    }
    blocks.push({ text, coloured });
  }
  return blocks;
}

/** `html` without the `hljs-line` wrappers of streamed lines (what a committed block has). */
function unwrapLines(html: string): string {
  const open: boolean[] = [];
  return html.replace(/<span class="([^"]*)">|<\/span>/g, (tag, name: string | undefined) => {
    if (tag !== '</span>') {
      open.push(name === 'hljs-line');
      return name === 'hljs-line' ? '' : tag;
    }
    return open.pop() ? '' : tag;
  });
}

/**
 * Characters of code that were coloured in one snapshot and plain in a later one (same block, same
 * position, same text before them): what "highlighted text never reverts to plain" forbids.
 */
function revertedToPlain(snapshots: readonly string[]): string[] {
  const reverts: string[] = [];
  for (let i = 1; i < snapshots.length; i++) {
    const before = codeTexts(snapshots[i - 1] ?? '');
    const after = codeTexts(snapshots[i] ?? '');
    before.forEach((block, b) => {
      const next = after[b];
      if (!next) return;
      for (let c = 0; c < block.text.length && block.text[c] === next.text[c]; c++) {
        if (block.coloured[c] === '1' && next.coloured[c] !== '1') {
          reverts.push(`snapshot ${i}, block ${b}, at ${c}: ${JSON.stringify(block.text.slice(Math.max(0, c - 20), c + 20))}`);
          break;
        }
      }
    });
  }
  return reverts;
}

/** A stream as the page sees it: the whole HTML (and the tail) after every flush, then after end(). */
function snapshotsOf(chunks: readonly string[], options: Partial<MarkdownEngineOptions>): { snapshots: string[]; tails: string[]; flushes: Patch[][] } {
  const engine = createMarkdownEngine({ now: () => 0, ...options });
  let state: HtmlState = { blocks: [], tail: '' };
  const snapshots: string[] = [];
  const tails: string[] = [];
  const flushes: Patch[][] = [];
  const apply = (patches: Patch[]): void => {
    flushes.push(patches);
    state = applyPatchesToHtml(state, patches);
    snapshots.push(joinHtml(state));
    tails.push(state.tail);
  };
  for (const chunk of chunks) {
    engine.write(chunk);
    apply(engine.flush());
  }
  apply(engine.end());
  return { snapshots, tails, flushes };
}

const fence = (language: string, code: string): string => `\`\`\`${language}\n${code}\`\`\`\n`;

const corpusDir = new URL('../../fixtures/markdown/corpus/', import.meta.url);
const llmAnswers = readdirSync(corpusDir).filter((f) => f.endsWith('.md')).sort()
  .map((name) => ({ name, text: readFileSync(new URL(name, corpusDir), 'utf8') }));
const codeDocuments = [
  ...llmAnswers,
  { name: 'bench 10k', text: benchCorpus('10k') },
  { name: 'tricky blocks', text: trickyBlocks.map(([language, code]) => `Some ${language}:\n\n${fence(language, code)}`).join('\n') },
  { name: 'tricky blocks in lists and quotes', text: trickyBlocks.map(([language, code], i) => {
    const indent = (prefix: string): string => fence(language, code).replace(/^/gm, prefix).replace(/\S*$/, '');
    return i % 2 === 0 ? `- item ${i}\n\n${indent('  ')}\n` : `> quote ${i}\n>\n${indent('> ')}\n`;
  }).join('\n') },
];

// --- the live highlighter itself ------------------------------------------------------------------

test('live: complete lines are highlighted, the line being typed stays plain text at the end', () => {
  const live = createHighlighter(hljs).live!();
  const html = live('const a = 1;\nconst b', 'js', true)!;
  assert.equal(html, '<span class="hljs-line"><span class="hljs-keyword">const</span> a = <span class="hljs-number">1</span>;\n</span>const b');
  // Closed (or followed by a newline), the last line is highlighted too, without the final newline.
  const closed = live('const a = 1;\nconst b', 'js', false)!;
  assert.equal(unwrapLines(closed), hljs.highlight('const a = 1;\nconst b', { language: 'js' }).value);
  assert.equal(closed.match(/<span class="hljs-line">/g)?.length, 2, 'a block per highlighted run');
});

test('live: each new line is highlighted once, and nothing before it again', () => {
  const { highlight, log } = loggedHighlighter();
  const live = highlight.live!();
  const lines = ['import x from "y";', 'const a = 1;', 'function f() {', '  return a;', '}'];
  for (let n = 1; n <= lines.length; n++) live(`${lines.slice(0, n).join('\n')}\nret`, 'js', true);
  assert.deepEqual(log.hljs, lines.map((line) => `${line}\n`));
});

test('live: lines inside a construct that spans lines are highlighted as one run, and match the whole block', () => {
  const { highlight, log } = loggedHighlighter();
  const live = highlight.live!();
  const code = 'const a = 1;\n/* one\ntwo\nthree */\nconst b = `x\ny`;\nlet c;';
  const lines = code.split('\n');
  let html = '';
  for (let n = 1; n <= lines.length; n++) html = live(lines.slice(0, n).join('\n'), 'js', n < lines.length)!;
  assert.equal(unwrapLines(html), hljs.highlight(code, { language: 'js' }).value);
  // `/* one` was highlighted alone, then with `two`, then with `three */` (the run closed there).
  assert.deepEqual(log.hljs, [
    'const a = 1;\n', '/* one\n', '/* one\ntwo\n', '/* one\ntwo\nthree */\n', 'const b = `x\n', 'const b = `x\ny`;\nlet c;\n',
  ]);
});

test('live: a construct that never closes costs at most maxPending characters per line', () => {
  const { highlight, log } = loggedHighlighter({ maxPending: 200 });
  const live = highlight.live!();
  let code = '/* a comment that never ends\n';
  for (let i = 0; i < 200; i++) {
    code += `line ${i} of the comment\n`;
    live(`${code}and mo`, 'js', true);
  }
  const longest = Math.max(...log.hljs.map((c) => c.length));
  assert.ok(longest <= 200 + 30, `longest run ${longest}`);
  assert.ok(log.hljs.reduce((n, c) => n + c.length, 0) < 200 * 130, 'total stays linear in the code');
});

test('live: a language outside the bundled set is refused (the block stays plain), and so is an empty name', () => {
  const live = createHighlighter(hljs).live!();
  assert.equal(live('++[>+<-]\n.', 'brainfuck', true), null);
  assert.equal(createHighlighter(hljs)('x', 'no-such-language'), null);
  assert.equal(renderMarkdown('```brainfuck\nx < y\n```\n', { highlight: createHighlighter(hljs) }), '<pre part="pre"><code part="code" class="language-brainfuck">x &lt; y\n</code></pre>\n');
});

test('a highlighter that throws, whole or live, leaves the code plain', () => {
  const broken: HljsApi = { getLanguage: () => ({}), highlight: () => { throw new Error('bug'); } };
  const highlight = createHighlighter(broken);
  assert.equal(renderMarkdown('```js\nx\n```\n', { highlight }), '<pre part="pre"><code part="code" class="language-js">x\n</code></pre>\n');
  const { snapshots } = snapshotsOf(fixedChunks('```js\nx\ny\n```\n', 1), { highlight });
  for (const html of snapshots) assert.doesNotMatch(html, /<span/);
  assert.equal(snapshots.at(-1), '<pre part="pre"><code part="code" class="language-js">x\ny\n</code></pre>\n');
});

// --- the engine: the open block while it streams --------------------------------------------------

test('the tail\'s open code block carries highlight spans for its complete lines; the line being typed grows by append', () => {
  const { highlight } = loggedHighlighter();
  const engine = createMarkdownEngine({ highlight, now: () => 0 });
  const text = 'Intro.\n\n```js\nconst a = 1;\nconst b = 2;\nlet c = "three"';
  const patches: Patch[] = [];
  let state: HtmlState = { blocks: [], tail: '' };
  for (const char of text) {
    engine.write(char);
    const flushed = engine.flush();
    patches.push(...flushed);
    state = applyPatchesToHtml(state, flushed);
  }
  // The fence is still open: nothing of the code is committed yet.
  assert.equal(state.blocks.length, 1);
  assert.equal(state.tail,
    '<pre part="pre"><code part="code" class="language-js hljs"><span class="hljs-line"><span class="hljs-keyword">const</span> a = <span class="hljs-number">1</span>;\n</span>'
    + '<span class="hljs-line"><span class="hljs-keyword">const</span> b = <span class="hljs-number">2</span>;\n</span>let c = &quot;three&quot;</code></pre>\n');
  // Typing the third line was appends only (no re-render of the block per character).
  const third = patches.slice(-'let c = "three"'.length + 1);
  assert.ok(third.every((patch) => patch.op === 'append'), JSON.stringify(third));
});

test('a code block nested in a list item is highlighted while it streams too', () => {
  const { highlight } = loggedHighlighter();
  const { snapshots } = snapshotsOf(fixedChunks('- step one:\n\n  ```python\n  def f(x):\n      return x\n  ', 1), { highlight });
  assert.match(snapshots.at(-2) ?? '', /<li[^>]*>[\s\S]*<code part="code" class="language-python hljs"><span class="hljs-line"><span class="hljs-keyword">def<\/span>/);
});

test('committed code blocks are highlighted once each, also when a later definition re-renders what mentions it', () => {
  const { highlight, log } = loggedHighlighter();
  const text = 'See [x].\n\n```js\nconst a = [x];\n```\n\n```python\nprint([x])\n```\n\n```\nplain\n```\n\n[x]: https://example.com\n';
  const { snapshots } = snapshotsOf(fixedChunks(text, 1), { highlight });
  assert.deepEqual(log.whole, ['const a = [x];', 'print([x])']);
  assert.equal(snapshots.at(-1), renderMarkdown(text, { highlight: createHighlighter(hljs) }));
  assert.match(snapshots.at(-1) ?? '', /<a part="a" href="https:\/\/example\.com"/);
});

test('the cost per delta stays constant: a 2 000-line block streamed in 40-character deltas highlights each line once', () => {
  const { highlight, log } = loggedHighlighter();
  const ts = fencedBlocks(benchCorpus('400k')).filter(([language]) => language === 'ts').flatMap(([, code]) => code.replace(/\n$/, '').split('\n'));
  const lines = Array.from({ length: 2000 }, (_, i) => ts[i % ts.length] ?? '');
  const code = `${lines.join('\n')}\n`;
  assert.equal(code.split('\n').length, 2001);
  const engine = createMarkdownEngine({ highlight, now: () => 0 });
  let worst = 0;
  let worstCalls = 0;
  let total = 0;
  const deltaSize = 40; // (4 would be 30 000 flushes of a growing block: 100 s of engine work, not of highlighting)
  for (const chunk of fixedChunks(`Code:\n\n\`\`\`ts\n${code}`, deltaSize)) {
    const before = log.hljs.length;
    engine.write(chunk);
    engine.flush();
    const work = log.hljs.slice(before);
    const chars = work.reduce((n, c) => n + c.length, 0);
    worst = Math.max(worst, chars);
    worstCalls = Math.max(worstCalls, work.length);
    total += chars;
  }
  const longestLine = Math.max(...lines.map((line) => line.length + 1));
  assert.ok(worstCalls <= 1, `${worstCalls} highlight calls in one flush`);
  assert.ok(worst <= longestLine + deltaSize, `${worst} characters highlighted in one flush (longest line ${longestLine})`);
  assert.equal(total, code.length, 'every character highlighted exactly once while streaming');
  assert.equal(log.whole.length, 0, 'nothing committed yet');
  engine.end();
  assert.deepEqual(log.whole, [code.slice(0, -1)], 'highlighted whole once, at commit');
});

// --- streaming the corpora with highlighting on ---------------------------------------------------

test('split invariance with highlighting: CommonMark and GFM examples, byte by byte and at random splits', () => {
  const highlight = createHighlighter(hljs);
  const failures: string[] = [];
  const random = createRandom(14);
  for (const example of [...commonmarkExamples, ...gfmExamples]) {
    const expected = renderMarkdown(example.markdown, { highlight });
    for (const chunks of [fixedChunks(example.markdown, 1), randomChunks(example.markdown, random, 8)]) {
      const actual = snapshotsOf(chunks, { highlight }).snapshots.at(-1);
      if (actual !== expected) failures.push(`#${example.number} ${JSON.stringify(chunks)}\n  want ${JSON.stringify(expected)}\n  got  ${JSON.stringify(actual)}`);
    }
  }
  assert.equal(failures.length, 0, failures.slice(0, 3).join('\n'));
});

test('split invariance with highlighting: code-heavy documents and random soups of code and spec examples', () => {
  const highlight = createHighlighter(hljs);
  const failures: string[] = [];
  let unrelated = 0;
  const check = (name: string, text: string, chunks: string[]): void => {
    // A mismatch without highlighting too is the engine's, not the highlighting's (it is counted, and
    // must stay rare: see the report of `[\n\`\`\`\n]:u` in the highlighting commit).
    if (snapshotsOf(chunks, {}).snapshots.at(-1) !== renderMarkdown(text)) {
      unrelated++;
      return;
    }
    const expected = renderMarkdown(text, { highlight });
    const actual = snapshotsOf(chunks, { highlight }).snapshots.at(-1);
    if (actual !== expected) failures.push(`${name} ${JSON.stringify(chunks).slice(0, 400)}\n  want ${JSON.stringify(expected).slice(0, 400)}\n  got  ${JSON.stringify(actual).slice(0, 400)}`);
  };
  for (const { name, text } of codeDocuments) {
    check(name, text, fixedChunks(text, 1));
    for (const seed of [1, 2, 3]) check(name, text, randomChunks(text, createRandom(seed), 40));
  }
  const examples = [...commonmarkExamples, ...gfmExamples].map((example) => example.markdown);
  const random = createRandom(2);
  const separators = ['', '\n', '\n\n', '- a\n', '  ', '> q\n', '    c\n', '[x]: /u\n'];
  for (let run = 0; run < 400; run++) {
    let text = '';
    for (let part = 0; part < 4; part++) {
      if (random() < 0.5) {
        const [language, code] = trickyBlocks[Math.floor(random() * trickyBlocks.length)]!;
        text += random() < 0.2 ? `\`\`\`${language}\n${code}` : fence(language, code); // sometimes never closed
      } else text += examples[Math.floor(random() * examples.length)] ?? '';
      text += separators[Math.floor(random() * separators.length)] ?? '';
    }
    check(`soup ${run}`, text, randomChunks(text, random, 1 + Math.floor(random() * 6)));
  }
  assert.equal(failures.length, 0, failures.slice(0, 3).join('\n'));
  assert.ok(unrelated <= 8, `${unrelated} of 400 soups differ without highlighting as well`);
});

test('no flicker with highlighting on: the visible text of every flush equals that without highlighting', () => {
  const highlight = createHighlighter(hljs);
  for (const { name, text } of codeDocuments) {
    for (const chunks of [fixedChunks(text, 4), randomChunks(text, createRandom(7), 9)]) {
      assert.ok(countFlicker(chunks, { highlight, now: () => 0 }) <= 2, name);
      const coloured = snapshotsOf(chunks, { highlight }).snapshots.map(visibleText);
      const plain = snapshotsOf(chunks, {}).snapshots.map(visibleText);
      assert.deepEqual(coloured, plain, name);
    }
  }
});

test('highlighted text never reverts to plain, while streaming or at commit', () => {
  const highlight = createHighlighter(hljs);
  const reverts: string[] = [];
  for (const { name, text } of codeDocuments) {
    for (const chunks of [fixedChunks(text, 1), randomChunks(text, createRandom(3), 12)]) {
      const { snapshots, tails } = snapshotsOf(chunks, { highlight });
      reverts.push(...revertedToPlain(snapshots).map((r) => `${name}: ${r}`));
      // And the growing blocks were coloured before they were committed.
      assert.ok(tails.some((tail) => /<code part="code" class="language-\w+ hljs">[^]*<span class="hljs-(?!line)/.test(tail)), name);
    }
  }
  assert.deepEqual(reverts, []);
});
