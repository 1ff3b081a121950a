import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createMarkdownEngine, renderMarkdown } from '../../../src/markdown/markdown-engine.js';
import { isHostileMarkdown } from '../../../src/markdown/budget.js';
import { escapeHtml } from '../../../src/markdown/renderer.js';
import { fixedChunks, streamChunks } from './stream-helpers.js';
import { applyPatchesToHtml, joinHtml, type HtmlState } from '../../../src/markdown/html-model.js';

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

/**
 * The time budget protects, never decides (issue 15): a flush that only *looks* slow — the worker
 * descheduled on a busy machine — must not change the final rendering. The injectable clock makes
 * exactly one flush report 300 ms (budget 250 ms), at every position of the document in turn.
 */
function streamWithOneSlowFlush(chunks: readonly string[], slowFlush: number) {
  let clock = 0;
  let lateBy = 0;
  const engine = createMarkdownEngine({
    now: () => {
      const value = clock;
      clock += lateBy;
      return value;
    },
  });
  let state: HtmlState = { blocks: [], tail: '' };
  const degradedAfter: boolean[] = [];
  chunks.forEach((chunk, index) => {
    engine.write(chunk);
    lateBy = index === slowFlush ? 300 : 0;
    state = applyPatchesToHtml(state, engine.flush());
    degradedAfter.push(engine.degraded);
  });
  lateBy = 0;
  state = applyPatchesToHtml(state, engine.end());
  return { html: joinHtml(state), degradedAfter, degraded: engine.degraded };
}

test('the issue case: one flush reported 300 ms late still ends with the link and the list', () => {
  const text = 'See [the docs][d].\n\n- one\n- two\n\n[d]: https://example.com/docs\n';
  const chunks = ['See [the docs][d].\n\n', '- one\n- two\n', '\n[d]: https://example.com/', 'docs\n'];
  for (let slow = 0; slow < chunks.length; slow++) {
    const run = streamWithOneSlowFlush(chunks, slow);
    assert.equal(run.html, renderMarkdown(text), `slow flush ${slow}`);
    assert.match(run.html, /<a part="a" href="https:\/\/example\.com\/docs"/);
    assert.match(run.html, /<ul part="ul">/);
    assert.equal(run.degraded, false);
  }
});

test('a slow flush at every position of ordinary documents: the final DOM equals the one-shot rendering', () => {
  const corpus = new URL('../../fixtures/markdown/corpus/', import.meta.url);
  const documents = readdirSync(corpus).filter((name) => name.endsWith('.md')).sort().slice(0, 4)
    .map((name) => readFileSync(new URL(name, corpus), 'utf8').slice(0, 3000));
  assert.ok(documents.length >= 2);
  let runs = 0;
  for (const text of documents) {
    const chunks = fixedChunks(text, 97);
    const expected = renderMarkdown(text);
    for (let slow = 0; slow < chunks.length; slow++) {
      assert.equal(streamWithOneSlowFlush(chunks, slow).html, expected, `slow flush ${slow} of ${chunks.length}`);
      runs++;
    }
  }
  assert.ok(runs > 50, `${runs} runs`);
});

test('a slow flush degrades only for a while: a retry within budget restores rendering before the end', () => {
  const text = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} with **bold** and a [link](https://example.com/${i}).\n\n`).join('');
  const chunks = fixedChunks(text, 40);
  const run = streamWithOneSlowFlush(chunks, 3);
  assert.equal(run.degradedAfter[3], true, 'the slow flush shows plain text');
  const recovered = run.degradedAfter.indexOf(false, 4);
  assert.ok(recovered > 3 && recovered <= 6, `rendering resumed at flush ${recovered}`);
  assert.equal(run.html, renderMarkdown(text));
});

test('a clock that is slow on every reading keeps the stream plain, and end() stays plain too', () => {
  let clock = 0;
  const engine = createMarkdownEngine({ budgetMs: 50, now: () => (clock += 100) });
  const text = 'Some *text* here.\n\n'.repeat(30);
  let state: HtmlState = { blocks: [], tail: '' };
  for (const chunk of fixedChunks(text, 20)) {
    engine.write(chunk);
    state = applyPatchesToHtml(state, engine.flush());
  }
  state = applyPatchesToHtml(state, engine.end());
  assert.equal(engine.degraded, true);
  assert.ok(joinHtml(state).startsWith('<pre part="pre" class="llm-stream-plain">'));
  assert.ok(joinHtml(state).includes(escapeHtml('Some *text* here.')));
});
