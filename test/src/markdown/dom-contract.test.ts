import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_LINK_SCHEMES, LINK_REL, PART_TAGS, closingTagCount, escapeHtml, isPartTag, parseImageOrigins,
  resolveImageOrigins, textRunEnd,
} from '../../../src/markdown/dom-contract.js';
import { plainTextHtml, renderMarkdown } from '../../../src/markdown/markdown-engine.js';
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
