/**
 * Every string <llm-stream> shows or announces, in one object a page can replace for localization
 * (`element.strings = { ...element.strings, started: '…' }`).
 */
/** Every user-visible string of the element. */
export interface LlmStreamStrings {
  /** Announced politely when a response starts. */
  started: string;
  /** Announced politely when a response ends. */
  complete: string;
  /** Announced when the reader stops a response. */
  stopped: string;
  /** Label of the retry button under an error. */
  retry: string;
  /** Label of a code block's copy button, and its confirmation. */
  copy: string;
  copied: string;
}

/** The English defaults. */
export const DEFAULT_STRINGS: LlmStreamStrings = {
  started: 'Response started',
  complete: 'Response complete',
  stopped: 'Response stopped',
  retry: 'Retry',
  copy: 'Copy',
  copied: 'Copied',
};
