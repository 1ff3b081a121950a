import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNdjsonFramer } from '../../../src/decoding/ndjson-framer.js';

function frame(chunks: readonly string[], maxLineSize?: number): { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  const framer = createNdjsonFramer({
    onLine: (line) => lines.push(line),
    onError: (message) => errors.push(message),
    ...(maxLineSize === undefined ? {} : { maxLineSize }),
  });
  for (const text of chunks) framer.feed(text);
  framer.end();
  return { lines, errors };
}

test('an object split across chunks is emitted once, whole', () => {
  assert.deepEqual(frame(['{"a":', '1}', '\n']).lines, ['{"a":1}']);
});

test('several objects in one chunk are emitted in order', () => {
  assert.deepEqual(frame(['{"a":1}\n{"a":2}\n{"a":3}\n']).lines, ['{"a":1}', '{"a":2}', '{"a":3}']);
});

test('blank and whitespace-only lines are skipped', () => {
  assert.deepEqual(frame(['\n{"a":1}\n\n  \n\t\n{"a":2}\n\n']).lines, ['{"a":1}', '{"a":2}']);
});

test('CRLF line ends are accepted, also when \\r and \\n arrive in different chunks', () => {
  assert.deepEqual(frame(['{"a":1}\r', '\n{"a":2}\r\n']).lines, ['{"a":1}', '{"a":2}']);
});

test('the last line without a line break is emitted by end()', () => {
  assert.deepEqual(frame(['{"a":1}\n{"a"', ':2}']).lines, ['{"a":1}', '{"a":2}']);
});

test('JSON text sequence records (RFC 7464) lose their record separator', () => {
  assert.deepEqual(frame(['\u001e{"a":1}\n\u001e{"a":2}\n']).lines, ['{"a":1}', '{"a":2}']);
});

test('split at every position, the lines are the same', () => {
  const body = '{"a":"中文 😀"}\r\n\n{"b":2}\n{"c":3}';
  for (let at = 0; at <= body.length; at++) {
    assert.deepEqual(frame([body.slice(0, at), body.slice(at)]).lines, ['{"a":"中文 😀"}', '{"b":2}', '{"c":3}'], `split at ${at}`);
  }
});

test('a line longer than maxLineSize is an error, even before its line break arrives', () => {
  const { lines, errors } = frame(['{"a":"', 'x'.repeat(100)], 64);
  assert.deepEqual(lines, []);
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? '', /maximum size of 64/);
});

test('after a size error further lines are ignored', () => {
  const { lines, errors } = frame([`{"a":"${'x'.repeat(100)}"}\n{"b":1}\n`], 64);
  assert.deepEqual(lines, []);
  assert.equal(errors.length, 1);
});

test('a 2 MB line fed one character at a time is buffered linearly', () => {
  const lines: string[] = [];
  const framer = createNdjsonFramer({ onLine: (line) => lines.push(line) });
  for (let i = 0; i < 2_000_000; i++) framer.feed('x');
  framer.feed('\n');
  assert.equal(lines[0]?.length, 2_000_000);
});
