import type { ProviderEvent } from '../../types.js';
import { geminiFinishReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { arrayAt, isRecord, recordAt, stringAt, type JsonObject, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';
import { createToolCallIds, jsonText } from './tool-call-ids.js';

/**
 * Google Gemini `streamGenerateContent?alt=sse`: every event is a whole `GenerateContentResponse`
 * chunk, and there is no end marker: the stream ends when the body closes. `finishReason` says why
 * the model stopped, not that nothing follows — the 2024 API put `STOP` on every chunk, grounding
 * metadata arrives in a chunk after the `STOP` one, and gemini-2.5 with a server-side tool sends
 * `STOP` with its function call and the answer after it. So every chunk is read, and the stream is
 * complete when the body closes after a finish reason (the last one stated wins). A prompt blocked
 * before generation comes as `promptFeedback.blockReason` instead.
 * - Parts: `text` is answer text, `text` with `thought: true` is reasoning, `functionCall`
 *   (`name`, `args`, rarely an `id`) is a whole tool call, `functionResponse` the output of the call
 *   of that id (or else of the latest call of that name still without one).
 * - Sources: `groundingMetadata.groundingChunks[].web` (`uri`, `title`).
 */
export function geminiAdapter(): ProviderAdapter {
  const ids = createToolCallIds();
  const calls: { id: string; providerId: string | undefined; name: string; answered: boolean }[] = [];
  let finish: Extract<ProviderEvent, { type: 'finish' }> | null = null;

  function functionCall(call: JsonObject): ProviderEvent[] {
    const providerId = stringAt(call, 'id') || undefined;
    const name = stringAt(call, 'name') ?? '';
    const id = ids.claim(providerId);
    calls.push({ id, providerId, name, answered: false });
    return [{ type: 'tool-call', id, name, arguments: jsonText(call.args ?? {}), status: 'complete' }];
  }

  function functionResponse(response: JsonObject): ProviderEvent[] {
    const providerId = stringAt(response, 'id') || undefined;
    const name = stringAt(response, 'name');
    const call =
      (providerId !== undefined ? calls.find((c) => c.providerId === providerId) : undefined) ??
      calls.findLast((c) => !c.answered && c.name === name);
    if (!call) return [];
    call.answered = true;
    return [{ type: 'tool-call', id: call.id, output: jsonText(response.response ?? null) }];
  }

  return {
    format: 'gemini',
    endMarker: 'a chunk with finishReason',
    map(value) {
      const error = providerError(value);
      if (error) return [error];
      const events: ProviderEvent[] = [];
      const candidate = firstCandidate(value);
      const content = candidate && recordAt(candidate, 'content');
      for (const part of (content && arrayAt(content, 'parts')) ?? []) {
        if (!isRecord(part)) continue;
        const text = stringAt(part, 'text');
        if (text) events.push({ type: part.thought === true ? 'reasoning' : 'text', text });
        const call = recordAt(part, 'functionCall');
        if (call) events.push(...functionCall(call));
        const response = recordAt(part, 'functionResponse');
        if (response) events.push(...functionResponse(response));
      }
      const grounding = candidate && recordAt(candidate, 'groundingMetadata');
      for (const chunk of (grounding && arrayAt(grounding, 'groundingChunks')) ?? []) {
        const web = isRecord(chunk) ? recordAt(chunk, 'web') : undefined;
        const url = web && stringAt(web, 'uri');
        if (!url) continue;
        const title = web && stringAt(web, 'title');
        events.push({ type: 'source', url, ...(title ? { title } : {}) });
      }
      const usage = normalizeUsage(value.usageMetadata);
      if (usage) events.push({ type: 'usage', usage });
      const reason = candidate && stringAt(candidate, 'finishReason');
      const blocked = stringAt(recordAt(value, 'promptFeedback') ?? {}, 'blockReason');
      // Remembered, not emitted: more chunks may follow, and a consumer may treat `finish` as final.
      if (reason) finish = { type: 'finish', reason: geminiFinishReason(reason), raw: reason };
      else if (blocked) finish = { type: 'finish', reason: 'content_filter', raw: blocked };
      return events;
    },
    bodyEnd: () => (finish ? [finish, { type: 'end' }] : []),
  };
}

/** Candidate 0 (`candidateCount` > 1 streams several); a missing `index` means the only one. */
function firstCandidate(value: JsonObject): JsonObject | undefined {
  const candidates = arrayAt(value, 'candidates');
  if (!candidates) return undefined;
  const match = candidates.find((c) => isRecord(c) && (c.index === 0 || c.index === undefined));
  return isRecord(match) ? match : undefined;
}
