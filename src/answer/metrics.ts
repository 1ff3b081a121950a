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
  /** Reasoning text arrived at `nowMs` (counts toward TTFT and the token estimate, and starts `reasoningMs`). */
  reasoning(text: string, nowMs: number): void;
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
  /** The first visible token of either channel (TTFT), the first reasoning, the first answer text. */
  let firstTokenMs: number | null = null;
  let firstReasoningMs: number | null = null;
  let firstTextMs: number | null = null;
  let chars = 0;
  let usage: Usage | undefined;
  const visible = (text: string, nowMs: number): boolean => {
    if (text.length === 0) return false;
    if (firstTokenMs === null) firstTokenMs = nowMs;
    chars += text.length;
    return true;
  };
  return {
    text(text, nowMs) {
      if (visible(text, nowMs) && firstTextMs === null) firstTextMs = nowMs;
    },
    reasoning(text, nowMs) {
      if (visible(text, nowMs) && firstReasoningMs === null) firstReasoningMs = nowMs;
    },
    usage(next) {
      usage = { ...usage };
      for (const key of ['inputTokens', 'outputTokens', 'totalTokens', 'reasoningTokens'] as const) {
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
      const ttftMs = firstTokenMs === null ? 0 : firstTokenMs - startMs;
      const generationMs = firstTokenMs === null ? 0 : nowMs - firstTokenMs;
      const reasoningMs = firstReasoningMs === null ? 0 : (firstTextMs !== null && firstTextMs >= firstReasoningMs ? firstTextMs : nowMs) - firstReasoningMs;
      const metrics: Metrics = {
        ttftMs: round(ttftMs),
        reasoningMs: round(reasoningMs),
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
