import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createThinkSplitter } from '../../../src/decoding/think-splitter.js';
import { seededRandom } from '../../seeded-random.js';

/** Feeds `pieces` and returns what came out, with adjacent pieces of one kind merged. */
function split(pieces: readonly string[]): { text: string; reasoning: string; order: string[] } {
  let text = '';
  let reasoning = '';
  const order: string[] = [];
  const splitter = createThinkSplitter({
    onText: (value) => {
      assert.notEqual(value, '');
      text += value;
      if (order.at(-1) !== 'text') order.push('text');
    },
    onReasoning: (value) => {
      assert.notEqual(value, '');
      reasoning += value;
      if (order.at(-1) !== 'reasoning') order.push('reasoning');
    },
  });
  for (const piece of pieces) splitter.feed(piece);
  splitter.end();
  return { text, reasoning, order };
}

/** Every way of cutting `whole` into two pieces, plus char by char and seeded random cuts. */
function cuttings(whole: string): string[][] {
  const ways: string[][] = [[whole], [...whole]];
  for (let at = 1; at < whole.length; at++) ways.push([whole.slice(0, at), whole.slice(at)]);
  for (const seed of [1, 2, 3]) {
    const random = seededRandom(seed);
    const pieces: string[] = [];
    for (let at = 0; at < whole.length; ) {
      const size = 1 + Math.floor(random() * 5);
      pieces.push(whole.slice(at, at + size));
      at += size;
    }
    ways.push(pieces);
  }
  return ways;
}

test('a <think> block at the start is reasoning, the rest text, at every split', () => {
  for (const pieces of cuttings('<think>\nplan it\n</think>\n\nThe answer.')) {
    assert.deepEqual(split(pieces), { text: 'The answer.', reasoning: '\nplan it\n', order: ['reasoning', 'text'] }, JSON.stringify(pieces));
  }
});

test('<thi + nk> split across deltas still opens the block', () => {
  assert.deepEqual(split(['<thi', 'nk>hmm</th', 'ink>ok']), { text: 'ok', reasoning: 'hmm', order: ['reasoning', 'text'] });
});

test('leading whitespace before <think> is allowed and dropped', () => {
  for (const pieces of cuttings(' \n <think>x</think>y')) assert.deepEqual(split(pieces), { text: 'y', reasoning: 'x', order: ['reasoning', 'text'] });
});

test('an open <think> is still reasoning; one that never closes keeps everything as reasoning', () => {
  for (const pieces of cuttings('<think>still thinking </thi')) {
    assert.deepEqual(split(pieces), { text: '', reasoning: 'still thinking </thi', order: ['reasoning'] }, JSON.stringify(pieces));
  }
});

test('reasoning is released as it arrives, holding back only a possible closing tag', () => {
  const seen: string[] = [];
  const splitter = createThinkSplitter({ onText: () => assert.fail('no text yet'), onReasoning: (value) => seen.push(value) });
  splitter.feed('<think>abc<');
  assert.deepEqual(seen, ['abc']);
  splitter.feed('b>');
  assert.deepEqual(seen, ['abc', '<b>']);
});

test('a <think> later in the answer is text', () => {
  for (const pieces of cuttings('Use <think>tags</think> like this.')) {
    assert.deepEqual(split(pieces), { text: 'Use <think>tags</think> like this.', reasoning: '', order: ['text'] });
  }
});

test('text that only starts like the tag is text, whitespace included', () => {
  assert.deepEqual(split(['  <thi']), { text: '  <thi', reasoning: '', order: ['text'] });
  assert.deepEqual(split(['<th', 'read>']), { text: '<thread>', reasoning: '', order: ['text'] });
  assert.deepEqual(split(['\n', '\nHello']), { text: '\n\nHello', reasoning: '', order: ['text'] });
  assert.deepEqual(split(['   ']), { text: '   ', reasoning: '', order: ['text'] });
});

test('an empty think block yields no reasoning and the answer after it', () => {
  assert.deepEqual(split(['<think></think>', 'Answer']), { text: 'Answer', reasoning: '', order: ['text'] });
});
