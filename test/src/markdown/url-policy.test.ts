import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderMarkdown } from '../../../src/markdown/markdown-engine.js';
import {
  checkImageUrl, checkLinkUrl, decodeCharacterReferences, defaultUrlPolicy, normalizeUrl,
} from '../../../src/markdown/url-policy.js';
import { fixedChunks, streamChunks } from './stream-helpers.js';

const attacks = (JSON.parse(readFileSync(new URL('../../fixtures/markdown/url-attacks.json', import.meta.url), 'utf8')) as {
  cases: Array<{ title: string; payload: string }>;
}).cases;

/** Every attribute value of every tag we emitted, decoded as a browser would. */
function attributeValues(html: string, attribute: string): string[] {
  const values: string[] = [];
  for (const match of html.matchAll(new RegExp(`<[a-z][^>]*\\s${attribute}="([^"]*)"`, 'gi'))) {
    values.push(normalizeUrl(match[1] ?? '').toLowerCase());
  }
  return values;
}

/** The checks every rendering of an attack must pass. */
function assertInert(html: string, title: string): void {
  for (const href of attributeValues(html, 'href')) {
    assert.ok(!/^(?:javascript|vbscript|data):/.test(href), `${title}: live href ${href} in ${html}`);
  }
  assert.ok(!/<img/i.test(html), `${title}: <img> for a non-allowed origin in ${html}`);
  const tags = [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => (m[1] ?? '').toLowerCase());
  const ours = new Set(['p', 'a', 'em', 'strong', 'code', 'pre', 'del', 'br', 'ul', 'ol', 'li', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'input']);
  for (const tag of tags) assert.ok(ours.has(tag), `${title}: unexpected raw <${tag}> in ${html}`);
  // Real tags only: escaped text holds `&lt;`, so every `<` here opens a tag we emitted.
  for (const tag of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    const attributes = tag[0].replace(/"[^"]*"/g, '""');
    assert.ok(!/\s(?:on[a-z]+|style|srcset|src)=/i.test(attributes), `${title}: dangerous attribute in ${tag[0]}`);
  }
}

for (const { title, payload } of attacks) {
  test(`attack is rendered inert, whole and streamed: ${title}`, () => {
    assertInert(renderMarkdown(payload), title);
    const run = streamChunks(fixedChunks(payload, 1));
    for (const patches of run.flushes) {
      for (const patch of patches) {
        if (patch.op === 'commit' || patch.op === 'replace' || patch.op === 'tail') assertInert(patch.html, `${title} (patch)`);
      }
    }
    assertInert(run.html, `${title} (streamed)`);
  });
}

test('character references are decoded before the scheme is read', () => {
  assert.equal(decodeCharacterReferences('jav&#x09;a&#115;cript&colon;'), 'jav\tascript:');
  assert.equal(normalizeUrl(' \u0000jav\tas\ncript:x \u001f'), 'javascript:x');
  assert.equal(checkLinkUrl('jav&#x09;ascript:alert(1)', defaultUrlPolicy), null);
});

test('links allow the configured schemes and relative URLs only', () => {
  assert.equal(checkLinkUrl('https://example.com/a b', defaultUrlPolicy), 'https://example.com/a%20b');
  assert.equal(checkLinkUrl('mailto:me@example.com', defaultUrlPolicy), 'mailto:me@example.com');
  assert.equal(checkLinkUrl('/docs#x', defaultUrlPolicy), '/docs#x');
  assert.equal(checkLinkUrl('page?x=a:b', defaultUrlPolicy), 'page?x=a:b');
  assert.equal(checkLinkUrl('ftp://example.com', defaultUrlPolicy), null);
  assert.equal(checkLinkUrl('ftp://example.com', { ...defaultUrlPolicy, linkSchemes: ['ftp'] }), 'ftp://example.com');
  assert.equal(checkLinkUrl('java&unknown;script:x', defaultUrlPolicy), null, 'an undecoded reference before the colon is refused');
});

