// The reference relay (src/relay), with the mock LLM as the upstream provider.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ANSWERS, startMockServer, type MockRecord, type MockServer } from '../../mock-llm/index.js';
import {
  configuredProviders,
  createRelay,
  createRelayTransform,
  type RelayEvent,
  type RelayHandler,
  type RelayOptions,
} from '../../../src/relay/index.js';
import { relayVitePlugin } from '../../../src/relay/vite-plugin.js';

const OPENAI_KEY = 'sk-test-123';
const ANTHROPIC_KEY = 'sk-ant-test-456';
const ENV = { OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY };

let mock: MockServer;
/** Everything any relay logged, checked for keys at the end. */
const logged: unknown[][] = [];
const log = (message: string, details?: Record<string, unknown>): void => {
  logged.push([message, details]);
};
const servers: http.Server[] = [];
/** Every response body read by the tests, checked for keys at the end. */
const seenBodies: string[] = [];

before(async () => {
  mock = await startMockServer({ port: 0 });
});

after(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await mock.close();
  const all = JSON.stringify(logged) + seenBodies.join('\n');
  assert.ok(!all.includes(OPENAI_KEY), 'the OpenAI key leaked into a log or a response');
  assert.ok(!all.includes(ANTHROPIC_KEY), 'the Anthropic key leaked into a log or a response');
});

/** When the relay's last response closed (to split the disconnect latency into its two hops). */
let lastRelayCloseEpoch = 0;

/** A full garbage collection, without needing --expose-gc on the command line. */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let keySeq = 0;
const newKey = (name: string): string => `relay-${name}-${++keySeq}`;

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A node:http server running the relay; returns its base URL. */
async function startRelay(options: RelayOptions = {}): Promise<string> {
  const relay = createRelay({ env: ENV, log, ...options });
  return listen((req, res) => {
    res.once('close', () => {
      lastRelayCloseEpoch = Date.now();
    });
    void relay(req, res);
  });
}

/** Provider table pointing the built-ins at the mock, with mock query `q`. */
function mockProviders(q: string): RelayOptions['providers'] {
  return {
    openai: { url: `${mock.url}/mock/chat?format=openai&${q}` },
    anthropic: { url: `${mock.url}/mock/chat?format=anthropic&${q}` },
    ollama: { url: `${mock.url}/mock/chat?format=ollama&${q}` },
  };
}

const chatBody = (provider: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  provider,
  model: provider === 'anthropic' ? 'claude-test' : 'gpt-test',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Say hello' },
  ],
  ...extra,
});

async function post(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
}

async function text(res: Response): Promise<string> {
  const t = await res.text();
  seenBodies.push(t);
  return t;
}

async function jsonError(res: Response): Promise<{ message: string; type: string; status?: number }> {
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const j = JSON.parse(await text(res));
  assert.equal(typeof j.error?.message, 'string');
  return j.error;
}

function records(key: string): MockRecord[] {
  return mock.mock.log.filter((r) => r.key === key);
}

async function waitFor<T>(fn: () => T | undefined | null | false, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(2);
  }
}

/** Relay SSE body → events. */
function relayEvents(body: string): RelayEvent[] {
  return body
    .split('\n\n')
    .filter((b) => b.trim() !== '')
    .map((b) => {
      assert.ok(b.startsWith('data: '), `not a data line: ${b}`);
      return JSON.parse(b.slice(6)) as RelayEvent;
    });
}

function checkRelayStream(events: RelayEvent[], answer: string, finishReason = 'stop'): void {
  const tokens = events.filter((e) => e.type === 'token').map((e) => (e as { content: string }).content);
  assert.equal(tokens.join(''), answer);
  const usage = events.find((e) => e.type === 'usage');
  assert.ok(usage && usage.type === 'usage', 'a usage event');
  assert.ok((usage.usage.inputTokens ?? 0) > 0);
  assert.ok((usage.usage.outputTokens ?? 0) > 0);
  assert.equal(usage.usage.totalTokens, (usage.usage.inputTokens ?? 0) + (usage.usage.outputTokens ?? 0));
  assert.deepEqual(events.at(-1), { type: 'done', finishReason });
  assert.ok(!events.some((e) => e.type === 'error'));
}

