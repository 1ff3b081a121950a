import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPacer } from '../../../src/answer/pacer.js';

test('none releases everything at once', () => {
  const pacer = createPacer('none');
  pacer.push('Hello, world. ');
  assert.equal(pacer.take(0), 'Hello, world. ');
  assert.equal(pacer.pending, 0);
});

test('word releases only whole words', () => {
  const pacer = createPacer('word');
  pacer.push('Hel');
  assert.equal(pacer.take(0), '');
  pacer.push('lo wor');
  assert.equal(pacer.take(16), 'Hello ');
  pacer.push('ld');
  assert.equal(pacer.take(32), '');
  assert.equal(pacer.drain(), 'world');
});

test('sentence releases only whole sentences', () => {
  const pacer = createPacer('sentence');
  pacer.push('First one. Second');
  assert.equal(pacer.take(0), 'First one. ');
  pacer.push(' one! Third?');
  assert.equal(pacer.take(16), 'Second one! ');
  assert.equal(pacer.drain(), 'Third?');
});

test('smooth spreads a burst over frames and drains it within about a second', () => {
  const pacer = createPacer('smooth');
  pacer.push('x'.repeat(1000));
  const sizes: number[] = [];
  let now = 0;
  while (pacer.pending > 0 && now < 5000) {
    now += 16;
    sizes.push(pacer.take(now).length);
  }
  assert.ok(sizes.length > 10, `a burst takes several frames (took ${sizes.length})`);
  assert.ok((sizes[0] ?? 0) < 1000, 'the first frame does not show everything');
  const shownByOneSecond = sizes.slice(0, Math.ceil(1000 / 16)).reduce((a, b) => a + b, 0);
  assert.ok(shownByOneSecond >= 980, `~all shown within a second (${shownByOneSecond})`);
});

test('smooth never splits a surrogate pair', () => {
  const pacer = createPacer('smooth');
  pacer.push('😀'.repeat(50));
  let out = '';
  for (let now = 16; pacer.pending > 0; now += 16) {
    const piece = pacer.take(now);
    assert.ok(!/[\ud800-\udbff]$/.test(piece), 'no lone high surrogate at a piece end');
    out += piece;
  }
  assert.equal(out, '😀'.repeat(50));
});
