/**
 * Math in markdown (CONTRACT.md "Rich content"): which `$` open a formula (pandoc's money rule), that
 * the formula reaches the renderer exactly as written, what invalid and refused LaTeX show, and that
 * the math file is loaded only for a text that holds an opener.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMarkdownEngine, renderMarkdown } from '../../../src/markdown/markdown-engine.js';
import { createMathSyntax, type MathSyntax } from '../../../src/markdown/math-syntax.js';
import { renderMath } from '../../../src/markdown/math-render.js';
import { MATH_ATTRIBUTES, MATH_ELEMENTS, MATH_ERROR_CLASS } from '../../../src/markdown/math-contract.js';
import { visibleText } from './flicker.js';

/** A renderer that shows exactly what it was given: `[I:tex]` inline, `[D:tex]` display. */
const echo = createMathSyntax((tex, display) => `<math>[${display ? 'D' : 'I'}:${tex.replace(/&/g, '&amp;').replace(/</g, '&lt;')}]</math>`);
const withEcho = { math: (): MathSyntax => echo };
/** The formulas a text renders, as the echo renderer saw them. */
function formulas(markdown: string): string[] {
  return [...renderMarkdown(markdown, withEcho).matchAll(/<math>\[([ID]):([^]*?)\]<\/math>/g)].map((m) => `${m[1]}:${m[2]?.replace(/&lt;/g, '<').replace(/&amp;/g, '&')}`);
}

const real = createMathSyntax(renderMath);
const withMath = { math: (): MathSyntax => real };

test('pandoc money rule: amounts stay text, formulas open', () => {
  const cases: Array<[string, string[]]> = [
    ['It costs $5 and $10 later.', []],
    ['It costs $3.50.', []],
    ['From $5-$10 per month', []], // the closing `$` is followed by a digit
    ['$x$5 is no formula', []],
    ['A $ sign alone, then $ again', []], // a space right after the opener
    ['Ends with a space $x $ here', []], // a space right before the closer
    ['The energy $E = mc^2$ is famous', ['I:E = mc^2']],
    ['$a$, $b$. $c$!', ['I:a', 'I:b', 'I:c']],
    ['Price $5 vs formula $x^2$', ['I:x^2']], // whitespace before `$` ends `$5 …`; `$x^2$` is math
    ['Escaped \\$5 and \\$x$ stay text', []],
    ['Inside $a\\$b$ a dollar sign', ['I:a\\$b']],
    ['\\text braces may hold a dollar: $\\text{costs $5}$', ['I:\\text{costs $5}']],
    ['Display $$\\sum_i x_i$$ inline', ['D:\\sum_i x_i']],
    ['Paren \\(a+b\\) and bracket \\[c\\]', ['I:a+b', 'D:c']],
    ['Costs $$5 and $x', []], // a `$$` that opens nothing is text, both dollars
    ['Empty $$ $$ or \\(\\) is no formula', []],
    ['Across one line\n$a +\nb$ ok', ['I:a +\nb']],
  ];
  for (const [markdown, expected] of cases) assert.deepEqual(formulas(markdown), expected, markdown);
  assert.match(renderMarkdown('It costs $5 and $10.', withEcho), /<p part="p">It costs \$5 and \$10.<\/p>/);
});

test('markdown never touches what is inside math', () => {
  const tex = String.raw`a\,b \\ c \{d\} e_1 * f_2 * g \_ h <i> [j](k) \`l\` &amp; ~~m~~`;
  assert.deepEqual(formulas(`Before $${tex}$ after`), [`I:${tex}`]);
  assert.deepEqual(formulas(`\\(${tex}\\)`), [`I:${tex}`]);
  assert.deepEqual(formulas(`$$\n${tex}\n$$`), [`D:\n${tex}\n`]);
  // Emphasis cannot close inside a formula, and wraps a whole formula.
  assert.equal(renderMarkdown('*see $x^*$ here*', withEcho), '<p part="p"><em>see <math>[I:x^*]</math> here</em></p>\n');
  assert.equal(renderMarkdown('_a $b_c$ d_', withEcho), '<p part="p"><em>a <math>[I:b_c]</math> d</em></p>\n');
  // Code spans still win where they start first.
  assert.deepEqual(formulas('`$x$` is code'), []);
});

