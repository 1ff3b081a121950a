/** Retry policy shaped like the official SDKs', minus their trap of re-sending a started answer. */
export interface RetryOptions {
  /** Retries after the first attempt. SDK default: 2. */
  maxRetries: number;
  /** Cap for a server-requested delay (`retry-after-ms` / `Retry-After`), in ms. */
  maxRetryAfterMs: number;
  /** First backoff step, doubling per attempt up to `maxBackoffMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const defaultRetryOptions: RetryOptions = {
  maxRetries: 2,
  maxRetryAfterMs: 60_000,
  initialBackoffMs: 500,
  maxBackoffMs: 8_000,
};

/** What went wrong with one attempt, as far as the retry decision cares. */
export type AttemptFailure =
  | { kind: 'network' }
  | { kind: 'http'; status: number; retryAfterMs?: number };

/** Statuses the SDKs retry: request timeout, conflict (lock), rate limit, and every server error. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Delay before retry number `retry` (1-based), or null when no retry should happen.
 * `answerShown` is the trap the SDKs fall into: once text reached the reader, re-sending would
 * silently double the cost and change the answer, so it is never retried automatically.
 * `random` is injected (0 ≤ r < 1) so the jitter is testable.
 */
export function retryDelay(
  failure: AttemptFailure,
  retry: number,
  answerShown: boolean,
  options: RetryOptions = defaultRetryOptions,
  random: () => number = Math.random,
): number | null {
  if (answerShown || retry > options.maxRetries) return null;
  if (failure.kind === 'http') {
    if (!isRetryableStatus(failure.status)) return null;
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs >= 0) {
      return Math.min(failure.retryAfterMs, options.maxRetryAfterMs);
    }
  }
  const base = Math.min(options.initialBackoffMs * 2 ** (retry - 1), options.maxBackoffMs);
  // Up to 25 % less than the base, like the SDKs' jitter, so many clients don't retry in lockstep.
  return Math.round(base * (1 - 0.25 * random()));
}

/**
 * Server-requested delay from response headers: `retry-after-ms` (OpenAI's extension) wins, then
 * `Retry-After` as seconds or as an HTTP date. Returns undefined when absent or unparseable.
 */
export function parseRetryAfter(get: (name: string) => string | null, nowMs: number): number | undefined {
  const ms = get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
