import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffSnapshots, snapshotUIMessage, type UIMessagePartLike } from '../../../src/decoding/ui-message.js';

/*
 * The AI SDK's UIMessage (ai v5): `parts` of type `text` and `reasoning` ({ text }), `tool-<name>`
 * ({ toolCallId, state, input, output, errorText }) or `dynamic-tool` (the same plus `toolName`),
 * `source-url` ({ sourceId, url, title }). `useChat` re-assigns a new message object as parts grow:
 * text grows at its end, tool parts move through input-streaming → input-available →
 * output-available / output-error.
 */
const message = (parts: UIMessagePartLike[], id = 'm') => ({ id, role: 'assistant', parts });

test('a snapshot reads every part the element shows, and ignores the rest', () => {
  const snapshot = snapshotUIMessage(
    message([
      { type: 'step-start' },
      { type: 'reasoning', text: 'Plan.' },
      { type: 'text', text: 'Looking.' },
      { type: 'tool-weather', toolCallId: 'w1', state: 'output-available', input: { city: 'Oslo' }, output: { c: 3 } },
      { type: 'dynamic-tool', toolName: 'calc', toolCallId: 'c1', state: 'output-error', input: '1/0', errorText: 'division by zero' },
      { type: 'tool-search', state: 'input-streaming', input: { q: 'sn' } },
      { type: 'source-url', url: 'https://a.example/', title: ' A ' },
      { type: 'source-url', url: 'https://A.example/' },
      { type: 'source-url', url: 'javascript:alert(1)' },
      { type: 'data-weather', text: 'not shown' } as UIMessagePartLike,
      { type: 'text', text: 'It is 3 °C.' },
    ]),
  );
  assert.equal(snapshot.text, 'Looking.\n\nIt is 3 °C.');
  assert.equal(snapshot.reasoning, 'Plan.');
  assert.deepEqual(snapshot.toolCalls, [
    { id: 'w1', name: 'weather', arguments: '{"city":"Oslo"}', status: 'complete', output: '{"c":3}' },
    { id: 'c1', name: 'calc', arguments: '1/0', status: 'complete', error: 'division by zero' },
    { id: 'tool-5', name: 'search', arguments: '{"q":"sn"}', status: 'streaming' },
  ]);
  assert.deepEqual(snapshot.sources, [{ url: 'https://a.example/', title: 'A' }]);
});

test('a message that grows becomes the events that grow it, in order reasoning → tools → sources → text', () => {
  const before = snapshotUIMessage(message([{ type: 'reasoning', text: 'Pl' }, { type: 'tool-x', toolCallId: 't', state: 'input-streaming', input: {} }]));
  const after = snapshotUIMessage(
    message([
      { type: 'reasoning', text: 'Plan.' },
      { type: 'tool-x', toolCallId: 't', state: 'input-available', input: { a: 1 } },
      { type: 'source-url', url: 'https://s.example/' },
      { type: 'text', text: 'Hi' },
    ]),
  );
  assert.deepEqual(diffSnapshots(before, after), [
    { type: 'reasoning', text: 'an.' },
    { type: 'tool-call', id: 't', name: 'x', arguments: '{"a":1}', status: 'complete' },
    { type: 'source', url: 'https://s.example/' },
    { type: 'text', text: 'Hi' },
  ]);
  assert.deepEqual(diffSnapshots(after, after), [], 'the same message again: nothing');
});

test('anything that does not extend the previous message asks for a re-render', () => {
  const base = snapshotUIMessage(message([{ type: 'text', text: 'Hello' }, { type: 'source-url', url: 'https://a.example/' }]));
  assert.equal(diffSnapshots(base, snapshotUIMessage(message([{ type: 'text', text: 'Help' }]))), null, 'text changed');
  assert.equal(diffSnapshots(base, snapshotUIMessage(message([{ type: 'text', text: 'Hello!' }], 'other'))), null, 'another message');
  assert.equal(diffSnapshots(base, snapshotUIMessage(message([{ type: 'text', text: 'Hello!' }]))), null, 'a source gone');
  const withCall = snapshotUIMessage(message([{ type: 'tool-a', toolCallId: '1', state: 'input-available', input: {} }]));
  assert.equal(diffSnapshots(withCall, snapshotUIMessage(message([{ type: 'tool-a', toolCallId: '2', state: 'input-available', input: {} }]))), null, 'a call replaced');
});

test('hostile or malformed parts do not throw', () => {
  const snapshot = snapshotUIMessage({ id: 'x', parts: [null, { type: 7 }, { type: 'text' }, { type: 'tool-' }] as never });
  assert.equal(snapshot.text, '');
  assert.deepEqual(snapshot.toolCalls, [{ id: 'tool-3', name: '', arguments: '', status: 'complete' }]);
  assert.deepEqual(snapshotUIMessage(null), { id: '', text: '', reasoning: '', toolCalls: [], sources: [] });
});
