/**
 * The package entry: registers <llm-stream> in browsers and exports its API. Safe to import under Node
 * (SSR): without `customElements` nothing is registered and no browser global is touched.
 */
export { LlmStreamElement } from './llm-stream.js';
export { defineLlmStream, TAG_NAME } from './llm-stream.define.js';
export { workerSettings, restartWorker } from './worker-client.js';
export { TRUSTED_TYPES_POLICY } from './trusted-types.js';
export { LlmStreamError, type LlmStreamErrorCode } from '../src/errors.js';
export type * from './events.js';
export type { StreamRequest, StreamResult, StreamStatus, Metrics, Usage, FinishReason, StreamFormat, ToolCall, ToolCallStatus, Source } from '../src/types.js';
export type { Recording, RecordingChannel } from './recorder.js';
export type { UIMessageLike, UIMessagePartLike } from '../src/decoding/ui-message.js';
import { defineLlmStream } from './llm-stream.define.js';

defineLlmStream();
