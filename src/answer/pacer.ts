/**
 * Pacing: how text that arrived in bursts is released to the renderer.
 * - `none`: everything at once (as fast as frames allow);
 * - `smooth`: spread across frames, releasing a share of the backlog that grows with the time since
 *   the last release, so a burst drains evenly and the display never lags more than about a second;
 * - `word` / `sentence`: release only whole words / sentences (text-to-speech wants this).
 * Time is passed in; `src/` owns no clock.
 */
export type PacingMode = 'none' | 'smooth' | 'word' | 'sentence';

export interface Pacer {
  push(text: string): void;
  /** Text to release now. */
  take(nowMs: number): string;
  /** Everything still held (the stream ended). */
  drain(): string;
  /** Characters still held back. */
  readonly pending: number;
}

/** Time constant of the smooth drain: ~98 % of a burst is shown within 4 × this. */
const SMOOTH_TAU_MS = 250;

export function createPacer(mode: PacingMode): Pacer {
  let buffer = '';
  let lastTake: number | null = null;
  const release = (end: number): string => {
    const out = buffer.slice(0, end);
    buffer = buffer.slice(end);
    return out;
  };
  return {
    push(text) {
      buffer += text;
    },
    take(nowMs) {
      if (buffer.length === 0) {
        lastTake = nowMs;
        return '';
      }
      switch (mode) {
        case 'none':
          return release(buffer.length);
        case 'word': {
          const end = lastBoundary(buffer, /\s/g);
          return end > 0 ? release(end) : '';
        }
        case 'sentence': {
          const end = lastBoundary(buffer, /[.!?…。！？][)"'’”\]]*\s|\n/g);
          return end > 0 ? release(end) : '';
        }
        case 'smooth': {
          const dt = lastTake === null ? 16 : Math.max(0, nowMs - lastTake);
          lastTake = nowMs;
          const share = 1 - Math.exp(-dt / SMOOTH_TAU_MS);
          let count = Math.max(1, Math.ceil(buffer.length * share));
          // Never split a surrogate pair: an emoji's halves would render as two replacement glyphs.
          const code = buffer.charCodeAt(count - 1);
          if (code >= 0xd800 && code <= 0xdbff) count++;
          return release(count);
        }
      }
    },
    drain() {
      return release(buffer.length);
    },
    get pending() {
      return buffer.length;
    },
  };
}

/** Index just past the last match of `pattern` in `text`, or 0. */
function lastBoundary(text: string, pattern: RegExp): number {
  let end = 0;
  for (const match of text.matchAll(pattern)) end = match.index + match[0].length;
  return end;
}
