import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactBacklog, type StreamMessage } from '../../../src/answer/messages.js';
import type { Patch } from '../../../src/types.js';

const metrics = { ttftMs: 0, totalMs: 0, outputTokens: 0, tokensPerSecond: 0, tpotMs: 0, reasoningMs: 0 };
const batch = (...patches: Patch[]): StreamMessage => ({ kind: 'patch', patches, text: '', metrics });
const tail = (html: string): Patch => ({ op: 'tail', html });
const append = (text: string): Patch => ({ op: 'append', text });
const commit = (html: string): Patch => ({ op: 'commit', html });
const patchesOf = (messages: StreamMessage[]): Patch[][] => messages.map((m) => (m.kind === 'patch' ? m.patches : []));

test('compactBacklog: a tail a later tail replaces is dropped with its appends', () => {
  const messages = [batch(tail('<p>a</p>'), append('b')), batch(append('c')), batch(tail('<p>abcd</p>'), append('e'))];
  compactBacklog(messages);
  assert.deepEqual(patchesOf(messages), [[], [], [tail('<p>abcd</p>'), append('e')]]);
});

test('compactBacklog: where committed blocks come before the next tail, the replaced tail is emptied, not dropped', () => {
  const messages = [batch(tail('<p>on</p>')), batch(commit('<p>one</p>'), tail('<p>tw</p>')), batch(tail('<p>two</p>'))];
  compactBacklog(messages);
  // The first tail is emptied (the commit must not sit beside it); the second is replaced by the third with nothing between.
  assert.deepEqual(patchesOf(messages), [[tail('')], [commit('<p>one</p>')], [tail('<p>two</p>')]]);
});

test('compactBacklog: what follows the last tail, and messages of other kinds, stay as they are', () => {
  const end: StreamMessage = { kind: 'redact', count: 1 };
  const messages = [batch(commit('<p>x</p>'), tail('<p>y</p>')), end, batch(append('z'), commit('<p>yz</p>'))];
  compactBacklog(messages);
  assert.deepEqual(patchesOf(messages), [[commit('<p>x</p>'), tail('<p>y</p>')], [], [append('z'), commit('<p>yz</p>')]]);
  assert.equal(messages[1], end);
});
