/**
 * Incremental redaction (the streaming PII filter): regex matches are replaced before any of their
 * characters can render, even when a match arrives split across chunks. Text is held back while a
 * match could still be forming at the end of what arrived: the last `holdChars` characters, pulled
 * back further to the start of any match that straddles the release point.
 */
export interface RedactorOptions {
  /** Regex sources; matched globally. */
  patterns: string[];
  replacement: string;
  /** Longest text a match may still grow over; default 256. */
  holdChars?: number;
}

export interface Redactor {
  /** Add text; returns what is safe to release now, redacted. */
  push(text: string): string;
  /** The stream ended: release the rest, redacted. */
  flush(): string;
  /** Matches replaced so far. */
  readonly count: number;
}

export function createRedactor(options: RedactorOptions): Redactor {
  const patterns = options.patterns.map((source) => new RegExp(source, 'gu'));
  const hold = options.holdChars ?? 256;
  let buffer = '';
  let count = 0;

  const release = (final: boolean): string => {
    let end = final ? buffer.length : Math.max(0, buffer.length - hold);
    const matches: Array<[number, number]> = [];
    for (const pattern of patterns) {
      for (const match of buffer.matchAll(pattern)) {
        if (match[0].length === 0) continue;
        matches.push([match.index, match.index + match[0].length]);
      }
    }
    // A match that reaches the release point may still grow: hold all of it back. Moving the point
    // can make another match straddle it, so repeat until it settles.
    for (let moved = !final; moved; ) {
      moved = false;
      for (const [start, stop] of matches) {
        if (start < end && stop >= end) {
          end = start;
          moved = true;
        }
      }
    }
    matches.sort((a, b) => a[0] - b[0]);
    let out = '';
    let at = 0;
    for (const [start, stop] of matches) {
      if (stop > end || start < at) continue;
      out += buffer.slice(at, start) + options.replacement;
      at = stop;
      count++;
    }
    out += buffer.slice(at, end);
    buffer = buffer.slice(end);
    return out;
  };

  return {
    push(text) {
      buffer += text;
      return release(false);
    },
    flush() {
      return release(true);
    },
    get count() {
      return count;
    },
  };
}
