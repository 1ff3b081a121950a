/** Shared helpers of the decoding tests: deterministic chunking and a summary of decoded events. */
import { seededRandom } from '../../seeded-random.js';
import { readFileSync } from 'node:fs';
import type { FinishReason, ProviderEvent, StreamFormat, Usage } from '../../../src/types.js';
import { createStreamDecoder, type StreamDecoderOptions, type StreamEnd } from '../../../src/decoding/stream-decoder.js';

export const fixturesUrl = new URL('../../fixtures/', import.meta.url);

export function readFixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(path, fixturesUrl)));
}

export { seededRandom };

export function readJsonFixture<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, fixturesUrl), 'utf8')) as T;
}


/** Cut points (exclusive ends) of a body of `length` bytes. */
export type Splitter = { name: string; cuts: (length: number) => number[] };

export const whole: Splitter = { name: 'whole', cuts: () => [] };
export const byteByByte: Splitter = { name: 'byte by byte', cuts: (n) => Array.from({ length: Math.max(0, n - 1) }, (_, i) => i + 1) };
export function randomSplits(seed: number, maxChunk = 17): Splitter {
  return {
    name: `random splits (seed ${seed})`,
    cuts: (n) => {
      const random = seededRandom(seed);
      const cuts: number[] = [];
      for (let at = 1 + Math.floor(random() * maxChunk); at < n; at += 1 + Math.floor(random() * maxChunk)) cuts.push(at);
      return cuts;
    },
  };
}

/** Chunks of `bytes` cut at `cuts`. */
export function chunk(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let previous = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(previous, cut));
    previous = cut;
  }
  return chunks;
}

export interface Decoded {
  events: ProviderEvent[];
  end: StreamEnd;
  format: StreamFormat | null;
}

/** Runs the real decoder over `bytes`, fed in the given chunks. */
export function decode(bytes: Uint8Array, options: Omit<StreamDecoderOptions, 'onEvent'>, cuts: readonly number[] = []): Decoded {
  const events: ProviderEvent[] = [];
  const decoder = createStreamDecoder({ ...options, onEvent: (event) => events.push(event) });
  for (const part of chunk(bytes, cuts)) decoder.feed(part);
  const end = decoder.end();
  return { events, end, format: decoder.format };
}

export interface Summary {
  text: string;
  reasoning: string;
  usage?: Usage;
  finishReason?: FinishReason;
  errors: Extract<ProviderEvent, { type: 'error' }>[];
  ends: number;
}

/** What a consumer sees: text concatenated, usage merged by overwriting defined fields. */
export function summarize(events: readonly ProviderEvent[]): Summary {
  const summary: Summary = { text: '', reasoning: '', errors: [], ends: 0 };
  for (const event of events) {
    switch (event.type) {
      case 'text':
        summary.text += event.text;
        break;
      case 'reasoning':
        summary.reasoning += event.text;
        break;
      case 'usage':
        summary.usage = { ...summary.usage, ...event.usage };
        break;
      case 'finish':
        summary.finishReason = event.reason;
        break;
      case 'error':
        summary.errors.push(event);
        break;
      case 'end':
        summary.ends++;
        break;
      default:
        break;
    }
  }
  return summary;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
