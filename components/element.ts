/**
 * `llm-stream/element`: the element class and its types without registering any tag, for pages that
 * define it under a name of their own (`customElements.define('my-answer', LlmStreamElement)`) or
 * subclass it. Importing this module has no side effects.
 */
export { LlmStreamElement } from './llm-stream.js';
export type { LlmStreamStrings } from './strings.js';
export { workerSettings, restartWorker } from './worker-client.js';
export { LlmStreamError, type LlmStreamErrorCode } from '../src/errors.js';
export type * from './events.js';
export type { StreamRequest, StreamResult, StreamStatus, Metrics, Usage, FinishReason, StreamFormat, ToolCall, ToolCallStatus, Source } from '../src/types.js';
export type { Recording, RecordingChannel } from './recorder.js';
export type { UIMessageLike, UIMessagePartLike } from '../src/decoding/ui-message.js';
