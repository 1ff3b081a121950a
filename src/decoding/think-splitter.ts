/**
 * Splits a `<think>…</think>` block at the start of a text stream off as reasoning.
 *
 * Open-weight reasoning models (DeepSeek R1, Qwen, …) served through plain chat endpoints write
 * their thinking inline: `<think>\nplan…\n</think>\n\nAnswer`. Only a block at the very start counts
 * (after optional leading whitespace): a `<think>` later in an answer is the model quoting markup,
 * and stays text. An open `<think>` means the model is still reasoning; one that never closes keeps
 * everything as reasoning, because showing half-finished thoughts as the answer would be worse.
 *
 * The tags may be cut anywhere by the transport (`<thi` + `nk>`), so the splitter holds back exactly
 * the characters that could still turn into a tag, and nothing else: text is never delayed longer
 * than it is ambiguous.
 */

export interface ThinkSplitterOptions {
  /** Answer text, in order. Never empty. */
  onText: (text: string) => void;
  /** Reasoning text from inside the block, in order. Never empty. */
  onReasoning: (text: string) => void;
}

export interface ThinkSplitter {
  /** A piece of the text stream, cut anywhere. */
  feed(text: string): void;
  /** The text stream ended: release what was held back (an unfinished tag is what it looked like). */
  end(): void;
}

const OPEN_TAG = '<think>';
const CLOSE_TAG = '</think>';

/**
 * `leading`: nothing decided yet (only whitespace, or a prefix of `<think>`, seen);
 * `reasoning`: inside the block; `after`: the block closed, whitespace between it and the answer is
 * dropped; `text`: everything else passes straight through.
 */
type SplitterState = 'leading' | 'reasoning' | 'after' | 'text';

export function createThinkSplitter(options: ThinkSplitterOptions): ThinkSplitter {
  const { onText, onReasoning } = options;
  let state: SplitterState = 'leading';
  // What is held back: the undecided start (leading) or a possible partial `</think>` (reasoning).
  let held = '';

  function text(value: string): void {
    if (value !== '') onText(value);
  }

  function reasoning(value: string): void {
    if (value !== '') onReasoning(value);
  }

  function feedLeading(value: string): void {
    held += value;
    const start = held.trimStart();
    if (start === '') return;
    if (start.length < OPEN_TAG.length && OPEN_TAG.startsWith(start)) return;
    if (start.startsWith(OPEN_TAG)) {
      held = '';
      state = 'reasoning';
      feedReasoning(start.slice(OPEN_TAG.length));
      return;
    }
    // Not a think block: the held whitespace belongs to the answer.
    const all = held;
    held = '';
    state = 'text';
    text(all);
  }

  function feedReasoning(value: string): void {
    const buffer = held + value;
    held = '';
    const close = buffer.indexOf(CLOSE_TAG);
    if (close !== -1) {
      reasoning(buffer.slice(0, close));
      state = 'after';
      feedAfter(buffer.slice(close + CLOSE_TAG.length));
      return;
    }
    // Hold the longest tail that could still become `</think>`; only `<` can start it, so this looks
    // at no more than the last 7 characters.
    let keep = Math.min(CLOSE_TAG.length - 1, buffer.length);
    while (keep > 0 && !CLOSE_TAG.startsWith(buffer.slice(buffer.length - keep))) keep--;
    reasoning(buffer.slice(0, buffer.length - keep));
    held = buffer.slice(buffer.length - keep);
  }

  function feedAfter(value: string): void {
    const start = value.trimStart();
    if (start === '') return;
    state = 'text';
    text(start);
  }

  return {
    feed(value) {
      if (value === '') return;
      switch (state) {
        case 'leading':
          feedLeading(value);
          return;
        case 'reasoning':
          feedReasoning(value);
          return;
        case 'after':
          feedAfter(value);
          return;
        case 'text':
          text(value);
          return;
      }
    },
    end() {
      const rest = held;
      held = '';
      // An unclosed block stays reasoning, even a partial `</thi` at its end; an undecided start
      // (`<thi`, or only whitespace) was answer text after all.
      if (state === 'reasoning') reasoning(rest);
      else if (state === 'leading') text(rest);
      state = 'text';
    },
  };
}
