import type { ProviderEvent } from '../../types.js';
import { geminiFinishReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { arrayAt, isRecord, recordAt, stringAt, type JsonObject, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';

/**
 * Google Gemini `streamGenerateContent?alt=sse`: every event is a whole `GenerateContentResponse`
 * chunk. There is no `[DONE]`: the chunk that carries `finishReason` is the last one, so it is the
 * end marker. A prompt blocked before generation comes as `promptFeedback.blockReason` instead.
 */
export function geminiAdapter(): ProviderAdapter {
  return {
    format: 'gemini',
    endMarker: 'a chunk with finishReason',
    map(value) {
      const error = providerError(value);
      if (error) return [error];
      const events: ProviderEvent[] = [];
      const candidate = firstCandidate(value);
      const content = candidate && recordAt(candidate, 'content');
      const parts = content && arrayAt(content, 'parts');
      for (const part of parts ?? []) {
        // Thought summaries (`thought: true`) are reasoning, not answer text.
        if (!isRecord(part) || part.thought === true) continue;
        const text = stringAt(part, 'text');
        if (text) events.push({ type: 'text', text });
      }
      const usage = normalizeUsage(value.usageMetadata);
      if (usage) events.push({ type: 'usage', usage });
      const reason = candidate && stringAt(candidate, 'finishReason');
      const blocked = stringAt(recordAt(value, 'promptFeedback') ?? {}, 'blockReason');
      if (reason) {
        events.push({ type: 'finish', reason: geminiFinishReason(reason), raw: reason }, { type: 'end' });
      } else if (blocked) {
        events.push({ type: 'finish', reason: 'content_filter', raw: blocked }, { type: 'end' });
      }
      return events;
    },
  };
}

/** Candidate 0 (`candidateCount` > 1 streams several); a missing `index` means the only one. */
function firstCandidate(value: JsonObject): JsonObject | undefined {
  const candidates = arrayAt(value, 'candidates');
  if (!candidates) return undefined;
  const match = candidates.find((c) => isRecord(c) && (c.index === 0 || c.index === undefined));
  return isRecord(match) ? match : undefined;
}
