/**
 * A Vercel AI SDK `UIMessage` (`{ id, role, parts }`, as `useChat` hands it out and re-assigns it while
 * it grows) read as the parts of one response, and the difference between two of its versions as
 * push events. Pure: the element uses it for its `message` property, Node tests check it directly.
 *
 * Parts read: `text`, `reasoning`, `tool-<name>` and `dynamic-tool` (states `input-streaming` →
 * `input-available` → `output-available` / `output-error`), `source-url`. Others (`step-start`,
 * `file`, `data-*`, `source-document`) are not part of what this element shows.
 */
import type { ProviderEvent, Source, ToolCall } from '../types.js';
import { cleanSource } from './source-url.js';

/** The shape read from a UIMessage part; every field is optional, since the message comes from the page. */
export interface UIMessagePartLike {
  type: string;
  text?: string;
  toolCallId?: string;
  toolName?: string;
  state?: string;
  input?: unknown;
  output?: unknown;
  errorText?: string;
  url?: string;
  title?: string;
}

export interface UIMessageLike {
  id?: string;
  role?: string;
  parts?: readonly UIMessagePartLike[];
}

/** One version of a message, as the element shows it. */
export interface MessageSnapshot {
  id: string;
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  sources: Source[];
}

type PushEvent = Extract<ProviderEvent, { type: 'text' | 'reasoning' | 'tool-call' | 'source' }>;

/** Text of separate parts: separate blocks, so two parts never run together into one word. */
const join = (pieces: string[]): string => pieces.filter((piece) => piece !== '').join('\n\n');

const asText = (value: unknown): string => (value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value) ?? '');

export function snapshotUIMessage(message: UIMessageLike | null | undefined): MessageSnapshot {
  const text: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: ToolCall[] = [];
  const sources: Source[] = [];
  const seen = new Set<string>();
  (message?.parts ?? []).forEach((part, index) => {
    if (!part || typeof part.type !== 'string') return;
    if (part.type === 'text') text.push(String(part.text ?? ''));
    else if (part.type === 'reasoning') reasoning.push(String(part.text ?? ''));
    else if (part.type === 'source-url' && typeof part.url === 'string') {
      const clean = cleanSource(part.url, typeof part.title === 'string' ? part.title : undefined);
      if (clean && !seen.has(clean.key)) {
        seen.add(clean.key);
        sources.push(clean.event.title === undefined ? { url: clean.event.url } : { url: clean.event.url, title: clean.event.title });
      }
    } else if (part.type === 'dynamic-tool' || part.type.startsWith('tool-')) {
      const call: ToolCall = {
        id: typeof part.toolCallId === 'string' && part.toolCallId ? part.toolCallId : `tool-${index}`,
        name: part.type === 'dynamic-tool' ? String(part.toolName ?? '') : part.type.slice(5),
        arguments: asText(part.input),
        status: part.state === 'input-streaming' ? 'streaming' : 'complete',
      };
      if (part.state === 'output-available') call.output = asText(part.output);
      if (part.state === 'output-error') call.error = String(part.errorText ?? '');
      toolCalls.push(call);
    }
  });
  return { id: String(message?.id ?? ''), text: join(text), reasoning: join(reasoning), toolCalls, sources };
}

/**
 * What turns `previous` into `next`, as push events — or null when `next` does not extend `previous`
 * (another message, text that changed rather than grew, a call or source gone): then the element
 * re-renders from scratch.
 */
export function diffSnapshots(previous: MessageSnapshot, next: MessageSnapshot): PushEvent[] | null {
  if (
    next.id !== previous.id ||
    !next.text.startsWith(previous.text) ||
    !next.reasoning.startsWith(previous.reasoning) ||
    previous.toolCalls.some((call, i) => next.toolCalls[i]?.id !== call.id) ||
    previous.sources.some((source, i) => next.sources[i]?.url !== source.url)
  ) {
    return null;
  }
  const events: PushEvent[] = [];
  if (next.reasoning.length > previous.reasoning.length) events.push({ type: 'reasoning', text: next.reasoning.slice(previous.reasoning.length) });
  next.toolCalls.forEach((call, i) => {
    const before = previous.toolCalls[i];
    if (before && JSON.stringify(before) === JSON.stringify(call)) return;
    const event: PushEvent = { type: 'tool-call', id: call.id, name: call.name, arguments: call.arguments, status: call.status };
    if (call.output !== undefined) event.output = call.output;
    if (call.error !== undefined) event.error = call.error;
    events.push(event);
  });
  for (const source of next.sources.slice(previous.sources.length)) events.push({ type: 'source', ...source });
  if (next.text.length > previous.text.length) events.push({ type: 'text', text: next.text.slice(previous.text.length) });
  return events;
}
