/**
 * What the element needs only when an answer uses it: the parts beside the text (reasoning, tool
 * calls, sources), the table toolbar, mermaid diagrams, reading AI SDK UIMessages, and replaying recordings. Loaded on first use (components/extras-loader.ts), so an
 * answer that is only text pays nothing for them — in the CDN file, they are a file beside it.
 */
export { foldParts, ResponseParts } from './response-parts.js';
export { decorateTables } from './table-tools.js';
export { decorateCodeBlocks, replaceCodeLines } from './code-blocks.js';
export { renderDiagrams } from './diagrams.js';
export { adoptStyles } from './extras.styles.js';
export { copyAnswer } from './copy-answer.js';
export { diffSnapshots, snapshotUIMessage } from '../src/decoding/ui-message.js';
export { Recorder, replay } from './recorder.js';
