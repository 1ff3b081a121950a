import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMarkdownEngine, renderMarkdown } from '../../../src/markdown/markdown-engine.js';
import { escapeHtml } from '../../../src/markdown/renderer.js';
import type { Patch } from '../../../src/types.js';

/** A stand-in highlighter: wraps the code in one span, or refuses unknown languages. */
const calls: string[] = [];
const highlight = (code: string, language: string): string | null => {
  calls.push(code);
  return language === 'js' ? `<span class="hljs-keyword">${escapeHtml(code)}</span>` : null;
};

const text = 'Intro.\n\n```js\nconst a = 1;\nconst b = 2;\n```\n\nAfter.\n';

test('only committed code is highlighted: the growing tail stays plain, and each block is highlighted once', () => {
  calls.length = 0;
  const engine = createMarkdownEngine({ highlight, now: () => 0 });
  const patches: Patch[] = [];
  for (const char of text) {
    engine.write(char);
    patches.push(...engine.flush());
  }
  patches.push(...engine.end());
  const tails = patches.filter((patch) => patch.op === 'tail' || patch.op === 'append');
  assert.ok(tails.length > 5);
  for (const patch of tails) assert.ok(!JSON.stringify(patch).includes('hljs-keyword'), 'no highlighting in the tail');
  const commits = patches.filter((patch): patch is Extract<Patch, { op: 'commit' }> => patch.op === 'commit');
  const code = commits.filter((patch) => patch.html.includes('<pre'));
  assert.equal(code.length, 1);
  assert.match(code[0]!.html, /<pre part="pre"><code part="code" class="language-js hljs"><span class="hljs-keyword">const a = 1;\nconst b = 2;<\/span>\n<\/code><\/pre>/);
  assert.equal(calls.length, 1, 'highlighted once');
  assert.equal(commits.map((patch) => patch.html).join(''), renderMarkdown(text, { highlight }));
});

test('a language the highlighter refuses, or a highlighter that throws, renders plain code', () => {
  const plain = renderMarkdown('```text\nx < y\n```\n', { highlight });
  assert.equal(plain, '<pre part="pre"><code part="code" class="language-text">x &lt; y\n</code></pre>\n');
  const broken = renderMarkdown('```js\nx\n```\n', {
    highlight: () => {
      throw new Error('bug');
    },
  });
  assert.equal(broken, '<pre part="pre"><code part="code" class="language-js">x\n</code></pre>\n');
});