test('images load only from allowed origins; others become links or alt text', () => {
  const policy = { ...defaultUrlPolicy, imageOrigins: ['self', 'https://img.example'], baseUrl: 'https://page.example/chat' };
  assert.deepEqual(checkImageUrl('/a.png', policy), { kind: 'img', src: '/a.png' });
  assert.deepEqual(checkImageUrl('https://img.example/b.png', policy), { kind: 'img', src: 'https://img.example/b.png' });
  assert.deepEqual(checkImageUrl('https://evil.example/c.png', policy), { kind: 'link', href: 'https://evil.example/c.png' });
  assert.deepEqual(checkImageUrl('//evil.example/c.png', policy), { kind: 'link', href: '//evil.example/c.png' });
  assert.deepEqual(checkImageUrl('javascript:alert(1)', policy), { kind: 'text' });
  assert.deepEqual(checkImageUrl('data:image/png;base64,AAAA', policy), { kind: 'text' });
  assert.deepEqual(checkImageUrl('data:image/png;base64,AAAA', { ...policy, allowDataImages: true }), { kind: 'img', src: 'data:image/png;base64,AAAA' });
  assert.deepEqual(checkImageUrl('data:text/html,x', { ...policy, allowDataImages: true }), { kind: 'text' });
});

test('a blocked image renders as a link with its alt text, never as <img>', () => {
  assert.equal(renderMarkdown('![chart](https://evil.example/c.png)'),
    '<p part="p"><a part="a" href="https://evil.example/c.png" rel="noopener noreferrer nofollow ugc">chart</a></p>\n');
});

test('an allowed image renders as <img> with part="img"', () => {
  const html = renderMarkdown('![a](/a.png "t")', { urls: { ...defaultUrlPolicy, imageOrigins: ['self'] } });
  assert.equal(html, '<p part="p"><img part="img" src="/a.png" alt="a" title="t"></p>\n');
});

test('links carry rel and the configured target', () => {
  assert.equal(renderMarkdown('[x](https://example.com)', { linkTarget: '_blank' }),
    '<p part="p"><a part="a" href="https://example.com" rel="noopener noreferrer nofollow ugc" target="_blank">x</a></p>\n');
});

test('raw HTML is escaped by default and passed through with html: sanitized', () => {
  assert.equal(renderMarkdown('a <b>b</b>'), '<p part="p">a &lt;b&gt;b&lt;/b&gt;</p>\n');
  assert.equal(renderMarkdown('<div>\nx\n</div>\n'), '<p part="p">&lt;div&gt;\nx\n&lt;/div&gt;</p>\n');
  // With raw HTML passing through, `part` names are added by the sink on parsed elements instead.
  assert.equal(renderMarkdown('a <b>b</b>', { html: 'sanitized' }), '<p>a <b>b</b></p>\n');
});

test('with raw HTML passthrough, nothing is inserted into raw attribute values', () => {
  const html = renderMarkdown('<p title="<a onmouseover=alert(1)>">t</p>\n', { html: 'sanitized' });
  assert.ok(html.includes('title="<a onmouseover=alert(1)>"'), html);
  assert.ok(!html.includes('part='), html);
});

test('GFM renders tables with align, task lists, strikethrough, autolinks and language classes', () => {
  const html = renderMarkdown('| a | b |\n|:-|-:|\n| 1 | 2 |\n\n- [x] done\n\n~~s~~ www.example.com\n\n```js\nx\n```\n');
  assert.match(html, /<table part="table">/);
  assert.match(html, /<th align="left">a<\/th>/);
  assert.match(html, /<td align="right">2<\/td>/);
  assert.match(html, /<input checked="" disabled="" type="checkbox">/);
  assert.match(html, /<del>s<\/del>/);
  assert.match(html, /<a part="a" href="http:\/\/www\.example\.com"/);
  assert.match(html, /<pre part="pre"><code part="code" class="language-js">x\n<\/code><\/pre>/);
});
