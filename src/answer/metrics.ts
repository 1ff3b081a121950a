import type { Metrics, Usage } from '../types.js';

/** Prices per million tokens, in the currency of the caller's choice. */
export interface Pricing {
  inputPerMTok: number;
  outputPerMTok: number;
}

/** Tracks the timing of one stream. Time is injected: `src/` owns no clock. */
export interface MetricsTracker {
  /** Answer text arrived at `nowMs`. */
  text(text: string, nowMs: number): void;
  /** Provider usage arrived (fields overwrite earlier ones). */
  usage(usage: Usage): void;
  readonly mergedUsage: Usage | undefined;
  /**
   * Metrics at `nowMs`. Final: the provider's output count wins. Live: the larger of the provider's
   * count so far and the estimate — Anthropic's `message_start` reports 1 output token and the real
   * count only arrives in `message_delta`, so trusting it mid-stream would show ~0 tokens/s.
   */
  snapshot(nowMs: number, final?: boolean): Metrics;
}

/** Rough tokens-from-text estimate used when the provider sends no usage: ~4 characters a token. */
export function estimateTokens(chars: number): number {
  return chars === 0 ? 0 : Math.max(1, Math.round(chars / 4));
}

export function createMetricsTracker(startMs: number, pricing?: Pricing): MetricsTracker {
  let firstTextMs: number | null = null;
  let chars = 0;
  let usage: Usage | undefined;
  return {
    text(text, nowMs) {
      if (text.length === 0) return;
      if (firstTextMs === null) firstTextMs = nowMs;
      chars += text.length;
    },
    usage(next) {
      usage = { ...usage };
      for (const key of ['inputTokens', 'outputTokens', 'totalTokens'] as const) {
        const value = next[key];
        if (value !== undefined) usage[key] = value;
      }
      if (usage.totalTokens === undefined && usage.inputTokens !== undefined && usage.outputTokens !== undefined) {
        usage.totalTokens = usage.inputTokens + usage.outputTokens;
      }
    },
    get mergedUsage() {
      return usage;
    },
    snapshot(nowMs, final = false) {
      const estimate = estimateTokens(chars);
      const reported = usage?.outputTokens;
      const outputTokens = reported === undefined ? estimate : final ? reported : Math.max(reported, estimate);
      const ttftMs = firstTextMs === null ? 0 : firstTextMs - startMs;
      const generationMs = firstTextMs === null ? 0 : nowMs - firstTextMs;
      const metrics: Metrics = {
        ttftMs: round(ttftMs),
        totalMs: round(nowMs - startMs),
        outputTokens,
        tokensPerSecond: generationMs > 0 ? round((outputTokens / generationMs) * 1000) : 0,
        tpotMs: outputTokens > 1 ? round(generationMs / (outputTokens - 1)) : 0,
      };
      if (pricing) {
        const input = usage?.inputTokens ?? 0;
        metrics.cost = (input * pricing.inputPerMTok + outputTokens * pricing.outputPerMTok) / 1_000_000;
      }
      return metrics;
    },
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
