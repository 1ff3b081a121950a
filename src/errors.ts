import type { StreamErrorData } from './types.js';

/** The closed set of failure kinds (CONTRACT.md). */
export type LlmStreamErrorCode =
  | 'http'
  | 'network'
  | 'timeout'
  | 'protocol'
  | 'provider'
  | 'content_type'
  | 'worker'
  | 'aborted';

/**
 * The one error class of llm-stream. Expected failures travel across the worker boundary as
 * {@link StreamErrorData} and are revived with {@link LlmStreamError.from}, because structured
 * cloning keeps only `name`, `message` and `stack` of a thrown Error.
 */
export class LlmStreamError extends Error {
  override readonly name = 'LlmStreamError';
  readonly code: LlmStreamErrorCode;
  /** HTTP status, for `http` errors. */
  readonly status?: number;
  /** Server-requested delay before a retry, when known. */
  readonly retryAfterMs?: number;
  /** The provider's own error type (e.g. `overloaded_error`), for `provider` errors. */
  readonly type?: string;

  constructor(code: LlmStreamErrorCode, message: string, details: Omit<StreamErrorData, 'code' | 'message'> = {}) {
    super(message);
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.providerType !== undefined) this.type = details.providerType;
  }

  /** Revive an error that crossed the worker boundary as data. */
  static from(data: StreamErrorData): LlmStreamError {
    return new LlmStreamError(data.code, data.message, data);
  }

  /** The structured-clone safe form of this error. */
  toData(): StreamErrorData {
    const data: StreamErrorData = { code: this.code, message: this.message };
    if (this.status !== undefined) data.status = this.status;
    if (this.retryAfterMs !== undefined) data.retryAfterMs = this.retryAfterMs;
    if (this.type !== undefined) data.providerType = this.type;
    return data;
  }
}