test('a display formula is a block whose lines are never list items, headings or quotes', () => {
  const markdown = 'Sum:\n$$\na\n+ b\n- c\n# d\n> e\n---\n$$\nwhere a is';
  assert.deepEqual(formulas(markdown), ['D:\na\n+ b\n- c\n# d\n> e\n---\n']);
  assert.equal(renderMarkdown(markdown, withEcho), '<p part="p">Sum:</p>\n<p part="p"><math>[D:\na\n+ b\n- c\n# d\n> e\n---\n]</math></p>\n<p part="p">where a is</p>\n');
  // A setext underline does not turn the text before a display block into a heading.
  assert.doesNotMatch(renderMarkdown('foo\n$$\na\n---\n$$\n', withEcho), /<h2/);
  // Indented four spaces it is code, as always.
  assert.match(renderMarkdown('    $$\n    x\n    $$\n', withEcho), /^<pre part="pre"><code part="code">\$\$/);
  // Never closed before a blank line or the end: ordinary markdown (`\[` is an escaped bracket).
  for (const text of ['$$\na\n+ b\n\nnext', 'para\n$$\na\n+ b', 'para\n\\[not a link](/foo)\nmore']) {
    assert.equal(renderMarkdown(text, withEcho), renderMarkdown(text), text);
  }
});

test('Temml renders MathML, display="block" for display math', () => {
  const inline = renderMarkdown('The energy $E = mc^2$ is famous.', withMath);
  assert.match(inline, /<math><semantics><mrow><mi>E<\/mi><mo>=<\/mo><mi>m<\/mi><msup><mi>c<\/mi><mn[^>]*>2<\/mn><\/msup><\/mrow><annotation encoding="application\/x-tex">E = mc\^2<\/annotation><\/semantics><\/math>/);
  const display = renderMarkdown('$$\n\\frac{a}{b}\n$$', withMath);
  assert.match(display, /^<p part="p"><math display="block"[^>]*><semantics><mfrac><mi>a<\/mi><mi>b<\/mi><\/mfrac>/);
  assert.match(renderMarkdown('\\[\\mathbb{R}^n\\]', withMath), /<math display="block"[^>]*>.*<mi>ℝ<\/mi>/);
});

test('what the renderer emits stays inside the MathML contract (no style, no id, no href)', () => {
  const formulas = [
    String.raw`\begin{pmatrix} a & b \\ c & d \end{pmatrix}`, String.raw`\begin{aligned} f &= x \\ &= y \end{aligned}`,
    String.raw`\begin{cases} 1 & x > 0 \\ 0 & \text{else} \end{cases}`, String.raw`\boxed{E} \cancel{x} \color{red}{y} \colorbox{blue}{z}`,
    String.raw`\hat{x}\widehat{AB}\overrightarrow{v}\underbrace{a}_{n}`, String.raw`\sqrt[3]{x} \binom{n}{k} \sideset{_a}{^b}\sum`,
    String.raw`\operatorname{argmax}_\theta \mathcal{L} \mathfrak{g} \mathbf{F}`, String.raw`\raisebox{2pt}{x}\rule{1em}{1em}\kern1em \tag{1}`,
    String.raw`\ce{H2O} \xrightarrow{f} \left\{ x \middle| y \right\}`, String.raw`a \\ b`,
  ];
  const allowedElements = new Set(MATH_ELEMENTS);
  const allowedAttributes = new Set([...MATH_ATTRIBUTES, 'class']);
  for (const tex of formulas) {
    const html = renderMath(tex, true);
    assert.ok(html, tex);
    for (const [, name, attributes] of html.matchAll(/<([a-z-]+)([^>]*)>/g)) {
      assert.ok(allowedElements.has(name ?? ''), `${tex}: <${name}>`);
      for (const [, attribute] of (attributes ?? '').matchAll(/\s([a-zA-Z:-]+)=/g)) {
        assert.ok(allowedAttributes.has(attribute ?? ''), `${tex}: ${name} ${attribute}`);
      }
    }
  }
  assert.match(renderMath(String.raw`\color{red}{y}`, false) ?? '', /<mi mathcolor="#ff0000">y<\/mi>/);
});

