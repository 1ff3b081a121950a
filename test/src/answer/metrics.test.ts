import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetricsTracker } from '../../../src/answer/metrics.js';
import { prepareRequest } from '../../../src/transport/stream-request.js';

test('ttft, total, tokens/s and time per token from injected times', () => {
  const tracker = createMetricsTracker(1000);
  tracker.text('abcd', 1200);
  tracker.text('efgh'.repeat(10), 2200);
  const metrics = tracker.snapshot(2200);
  assert.equal(metrics.ttftMs, 200);
  assert.equal(metrics.totalMs, 1200);
  assert.equal(metrics.outputTokens, 11);
  assert.equal(metrics.tokensPerSecond, 11);
  assert.equal(metrics.tpotMs, 100);
});

test('provider usage wins over the estimate, and partial usage merges', () => {
  const tracker = createMetricsTracker(0, { inputPerMTok: 1, outputPerMTok: 4 });
  tracker.text('x'.repeat(400), 10);
  tracker.usage({ inputTokens: 1000 });
  tracker.usage({ outputTokens: 50 });
  assert.deepEqual(tracker.mergedUsage, { inputTokens: 1000, outputTokens: 50, totalTokens: 1050 });
  const metrics = tracker.snapshot(110, true);
  assert.equal(metrics.outputTokens, 50);
  assert.equal(metrics.cost, (1000 * 1 + 50 * 4) / 1_000_000);
});

test('an object body is sent as JSON with POST and a content type', () => {
  const prepared = prepareRequest({ url: '/api/chat', body: { a: 1 } }, 'https://app.example/page');
  assert.equal(prepared.url, 'https://app.example/api/chat');
  assert.equal(prepared.method, 'POST');
  assert.equal(prepared.body, '{"a":1}');
  assert.equal(prepared.headers['content-type'], 'application/json');
  assert.equal(prepareRequest({ url: 'x' }, 'https://a.example/').method, 'GET');
});

test('live, an early low provider count (Anthropic message_start) does not hide the estimate', () => {
  const tracker = createMetricsTracker(0);
  tracker.usage({ inputTokens: 12, outputTokens: 1 });
  tracker.text('x'.repeat(400), 10);
  assert.equal(tracker.snapshot(500).outputTokens, 100);
  tracker.usage({ outputTokens: 90 });
  assert.equal(tracker.snapshot(600, true).outputTokens, 90);
});
