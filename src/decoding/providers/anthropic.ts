import type { ProviderEvent } from '../../types.js';
import { anthropicFinishReason } from '../finish-reason.js';
import { normalizeUsage } from '../usage.js';
import { isRecord, recordAt, stringAt, type JsonObject, type ProviderAdapter } from './adapter.js';
import { providerError } from './provider-error.js';
import { createToolCallIds, jsonText } from './tool-call-ids.js';

/**
 * Anthropic Messages: `message_start` (input usage) → `content_block_start` → `ping` →
 * `content_block_delta` … → `content_block_stop` → `message_delta` (stop reason, output usage) →
 * `message_stop`, the end marker. Content blocks are addressed by `index`:
 * - `text` blocks: `text_delta` is answer text; `citations_delta` carries a cited web page
 *   (`citation.url`, `citation.title`), reported as a source.
 * - `thinking` blocks: `thinking_delta` is reasoning (several blocks are separated by a blank line);
 *   `signature_delta` and `redacted_thinking` blocks carry nothing readable.
 * - `tool_use` / `server_tool_use` / `mcp_tool_use` blocks are tool calls (`id`, `name`); their
 *   arguments stream as `input_json_delta.partial_json`; `content_block_stop` completes them. A call
 *   still open at `message_stop` (e.g. cut by `max_tokens`) is left open: the decoder marks it
 *   incomplete.
 * - `web_search_tool_result` (and other `*_tool_result` blocks) answer a server tool call by
 *   `tool_use_id`: their content becomes that call's output, and each result's `url` a source.
 */
export function anthropicAdapter(): ProviderAdapter {
  const ids = createToolCallIds();
  // Per content block index: the kind of block, and for tool calls our id and what arrived.
  const blocks = new Map<number, { kind: 'tool'; id: string; input: unknown; streamed: boolean } | { kind: 'thinking' | 'other' }>();
  const callByProviderId = new Map<string, string>();
  let reasoningSeen = false;
  let reasoningBlock: number | undefined;

  function blockStart(index: number, block: JsonObject): ProviderEvent[] {
    const type = stringAt(block, 'type') ?? '';
    if (type === 'tool_use' || type === 'server_tool_use' || type === 'mcp_tool_use') {
      const providerId = stringAt(block, 'id');
      const id = ids.claim(providerId);
      if (providerId) callByProviderId.set(providerId, id);
      blocks.set(index, { kind: 'tool', id, input: block.input, streamed: false });
      const name = stringAt(block, 'name');
      return [{ type: 'tool-call', id, ...(name ? { name } : {}) }];
    }
    if (type === 'thinking') {
      blocks.set(index, { kind: 'thinking' });
      const thinking = stringAt(block, 'thinking');
      return thinking ? reasoning(index, thinking) : [];
    }
    blocks.set(index, { kind: 'other' });
    if (type === 'text') {
      const text = stringAt(block, 'text');
      return text ? [{ type: 'text', text }] : [];
    }
    if (type.endsWith('_tool_result')) return toolResult(block);
    return [];
  }

  function reasoning(index: number, text: string): ProviderEvent[] {
    const events: ProviderEvent[] = [];
    if (reasoningSeen && reasoningBlock !== index) events.push({ type: 'reasoning', text: '\n\n' });
    reasoningSeen = true;
    reasoningBlock = index;
    events.push({ type: 'reasoning', text });
    return events;
  }

  function toolResult(block: JsonObject): ProviderEvent[] {
    const events: ProviderEvent[] = [];
    const content = block.content;
    const results = Array.isArray(content) ? content.filter(isRecord) : [];
    const callId = callByProviderId.get(stringAt(block, 'tool_use_id') ?? '');
    if (callId !== undefined) {
      // The page-readable part of each result; `encrypted_content` is an opaque blob for the API.
      const readable = Array.isArray(content)
        ? results.map(({ encrypted_content: _opaque, ...rest }) => rest)
        : content;
      events.push({ type: 'tool-call', id: callId, output: jsonText(readable) });
    }
    for (const result of results) {
      const url = stringAt(result, 'url');
      const title = stringAt(result, 'title');
      if (url) events.push({ type: 'source', url, ...(title ? { title } : {}) });
    }
    return events;
  }

  function blockDelta(index: number, delta: JsonObject): ProviderEvent[] {
    switch (delta.type) {
      case 'text_delta': {
        const text = stringAt(delta, 'text');
        return text ? [{ type: 'text', text }] : [];
      }
      case 'thinking_delta': {
        const thinking = stringAt(delta, 'thinking');
        return thinking ? reasoning(index, thinking) : [];
      }
      case 'input_json_delta': {
        const block = blocks.get(index);
        const partial = stringAt(delta, 'partial_json');
        if (block?.kind !== 'tool' || !partial) return [];
        block.streamed = true;
        return [{ type: 'tool-call', id: block.id, argumentsDelta: partial }];
      }
      case 'citations_delta': {
        const cited = recordAt(delta, 'citation');
        const url = cited && stringAt(cited, 'url');
        if (!url) return [];
        const title = cited && stringAt(cited, 'title');
        return [{ type: 'source', url, ...(title ? { title } : {}) }];
      }
      default:
        return [];
    }
  }

  function blockStop(index: number): ProviderEvent[] {
    const block = blocks.get(index);
    if (block?.kind !== 'tool') return [];
    const events: ProviderEvent[] = [];
    // A call whose input came whole in content_block_start (nothing streamed) still has arguments.
    if (!block.streamed && isRecord(block.input) && Object.keys(block.input).length > 0) {
      events.push({ type: 'tool-call', id: block.id, arguments: jsonText(block.input) });
    }
    events.push({ type: 'tool-call', id: block.id, status: 'complete' });
    return events;
  }

  return {
    format: 'anthropic',
    endMarker: 'message_stop',
    map(value) {
      const error = providerError(value);
      if (error) return [error];
      const index = typeof value.index === 'number' ? value.index : -1;
      switch (value.type) {
        case 'message_start': {
          const message = recordAt(value, 'message');
          const usage = message ? normalizeUsage(message.usage) : null;
          return usage ? [{ type: 'usage', usage }] : [];
        }
        case 'content_block_start': {
          const block = recordAt(value, 'content_block');
          return block ? blockStart(index, block) : [];
        }
        case 'content_block_delta': {
          const delta = recordAt(value, 'delta');
          return delta ? blockDelta(index, delta) : [];
        }
        case 'content_block_stop':
          return blockStop(index);
        case 'message_delta': {
          const events: ProviderEvent[] = [];
          const delta = recordAt(value, 'delta');
          const reason = delta && stringAt(delta, 'stop_reason');
          // Usage first: it belongs to the finished message, and consumers may finalize on finish.
          const usage = normalizeUsage(value.usage);
          if (usage) events.push({ type: 'usage', usage });
          if (reason) events.push({ type: 'finish', reason: anthropicFinishReason(reason), raw: reason });
          return events;
        }
        case 'message_stop':
          return [{ type: 'end' }];
        default:
          // ping and future types carry nothing we show.
          return [];
      }
    },
  };
}
