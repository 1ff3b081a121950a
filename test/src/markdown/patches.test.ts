import { test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { createMarkdownEngine, renderMarkdown } from '../../../src/markdown/markdown-engine.js';
import { applyPatchesToHtml, diffTail, joinHtml } from '../../../src/markdown/html-model.js';
import type { Patch } from '../../../src/types.js';
import { fixedChunks, streamChunks } from './stream-helpers.js';

function countOps(flushes: readonly Patch[][]): Record<Patch['op'], number> {
  const counts: Record<Patch['op'], number> = { commit: 0, replace: 0, tail: 0, append: 0, reset: 0 };
  for (const patches of flushes) for (const patch of patches) counts[patch.op]++;
  return counts;
}

const words = 'the quick brown fox jumps over the lazy dog while streaming tokens arrive one by one '.repeat(40);

test('a long paragraph streams mostly as append patches', () => {
  const text = `Intro line.\n\n${words}`;
  const run = streamChunks(fixedChunks(text, 4));
  const counts = countOps(run.flushes);
  assert.ok(counts.append > 0.9 * (counts.append + counts.tail), JSON.stringify(counts));
  assert.equal(run.html, renderMarkdown(text));
});

test('a long code block streams mostly as append patches', () => {
  const code = Array.from({ length: 80 }, (_, i) => `  const value${i} = compute(${i}) * 2; // line ${i}`).join('\n');
  const text = `Here is the code:\n\n\`\`\`ts\n${code}\n\`\`\`\n`;
  const run = streamChunks(fixedChunks(text, 4));
  const counts = countOps(run.flushes);
  assert.ok(counts.append > 0.9 * (counts.append + counts.tail), JSON.stringify(counts));
  assert.equal(run.html, renderMarkdown(text));
});

test('committed blocks are appended once and never replaced without a late definition', () => {
  const text = '# Title\n\nOne paragraph.\n\n- a\n- b\n\n> quote\n\n```\ncode\n```\n\nLast.\n';
  const run = streamChunks(fixedChunks(text, 1));
  const counts = countOps(run.flushes);
  assert.equal(counts.replace, 0);
  assert.equal(counts.commit, 6);
  assert.equal(counts.reset, 0);
});

test('blocks are committed while streaming, once the next block has a complete first line', () => {
  const text = '# Title\n\nOne paragraph.\n\nAnother paragraph.\n\nThe last one';
  const run = streamChunks(fixedChunks(text, 3));
  // "Another paragraph." waits: the line after it ("The last one") is not complete yet.
  const beforeEnd = countOps(run.flushes.slice(0, -1));
  assert.equal(beforeEnd.commit, 2);
});

test('a late reference definition replaces the committed block that uses it', () => {
  const text = 'See [the docs][docs] for more.\n\nAnother paragraph.\n\n[docs]: https://example.com/docs\n\nEnd.\n';
  const run = streamChunks(fixedChunks(text, 2));
  const replaces = run.flushes.flat().filter((p) => p.op === 'replace');
  assert.equal(replaces.length, 1);
  assert.deepEqual(replaces[0] && { op: replaces[0].op, index: 'index' in replaces[0] ? replaces[0].index : -1 }, { op: 'replace', index: 0 });
  assert.equal(run.html, renderMarkdown(text));
  assert.match(run.html, /<a part="a" href="https:\/\/example.com\/docs"/);
});

test('the first definition of a label wins, as in marked', () => {
  const text = '[x]\n\n[x]: /first\n\n[x]: /second\n';
  const run = streamChunks(fixedChunks(text, 1));
  assert.equal(run.html, renderMarkdown(text));
  assert.match(run.html, /href="\/first"/);
});

test('end() only finalizes the tail: no commit is re-sent', () => {
  const engine = createMarkdownEngine();
  engine.write('First.\n\nSecond.\n\nThird\n');
  const streamed = engine.flush();
  const final = engine.end();
  assert.deepEqual(streamed.filter((p) => p.op === 'commit').length, 2);
  assert.deepEqual(final.filter((p) => p.op === 'commit').map((p) => p.op === 'commit' && p.html), ['<p part="p">Third</p>\n']);
  assert.deepEqual(final.at(-1), { op: 'tail', html: '' });
});

test('flush without new text returns no patches', () => {
  const engine = createMarkdownEngine();
  engine.write('Hello');
  assert.ok(engine.flush().length > 0);
  assert.deepEqual(engine.flush(), []);
});

test('append carries decoded text and is used only before trailing closing tags', () => {
  assert.deepEqual(diffTail('<p>abc</p>\n', '<p>abc &amp; &lt;d&gt;</p>\n'), { op: 'append', text: ' & <d>' });
  assert.deepEqual(diffTail('<p>a <em>b</em></p>\n', '<p>a <em>bc</em></p>\n'), { op: 'append', text: 'c' });
  assert.deepEqual(diffTail('<p>abc</p>\n', '<p>abc&copy;</p>\n'), { op: 'tail', html: '<p>abc&copy;</p>\n' });
  assert.deepEqual(diffTail('<p>a<br></p>\n', '<p>a<br>b</p>\n'), { op: 'tail', html: '<p>a<br>b</p>\n' });
  assert.deepEqual(diffTail('<ul>\n<li>a</li>\n</ul>\n', '<ul>\n<li>ab</li>\n</ul>\n'), { op: 'tail', html: '<ul>\n<li>ab</li>\n</ul>\n' });
  assert.equal(diffTail('<p>a</p>', '<p>a</p>'), null);
});

test('applyPatchesToHtml escapes appended text and rebuilds the document', () => {
  const state = applyPatchesToHtml({ blocks: [], tail: '' }, [
    { op: 'commit', html: '<p>one</p>\n' },
    { op: 'tail', html: '<p>tw</p>\n' },
    { op: 'append', text: 'o <&>' },
    { op: 'replace', index: 0, html: '<p>ONE</p>\n' },
  ]);
  assert.equal(joinHtml(state), '<p>ONE</p>\n<p>two &lt;&amp;&gt;</p>\n');
  assert.deepEqual(applyPatchesToHtml(state, [{ op: 'reset' }]), { blocks: [], tail: '' });
});

test('the model after every flush equals the committed blocks plus the rendered tail', () => {
  // The patcher only ever sees patches; the engine's own view must not drift from it.
  const text = 'Para with **bold** and `code`.\n\n```py\nprint(1)\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
  const engine = createMarkdownEngine();
  let state = { blocks: [] as string[], tail: '' };
  for (const chunk of fixedChunks(text, 3)) {
    engine.write(chunk);
    state = applyPatchesToHtml(state, engine.flush());
    assert.ok(!joinHtml(state).includes('undefined'));
  }
  state = applyPatchesToHtml(state, engine.end());
  assert.equal(joinHtml(state), renderMarkdown(text));
  assert.equal(engine.text, text);
});

test('work per flush does not grow with the document: the tail stays one open block', () => {
  const dir = new URL('../../fixtures/markdown/corpus/', import.meta.url);
  const text = readdirSync(dir).filter((f) => f.endsWith('.md')).sort()
    .map((name) => readFileSync(new URL(name, dir), 'utf8')).join('\n').repeat(4); // ~75 KB
  const run = streamChunks(fixedChunks(text, 40));
  let longestTail = 0;
  for (const patches of run.flushes) {
    for (const patch of patches) if (patch.op === 'tail') longestTail = Math.max(longestTail, patch.html.length);
  }
  // The largest block of the corpus (a table or a code block) bounds the tail, not the 75 KB.
  assert.ok(longestTail < 3000, `longest tail ${longestTail}`);
  assert.equal(run.html, renderMarkdown(text));
});
