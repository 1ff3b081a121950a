import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRetryOptions, isRetryableStatus, parseRetryAfter, retryDelay } from '../../../src/transport/retry-policy.js';

const noJitter = (): number => 0;

test('network errors and 408/409/429/5xx are retried; other 4xx never', () => {
  for (const status of [408, 409, 429, 500, 502, 503, 504]) assert.equal(isRetryableStatus(status), true, String(status));
  for (const status of [400, 401, 403, 404, 422]) assert.equal(isRetryableStatus(status), false, String(status));
  assert.equal(retryDelay({ kind: 'http', status: 400 }, 1, false), null);
  assert.notEqual(retryDelay({ kind: 'network' }, 1, false, defaultRetryOptions, noJitter), null);
});

test('backoff starts at 0.5 s and doubles up to 8 s, with at most 25 % jitter', () => {
  const options = { ...defaultRetryOptions, maxRetries: 10 };
  const delays = [1, 2, 3, 4, 5, 6].map((retry) => retryDelay({ kind: 'network' }, retry, false, options, noJitter));
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 8000]);
  const jittered = retryDelay({ kind: 'network' }, 1, false, options, () => 0.999);
  assert.ok(jittered !== null && jittered >= 375 && jittered < 500);
});

test('two retries by default, then no more', () => {
  assert.notEqual(retryDelay({ kind: 'http', status: 503 }, 2, false), null);
  assert.equal(retryDelay({ kind: 'http', status: 503 }, 3, false), null);
});

test('never retries once the answer has been shown', () => {
  assert.equal(retryDelay({ kind: 'network' }, 1, true), null);
  assert.equal(retryDelay({ kind: 'http', status: 503 }, 1, true), null);
});

test('a server-requested delay is honoured up to the 60 s cap', () => {
  assert.equal(retryDelay({ kind: 'http', status: 429, retryAfterMs: 1500 }, 1, false), 1500);
  assert.equal(retryDelay({ kind: 'http', status: 429, retryAfterMs: 600_000 }, 1, false), 60_000);
});

test('retry-after-ms wins over Retry-After; seconds and HTTP dates both parse', () => {
  const headers = (values: Record<string, string>) => (name: string) => values[name] ?? null;
  assert.equal(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), 0), 250);
  assert.equal(parseRetryAfter(headers({ 'retry-after': '3' }), 0), 3000);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now), 5000);
  assert.equal(parseRetryAfter(headers({ 'retry-after': 'soon' }), 0), undefined);
  assert.equal(parseRetryAfter(headers({}), 0), undefined);
});
