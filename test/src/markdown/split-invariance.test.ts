import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { renderMarkdown } from '../../../src/markdown/markdown-engine.js';
import {
  commonmarkExamples, createRandom, fixedChunks, gfmExamples, randomChunks, streamChunks,
} from './stream-helpers.js';
import type { SpecExample } from './stream-helpers.js';

const seeds = [1, 2, 3, 4, 5];

/** Runs every example through `chunker`; reports all mismatches at once (by example number). */
function assertInvariant(examples: readonly SpecExample[], chunker: (text: string, index: number) => string[]): void {
  const failures: string[] = [];
  examples.forEach((example, index) => {
    const expected = renderMarkdown(example.markdown);
    const chunks = chunker(example.markdown, index);
    const actual = streamChunks(chunks).html;
    if (actual !== expected) {
      failures.push(`#${example.number} ${JSON.stringify(chunks)}\n  want ${JSON.stringify(expected)}\n  got  ${JSON.stringify(actual)}`);
    }
  });
  assert.equal(failures.length, 0, failures.slice(0, 5).join('\n'));
}

for (const [name, examples] of [['CommonMark 0.31.2', commonmarkExamples], ['GFM extension', gfmExamples]] as const) {
  test(`${name} examples streamed byte by byte render exactly like the whole text`, () => {
    assertInvariant(examples, (text) => fixedChunks(text, 1));
  });

  test(`${name} examples streamed at random splits render exactly like the whole text`, () => {
    for (const seed of seeds) {
      const random = createRandom(seed);
      assertInvariant(examples, (text) => randomChunks(text, random, 8));
    }
  });

  test(`${name} examples written whole and flushed once render exactly like the whole text`, () => {
    assertInvariant(examples, (text) => [text]);
  });
}

/**
 * Spec examples are short, so each one rarely has more than one block boundary. Gluing random
 * examples together (with separators that invite continuation: a lazy line, a list item, an
 * indented line, a setext underline, a late definition) exercises the finality rule across block
 * boundaries. This is how the setext-heading and table strengthenings and the `inLink` carry-over
 * were found.
 */
test('concatenated examples streamed at random splits render exactly like the whole text', () => {
  const all = [...commonmarkExamples, ...gfmExamples];
  const separators = ['', '\n', '\n\n', 'x\n', '- a\n', '  ', '1. b\n', '> q\n', '    c\n', '---\n', '| a |\n', 'para\n===\n', '[foo]: /u\n', '  - n\n'];
  const random = createRandom(42);
  const failures: string[] = [];
  for (let run = 0; run < 1500; run++) {
    let text = '';
    const parts = 2 + Math.floor(random() * 4);
    for (let j = 0; j < parts; j++) {
      text += all[Math.floor(random() * all.length)]?.markdown ?? '';
      text += separators[Math.floor(random() * separators.length)] ?? '';
    }
    const chunks = randomChunks(text, random, 1 + Math.floor(random() * 6));
    const expected = renderMarkdown(text);
    const actual = streamChunks(chunks).html;
    if (actual !== expected) failures.push(`${JSON.stringify(chunks)}\n  want ${JSON.stringify(expected)}\n  got  ${JSON.stringify(actual)}`);
  }
  assert.equal(failures.length, 0, failures.slice(0, 3).join('\n'));
});

test('CRLF and lone CR line endings split across writes render like LF', () => {
  const text = 'Title\r\n===\r\n\r\n- a\r- b\r\n\r\n```js\r\ncode\r\n```\r\n';
  const expected = renderMarkdown(text.replace(/\r\n?/g, '\n'));
  assert.equal(streamChunks(fixedChunks(text, 1)).html, expected);
  for (const seed of seeds) assert.equal(streamChunks(randomChunks(text, createRandom(seed), 4)).html, expected);
  assert.equal(renderMarkdown(text), expected);
});

test('the LLM-answer corpus streamed byte by byte and at random splits renders exactly like the whole text', () => {
  const dir = new URL('../../fixtures/markdown/corpus/', import.meta.url);
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(new URL(name, dir), 'utf8');
    const expected = renderMarkdown(text);
    assert.equal(streamChunks(fixedChunks(text, 1)).html, expected, name);
    for (const seed of seeds) assert.equal(streamChunks(randomChunks(text, createRandom(seed), 40)).html, expected, name);
  }
});
