/**
 * Links and images as the GFM spec and marked say (issue 14 item 7). Every example of the GFM spec
 * (../shared/corpora/gfm-spec.json, read in place) and of marked's own specs
 * (../shared/corpora/marked-specs.json) without raw HTML renders as marked renders it, except where
 * a documented policy differs: link schemes other than http(s)/mailto render as text, images load
 * from no origin by default (an image becomes a link to it; inside a link, its alt text).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeHTML } from 'entities/decode';
import { Marked } from 'marked';
import { renderMarkdown } from '../../../src/markdown/markdown-engine.js';
import { useNamedReferences } from '../../../src/markdown/url-policy.js';
import { namedReference } from '../../../worker/named-reference.js';

useNamedReferences(namedReference);

interface Example {
  name: string;
  markdown: string;
}

const gfmSpec = (JSON.parse(readFileSync(new URL('../../../../shared/corpora/gfm-spec.json', import.meta.url), 'utf8')) as { example: number; section: string; markdown: string }[])
  .map((e) => ({ name: `GFM spec ${e.example} (${e.section})`, markdown: e.markdown }));

/** marked's specs: a JSON whose shape we read defensively (arrays of { markdown, … } per suite). */
function markedSpecs(): Example[] {
  const data = JSON.parse(readFileSync(new URL('../../../../shared/corpora/marked-specs.json', import.meta.url), 'utf8')) as unknown;
  const out: Example[] = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${path}[${i}]`));
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.markdown === 'string') out.push({ name: `marked ${String(record.name ?? record.example ?? path)}`, markdown: record.markdown });
      else for (const [key, child] of Object.entries(record)) visit(child, `${path}.${key}`);
    }
  };
  visit(data, 'specs');
  return out;
}

/**
 * Attributes our renderer adds on purpose (parts, rel, direction) and whitespace between tags
 * removed; each href as the browser reads it (references decoded, then percent-encoded: marked's
 * `/f&ouml;` and our `/f%C3%B6` are the same link).
 */
const normalize = (html: string): string =>
  html
    .replace(/ part="[^"]*"/g, '')
    .replace(/ rel="[^"]*"/g, '')
    .replace(/ dir="[^"]*"/g, '')
    .replace(/ href="([^"]*)"/g, (_, href: string) => ` href="${encodeURI(decodeHTML(href)).replace(/%25/g, '%')}"`)
    .replace(/>\s+</g, '><')
    .trim();

/** Markdown with raw HTML in it (its rendering depends on the html policy, not on links). */
const hasRawHtml = (markdown: string): boolean => /<[a-zA-Z/!?]/.test(markdown);

/**
 * Documented policy, applied to marked's output so that what remains must be equal: a link whose
 * scheme is not allowed renders as its text.
 */
function withPolicy(html: string): string {
  return html.replace(/<a href="([a-zA-Z][a-zA-Z0-9+.-]*):[^"]*"[^>]*>([\s\S]*?)<\/a>/g, (whole, scheme: string, text: string) =>
    ['http', 'https', 'mailto'].includes(scheme.toLowerCase()) ? whole : text);
}

const marked = new Marked({ gfm: true });
const everyOrigin = { linkSchemes: ['http', 'https', 'mailto'], imageOrigins: [], allowDataImages: false, baseUrl: 'http://localhost/' };

test('every example without raw HTML and without images renders as marked renders it (link schemes aside)', () => {
  const examples = [...gfmSpec, ...markedSpecs()].filter((e) => !hasRawHtml(e.markdown) && !e.markdown.includes('!['));
  assert.ok(examples.length > 500, `${examples.length} examples`);
  const differ: string[] = [];
  for (const example of examples) {
    const ours = normalize(renderMarkdown(example.markdown, { urls: everyOrigin }));
    const theirs = normalize(withPolicy(marked.parse(example.markdown) as string));
    if (ours !== theirs) differ.push(`${example.name}\n  ours:   ${ours}\n  marked: ${theirs}`);
  }
  assert.deepEqual(differ, [], `${differ.length} differ`);
});

test('character references in link destinations are decoded before the URL policy', () => {
  assert.match(renderMarkdown('[f](/f&ouml;&ouml;)'), /href="\/f%C3%B6%C3%B6"/);
  assert.match(renderMarkdown('[f](foo%20b&auml;)'), /href="foo%20b%C3%A4"/);
  // A reference that hides a scheme is refused once decoded, whatever spelling it uses.
  for (const hidden of ['[a](java&Tab;script:alert(1))', '[a](&#106;avascript:alert(1))', '[a](jav&NewLine;ascript:alert(1))', '[a](javascript&colon;alert(1))']) {
    assert.doesNotMatch(renderMarkdown(hidden), /<a /, hidden);
  }
  // An undecodable name in front of a colon is ambiguous: refused.
  assert.doesNotMatch(renderMarkdown('[a](jav&nosuchname;ascript:alert(1))'), /<a /);
  // Text before a colon that cannot be a scheme is a relative path, as the browser reads it.
  assert.match(renderMarkdown('[link](foo\\)\\:)'), /href="foo\):"/);
});

test('a blocked image inside a link renders inside that one link; a blocked image without alt text still shows its URL', () => {
  const inLink = renderMarkdown('[![logo](https://img.example/x.png)](https://example.com/)');
  assert.equal((inLink.match(/<a /g) ?? []).length, 1, inLink);
  assert.match(inLink, /<a [^>]*href="https:\/\/example.com\/"[^>]*>logo<\/a>/);
  const noAlt = renderMarkdown('![](https://img.example/x.png)');
  assert.match(noAlt, /<a [^>]*href="https:\/\/img.example\/x.png"[^>]*>https:\/\/img.example\/x.png<\/a>/);
  // Images from an allowed origin load, alt text kept.
  assert.match(renderMarkdown('![a cat](https://img.example/cat.png)', { urls: { ...everyOrigin, imageOrigins: ['https://img.example'] } }), /<img part="img" src="https:\/\/img.example\/cat.png" alt="a cat">/);
});
