import type { Usage } from '../types.js';

/**
 * Token usage normalization. Providers name the same three numbers differently; this maps every
 * spelling we know onto {@link Usage}. Only fields the provider actually sent are set, because the
 * consumer merges partial usage (Anthropic sends input tokens first, output tokens last) by
 * overwriting defined fields.
 */

/** Field names per normalized field, most specific first. */
const INPUT_NAMES = ['inputTokens', 'input_tokens', 'prompt_tokens', 'promptTokens', 'promptTokenCount', 'prompt_eval_count'];
const OUTPUT_NAMES = ['outputTokens', 'output_tokens', 'completion_tokens', 'completionTokens', 'candidatesTokenCount', 'eval_count'];
const TOTAL_NAMES = ['totalTokens', 'total_tokens', 'totalTokenCount'];

function firstCount(source: Record<string, unknown>, names: readonly string[]): number | undefined {
  for (const name of names) {
    const value = source[name];
    // Counts are non-negative integers; anything else (null, strings, NaN) means "not sent".
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}

/**
 * Normalize a provider's usage object. Returns null when it carries no count at all, so callers
 * never emit an empty usage event (OpenAI sends `"usage": null` on every chunk but the last).
 */
export function normalizeUsage(raw: unknown): Usage | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const source = raw as Record<string, unknown>;
  const usage: Usage = {};
  const input = firstCount(source, INPUT_NAMES);
  const output = firstCount(source, OUTPUT_NAMES);
  const total = firstCount(source, TOTAL_NAMES);
  if (input !== undefined) usage.inputTokens = input;
  if (output !== undefined) usage.outputTokens = output;
  if (total !== undefined) usage.totalTokens = total;
  return input === undefined && output === undefined && total === undefined ? null : usage;
}
