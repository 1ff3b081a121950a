/** The English defaults of the strings only the extras show (see strings.ts). */
import type { LlmStreamStrings } from './strings.js';

export const EXTRAS_STRINGS: Required<Pick<LlmStreamStrings, 'copy' | 'copied' | 'copyMarkdown' | 'copyCsv' | 'thinking' | 'thoughtFor' | 'toolStreaming' | 'toolComplete' | 'toolIncomplete' | 'toolFailed' | 'sources'>> = {
  copy: 'Copy',
  copied: 'Copied',
  copyMarkdown: 'Copy as Markdown',
  copyCsv: 'Copy as CSV',
  thinking: 'Thinking…',
  thoughtFor: 'Thought for {seconds} s',
  toolStreaming: 'Calling…',
  toolComplete: 'Called',
  toolIncomplete: 'Incomplete',
  toolFailed: 'Failed',
  sources: 'Sources',
};

/** The page's strings over the extras' defaults. */
export const withDefaults = (strings: LlmStreamStrings): typeof EXTRAS_STRINGS & LlmStreamStrings => ({ ...EXTRAS_STRINGS, ...strings });