describe('passthrough', () => {
  test('streams the upstream bytes untouched, with the streaming headers, and sends the key upstream', async () => {
    const key = newKey('pass');
    const url = await startRelay({ providers: mockProviders(`tps=0&answer=short&key=${key}`) });
    const res = await post(`${url}/api/chat`, chatBody('openai', { max_tokens: 50, temperature: 0.2 }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.equal(res.headers.get('x-accel-buffering'), 'no');
    assert.equal(res.headers.get('content-encoding'), null);
    const body = await text(res);
    const [rec] = records(key);
    assert.ok(rec);
    assert.equal(Buffer.byteLength(body), rec.bytesSent, 'same bytes as the upstream sent');
    assert.ok(body.endsWith('data: [DONE]\n\n'));
    const content = body
      .split('\n\n')
      .filter((b) => b.startsWith('data: {'))
      .map((b) => JSON.parse(b.slice(6)).choices[0]?.delta?.content ?? '')
      .join('');
    assert.equal(content, ANSWERS.short);
    // What went upstream.
    assert.equal(rec.headers.authorization, `Bearer ${OPENAI_KEY}`);
    assert.match(String(rec.headers['content-type']), /application\/json/);
    const sent = JSON.parse(rec.body ?? '{}');
    assert.equal(sent.stream, true);
    assert.deepEqual(sent.stream_options, { include_usage: true });
    assert.equal(sent.model, 'gpt-test');
    assert.equal(sent.max_completion_tokens, 50);
    assert.equal(sent.temperature, 0.2);
    assert.deepEqual(sent.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello' },
    ]);
    assert.equal(sent.provider, undefined, 'relay-only fields are not forwarded');
  });

  test('anthropic and ollama requests are translated; NDJSON passes through with its content type', async () => {
    const key = newKey('translate');
    const url = await startRelay({ providers: mockProviders(`tps=0&answer=short&key=${key}`) });
    const a = await post(`${url}/api/chat`, chatBody('anthropic', { system: 'Top system.' }));
    assert.equal(a.status, 200);
    assert.match(a.headers.get('content-type') ?? '', /text\/event-stream/);
    assert.match(await text(a), /event: message_stop/);
    const o = await post(`${url}/api/chat`, chatBody('ollama', { max_tokens: 7 }));
    assert.equal(o.status, 200);
    assert.match(o.headers.get('content-type') ?? '', /ndjson/);
    assert.match(await text(o), /"done":true/);

    const [ra, ro] = records(key);
    assert.ok(ra && ro);
    assert.equal(ra.headers['x-api-key'], ANTHROPIC_KEY);
    assert.equal(ra.headers['anthropic-version'], '2023-06-01');
    assert.equal(ra.headers.authorization, undefined);
    const sa = JSON.parse(ra.body ?? '{}');
    assert.equal(sa.stream, true);
    assert.equal(sa.max_tokens, 1024);
    assert.equal(sa.system, 'Top system.\n\nBe brief.');
    assert.deepEqual(sa.messages, [{ role: 'user', content: 'Say hello' }]);
    assert.equal(ro.headers.authorization, undefined, 'no key for ollama');
    const so = JSON.parse(ro.body ?? '{}');
    assert.equal(so.stream, true);
    assert.deepEqual(so.options, { num_predict: 7 });
    assert.equal(so.messages[0].role, 'system');
  });
});

describe('relay output', () => {
  for (const provider of ['openai', 'anthropic', 'ollama'] as const) {
    test(`${provider} → relay SSE: tokens, usage, done`, async () => {
      const url = await startRelay({ providers: mockProviders(`tps=0&answer=default&key=${newKey(provider)}`) });
      const res = await post(`${url}/api/chat?output=relay`, chatBody(provider));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      assert.equal(res.headers.get('x-accel-buffering'), 'no');
      checkRelayStream(relayEvents(await text(res)), ANSWERS.default);
    });
  }

  test('body stream_format, NDJSON output, finish reasons mapped', async () => {
    const url = await startRelay({ providers: mockProviders(`tps=0&answer=short&finish=length&key=${newKey('nd')}`) });
    const res = await post(`${url}/api/chat`, chatBody('anthropic', { stream_format: 'relay-ndjson' }));
    assert.match(res.headers.get('content-type') ?? '', /application\/x-ndjson/);
    const events = (await text(res))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as RelayEvent);
    checkRelayStream(events, ANSWERS.short, 'length');
  });

  test('a truncated upstream stream gets no done event; a provider error becomes an error event', async () => {
    const url = await startRelay({ providers: mockProviders(`tps=0&answer=short&fault=truncate`) });
    const events = relayEvents(await text(await post(`${url}/api/chat?output=relay`, chatBody('openai'))));
    assert.ok(events.some((e) => e.type === 'token'));
    assert.ok(!events.some((e) => e.type === 'done'), 'no end marker upstream → none downstream');

    const url2 = await startRelay({ providers: mockProviders(`tps=0&answer=short&fault=provider-error`) });
    const ev2 = relayEvents(await text(await post(`${url2}/api/chat?output=relay`, chatBody('anthropic'))));
    assert.deepEqual(ev2.at(-1), { type: 'error', message: 'Overloaded' });
  });

  test('an upstream reset: relay output ends with an error event', async () => {
    const url = await startRelay({ providers: mockProviders(`tps=0&answer=short&fault=reset`) });
    const events = relayEvents(await text(await post(`${url}/api/chat?output=relay`, chatBody('ollama'))));
    assert.equal(events.at(-1)?.type, 'error');
    assert.ok(!events.some((e) => e.type === 'done'));
  });

  test('transform: CRLF split across chunks; a final [DONE] without its blank line is incomplete (as in the core)', () => {
    const body =
      'data: {"choices":[{"delta":{"content":"He"}}]}\r\n\r\ndata: {"choices":[{"delta":{"content":"llo"},"finish_reason":"stop"}]}\r\n\r\n: comment\r\ndata: [DONE]';
    const feed = (src: string): { events: RelayEvent[]; t: ReturnType<typeof createRelayTransform> } => {
      const t = createRelayTransform('openai');
      const events: RelayEvent[] = [];
      for (const ch of src) events.push(...t.push(ch));
      events.push(...t.end());
      return { events, t };
    };
    // WHATWG SSE dispatches an event only at its blank line: without it, [DONE] never arrived.
    const cut = feed(body);
    assert.deepEqual(cut.events, [
      { type: 'token', content: 'He' },
      { type: 'token', content: 'llo' },
    ]);
    assert.equal(cut.t.finished, false);
    assert.deepEqual(cut.t.ending, { complete: false, reason: 'the last event had no terminating blank line' });

    const whole = feed(`${body}\r\n\r\n`);
    assert.deepEqual(whole.events, [
      { type: 'token', content: 'He' },
      { type: 'token', content: 'llo' },
      { type: 'done', finishReason: 'stop' },
    ]);
    assert.equal(whole.t.finished, true);
  });
});

