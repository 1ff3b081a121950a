import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repairTail } from '../../../src/markdown/tail-repair.js';
import { renderMarkdown } from '../../../src/markdown/markdown-engine.js';
import { visibleText } from './flicker.js';

/** The visible text of the repaired tail, rendered. */
const shown = (src: string): string => visibleText(renderMarkdown(repairTail(src)));

test('unclosed bold, italic and bold italic get their closers', () => {
  assert.equal(repairTail('Some **bold'), 'Some **bold**');
  assert.equal(repairTail('Some __bold'), 'Some __bold__');
  assert.equal(repairTail('an *ital'), 'an *ital*');
  assert.equal(repairTail('an _ital'), 'an _ital_');
  assert.equal(repairTail('***both'), '***both***');
  assert.match(renderMarkdown(repairTail('Some **bold')), /<strong>bold<\/strong>/);
});

test('nested emphasis is closed innermost first', () => {
  assert.equal(repairTail('**a *b'), '**a *b***');
  assert.equal(repairTail('*a **b'), '*a **b***');
  assert.equal(repairTail('**a _b'), '**a _b_**');
  assert.match(renderMarkdown(repairTail('**a *b')), /<strong>a <em>b<\/em><\/strong>/);
  // Closed pairs stay closed.
  assert.equal(repairTail('**a** and *b* c'), '**a** and *b* c');
});

test('closers go before trailing whitespace and a bare quote marker', () => {
  assert.equal(repairTail('**bold\n'), '**bold**\n');
  assert.equal(repairTail('**bold and '), '**bold and**');
  assert.equal(shown('> quoted **bold\n>'), 'quoted bold');
});

test('a trailing delimiter run is hidden until what follows it arrives', () => {
  assert.equal(repairTail('a **'), 'a');
  assert.equal(repairTail('a**'), 'a');
  assert.equal(repairTail('**a*'), '**a**');
  assert.equal(repairTail('**a**'), '**a**');
  assert.equal(repairTail('~~a~'), '~~a~~');
});

test('markers inside code spans and fenced code are not counted', () => {
  assert.equal(repairTail('use `a*b` and **c'), 'use `a*b` and **c**');
  assert.equal(repairTail('use `**x'), 'use `**x`');
  assert.equal(repairTail('**bold `code ** stars` end'), '**bold `code ** stars` end**');
  assert.equal(repairTail('```js\nconst a = 1 **'), '```js\nconst a = 1 **');
  assert.equal(repairTail('```\ncode\n```\n**a'), '```\ncode\n```\n**a**');
});

test('intraword underscores and arithmetic stars are not emphasis', () => {
  assert.equal(repairTail('snake_case'), 'snake_case');
  assert.equal(repairTail('my_var and _em'), 'my_var and _em_');
  assert.equal(repairTail('see https://example.com/_a_b'), 'see https://example.com/_a_b');
  assert.equal(repairTail('2*3'), '2*3');
  // CJK text has no spaces around emphasis.
  assert.equal(repairTail('中文**粗体'), '中文**粗体**');
});

test('a list marker `* ` is not an emphasis opener', () => {
  assert.equal(repairTail('* item'), '* item');
  assert.equal(repairTail('* item *em'), '* item *em*');
  assert.equal(repairTail('* one **a**\n* two'), '* one **a**\n* two');
  // An item does not close what an earlier item left open.
  assert.equal(repairTail('- **a\n- b'), '- **a\n- b');
});

test('escaped markers are literal', () => {
  assert.equal(repairTail('\\*not em'), '\\*not em');
  assert.equal(repairTail('\\_\\_x'), '\\_\\_x');
  assert.equal(repairTail('\\**em'), '\\**em*');
});

test('strikethrough: `~~` is closed, a single `~` is left alone', () => {
  assert.equal(repairTail('~~gone'), '~~gone~~');
  assert.equal(repairTail('about ~25 items'), 'about ~25 items');
  assert.match(renderMarkdown(repairTail('a ~~gone')), /<del>gone<\/del>/);
});

test('a partial link shows as inert text', () => {
  for (const src of ['See [the docs](https://exa', 'See [the docs]', 'See [the docs', 'See [the docs](']) {
    const html = renderMarkdown(repairTail(src));
    assert.doesNotMatch(html, /<a[\s>]/, src);
    assert.equal(visibleText(html), 'See the docs', src);
  }
  assert.equal(repairTail('**a [b](htt'), '**a b**');
  assert.equal(repairTail('[a](https://x.y/*z*) **b'), '[a](https://x.y/*z*) **b**');
});

test('a partial image shows nothing', () => {
  for (const src of ['Look ![chart](https://img.exa', 'Look ![cha', 'Look ![chart]', 'Look ![']) {
    assert.equal(shown(src), 'Look', src);
  }
  assert.equal(repairTail('**a ![x](y'), '**a**');
});

test('a half-typed HTML tag is hidden, comparisons are not altered', () => {
  assert.equal(repairTail('text <span cla'), 'text');
  assert.equal(repairTail('x </'), 'x');
  assert.equal(repairTail('`Vec<T'), '`Vec<T`');
  assert.equal(repairTail('a < b and c > d'), 'a < b and c > d');
  assert.equal(repairTail('x $a*b$ y'), 'x $a*b$ y');
});
