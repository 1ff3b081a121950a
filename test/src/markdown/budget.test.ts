import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMarkdownEngine } from '../../../src/markdown/markdown-engine.js';
import { isHostileMarkdown } from '../../../src/markdown/budget.js';
import { escapeHtml } from '../../../src/markdown/renderer.js';
import { fixedChunks, streamChunks } from './stream-helpers.js';

/** DESIGN.md §6: inputs that make marked quadratic or overflow its stack. */
const hostile: Array<[string, string]> = [
  ['quadratic emphasis', '**_* '.repeat(20000)],
  ['50 000 nested blockquotes', '> '.repeat(50000)],
  ['60 000 asterisks', '*'.repeat(60000)],
  ['50 000 nested list markers', '* '.repeat(50000)],
  ['50 000 open brackets', '['.repeat(50000)],
];

// A hang guard only: real timings belong to the bench. Measured here: well under 1 s each.
const hangGuardMs = 5000;

for (const [name, text] of hostile) {
  for (const [feed, chunks] of [['one write', [text]], ['~1 KB writes', fixedChunks(text, 1024)]] as const) {
    test(`${name} (${feed}) completes quickly and shows the text escaped`, () => {
      const started = performance.now();
      const run = streamChunks(chunks);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < hangGuardMs, `${elapsed} ms`);
      // The pre-screen (or the budget) caught it: the text is shown plain and escaped.
      assert.equal(run.degraded, true);
      assert.ok(run.html.includes(escapeHtml(text.slice(0, 2000))));
      assert.ok(!run.html.includes('undefined'));
    });
  }
}

test('the pre-screen refuses large delimiter-dense or deeply nested text, and passes prose', () => {
  assert.equal(isHostileMarkdown('**_* '.repeat(2000)), true);
  assert.equal(isHostileMarkdown('> '.repeat(3000)), true);
  assert.equal(isHostileMarkdown('- '.repeat(3000)), true);
  assert.equal(isHostileMarkdown('**_* '.repeat(100)), false, 'small inputs are never refused');
  assert.equal(isHostileMarkdown('Some *emphasis* and **strong** words in a normal paragraph.\n'.repeat(200)), false);
  assert.equal(isHostileMarkdown('> > > nested quote\n'.repeat(500)), false);
});

test('exceeding the time budget degrades to plain text extended by append', () => {
  let clock = 0;
  // Every reading of the clock advances it by 100 ms: the first lex + render "takes" > budget.
  const engine = createMarkdownEngine({ budgetMs: 50, now: () => (clock += 100) });
  engine.write('# Title\n\nSome **text** <b>');
  const first = engine.flush();
  assert.equal(engine.degraded, true);
  assert.deepEqual(first.at(-1), { op: 'tail', html: '<pre part="pre" class="llm-stream-plain"># Title\n\nSome **text** &lt;b&gt;</pre>\n' });
  engine.write(' more <i>');
  assert.deepEqual(engine.flush(), [{ op: 'append', text: ' more <i>' }]);
  const final = engine.end();
  assert.deepEqual(final, [
    { op: 'commit', html: '<pre part="pre" class="llm-stream-plain"># Title\n\nSome **text** &lt;b&gt; more &lt;i&gt;</pre>\n' },
    { op: 'tail', html: '' },
  ]);
});

test('blocks committed before degrading stay; only the rest becomes plain text', () => {
  const text = 'Intro paragraph.\n\n' + `${'**_* '.repeat(20)}\n`.repeat(100);
  const run = streamChunks(fixedChunks(text, 512));
  assert.equal(run.degraded, true);
  assert.ok(run.html.startsWith('<p part="p">Intro paragraph.</p>\n<pre part="pre" class="llm-stream-plain">'), run.html.slice(0, 120));
});

test('large fenced code dense in brackets is not refused', () => {
  const json = '```json\n' + '[[0, 1], [2, 3], [4, 5], [6, 7]],\n'.repeat(300) + '```\n';
  assert.equal(isHostileMarkdown(json), false);
  assert.equal(isHostileMarkdown('['.repeat(5000)), true);
});
