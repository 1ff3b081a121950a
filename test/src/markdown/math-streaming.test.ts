/**
 * Math while streaming: any chunking of a text ends in the same DOM as the one-shot render with math
 * on (split invariance), an open formula shows nothing that later vanishes (no flicker), and turning
 * math on changes nothing for text without math (every CommonMark and GFM example of
 * ../shared/corpora/gfm-spec.json, read in place).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createMarkdownRenderer, resolveMarkdownOptions } from '../../../src/markdown/renderer.js';
import { renderMarkdown } from '../../../src/markdown/markdown-engine.js';
import { createMathSyntax, type MathSyntax } from '../../../src/markdown/math-syntax.js';
import { renderMath } from '../../../src/markdown/math-render.js';
import { applyPatchesToHtml, joinHtml, type HtmlState } from '../../../src/markdown/html-model.js';
import { countFlicker, visibleText } from './flicker.js';
import { createRandom, fixedChunks, randomChunks, streamChunks } from './stream-helpers.js';

const syntax = createMathSyntax(renderMath);
const math = { math: (): MathSyntax => syntax };

/** Answers the way models write math: inline and display, both delimiter styles, money, markdown around. */
const corpus: Record<string, string> = {
  'physics': [
    '## Energy',
    '',
    'Einstein\'s relation $E = mc^2$ links energy and mass, where $c \\approx 3 \\times 10^8\\,\\text{m/s}$.',
    'The kinetic energy is \\(\\tfrac{1}{2}mv^2\\) for $v \\ll c$.',
    '',
    '$$',
    'E^2 = (pc)^2 + \\left(mc^2\\right)^2',
    '$$',
    '',
    'A ticket costs $5 and a coffee $3.50, so $5-$10 in all.',
  ].join('\n'),
  'calculus': [
    'To integrate, use parts:',
    '',
    '\\[',
    '\\int_0^1 x e^x \\, dx = \\left[ x e^x \\right]_0^1 - \\int_0^1 e^x \\, dx = 1',
    '\\]',
    '',
    '1. Differentiate: $\\frac{d}{dx} x^n = n x^{n-1}$',
    '2. **Limit:** $\\lim_{x \\to 0} \\frac{\\sin x}{x} = 1$',
    '3. *Series* $\\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6}$ (Basel)',
    '',
    '> Note: $\\nabla \\cdot \\mathbf{E} = \\frac{\\rho}{\\varepsilon_0}$ in a quote.',
  ].join('\n'),
  'aligned': [
    'Expanding the square:',
    '$$',
    '\\begin{aligned}',
    '(a + b)^2 &= (a + b)(a + b) \\\\',
    '          &= a^2 + ab + ba + b^2 \\\\',
    '          &= a^2 + 2ab + b^2',
    '\\end{aligned}',
    '$$',
    'and the cases',
    '$$',
    '|x| = \\begin{cases} x & x \\ge 0 \\\\',
    '- x & x < 0 \\end{cases}',
    '$$',
    'done.',
  ].join('\n'),
  'table and code': [
    '| Symbol | Meaning |',
    '| --- | --- |',
    '| $\\mathbb{R}$ | the reals |',
    '| $\\mathbb{N}$ | naturals, $0 \\in \\mathbb{N}$? |',
    '',
    'In code `$x$` stays code, and \\$5 stays five dollars.',
    '',
    '```latex',
    '$$ \\frac{a}{b} $$',
    '```',
    '',
    'Matrix: $\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}$ and $A^{-1}$.',
  ].join('\n'),
  'emphasis and money': [
    'The price is **$20** per month, or *$200* a year.',
    'With a discount of 10% you pay $18 instead of $20.',
    '',
    '- Rate: $r = 0.05$',
    '- Growth: $P(t) = P_0 e^{rt}$, so after $t = 10$ years $P \\approx 1.65 P_0$.',
    '- *see $x_1 * x_2$ here*',
    '',
    'Invalid math shows as code: $\\frac{a$ and $\\href{https://example.com}{x}$.',
  ].join('\n'),
};

function assertSplitInvariant(text: string, chunkings: string[][], label: string): void {
  const expected = renderMarkdown(text, math);
  for (const chunks of chunkings) {
    const actual = streamChunks(chunks, math).html;
    if (actual !== expected) assert.fail(`${label}: ${JSON.stringify(chunks)}\n  want ${JSON.stringify(expected)}\n  got  ${JSON.stringify(actual)}`);
  }
}

test('the math corpus renders formulas, and keeps money and code as text', () => {
  const html = Object.values(corpus).map((text) => renderMarkdown(text, math)).join('');
  assert.equal(html.match(/<math[\s>]/g)?.length, 22);
  assert.equal(html.match(/<math display="block"/g)?.length, 4);
  const text = visibleText(html);
  for (const kept of ['$5 and a coffee $3.50, so $5-$10', '$x$ stays code', '$5 stays five dollars', '**$20**'.replace(/\*/g, ''), '$200', '$18 instead of $20']) assert.ok(text.includes(kept), kept);
  assert.equal(html.match(/class="llm-stream-math-error"/g)?.length, 2);
});

