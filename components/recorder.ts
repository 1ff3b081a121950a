/**
 * Recordings for bug reports (CONTRACT.md "Bug reports"): what one stream delivered to the page, as
 * JSON, and how to feed it back. Made only with the `record` attribute, from the messages the page
 * applies anyway, so recording changes nothing that renders and costs nothing when off.
 */
import type { Source, StreamErrorData, StreamFormat, StreamResult, ToolCall } from '../src/types.js';
import type { PushEnding, PushEvent } from '../worker/protocol.js';

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
  private readonly started = performance.now();

  add(channel: RecordingChannel, text: string): void {
    if (text) this.recording.events.push([Math.round(performance.now() - this.started), channel, text]);
  }

  toolCall(call: ToolCall): void {
    this.add('tool', JSON.stringify(call));
  }

  source(source: Source): void {
    this.add('source', JSON.stringify(source));
  }
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