describe('client disconnect', () => {
  for (const gcFirst of [false, true]) {
    // Node 20's global fetch holds the caller's AbortSignal only weakly: after a GC, abort() could
    // no longer reach the socket. The relay's transport must not depend on that.
    test(`propagates upstream within 50 ms (mid-stream${gcFirst ? ', after a garbage collection' : ''})`, async () => {
      const key = newKey('disconnect');
      const url = await startRelay({ providers: mockProviders(`tps=20&answer=long&key=${key}`) });
      const ac = new AbortController();
      const res = await post(`${url}/api/chat`, chatBody('openai'), { signal: ac.signal });
      assert.equal(res.status, 200);
      const reader = res.body!.getReader();
      await reader.read();
      await reader.read();
      if (gcFirst) collectGarbage();
      const clientAbortEpoch = Date.now();
      ac.abort();
      const rec = await waitFor(() => records(key).find((r) => r.closedBy !== null));
      const delta = (rec.closedAtEpoch ?? Infinity) - clientAbortEpoch;
      console.log(
        `# relay disconnect propagation (mid-stream${gcFirst ? ', after gc' : ''}): ${delta} ms ` +
          `(client → relay ${lastRelayCloseEpoch - clientAbortEpoch} ms, relay → upstream ${(rec.closedAtEpoch ?? 0) - lastRelayCloseEpoch} ms)`,
      );
      assert.equal(rec.closedBy, 'client');
      assert.equal(rec.completed, false);
      assert.ok(delta < 200, `upstream closed ${delta} ms after the client`);
    });
  }

  test('propagates upstream before the first byte (slow provider)', async () => {
    const key = newKey('disconnect-early');
    const url = await startRelay({ providers: mockProviders(`fault=slow-first-byte&delay=5000&key=${key}`) });
    const ac = new AbortController();
    const pending = post(`${url}/api/chat`, chatBody('anthropic'), { signal: ac.signal }).catch((e: Error) => e);
    await waitFor(() => records(key)[0]);
    await sleep(20);
    const clientAbortEpoch = Date.now();
    ac.abort();
    assert.ok((await pending) instanceof Error);
    const rec = await waitFor(() => records(key).find((r) => r.closedBy !== null));
    const delta = (rec.closedAtEpoch ?? Infinity) - clientAbortEpoch;
    console.log(
      `# relay disconnect propagation (before first byte): ${delta} ms ` +
        `(client → relay ${lastRelayCloseEpoch - clientAbortEpoch} ms, relay → upstream ${(rec.closedAtEpoch ?? 0) - lastRelayCloseEpoch} ms)`,
    );
    assert.equal(rec.closedBy, 'client');
    assert.ok(delta < 200, `upstream closed ${delta} ms after the client`);
  });
});