test('the math corpus streamed at every split point renders exactly like the whole text', () => {
  for (const [name, text] of Object.entries(corpus)) {
    const chunkings: string[][] = [];
    for (let at = 1; at < text.length; at++) chunkings.push([text.slice(0, at), text.slice(at)]);
    assertSplitInvariant(text, chunkings, name);
  }
});

test('the math corpus streamed byte by byte and at random splits renders exactly like the whole text', () => {
  for (const [name, text] of Object.entries(corpus)) {
    const chunkings = [fixedChunks(text, 1), fixedChunks(text, 3), fixedChunks(text, 7)];
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) chunkings.push(randomChunks(text, createRandom(seed), 12));
    assertSplitInvariant(text, chunkings, name);
  }
});

test('an open formula shows nothing that later vanishes: zero flicker on the math corpus', () => {
  for (const [name, text] of Object.entries(corpus)) {
    assert.equal(countFlicker(fixedChunks(text, 1), math), 0, `${name}, byte by byte`);
    for (const seed of [1, 2, 3]) assert.equal(countFlicker(randomChunks(text, createRandom(seed), 10), math), 0, `${name}, seed ${seed}`);
  }
});

test('while a formula is open the text before it shows, the formula itself not yet', () => {
  const shown = (chunks: string[]): string[] => {
    let state: HtmlState = { blocks: [], tail: '' };
    return streamChunks(chunks, math).flushes.map((patches) => joinHtml(state = applyPatchesToHtml(state, patches)));
  };
  const [open, closed] = shown(['The energy $E = mc', '^2$ is famous.']);
  assert.equal(visibleText(open ?? ''), 'The energy');
  assert.match(closed ?? '', /<math>/);
  // Money whose `$` is never closed shows once whitespace meets a `$`, or when its paragraph ends.
  const [a, b] = shown(['It costs $5 per', ' month, $10 a year']);
  assert.equal(visibleText(a ?? ''), 'It costs');
  assert.equal(visibleText(b ?? ''), 'It costs $5 per month,');
  // A display block shows nothing until its closer.
  const [d1, d2] = shown(['Sum:\n$$\n\\sum_i', ' x_i\n$$\n']);
  assert.equal(visibleText(d1 ?? ''), 'Sum:');
  assert.match(d2 ?? '', /<math display="block"/);
});

const gfmSpec = (JSON.parse(readFileSync(new URL('../../../../shared/corpora/gfm-spec.json', import.meta.url), 'utf8')) as Array<{ example: number; markdown: string }>);
const hasDelimiter = (markdown: string): boolean => /\$|\\[([]/.test(markdown);

test('with math loaded, every CommonMark and GFM example without a math delimiter renders unchanged', () => {
  const plain = createMarkdownRenderer(resolveMarkdownOptions({ html: 'sanitized' }));
  const withMath = createMarkdownRenderer(resolveMarkdownOptions({ html: 'sanitized' }));
  withMath.extend(syntax.extension);
  const without = gfmSpec.filter((example) => !hasDelimiter(example.markdown));
  assert.ok(without.length > 600, `${without.length} examples`);
  const changed: number[] = [];
  for (const { example, markdown } of without) {
    const a = plain.render(plain.lex(markdown, Object.create(null)));
    const b = withMath.render(withMath.lex(markdown, Object.create(null)));
    if (a !== b) changed.push(example);
  }
  assert.deepEqual(changed, []);
  // The examples that hold a delimiter and do change (`\[` is an escaped bracket in CommonMark, and
  // display math to pandoc): documented here so the list stays honest.
  const delimited = gfmSpec.filter((example) => hasDelimiter(example.markdown));
  const differs = delimited.filter(({ markdown }) => plain.render(plain.lex(markdown, Object.create(null))) !== withMath.render(withMath.lex(markdown, Object.create(null)))).map((e) => e.example);
  assert.deepEqual(differs, DELIMITED_EXAMPLES_THAT_CHANGE);
});

/**
 * gfm-spec.json examples with `$`, `\(` or `\[` whose rendering changes with math on: #309, the list
 * of backslash escapes, holds `\[\\\]`, which pandoc's `\[…\]` reads as a display formula too.
 */
const DELIMITED_EXAMPLES_THAT_CHANGE: number[] = [309];

test('every CommonMark and GFM example streamed byte by byte and at random splits with math on renders like the whole text', () => {
  const failures: string[] = [];
  for (const { example, markdown } of gfmSpec) {
    const expected = renderMarkdown(markdown, math);
    const chunkings = [fixedChunks(markdown, 1), randomChunks(markdown, createRandom(example), 6)];
    for (const chunks of chunkings) {
      const actual = streamChunks(chunks, math).html;
      if (actual !== expected) failures.push(`#${example} ${JSON.stringify(chunks)}\n  want ${JSON.stringify(expected)}\n  got  ${JSON.stringify(actual)}`);
    }
  }
  assert.equal(failures.length, 0, failures.slice(0, 5).join('\n'));
});