test('invalid LaTeX shows its source as code marked as an error, and never throws', () => {
  for (const source of ['$\\frac{a$', '$\\undefinedcommand x$', '$\\begin{matrix} a$', '$x^^$', '\\(\\left( x\\)', '$\\def\\a{\\a\\a}\\a$']) {
    const html = renderMarkdown(`Bad ${source} end`, withMath);
    const escaped = source.replace(/&/g, '&amp;');
    assert.ok(html.includes(`<code part="code" class="${MATH_ERROR_CLASS}">${escaped}</code>`), `${source}: ${html}`);
    assert.equal(visibleText(html), `Bad ${source} end`);
  }
  // A renderer that throws is an error too, not a broken answer.
  const throwing = createMathSyntax(() => {
    throw new Error('renderer bug');
  });
  assert.match(renderMarkdown('a $x$ b', { math: () => throwing }), /<code part="code" class="llm-stream-math-error">\$x\$<\/code>/);
  // Deep nesting overflows nothing.
  assert.match(renderMarkdown(`$${'{'.repeat(5000)}x${'}'.repeat(5000)}$`, withMath), /<math>|llm-stream-math-error/);
});

test('commands that reach outside are refused: the formula shows as its source', () => {
  const refused = [
    String.raw`\href{javascript:alert(1)}{x}`, String.raw`\href{https://example.com}{x}`, String.raw`\url{https://example.com}`,
    String.raw`\includegraphics{https://example.com/a.png}`, String.raw`\htmlClass{a}{x}`, String.raw`\htmlStyle{color:red}{x}`,
    String.raw`\htmlId{a}{x}`, String.raw`\htmlData{a=b}{x}`, String.raw`\class{a}{x}`, String.raw`\style{background:url(https://example.com)}{x}`,
    String.raw`\data{a=b}{x}`, String.raw`\cssId{a}{x}`,
  ];
  for (const tex of refused) {
    assert.equal(renderMath(tex, false), null, tex);
    const html = renderMarkdown(`$${tex}$`, withMath);
    assert.match(html, /class="llm-stream-math-error"/, tex);
    assert.doesNotMatch(html, /<math|href=|src=|style=|<a\b|<img/, tex);
  }
  // `\ref` would be a link in Temml's tree: its link is dropped.
  assert.doesNotMatch(renderMath(String.raw`\ref{eq}`, true) ?? '', /<a|href/);
});

test('math="off": no loader, `$` is plain text as before', () => {
  const text = 'The energy $E = mc^2$ and \\(x\\).';
  assert.equal(renderMarkdown(text, { math: null }), renderMarkdown(text));
  assert.doesNotMatch(renderMarkdown(text), /<math/);
});

test('the math file is loaded only when the text holds an opener, once, and a failed load leaves text', () => {
  let loads = 0;
  const load = (): MathSyntax => (loads++, real);
  const plain = createMarkdownEngine({ math: load, now: () => 0 });
  plain.write('No formulas here, only words.\n\nAnd a second paragraph.');
  plain.flush();
  plain.end();
  assert.equal(loads, 0);

  const engine = createMarkdownEngine({ math: load, now: () => 0 });
  for (const chunk of ['Some text, then \\', '(x\\) and $y$ ', 'and $z$.']) {
    engine.write(chunk);
    engine.flush();
  }
  const patches = engine.end();
  assert.equal(loads, 1);
  assert.ok(patches.some((patch) => 'html' in patch && patch.html.includes('<math')));

  const failed = createMarkdownEngine({ math: () => null, now: () => 0 });
  failed.write('The energy $E = mc^2$.');
  const html = failed.end().map((patch) => ('html' in patch ? patch.html : '')).join('');
  assert.equal(html, '<p part="p">The energy $E = mc^2$.</p>\n');
});
