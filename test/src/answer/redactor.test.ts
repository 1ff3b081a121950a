import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRedactor } from '../../../src/answer/redactor.js';

const EMAIL = '[\\w.+-]+@[\\w-]+\\.[\\w.-]+';
const KEY = 'sk-[A-Za-z0-9]{20,}';

test('a match split across two chunks is caught and none of it is released first', () => {
  const redactor = createRedactor({ patterns: [EMAIL], replacement: '[email]', holdChars: 32 });
  let released = redactor.push('Write to alice.sm');
  assert.ok(!released.includes('alice'), `nothing of the match released early: ${JSON.stringify(released)}`);
  released += redactor.push('ith@example.com for details, thanks.');
  released += redactor.flush();
  assert.equal(released, 'Write to [email] for details, thanks.');
  assert.equal(redactor.count, 1);
});

test('text far from any match flows without waiting for the end', () => {
  const redactor = createRedactor({ patterns: [KEY], replacement: '[key]', holdChars: 16 });
  const released = redactor.push('a'.repeat(100));
  assert.equal(released.length, 84);
});

test('fed byte by byte, the result equals a one-shot replace', () => {
  const text = 'keys: sk-ABCDEFGHIJKLMNOPQRSTUVWX and bob@example.org; more sk-0123456789abcdefghijXYZ end';
  const redactor = createRedactor({ patterns: [KEY, EMAIL], replacement: '█' });
  let out = '';
  for (const char of text) out += redactor.push(char);
  out += redactor.flush();
  const expected = text.replace(new RegExp(KEY, 'g'), '█').replace(new RegExp(EMAIL, 'g'), '█');
  assert.equal(out, expected);
  assert.equal(redactor.count, 3);
});
