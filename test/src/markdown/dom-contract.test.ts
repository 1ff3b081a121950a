import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_LINK_SCHEMES, LINK_REL, PART_TAGS, closingTagCount, escapeHtml, isPartTag, parseImageOrigins,
  resolveImageOrigins, splitBlocks, textRunEnd, CODE_LINE_OPEN,
} from '../../../src/markdown/dom-contract.js';
import hljs from 'highlight.js/lib/common';
import { createHighlighter } from '../../../src/markdown/highlight.js';
import { createMarkdownEngine, plainTextHtml, renderMarkdown } from '../../../src/markdown/markdown-engine.js';
import { defaultUrlPolicy } from '../../../src/markdown/url-policy.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

test('the contract names the public part tags and the link rel', () => {
  assert.deepEqual([...PART_TAGS].sort(), [
    'a', 'blockquote', 'code', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'img', 'li', 'ol', 'p', 'pre', 'table', 'ul',
  ]);
  assert.equal(LINK_REL, 'noopener noreferrer nofollow ugc');
  assert.ok(isPartTag('pre') && isPartTag('h6'));
  assert.ok(!isPartTag('em') && !isPartTag('span') && !isPartTag('P'), 'names are exact, lower case');
  assert.deepEqual(DEFAULT_LINK_SCHEMES, ['http', 'https', 'mailto']);
  assert.deepEqual(defaultUrlPolicy.linkSchemes, [...DEFAULT_LINK_SCHEMES], 'the worker policy defaults to the contract');
});

/** Markdown that renders every part tag at least once. */
const everyPart = [
  '# h1', '## h2', '### h3', '#### h4', '##### h5', '###### h6',
  'A paragraph with [a link](https://example.com/), *em*, `code` and ![img](/a.png).',
  '> quoted', '- item', '1. first', '---', '```\npre\n```', '| a | b |\n|---|---|\n| 1 | 2 |',
].join('\n\n');

test("the renderer's part attributes are exactly the contract's tags", () => {
  const html = renderMarkdown(everyPart, { urls: { ...defaultUrlPolicy, imageOrigins: ['self'] } });
  const parted = new Set<string>();
  for (const match of html.matchAll(/<([a-z][a-z0-9]*)\b([^>]*)>/g)) {
    const [, tag = '', attributes = ''] = match;
    const part = /\bpart="([^"]*)"/.exec(attributes)?.[1];
    if (isPartTag(tag)) assert.equal(part, tag, `<${tag}> carries part="${tag}"`);
    else assert.equal(part, undefined, `<${tag}> carries no part`);
    if (part) parted.add(part);
  }
  assert.deepEqual([...parted].sort(), [...PART_TAGS].sort(), 'the fixture covers every tag');
  assert.equal(plainTextHtml('x').startsWith('<pre part="pre"'), true);
});

test("every rendered link carries the contract's rel", () => {
  const html = renderMarkdown('[a](https://a.example/) <https://b.example/> ![remote](https://c.example/i.png)');
  const rels = [...html.matchAll(/<a\b[^>]*\brel="([^"]*)"/g)].map((m) => m[1]);
  assert.equal(rels.length, 3, html);
  assert.ok(rels.every((rel) => rel === LINK_REL), html);
});

test('escapeHtml escapes the five special characters', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('the closing-tag suffix rule finds the end of the last text run', () => {
  assert.equal(textRunEnd('<p>Hello</p>\n'), '<p>Hello'.length);
  const nested = '<ul>\n<li><p>a <em>b</em></p></li>';
  assert.equal(textRunEnd('<p>a <em>b</em></p>\n'), '<p>a <em>b'.length);
  assert.equal(closingTagCount('<p>a <em>b</em></p>\n', textRunEnd('<p>a <em>b</em></p>\n')), 2);
  assert.equal(textRunEnd('<p>a<br></p>'), -1, 'no text right before the closing tags');
  assert.equal(textRunEnd('<p></p>'), -1, 'an empty element has no text run');
  assert.equal(textRunEnd('plain'), -1, 'no closing tags at all');
  assert.equal(textRunEnd(`${nested}\n</ul>\n`), `${nested}\n`.length, 'whitespace between closing tags ends the run');
});

test('image origins: space-separated, `self` is the page, entries reduced to origins, bad ones dropped', () => {
  assert.deepEqual(parseImageOrigins('  self https://img.example/path  https://cdn.example:8443 ', 'https://page.example'), [
    'https://page.example', 'https://img.example', 'https://cdn.example:8443',
  ]);
  assert.deepEqual(parseImageOrigins('', 'https://page.example'), []);
  assert.deepEqual(parseImageOrigins('not-a-url data:image/png;base64,AA https://ok.example', 'https://page.example'), ['https://ok.example'],
    'a non-URL allows nothing, and an opaque origin (null) never matches');
  assert.deepEqual(resolveImageOrigins(['self', 'self'], 'http://localhost:8000'), ['http://localhost:8000']);
});

function typeScriptFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? typeScriptFiles(`${dir}/${entry.name}`) : entry.name.endsWith('.ts') ? [`${dir}/${entry.name}`] : []);
}