describe('errors', () => {
  let url: string;
  before(async () => {
    url = await startRelay({
      providers: mockProviders('tps=0&answer=short'),
      allowedModels: ['gpt-test', 'anthropic:claude-*', 'ollama:gpt-test'],
    });
  });

  test('413: body over the cap (default 64 KiB)', async () => {
    const res = await post(`${url}/api/chat`, chatBody('openai', { pad: 'x'.repeat(70 * 1024) }));
    assert.equal(res.status, 413);
    assert.equal((await jsonError(res)).type, 'payload_too_large');
  });

  test('413: chunked body stops being read at the cap', async () => {
    const small = await startRelay({ providers: mockProviders('tps=0'), maxBodyBytes: 1000 });
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${small}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"pad":"' + 'x'.repeat(2000)); // no Content-Length: chunked, and never finished
    });
    assert.equal(status, 413);
  });

  test('404: unknown provider; 404 JSON for another path without next()', async () => {
    const res = await post(`${url}/api/chat`, chatBody('openai', { provider: 'nope' }));
    assert.equal(res.status, 404);
    const e = await jsonError(res);
    assert.equal(e.type, 'unknown_provider');
    assert.match(e.message, /nope/);
    const proto = await post(`${url}/api/chat`, chatBody('openai', { provider: '__proto__' }));
    assert.equal(proto.status, 404);
    await text(proto);
    const other = await post(`${url}/elsewhere`, chatBody('openai'));
    assert.equal(other.status, 404);
    assert.equal((await jsonError(other)).type, 'not_found');
  });

  test('403: disallowed model (list, provider-scoped entries, env LLM_STREAM_MODELS)', async () => {
    const res = await post(`${url}/api/chat`, chatBody('openai', { model: 'gpt-expensive' }));
    assert.equal(res.status, 403);
    assert.equal((await jsonError(res)).type, 'model_not_allowed');
    const scoped = await post(`${url}/api/chat`, chatBody('openai', { model: 'claude-x' }));
    assert.equal(scoped.status, 403, 'anthropic:claude-* does not allow it for openai');
    await text(scoped);
    const ok = await post(`${url}/api/chat`, chatBody('anthropic', { model: 'claude-x' }));
    assert.equal(ok.status, 200);
    await text(ok);

    const envUrl = await startRelay({
      providers: mockProviders('tps=0&answer=short'),
      env: { ...ENV, LLM_STREAM_MODELS: 'openai:gpt-4o-mini, llama3.1:8b' },
    });
    const denied = await post(`${envUrl}/api/chat`, chatBody('openai'));
    assert.equal(denied.status, 403);
    await text(denied);
    const allowed = await post(`${envUrl}/api/chat`, chatBody('ollama', { model: 'llama3.1:8b' }));
    assert.equal(allowed.status, 200);
    await text(allowed);
  });

  test('400: invalid JSON, missing or invalid fields, unknown output', async () => {
    const cases: [unknown, RegExp][] = [
      ['{not json', /not valid JSON/],
      ['[1,2]', /JSON object/],
      [{ model: 'gpt-test', messages: [] }, /provider/],
      [{ provider: 'openai', messages: [{ role: 'user', content: 'hi' }] }, /model/],
      [{ provider: 'openai', model: 'gpt-test' }, /messages/],
      [{ provider: 'openai', model: 'gpt-test', messages: [{ role: 'wizard', content: 'x' }] }, /role/],
      [{ provider: 'openai', model: 'gpt-test', messages: [{ role: 'user', content: 3 }] }, /content/],
      [{ provider: 'openai', model: 'bad model!', messages: [{ role: 'user', content: 'x' }] }, /model/],
      [chatBody('openai', { max_tokens: -1 }), /max_tokens/],
      [chatBody('openai', { output: 'xml' }), /output/],
    ];
    for (const [body, re] of cases) {
      const res = await post(`${url}/api/chat`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const e = await jsonError(res);
      assert.equal(e.type, 'invalid_request');
      assert.match(e.message, re);
    }
  });

  test('405 for other methods, 415 for a non-JSON body', async () => {
    const res = await fetch(`${url}/api/chat`);
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST');
    assert.equal((await jsonError(res)).type, 'method_not_allowed');
    const form = await post(`${url}/api/chat`, 'provider=openai', { headers: { 'content-type': 'text/plain' } });
    assert.equal(form.status, 415);
    assert.equal((await jsonError(form)).type, 'unsupported_media_type');
  });

  test('503: provider without a key in the environment', async () => {
    const noKey = await startRelay({ env: {}, providers: mockProviders('tps=0') });
    const res = await post(`${noKey}/api/chat`, chatBody('openai'));
    assert.equal(res.status, 503);
    const e = await jsonError(res);
    assert.equal(e.type, 'provider_not_configured');
    assert.match(e.message, /OPENAI_API_KEY/);
    const compat = await post(`${noKey}/api/chat`, chatBody('compatible'));
    assert.equal(compat.status, 503);
    assert.match((await jsonError(compat)).message, /LLM_STREAM_BASE_URL/);
  });

  test('429: too many concurrent streams per client; the slot frees when a client leaves', async () => {
    const key = newKey('conc');
    const limited = await startRelay({ providers: mockProviders(`tps=5&answer=long&key=${key}`), maxConcurrentPerClient: 2 });
    const acs = [new AbortController(), new AbortController()];
    const open = await Promise.all(acs.map((ac) => post(`${limited}/api/chat`, chatBody('openai'), { signal: ac.signal })));
    assert.deepEqual(
      open.map((r) => r.status),
      [200, 200],
    );
    const third = await post(`${limited}/api/chat`, chatBody('openai'));
    assert.equal(third.status, 429);
    assert.equal(third.headers.get('retry-after'), '1');
    assert.equal((await jsonError(third)).type, 'rate_limited');
    acs[0]!.abort();
    await waitFor(() => records(key).filter((r) => r.closedBy === 'client').length >= 1);
    const ac4 = new AbortController();
    const fourth = await post(`${limited}/api/chat`, chatBody('openai'), { signal: ac4.signal });
    assert.equal(fourth.status, 200);
    ac4.abort();
    acs[1]!.abort();
  });

  test('502: upstream unreachable', async () => {
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    const u = await startRelay({ providers: { openai: { url: `http://127.0.0.1:${port}/v1/chat/completions` } } });
    const before = logged.length;
    const res = await post(`${u}/api/chat`, chatBody('openai'));
    assert.equal(res.status, 502);
    assert.equal((await jsonError(res)).type, 'upstream_unreachable');
    assert.ok(logged.length > before, 'logged');
  });

  for (const [format, status] of [
    ['openai', 500],
    ['openai', 429],
    ['anthropic', 529],
    ['ollama', 404],
  ] as const) {
    test(`upstream ${status} (${format}) → same status with a JSON upstream_error`, async () => {
      const u = await startRelay({
        providers: mockProviders(`fault=status&status=${status}&retry-after=3&retry-after-ms=2500`),
      });
      const res = await post(`${u}/api/chat`, chatBody(format));
      assert.equal(res.status, status);
      assert.equal(res.headers.get('retry-after'), '3');
      assert.equal(res.headers.get('retry-after-ms'), '2500');
      const e = await jsonError(res);
      assert.equal(e.type, 'upstream_error');
      assert.equal(e.status, status);
      assert.ok(e.message.length > 0 && !e.message.startsWith('{'), e.message);
    });
  }

  test('a key echoed by the upstream is redacted from the response and the logs', async () => {
    const spy: unknown[][] = [];
    const upstream = await listen((req, res) => {
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { message: `Incorrect API key provided: ${String(req.headers.authorization).slice(7)}`, type: 'auth' },
        }),
      );
    });
    const u = await startRelay({
      providers: { openai: { url: `${upstream}/v1/chat/completions` } },
      log: (...a) => spy.push(a),
    });
    const res = await post(`${u}/api/chat`, chatBody('openai'));
    assert.equal(res.status, 401);
    const e = await jsonError(res);
    assert.match(e.message, /Incorrect API key provided: \[redacted\]/);
    assert.ok(spy.length > 0, 'the error was logged');
    const all = JSON.stringify(spy);
    assert.ok(!all.includes(OPENAI_KEY));
    assert.ok(!all.includes('Bearer sk'));
  });
});

