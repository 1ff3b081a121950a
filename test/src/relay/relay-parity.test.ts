/**
 * Relay parity: for every recorded stream (the decoder fixtures and the real-provider corpus, read
 * in place), the relay's output decoded by the core with format `relay` ends exactly as the
 * upstream decoded by the core directly — same text, same status (done / incomplete / error), same
 * finish reason, same usage. The upstream is a local HTTP server replaying the recording.
 *
 * One documented limit: the relay format has no event that carries a finish reason without ending
 * the stream, so for an *incomplete* upstream the client sees `unknown` where the core saw the
 * reason the provider sent before it was cut. Asserted exactly, not skipped.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createResponseCollector, type CollectedResponse } from '../../../src/decoding/response-collector.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { createStreamDecoder } from '../../../src/decoding/stream-decoder.js';
import type { FinishReason, StreamFormat, Usage } from '../../../src/types.js';
import { createRelay, createRelayTransform, type ProviderConfig, type ProviderKind, type RelayEvent } from '../../../src/relay/index.js';
import { seededRandom } from '../../seeded-random.js';

const fixturesDir = new URL('../../fixtures/streams/', import.meta.url);
const corpusDir = new URL('../../../../shared/corpora/real-streams/', import.meta.url);

/** One recorded upstream response. */
interface Recording {
  name: string;
  bytes: Uint8Array;
  contentType: string | null;
  headers: Record<string, string>;
}

function fixtureRecordings(): Recording[] {
  return readdirSync(fixturesDir)
    .filter((file) => file.endsWith('.expected.json'))
    .sort()
    .map((file) => {
      const spec = JSON.parse(readFileSync(new URL(file, fixturesDir), 'utf8')) as {
        file: string;
        contentType?: string | null;
        headers?: Record<string, string>;
      };
      return {
        name: `fixture ${spec.file}`,
        bytes: new Uint8Array(readFileSync(new URL(spec.file, fixturesDir))),
        contentType: spec.contentType ?? null,
        headers: spec.headers ?? {},
      };
    });
}

/** The corpus recordings with the content type SOURCES.md gives each (its table: file | content type | source). */
function corpusRecordings(): Recording[] {
  const table = readFileSync(new URL('SOURCES.md', corpusDir), 'utf8');
  const recordings: Recording[] = [];
  for (const line of table.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const [, file, contentType] = cells;
    if (!file || !contentType || !/\.(sse|ndjson)$/.test(file)) continue;
    recordings.push({ name: `corpus ${file}`, bytes: new Uint8Array(readFileSync(new URL(file, corpusDir))), contentType, headers: {} });
  }
  return recordings;
}

/** How a stream ended, as the element reports it (src/answer's rules: an error ends as `error`; else the last finish wins). */
interface Ending {
  status: 'done' | 'incomplete' | 'error';
  finishReason: FinishReason;
  text: string;
  usage: Usage | null;
  /** Reasoning, tool calls and sources, as the response collector folds them. */
  parts: Pick<CollectedResponse, 'reasoning' | 'toolCalls' | 'sources'>;
  format: StreamFormat | null;
}

/** The core decoder on a whole body, split into seeded random chunks. */
function decodeEnding(bytes: Uint8Array, format: StreamFormat, contentType: string | null, headers: Record<string, string>): Ending {
  let text = '';
  let finishReason: FinishReason = 'unknown';
  let usage: Usage | null = null;
  let failed = false;
  const collector = createResponseCollector();
  const decoder = createStreamDecoder({
    format,
    contentType,
    headers,
    onEvent: (event) => {
      collector.add(event);
      switch (event.type) {
        case 'text':
          text += event.text;
          break;
        case 'finish':
          finishReason = event.reason;
          break;
        case 'usage':
          usage = { ...usage, ...definedUsage(event.usage) };
          break;
        case 'error':
          failed = true;
          break;
        default:
          break;
      }
    },
  });
  const random = seededRandom(bytes.length);
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(random() * 97);
    decoder.feed(bytes.subarray(at, at + size));
    at += size;
  }
  const end = decoder.end();
  const status = failed ? 'error' : end.complete ? 'done' : 'incomplete';
  const { reasoning, toolCalls, sources } = collector.result();
  return { status, finishReason: failed ? 'error' : finishReason, text, usage: withTotal(usage), parts: { reasoning, toolCalls, sources }, format: decoder.format };
}

function definedUsage(usage: Usage): Usage {
  return Object.fromEntries(Object.entries(usage).filter(([, value]) => value !== undefined)) as Usage;
}

/** Usage as the element's metrics merge it: `totalTokens` filled in when both counts are known. */
function withTotal(usage: Usage | null): Usage | null {
  if (!usage) return null;
  const merged = { ...usage };
  if (merged.totalTokens === undefined && merged.inputTokens !== undefined && merged.outputTokens !== undefined) {
    merged.totalTokens = merged.inputTokens + merged.outputTokens;
  }
  return merged;
}

