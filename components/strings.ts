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
  copy?: string;
  copied?: string;
  /** A committed table's toolbar buttons. */
  copyMarkdown?: string;
  copyCsv?: string;
  /** Summary of the reasoning block while the model thinks. */
  thinking?: string;
  /** Summary once it has thought; `{seconds}` is replaced by the whole seconds it took. */
  thoughtFor?: string;
  /** A tool call's state: arguments arriving, complete, cut off by the end of the stream, failed. */
  toolStreaming?: string;
  toolComplete?: string;
  toolIncomplete?: string;
  toolFailed?: string;
  /** Accessible name of the list of sources. */
  sources?: string;
  /** A drawn diagram's accessible name (`{type}`: mermaid's diagram type), and the note when one cannot be drawn (`{reason}`: why). */
  diagram?: string;
  diagramError?: string;
}

/**
 * The English defaults of what the element itself shows. The strings of the code and table toolbars
 * and of the parts beside the text default in the extras that show them (`EXTRAS_STRINGS` in
 * extras-strings.ts); a page sets them here like any other.
 */
export const DEFAULT_STRINGS: LlmStreamStrings = {
  started: 'Response started',
  complete: 'Response complete',
  stopped: 'Response stopped',
  retry: 'Retry',
};
