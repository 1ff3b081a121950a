import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ANSWERS,
  FORMATS,
  encodeStream,
  startMockServer,
  tokenize,
  type MockFormat,
  type MockRecord,
  type MockServer,
} from '../mock-llm/index.js';

let server: MockServer;

before(async () => {
  server = await startMockServer({ port: 0 });
});

after(async () => {
  await server.close();
});

const url = (path: string): string => `${server.url}${path}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Splits a body into event payloads (the `data:` text of each SSE event, or each NDJSON line). */
function payloads(format: MockFormat, body: string): { event?: string; data: string }[] {
  if (format === 'ollama' || format === 'relay-ndjson') {
    return body
      .split('\n')
      .filter((l) => l !== '')
      .map((data) => ({ data }));
  }
  return body
    .split(/\r\n\r\n|\n\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split(/\r\n|\n/);
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      return event === undefined ? { data } : { event, data };
    });
}

/** A quick per-format text extraction (not the real adapters: just enough to check the mock). */
function extractText(format: MockFormat, body: string): string {
  if (format === 'text') return body;
  let out = '';
  for (const { data } of payloads(format, body)) {
    if (data === '[DONE]') continue;
    const j = JSON.parse(data);
    switch (format) {
      case 'openai':
        out += j.choices[0]?.delta?.content ?? '';
        break;
      case 'openai-completions':
        out += j.choices[0]?.text ?? '';
        break;
      case 'openai-responses':
        if (j.type === 'response.output_text.delta') out += j.delta;
        break;
      case 'anthropic':
        if (j.type === 'content_block_delta') out += j.delta.text;
        break;
      case 'gemini':
        out += j.candidates[0].content.parts[0].text;
        break;
      case 'ollama':
        out += j.message.content;
        break;
      case 'ai-sdk':
        if (j.type === 'text-delta') out += j.delta;
        break;
      case 'relay':
      case 'relay-ndjson':
        if (j.type === 'token') out += j.content;
        break;
    }
  }
  return out;
}

/** What each format must end with (the last payload), proving the full event sequence was sent. */
function assertEndMarker(format: MockFormat, body: string): void {
  const p = payloads(format, body);
  const last = p.at(-1);
  assert.ok(last, `${format}: empty body`);
  const parsed = (i: number) => JSON.parse(p.at(i)!.data);
  switch (format) {
    case 'openai':
    case 'openai-completions': {
      assert.equal(last.data, '[DONE]');
      assert.ok(body.endsWith('data: [DONE]\n\n'));
      const usage = parsed(-2);
      assert.deepEqual(usage.choices, []);
      assert.equal(usage.usage.completion_tokens, tokenize(ANSWERS.default).length);
      assert.equal(parsed(-3).choices[0].finish_reason, 'stop');
      if (format === 'openai') {
        const first = parsed(0);
        assert.equal(first.object, 'chat.completion.chunk');
        assert.deepEqual({ role: first.choices[0].delta.role, content: first.choices[0].delta.content }, {
          role: 'assistant',
          content: '',
        });
      } else {
        assert.equal(parsed(0).object, 'text_completion');
      }
      break;
    }
    case 'openai-responses': {
      const types = p.map((e) => e.event);
      assert.deepEqual(types.slice(0, 4), [
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
      ]);
      assert.equal(last.event, 'response.completed');
      const done = JSON.parse(last.data);
      assert.equal(done.response.usage.output_tokens, tokenize(ANSWERS.default).length);
      assert.deepEqual(
        p.map((e) => JSON.parse(e.data).sequence_number),
        p.map((_, i) => i),
      );
      assert.ok(types.includes('response.output_text.done'));
      break;
    }
    case 'anthropic':
      assert.deepEqual(
        p.slice(0, 3).map((e) => e.event),
        ['message_start', 'content_block_start', 'ping'],
      );
      assert.deepEqual(
        p.slice(-3).map((e) => e.event),
        ['content_block_stop', 'message_delta', 'message_stop'],
      );
      assert.equal(parsed(-2).delta.stop_reason, 'end_turn');
      assert.equal(parsed(0).message.usage.input_tokens, 12);
      break;
    case 'gemini':
      assert.ok(body.endsWith('\r\n\r\n'));
      assert.ok(!body.includes('[DONE]'));
      assert.equal(parsed(-1).candidates[0].finishReason, 'STOP');
      assert.ok(parsed(-1).usageMetadata.totalTokenCount > 0);
      break;
    case 'ollama': {
      const end = JSON.parse(last.data);
      assert.equal(end.done, true);
      assert.equal(end.done_reason, 'stop');
      assert.equal(end.eval_count, tokenize(ANSWERS.default).length);
      assert.ok(Number.isInteger(end.eval_duration));
      break;
    }
    case 'ai-sdk':
      assert.equal(last.data, '[DONE]');
      assert.deepEqual(
        p.slice(0, 3).map((e) => JSON.parse(e.data).type),
        ['start', 'start-step', 'text-start'],
      );
      assert.deepEqual(
        p.slice(-4, -1).map((e) => JSON.parse(e.data).type),
        ['text-end', 'finish-step', 'finish'],
      );
      break;
    case 'relay':
    case 'relay-ndjson':
      assert.deepEqual(parsed(-1), { type: 'done' });
      assert.equal(parsed(-2).type, 'usage');
      break;
    case 'text':
      assert.ok(body.endsWith('\n'));
      break;
  }
}

describe('tokenize / encodeStream', () => {
  test('tokens re-join to the text, average ~4 chars, deterministic', () => {
    for (const text of Object.values(ANSWERS)) {
      const tokens = tokenize(text);
      assert.equal(tokens.join(''), text);
      const avg = text.length / tokens.length;
      assert.ok(avg > 3 && avg < 6, `average token length ${avg}`);
      assert.deepEqual(tokenize(text), tokens);
    }
    assert.deepEqual(tokenize('🎉🎉🎉🎉🎉🎉🎉🎉🎉').join(''), '🎉🎉🎉🎉🎉🎉🎉🎉🎉');
    assert.ok(ANSWERS.long.length >= 95 * 1024 && ANSWERS.long.length <= 110 * 1024);
    assert.ok(ANSWERS.default.length >= 6000 && ANSWERS.default.length <= 8500);
  });

  test('encodeStream is pure and honours encoder faults', () => {
    const tokens = tokenize('Hello there, world!');
    assert.deepEqual(encodeStream('openai', tokens), encodeStream('openai', tokens));
    const truncated = encodeStream('anthropic', tokens, { fault: 'truncate' }).join('');
    assert.ok(!truncated.includes('message_stop') && truncated.includes('message_delta'));
    const noNl = encodeStream('openai', tokens, { fault: 'no-final-newline' });
    assert.equal(noNl.at(-1), 'data: [DONE]');
    const gem = encodeStream('gemini', tokens, { fault: 'truncate' }).join('');
    assert.ok(!gem.includes('finishReason'));
    assert.equal(extractText('gemini', gem), tokens.join(''));
  });
});

describe('mock server: formats', () => {
  for (const format of FORMATS) {
    test(`${format}: headers, full answer in order, end marker`, async () => {
      const res = await fetch(url(`/mock/chat?format=${format}&tps=max&key=fmt-${format}`));
      assert.equal(res.status, 200);
      const ct = res.headers.get('content-type') ?? '';
      if (format === 'text') assert.equal(ct, 'text/plain; charset=utf-8');
      else if (format === 'ollama' || format === 'relay-ndjson') assert.equal(ct, 'application/x-ndjson');
      else assert.match(ct, /^text\/event-stream/);
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      assert.equal(res.headers.get('x-accel-buffering'), 'no');
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.equal(res.headers.get('content-encoding'), null);
      if (format === 'ai-sdk') assert.equal(res.headers.get('x-vercel-ai-ui-message-stream'), 'v1');
      const body = await res.text();
      assert.equal(extractText(format, body), ANSWERS.default);
      assertEndMarker(format, body);
      const rec = server.mock.log.find((r) => r.key === `fmt-${format}`);
      assert.ok(rec);
      assert.equal(rec.format, format);
      assert.equal(rec.completed, true);
      assert.equal(rec.closedBy, 'server');
      assert.equal(rec.bytesSent, Buffer.byteLength(body));
    });
  }

  test('long answer at tps=max arrives in many writes, well under a second', async () => {
    const t0 = performance.now();
    const res = await fetch(url('/mock/chat?format=relay&answer=long&tps=max'));
    let reads = 0;
    let text = '';
    const decoder = new TextDecoder();
    const reader = res.body!.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      reads++;
      text += decoder.decode(value, { stream: true });
    }
    assert.ok(performance.now() - t0 < 1000, `took ${performance.now() - t0} ms`);
    assert.equal(extractText('relay', text), ANSWERS.long);
    assert.ok(reads > 1, 'expected more than one network chunk');
  });

  test('tps paces the tokens', async () => {
    const n = tokenize(ANSWERS.short).length;
    const t0 = performance.now();
    const res = await fetch(url('/mock/chat?format=text&answer=short&tps=200'));
    assert.equal(await res.text(), ANSWERS.short);
    const took = performance.now() - t0;
    assert.ok(took >= (n - 1) * 5 - 5, `took ${took} ms for ${n} tokens`);
  });

  test('POST: JSON body params, echo of the last user message, body is logged', async () => {
    const body = JSON.stringify({
      model: 'x',
      format: 'anthropic',
      answer: 'echo',
      tps: 'max',
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'text', text: 'Echo **this**, please.' }] },
      ],
    });
    const res = await fetch(url('/mock/chat?key=post1&format=openai'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
      body,
    });
    const text = await res.text();
    // The query wins over the body for knobs: format is openai, answer/tps come from the body.
    assert.equal(extractText('openai', text), 'Echo **this**, please.');
    const rec = server.mock.log.find((r) => r.key === 'post1')!;
    assert.equal(rec.method, 'POST');
    assert.equal(rec.format, 'openai');
    assert.equal(rec.body, body);
    assert.equal(rec.headers.authorization, 'Bearer sk-test');
    assert.equal(rec.headers['content-type'], 'application/json');
  });

  test('literal text param', async () => {
    const md = '# Hi\n\n- a *b* `c`\n';
    const res = await fetch(url(`/mock/chat?format=gemini&tps=max&text=${encodeURIComponent(md)}`));
    assert.equal(extractText('gemini', await res.text()), md);
  });
});

describe('mock server: faults', () => {
  test('reset: the body ends with an error after about half the answer', async () => {
    const res = await fetch(url('/mock/chat?format=openai&tps=max&fault=reset&key=reset1'));
    assert.equal(res.status, 200);
    await assert.rejects(res.text());
    const rec = server.mock.log.find((r) => r.key === 'reset1')!;
    assert.equal(rec.closedBy, 'server');
    assert.equal(rec.completed, false);
  });

  test('stall: writes half, then nothing until the client aborts', async () => {
    const ac = new AbortController();
    const res = await fetch(url('/mock/chat?format=relay&tps=max&fault=stall&key=stall1'), { signal: ac.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const deadline = Date.now() + 2000;
    // Read until the first half has arrived.
    const half = tokenize(ANSWERS.default).slice(0, Math.floor(tokenize(ANSWERS.default).length / 2)).join('');
    while (extractText('relay', text) !== half && Date.now() < deadline) {
      const { value } = await reader.read();
      text += decoder.decode(value, { stream: true });
    }
    assert.equal(extractText('relay', text), half);
    const rec = server.mock.log.find((r) => r.key === 'stall1')!;
    const bytes = rec.bytesSent;
    await sleep(100);
    assert.equal(rec.bytesSent, bytes, 'no writes while stalled');
    assert.equal(rec.closedBy, null);
    ac.abort();
    await waitFor(() => rec.closedBy === 'client', 200);
  });

  test('status: HTTP status, provider-shaped JSON, retry headers', async () => {
    let res = await fetch(url('/mock/chat?format=openai&fault=status&status=429&retry-after=2&retry-after-ms=1500'));
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '2');
    assert.equal(res.headers.get('retry-after-ms'), '1500');
    assert.match(res.headers.get('access-control-expose-headers') ?? '', /retry-after-ms/);
    let json = await res.json();
    assert.equal(typeof json.error.message, 'string');
    assert.equal(json.error.type, 'requests');
    assert.equal(json.error.code, 'rate_limit_exceeded');

    res = await fetch(url('/mock/chat?format=anthropic&fault=status&status=500'));
    assert.equal(res.status, 500);
    json = await res.json();
    assert.equal(json.type, 'error');
    assert.equal(json.error.type, 'api_error');

    res = await fetch(url('/mock/chat?format=gemini&fault=status&status=503'));
    assert.equal(res.status, 503);
    assert.equal((await res.json()).error.status, 'UNAVAILABLE');

    res = await fetch(url('/mock/chat?fault=status'));
    assert.equal(res.status, 500);
    await res.arrayBuffer();
  });

  test('fail-times: the first n requests with a key fail, then it succeeds', async () => {
    const q = '/mock/chat?format=relay&answer=short&tps=max&fault=fail-times&n=2&key=ft1';
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(url(q));
      statuses.push(res.status);
      const body = await res.text();
      if (res.status === 200) assert.equal(extractText('relay', body), ANSWERS.short);
    }
    assert.deepEqual(statuses, [503, 503, 200]);
    // Another key has its own counter; a custom status is used.
    const other = await fetch(url('/mock/chat?fault=fail-times&status=429&key=ft2'));
    assert.equal(other.status, 429);
    await other.arrayBuffer();
  });

  test('truncate / no-final-newline / malformed / provider-error', async () => {
    const get = async (q: string) => (await fetch(url(`/mock/chat?tps=max&answer=short&${q}`))).text();

    let body = await get('format=openai&fault=truncate');
    assert.ok(!body.includes('[DONE]'));
    assert.equal(extractText('openai', body), ANSWERS.short);
    body = await get('format=ai-sdk&fault=truncate');
    assert.ok(!body.includes('[DONE]') && !body.includes('"finish"'));

    body = await get('format=anthropic&fault=no-final-newline');
    assert.ok(body.endsWith('data: {"type":"message_stop"}'));
    body = await get('format=ollama&fault=no-final-newline');
    assert.ok(body.endsWith('}'));

    body = await get('format=openai&fault=malformed');
    assert.ok(body.includes('\ndata: {not json\n\n'));
    assert.ok(body.endsWith('data: [DONE]\n\n'));

    body = await get('format=anthropic&fault=provider-error');
    assert.match(body, /event: error\ndata: \{"type":"error","error":\{"type":"overloaded_error"/);
    body = await get('format=openai&fault=provider-error');
    assert.match(body, /data: \{"error":\{"message":/);
    assert.ok(!body.includes('[DONE]'));
    body = await get('format=ai-sdk&fault=provider-error');
    assert.match(body, /"type":"error","errorText":/);
    body = await get('format=relay-ndjson&fault=provider-error');
    assert.match(body, /\{"type":"error","message":/);
  });

  test('html, json-error, slow-first-byte', async () => {
    let res = await fetch(url('/mock/chat?fault=html'));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(await res.text(), '<!doctype html><html><body>Gateway login</body></html>');

    res = await fetch(url('/mock/chat?fault=json-error'));
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(await res.json(), { error: { message: 'Invalid API key', type: 'invalid_request_error' } });

    const t0 = performance.now();
    res = await fetch(url('/mock/chat?fault=slow-first-byte&delay=300&answer=short&tps=max&key=sfb'));
    assert.ok(performance.now() - t0 >= 290);
    await res.text();
    const rec = server.mock.log.find((r) => r.key === 'sfb')!;
    assert.ok(rec.firstByteAt! - rec.startedAt >= 290);
  });
});

describe('mock server: log, abort, images, routing', () => {
  test('client abort is logged with closedBy "client" within 200 ms, and writing stops', async () => {
    const ac = new AbortController();
    const res = await fetch(url('/mock/chat?format=openai&tps=50&key=abort1'), { signal: ac.signal });
    const reader = res.body!.getReader();
    await reader.read();
    const rec = server.mock.log.find((r) => r.key === 'abort1')!;
    assert.equal(rec.closedBy, null);
    ac.abort();
    const t0 = performance.now();
    await waitFor(() => rec.closedBy === 'client', 200);
    assert.ok(rec.closedAt! > rec.startedAt);
    assert.ok(performance.now() - t0 < 200);
    assert.equal(rec.completed, false);
    const bytes = rec.bytesSent;
    await sleep(80);
    assert.equal(rec.bytesSent, bytes, 'the stream kept writing after the client left');

    // The same record over HTTP, filtered by key.
    const list = (await (await fetch(url('/mock/log?key=abort1'))).json()) as MockRecord[];
    assert.equal(list.length, 1);
    assert.equal(list[0]!.closedBy, 'client');
    assert.equal(typeof list[0]!.closedAtEpoch, 'number');
  });

  test('image requests get a 1x1 PNG and are logged', async () => {
    const res = await fetch(url('/mock/image.png?key=img1&n=1'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(new DataView(bytes.buffer).getUint32(16), 1); // IHDR width
    const list = (await (await fetch(url('/mock/log?key=img1'))).json()) as MockRecord[];
    assert.equal(list.length, 1);
    assert.equal(list[0]!.route, 'image');
    assert.equal(list[0]!.url, '/mock/image.png?key=img1&n=1');
  });

  test('preflight, 404, bad params, handle() returns false outside /mock/, reset', async () => {
    const pre = await fetch(url('/mock/chat'), {
      method: 'OPTIONS',
      headers: { origin: 'http://example.test', 'access-control-request-method': 'POST' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.equal(pre.headers.get('access-control-allow-headers'), 'content-type, authorization, x-api-key');

    const nf = await fetch(url('/mock/anything-else'));
    assert.equal(nf.status, 404);
    assert.equal((await nf.json()).error.type, 'not_found_error');

    const bad = await fetch(url('/mock/chat?format=nope'));
    assert.equal(bad.status, 400);
    await bad.arrayBuffer();

    const outside = await fetch(url('/elsewhere'));
    assert.equal(outside.status, 404);
    assert.match(await outside.text(), /Not found/);

    assert.ok(server.mock.log.length > 0);
    const r = await fetch(url('/mock/reset'), { method: 'POST' });
    assert.equal(r.status, 200);
    await r.arrayBuffer();
    assert.equal(server.mock.log.length, 0);
    assert.deepEqual(await (await fetch(url('/mock/log'))).json(), []);
  });
});

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) assert.fail(`condition not met within ${ms} ms`);
    await sleep(5);
  }
}
