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
/** Gemini `thoughtsTokenCount`; DeepSeek-style servers put `reasoning_tokens` at the top level. */
const REASONING_NAMES = ['reasoningTokens', 'reasoning_tokens', 'thoughtsTokenCount'];
/**
 * Where the reasoning count hides in nested details: OpenAI chat `completion_tokens_details`,
 * Responses `output_tokens_details` (Anthropic uses the same object with `thinking_tokens`).
 */
const REASONING_DETAILS = ['completion_tokens_details', 'output_tokens_details'];
const REASONING_DETAIL_NAMES = ['reasoning_tokens', 'thinking_tokens'];

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
  const reasoning = firstCount(source, REASONING_NAMES) ?? reasoningInDetails(source);
  if (input !== undefined) usage.inputTokens = input;
  if (output !== undefined) usage.outputTokens = output;
  if (total !== undefined) usage.totalTokens = total;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return input === undefined && output === undefined && total === undefined && reasoning === undefined ? null : usage;
}

function reasoningInDetails(source: Record<string, unknown>): number | undefined {
  for (const name of REASONING_DETAILS) {
    const details = source[name];
    if (typeof details !== 'object' || details === null || Array.isArray(details)) continue;
    const count = firstCount(details as Record<string, unknown>, REASONING_DETAIL_NAMES);
    if (count !== undefined) return count;
  }
  return undefined;
}