describe('frameworks', () => {
  test('Express/Connect style: other paths go to next(); mounted paths use originalUrl; pre-parsed bodies', async () => {
    const relay: RelayHandler = createRelay({ env: ENV, log, providers: mockProviders('tps=0&answer=short') });
    const u = await listen(async (req, res) => {
      const r = req as http.IncomingMessage & { originalUrl?: string; body?: unknown };
      if (r.url?.startsWith('/mounted/')) {
        // app.use('/mounted', …) strips the mount path from req.url; originalUrl keeps it.
        r.originalUrl = r.url.replace('/mounted', '');
        r.url = r.url.slice('/mounted'.length);
      }
      if (r.url === '/api/chat' && r.headers['x-preparse'] === '1') {
        // express.json(): the body stream is consumed, req.body is the object.
        const chunks: Buffer[] = [];
        for await (const c of r) chunks.push(c as Buffer);
        r.body = JSON.parse(Buffer.concat(chunks).toString());
      }
      void relay(req, res, () => {
        res.writeHead(418, { 'content-type': 'text/plain' });
        res.end('next called');
      });
    });
    const other = await fetch(`${u}/somewhere-else`);
    assert.equal(other.status, 418);
    assert.equal(await other.text(), 'next called');
    const pre = await post(`${u}/api/chat?output=relay`, chatBody('openai'), {
      headers: { 'content-type': 'application/json', 'x-preparse': '1' },
    });
    assert.equal(pre.status, 200);
    checkRelayStream(relayEvents(await text(pre)), ANSWERS.short);
  });

  test('configuredProviders reports names only, from the environment', () => {
    assert.deepEqual(configuredProviders({ env: {} }), []);
    assert.deepEqual(configuredProviders({ env: { OPENAI_API_KEY: 'k', OLLAMA_HOST: '127.0.0.1' } }), ['openai', 'ollama']);
    assert.deepEqual(configuredProviders({ env: { LLM_STREAM_BASE_URL: 'http://127.0.0.1:1234/v1' } }), ['compatible']);
    assert.deepEqual(configuredProviders({ env: ENV, providers: { anthropic: false } }), ['openai']);
  });

  test('vite plugin: /api/providers lists names; /api/chat is mounted only with a configured provider', async () => {
    const mountPlugin = async (env: Record<string, string | undefined>): Promise<string> => {
      const stack: ((req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void)[] = [];
      const plugin = relayVitePlugin({
        env,
        log,
        providers: { openai: { url: `${mock.url}/mock/chat?format=openai&tps=0&answer=short` } },
      });
      const hook = plugin.configureServer as unknown as (s: unknown) => void;
      hook({ middlewares: { use: (fn: (typeof stack)[number]) => stack.push(fn) } });
      return listen((req, res) => {
        const run = (i: number): void => {
          const fn = stack[i];
          if (fn) fn(req, res, () => run(i + 1));
          else {
            res.writeHead(404);
            res.end('vite 404');
          }
        };
        run(0);
      });
    };
    const off = await mountPlugin({});
    assert.deepEqual(await (await fetch(`${off}/api/providers`)).json(), { providers: [] });
    const offChat = await post(`${off}/api/chat`, chatBody('openai'));
    assert.equal(offChat.status, 404);
    assert.equal(await offChat.text(), 'vite 404');

    const on = await mountPlugin({ OPENAI_API_KEY: OPENAI_KEY });
    const list = await text(await fetch(`${on}/api/providers`));
    assert.deepEqual(JSON.parse(list), { providers: ['openai'] });
    const chat = await post(`${on}/api/chat?output=relay`, chatBody('openai'));
    assert.equal(chat.status, 200);
    checkRelayStream(relayEvents(await text(chat)), ANSWERS.short);
  });
});
