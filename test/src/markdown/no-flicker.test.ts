import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createMarkdownEngine } from '../../../src/markdown/markdown-engine.js';
import { applyPatchesToHtml, joinHtml } from '../../../src/markdown/html-model.js';
import { countFlicker, countNaiveFlicker, countVanished, visibleText } from './flicker.js';
import { fixedChunks, randomChunks, createRandom } from './stream-helpers.js';

/** What the page shows after writing `text` and one flush (the stream is still open). */
function shownWhileStreaming(text: string): string {
  const engine = createMarkdownEngine();
  engine.write(text);
  return joinHtml(applyPatchesToHtml({ blocks: [], tail: '' }, engine.flush()));
}

const corpusDir = new URL('../../fixtures/markdown/corpus/', import.meta.url);
const corpus = readdirSync(corpusDir).filter((f) => f.endsWith('.md')).sort()
  .map((name) => ({ name, text: readFileSync(new URL(name, corpusDir), 'utf8') }));

test('unclosed **bold already renders bold', () => {
  assert.equal(shownWhileStreaming('Some **bold'), '<p part="p">Some <strong>bold</strong></p>\n');
});

test('unclosed inline code renders as code, also inside bold', () => {
  assert.match(shownWhileStreaming('Run `npm te'), /<code part="code">npm te<\/code>/);
  assert.match(shownWhileStreaming('- **`OR'), /<strong><code part="code">OR<\/code><\/strong>/);
});

test('an unclosed code fence renders as a code block', () => {
  assert.match(shownWhileStreaming('```js\nconst a = 1 **'), /^<pre part="pre"><code part="code" class="language-js">const a = 1 \*\*<\/code><\/pre>\n$/);
});

test('a half-typed closing fence does not show its backticks', () => {
  assert.doesNotMatch(visibleText(shownWhileStreaming('```\ncode\n``')), /`/);
});

test('a partial link renders as inert text', () => {
  const html = shownWhileStreaming('See [the docs](https://exa');
  assert.doesNotMatch(html, /<a[\s>]/);
  assert.equal(visibleText(html), 'See the docs');
  assert.equal(visibleText(shownWhileStreaming('See [the docs]')), 'See the docs');
  assert.equal(visibleText(shownWhileStreaming('See [the do')), 'See the do');
});

test('a partial image renders nothing until its URL is complete', () => {
  const html = shownWhileStreaming('Look ![chart](https://img.exa');
  assert.doesNotMatch(html, /<img|chart|!/);
  assert.equal(visibleText(shownWhileStreaming('Look ![cha')), 'Look');
});

test('a table whose delimiter row has not arrived does not flash pipes', () => {
  for (const text of ['Intro\n\n| a | b |', 'Intro\n\n| a | b |\n', 'Intro\n\n| a | b |\n|--', 'Intro\n\n| a | b |\n| --- | -']) {
    assert.doesNotMatch(visibleText(shownWhileStreaming(text)), /\||-/, text);
  }
  assert.match(shownWhileStreaming('| a | b |\n|---|---|\n'), /<table part="table">/);
});

test('a half-typed list marker, heading or number at line start does not flash', () => {
  for (const text of ['Para\n\n-', 'Para\n\n#', 'Para\n\n##', 'Para\n\n1', 'Para\n\n12.', 'Para\n-', 'Para\n=', '- a\n  -', '> quote\n> -']) {
    const shown = visibleText(shownWhileStreaming(text));
    assert.ok(!/[-#=]|\d/.test(shown.replace(/^Para|a|quote/g, '')), `${JSON.stringify(text)} shows ${shown}`);
  }
});

test('half-typed character references, autolinks and escapes do not flash', () => {
  assert.equal(visibleText(shownWhileStreaming('Fish &am')), 'Fish');
  assert.equal(visibleText(shownWhileStreaming('Go to <https://exa')), 'Go to');
  assert.equal(visibleText(shownWhileStreaming('a \\')), 'a');
});

test('countVanished counts characters shown and then removed or moved', () => {
  assert.equal(countVanished(['a', 'ab', 'abc']), 0);
  assert.equal(countVanished(['a*', 'ab']), 1);
  assert.equal(countVanished(['[x', 'x']), 2);
});

test('streaming the corpus in ~4-character deltas shows no flicker, far below naive re-parsing', () => {
  let ours = 0;
  let naive = 0;
  const lines: string[] = [];
  for (const { name, text } of corpus) {
    const chunks = fixedChunks(text, 4);
    const o = countFlicker(chunks);
    const n = countNaiveFlicker(chunks);
    lines.push(`${name}: ours ${o}, naive ${n}`);
    ours += o;
    naive += n;
  }
  lines.push(`total: ours ${ours}, naive ${naive}`);
  // Measured: ours 0, naive ~3 000 over the corpus. The bound leaves room for harmless tuning.
  assert.ok(ours <= 5, lines.join('\n'));
  assert.ok(naive >= 50 * Math.max(1, ours), lines.join('\n'));
});

test('the corpus streamed at random splits shows (almost) no flicker', () => {
  for (const { name, text } of corpus) {
    const flicker = countFlicker(randomChunks(text, createRandom(7), 9));
    assert.ok(flicker <= 2, `${name}: ${flicker}`);
  }
});
