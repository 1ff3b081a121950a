import type { FinishReason } from '../types.js';

/**
 * Finish-reason normalization, one table per provider vocabulary. Unknown values map to `unknown`
 * rather than `stop`: claiming a normal stop for a reason we do not understand would hide truncation.
 */

const OPENAI: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content_filter',
  tool_calls: 'tool_calls',
  // The deprecated single-function form of tool calling.
  function_call: 'tool_calls',
};

const ANTHROPIC: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
  // pause_turn: a server tool paused a long turn; the answer is not finished, nor truncated by a limit.
  pause_turn: 'unknown',
};

const GEMINI: Record<string, FinishReason> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
};

const OLLAMA: Record<string, FinishReason> = { stop: 'stop', length: 'length' };

const RESPONSES_INCOMPLETE: Record<string, FinishReason> = {
  max_output_tokens: 'length',
  content_filter: 'content_filter',
};

/** Our own names plus the hyphenated spelling of the Vercel AI SDK (`content-filter`, `tool-calls`). */
const GENERIC: Record<string, FinishReason> = {
  ...OPENAI,
  'content-filter': 'content_filter',
  'tool-calls': 'tool_calls',
  abort: 'abort',
  error: 'error',
  unknown: 'unknown',
  other: 'unknown',
};

function lookup(table: Record<string, FinishReason>, raw: string): FinishReason {
  // Own-property check: a raw value like "constructor" must not resolve through the prototype.
  return Object.hasOwn(table, raw) ? (table[raw] ?? 'unknown') : 'unknown';
}

export const openaiFinishReason = (raw: string): FinishReason => lookup(OPENAI, raw);
export const anthropicFinishReason = (raw: string): FinishReason => lookup(ANTHROPIC, raw);
export const geminiFinishReason = (raw: string): FinishReason => lookup(GEMINI, raw);
export const ollamaFinishReason = (raw: string): FinishReason => lookup(OLLAMA, raw);
export const responsesIncompleteReason = (raw: string): FinishReason => lookup(RESPONSES_INCOMPLETE, raw);
/** For formats that may send our normalized names or OpenAI's (relay, AI SDK). */
export const genericFinishReason = (raw: string): FinishReason => lookup(GENERIC, raw);