test('the facts live once: no other module spells the rel or the part list', () => {
  const files = ['src', 'components', 'worker'].flatMap(typeScriptFiles);
  for (const file of files) {
    if (file === 'src/markdown/dom-contract.ts') continue;
    const source = readFileSync(join(root, file), 'utf8');
    assert.ok(!source.includes(LINK_REL), `${file} spells the link rel`);
    assert.ok(!/'blockquote', 'ul', 'ol', 'li'/.test(source) && !/\|blockquote\|ul\|ol\|li\|/.test(source), `${file} lists the part tags`);
  }
});

test('splitBlocks: the top-level blocks of rendered HTML, each with its newlines', () => {
  const p = (html: string): string => `<p part="p">${html}</p>\n`;
  const table = '<table part="table">\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody><tr>\n<td>1</td>\n</tr>\n</tbody></table>\n';
  const list = '<ul part="ul">\n<li part="li">a<ul part="ul">\n<li part="li">b</li>\n</ul>\n</li>\n</ul>\n';
  const math = '<p part="p"><math><mspace width="1em"></mspace><mi>x</mi></math><img src="a.png" alt=""></p>\n';
  assert.deepEqual(splitBlocks(table + p('x') + '<hr part="hr">\n' + list + math), [table, p('x'), '<hr part="hr">\n', list, math]);
  const task = '<ul part="ul">\n<li part="li"><input type="checkbox" disabled> d</li>\n</ul>\n';
  assert.deepEqual(splitBlocks(p('a<br>b') + p('c') + task), [p('a<br>b'), p('c'), task]);
  // Raw HTML left open: the rest is one block (parsed together, as a whole tail was).
  assert.deepEqual(splitBlocks('<div>open\n' + p('c')), ['<div>open\n' + p('c')]);
  assert.deepEqual(splitBlocks(''), []);
});

test('splitBlocks: every committed block of a streamed rich answer is one block, and every tail splits into its parts', () => {
  const corpus = resolve(dirname(fileURLToPath(import.meta.url)), '../../bench/corpus');
  const text = readFileSync(join(corpus, 'rich-100k.md'), 'utf8');
  const engine = createMarkdownEngine({ highlight: createHighlighter(hljs) });
  let commits = 0;
  let multiBlockTails = 0;
  let codeTails = 0;
  const check = (patches: ReturnType<typeof engine.flush>): void => {
    for (const patch of patches) {
      if (patch.op === 'commit') {
        commits++;
        assert.deepEqual(splitBlocks(patch.html), [patch.html]);
      }
      if (patch.op === 'tail') {
        const blocks = splitBlocks(patch.html);
        assert.equal(blocks.join(''), patch.html);
        for (const block of blocks) assert.match(block, /^<[a-z][^]*>\n*$/);
        if (blocks.length > 1) multiBlockTails++;
        if (patch.html.includes(CODE_LINE_OPEN)) codeTails++;
      }
    }
  };
  for (let i = 0; i < text.length; i += 97) {
    engine.write(text.slice(i, i + 97));
    check(engine.flush());
  }
  check(engine.end());
  assert.ok(commits > 200, `commits: ${commits}`);
  assert.ok(multiBlockTails > 0, 'some tails hold several blocks');
  assert.ok(codeTails > 0, 'some tails are highlighted code, line by line');
});