/** What the relay's client must see for an upstream the core decoded as `direct`. */
function expectedThroughRelay(direct: Ending): Omit<Ending, 'format'> {
  return {
    status: direct.status,
    // The documented limit: no `done` for an incomplete stream means no finish reason either.
    finishReason: direct.status === 'incomplete' ? 'unknown' : direct.finishReason,
    text: direct.text,
    usage: direct.usage,
    parts: direct.parts,
  };
}

const KIND_OF_FORMAT: Partial<Record<StreamFormat, Exclude<ProviderKind, 'compatible'>>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  ollama: 'ollama',
};

const recordings = [...fixtureRecordings(), ...corpusRecordings()];
/** Bodies the upstream serves, by path. */
const upstreamBodies = new Map<string, Recording>();
const servers: http.Server[] = [];
let upstreamUrl = '';
let relayUrl = '';

/** Provider entries: `auto-<i>` (kind compatible → detection) and `native-<i>` (the provider's own kind) per recording. */
const providers: Record<string, ProviderConfig> = {};
const nativeKinds = new Map<number, Exclude<ProviderKind, 'compatible'>>();

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Replays a recording in seeded random chunks, each flushed on its own turn, so the relay sees real splits. */
async function replay(res: http.ServerResponse, recording: Recording): Promise<void> {
  res.writeHead(200, { ...(recording.contentType ? { 'content-type': recording.contentType } : {}), ...recording.headers });
  const random = seededRandom(recording.bytes.length + 7);
  for (let at = 0; at < recording.bytes.length; ) {
    const size = 1 + Math.floor(random() * 300);
    res.write(recording.bytes.subarray(at, at + size));
    at += size;
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
}

function register(path: string, recording: Recording): string {
  upstreamBodies.set(path, recording);
  return `${upstreamUrl}${path}`;
}

before(async () => {
  upstreamUrl = await listen((req, res) => {
    req.resume();
    const recording = upstreamBodies.get(req.url ?? '');
    if (!recording) {
      res.writeHead(404).end();
      return;
    }
    void replay(res, recording);
  });
  recordings.forEach((recording, index) => {
    const url = register(`/recording/${index}`, recording);
    providers[`auto-${index}`] = { kind: 'compatible', url };
    const format = decodeEnding(recording.bytes, 'auto', recording.contentType, recording.headers).format;
    const kind = format ? KIND_OF_FORMAT[format] : undefined;
    if (kind) {
      nativeKinds.set(index, kind);
      providers[`native-${index}`] = { kind, url };
    }
  });
  providers['named-case'] = { kind: 'compatible', url: `${upstreamUrl}/named-case` };
  const relay = createRelay({
    env: { OPENAI_API_KEY: 'sk-parity-openai', ANTHROPIC_API_KEY: 'sk-parity-anthropic' },
    providers,
    log: () => {},
  });
  relayUrl = await listen((req, res) => void relay(req, res));
});

after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** POSTs a chat request to the relay and decodes its answer with the core, format `relay`. */
async function throughRelay(provider: string, output: 'relay' | 'relay-ndjson'): Promise<{ ending: Ending; events: RelayEvent[] }> {
  const res = await fetch(`${relayUrl}/api/chat?output=${output}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider, model: 'parity-model', messages: [{ role: 'user', content: 'hi' }] }),
  });
  assert.equal(res.status, 200, `relay status for ${provider}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const ending = decodeEnding(bytes, 'relay', res.headers.get('content-type'), {});
  const body = new TextDecoder().decode(bytes);
  const events = (output === 'relay-ndjson' ? body.split('\n') : body.split('\n\n').map((block) => block.replace(/^data: /, '')))
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RelayEvent);
  return { ending, events };
}

function assertSameEnding(actual: Ending, expected: Omit<Ending, 'format'>, label: string): void {
  assert.equal(actual.status, expected.status, `${label}: status`);
  assert.equal(actual.text, expected.text, `${label}: text`);
  assert.equal(actual.finishReason, expected.finishReason, `${label}: finish reason`);
  assert.deepEqual(actual.usage, expected.usage, `${label}: usage`);
  assert.deepEqual(actual.parts, expected.parts, `${label}: reasoning, tool calls and sources`);
}

describe('relay parity with the core decoder', () => {
  recordings.forEach((recording, index) => {
    test(`${recording.name}: same ending through the relay (detected format; SSE and NDJSON output)`, async () => {
      const direct = decodeEnding(recording.bytes, 'auto', recording.contentType, recording.headers);
      for (const output of ['relay', 'relay-ndjson'] as const) {
        const { ending, events } = await throughRelay(`auto-${index}`, output);
        assertSameEnding(ending, expectedThroughRelay(direct), `${recording.name} (${output})`);
        assert.equal(events.some((e) => e.type === 'done'), direct.status === 'done', `${recording.name}: done only when the core saw the end`);
      }
    });
    const kind = nativeKinds.get(index);
    if (kind) {
      test(`${recording.name}: same ending through a ${kind} provider (format ${kind})`, async () => {
        const direct = decodeEnding(recording.bytes, kind, recording.contentType, recording.headers);
        const { ending } = await throughRelay(`native-${index}`, 'relay');
        assertSameEnding(ending, expectedThroughRelay(direct), `${recording.name} (${kind})`);
      });
    }
  });

  test('the inputs cover every ending: done, incomplete (with and without a finish reason) and error', () => {
    const endings = recordings.map((r) => decodeEnding(r.bytes, 'auto', r.contentType, r.headers));
    assert.ok(recordings.length >= 60, `${recordings.length} recordings`);
    assert.ok(endings.some((e) => e.status === 'done'));
    assert.ok(endings.some((e) => e.status === 'error'));
    assert.ok(endings.some((e) => e.status === 'incomplete' && e.finishReason === 'unknown'));
    // The documented limit is exercised, not hypothetical.
    assert.ok(endings.some((e) => e.status === 'incomplete' && e.finishReason !== 'unknown'));
  });

  test('relay events are the same whether the upstream arrives whole or byte by byte', () => {
    for (const recording of recordings) {
      const run = (chunkSize: number): RelayEvent[] => {
        const transform = createRelayTransform('compatible', { contentType: recording.contentType, headers: recording.headers });
        const events: RelayEvent[] = [];
        for (let at = 0; at < recording.bytes.length; at += chunkSize) events.push(...transform.push(recording.bytes.subarray(at, at + chunkSize)));
        events.push(...transform.end());
        return events;
      };
      const whole = run(Math.max(1, recording.bytes.length));
      const joinTokens = (events: RelayEvent[]): RelayEvent[] => {
        // Token boundaries follow the framing; the stream of everything else must not change.
        const text = events.flatMap((e) => (e.type === 'token' ? [e.content] : [])).join('');
        return [{ type: 'token', content: text }, ...events.filter((e) => e.type !== 'token')];
      };
      assert.deepEqual(joinTokens(run(1)), joinTokens(whole), recording.name);
    }
  });
});

/** Serves `body` as the next answer of provider `named-case` and returns both endings. */
async function namedCase(body: string, contentType: string): Promise<{ direct: Ending; relayed: Ending; events: RelayEvent[] }> {
  const recording: Recording = { name: 'named case', bytes: new TextEncoder().encode(body), contentType, headers: {} };
  upstreamBodies.set('/named-case', recording);
  const direct = decodeEnding(recording.bytes, 'auto', contentType, {});
  const { ending, events } = await throughRelay('named-case', 'relay');
  return { direct, relayed: ending, events };
}

describe('the three cases where the old relay contradicted the core', () => {
  test('an upstream ending "…\\n\\ndata: [DONE]" without the final blank line is incomplete, never done', async () => {
    const whole = readFileSync(new URL('openai-chat.sse', fixturesDir), 'utf8');
    assert.ok(whole.endsWith('data: [DONE]\n\n'));
    const { direct, relayed, events } = await namedCase(whole.replace(/\n+$/, ''), 'text/event-stream');
    assert.equal(direct.status, 'incomplete', 'the core: an event without its blank line is not dispatched');
    assert.equal(relayed.status, 'incomplete');
    assert.equal(relayed.text, direct.text);
    assert.ok(!events.some((e) => e.type === 'done'), 'no done event downstream');
  });

  test('Anthropic stop_reason pause_turn finishes as the core says (unknown), not stop', async () => {
    const sse = [
      ['message_start', { type: 'message_start', message: { usage: { input_tokens: 5, output_tokens: 1 } } }],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Searching…' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'pause_turn' }, usage: { output_tokens: 3 } }],
      ['message_stop', { type: 'message_stop' }],
    ]
      .map(([event, data]) => `event: ${String(event)}\ndata: ${JSON.stringify(data)}\n\n`)
      .join('');
    const { direct, relayed, events } = await namedCase(sse, 'text/event-stream');
    assert.equal(direct.finishReason, 'unknown');
    assert.equal(relayed.status, 'done');
    assert.equal(relayed.finishReason, 'unknown');
    assert.deepEqual(events.at(-1), { type: 'done', finishReason: 'unknown' });
  });

  test('an Ollama final line without done_reason finishes as the core says (unknown), not stop', async () => {
    const ndjson =
      [
        { model: 'llama', message: { role: 'assistant', content: 'Hi' }, done: false },
        { model: 'llama', message: { role: 'assistant', content: '' }, done: true, prompt_eval_count: 4, eval_count: 2 },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n') + '\n';
    const { direct, relayed, events } = await namedCase(ndjson, 'application/x-ndjson');
    assert.equal(direct.status, 'done');
    assert.equal(direct.finishReason, 'unknown');
    assert.equal(relayed.status, 'done');
    assert.equal(relayed.finishReason, 'unknown');
    assert.deepEqual(events.at(-1), { type: 'done', finishReason: 'unknown' });
  });
});
