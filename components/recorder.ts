/**
 * Recordings for bug reports (CONTRACT.md "Bug reports"): what one stream delivered to the page, as
 * JSON, and how to feed it back. Made only with the `record` attribute, from the messages the page
 * applies anyway, so recording changes nothing that renders and costs nothing when off.
 */
import type { Source, StreamErrorData, StreamFormat, StreamResult, ToolCall } from '../src/types.js';
import type { PushEnding, PushEvent, StreamMessage } from '../worker/protocol.js';

/** What a recording holds apart from text: `meta` entries are JSON (`{ error }`, `{ retry }`). */
export type RecordingChannel = 'text' | 'reasoning' | 'tool' | 'source' | 'meta';

/** One stream as received: `[ms since start, channel, text]` entries, then how it ended. */
export interface Recording {
  version: 1;
  /** The wire format the decoder used (detected, or as set), or null (push mode, or it never knew). */
  format: StreamFormat | null;
  contentType: string | null;
  events: Array<[number, RecordingChannel, string]>;
  /** How it ended; null while it runs or when it was aborted before any end. */
  result: StreamResult | null;
}

export class Recorder {
  readonly recording: Recording = { version: 1, format: null, contentType: null, events: [], result: null };

  /** `started`: when the stream opened (`performance.now()`), the zero of every entry's time. */
  constructor(private readonly started: number) {}

  /** One message from the worker, as the page applies it (a batch: reasoning, tool calls, sources, text). */
  message(message: StreamMessage): void {
    const recording = this.recording;
    switch (message.kind) {
      case 'open':
        recording.contentType = message.contentType ?? null;
        return;
      case 'format':
        recording.format = message.format;
        return;
      case 'retry':
        this.add('meta', JSON.stringify({ retry: { attempt: message.attempt, delayMs: message.delayMs, error: message.error } }));
        return;
      case 'end':
        recording.result = { ...message.result, text: this.text };
        return;
      case 'patch':
        this.add('reasoning', message.reasoning?.text ?? '');
        for (const call of message.toolCalls ?? []) this.add('tool', JSON.stringify(call));
        for (const source of message.sources ?? []) this.add('source', JSON.stringify(source));
        this.add('text', message.text);
        this.text += message.text;
    }
  }

  /** The text recorded so far (the end's result carries the page's text, as `result` does). */
  private text = '';

  add(channel: RecordingChannel, text: string): void {
    if (text) this.recording.events.push([Math.round(performance.now() - this.started), channel, text]);
  }

}

/** What replaying needs of a connection: a push stream. */
export interface ReplayTarget {
  open(source: { kind: 'push' }, request: Record<string, never>): Promise<StreamResult>;
  push(events: PushEvent[]): void;
  end(ending?: PushEnding): void;
}

/**
 * Feed `recording` to `target` as a push stream, at its recorded timing divided by `speed`, ending as
 * it ended; resolves with the result, with the metrics it had when it was recorded (the timing is the
 * recording's, not the replay's).
 */
export async function replay(target: ReplayTarget, recording: Recording, speed: number): Promise<StreamResult> {
  if (recording?.version !== 1 || !Array.isArray(recording.events)) throw new TypeError('not an llm-stream recording (version 1)');
  const done = target.open({ kind: 'push' }, {});
  const started = performance.now();
  for (const [ms, channel, text] of recording.events) {
    const wait = ms / speed - (performance.now() - started);
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const event = replayEvent(channel, text);
    if (event) target.push([event]);
  }
  target.end(replayEnding(recording));
  const result = await done;
  return recording.result ? { ...result, metrics: recording.result.metrics } : result;
}

/** A recording's entry as a push event (`meta` entries are not part of the response: null). */
export function replayEvent(channel: RecordingChannel, text: string): PushEvent | null {
  switch (channel) {
    case 'text':
    case 'reasoning':
      return { type: channel, text };
    case 'tool': {
      const call = JSON.parse(text) as ToolCall;
      return { ...call, type: 'tool-call' };
    }
    case 'source':
      return { ...(JSON.parse(text) as Source), type: 'source' };
    default:
      return null;
  }
}

/** How the replayed stream must end: as the recorded one did. */
export function replayEnding(recording: Recording): PushEnding {
  const result = recording.result;
  const usage = result?.usage ? { usage: result.usage } : {};
  const failure = recording.events.findLast(([, channel, text]) => channel === 'meta' && text.startsWith('{"error"'));
  if (failure) return { status: 'error', error: (JSON.parse(failure[2]) as { error: StreamErrorData }).error, ...usage };
  if (result?.status === 'incomplete') return { status: 'incomplete', finishReason: result.finishReason, reason: result.reason ?? '', ...usage };
  return { status: 'done', finishReason: result?.finishReason ?? 'stop', ...usage };
}
