/**
 * Step 1 of the handler: decide whether a request is ours and acceptable, before any upstream
 * connection exists. Everything a client can get wrong is answered here with a JSON error.
 */
import { readBody, requestTarget, type ErrorReply } from './http-io.js';
import type { ModelPolicy } from './model-policy.js';
import { resolveProvider, type ProviderEntry, type ResolvedProvider } from './providers.js';
import type { RelayChatMessage, RelayChatRequest, RelayOutput, RelayRequest } from './types.js';

/** The validated chat request: only the fields the relay forwards. */
export type ChatRequest = Omit<RelayChatRequest, 'provider' | 'stream_format' | 'output'>;

/** The outcome of validation. */
export type RequestCheck =
  | { kind: 'valid'; provider: ResolvedProvider; chat: ChatRequest; output: RelayOutput }
  /** `drainBody`: the body was not read; resume the request so the connection can be reused. */
  | { kind: 'reject'; reply: ErrorReply; drainBody?: boolean }
  /** Another path: not the relay's business (the caller's `next()`, or a 404). */
  | { kind: 'other-path'; pathname: string }
  /** The client left while its body was being read: nothing to answer. */
  | { kind: 'gone' };

/** What validation needs to know about the relay's configuration. */
export interface ValidationContext {
  routePath: string | null;
  maxBodyBytes: number;
  table: ReadonlyMap<string, ProviderEntry>;
  env: Record<string, string | undefined>;
  modelPolicy: ModelPolicy;
  defaultOutput: RelayOutput;
  /** True once the client's connection closed. */
  clientGone: () => boolean;
}

const MODEL_NAME = /^[A-Za-z0-9._:/@+-]{1,256}$/;
const ROLES: ReadonlySet<string> = new Set(['system', 'developer', 'user', 'assistant']);
const OUTPUTS: ReadonlySet<string> = new Set<RelayOutput>(['passthrough', 'relay', 'relay-ndjson']);
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]*\+)?json\b/;

/** True for the three output names. */
export function isRelayOutput(value: unknown): value is RelayOutput {
  return typeof value === 'string' && OUTPUTS.has(value);
}

function reject(
  status: number,
  message: string,
  type: ErrorReply['type'],
  extra: { headers?: Record<string, string>; drainBody?: boolean } = {},
): RequestCheck {
  return {
    kind: 'reject',
    reply: { status, message, type, ...(extra.headers ? { headers: extra.headers } : {}) },
    ...(extra.drainBody ? { drainBody: true } : {}),
  };
}

function tooLarge(limit: number): RequestCheck {
  // Stop reading: close the connection after the answer instead of draining the rest of the body.
  return reject(413, `The request body is larger than ${limit} bytes.`, 'payload_too_large', { headers: { Connection: 'close' } });
}

/** Validates route, method, body and fields; resolves the provider. */
export async function validateRequest(req: RelayRequest, context: ValidationContext): Promise<RequestCheck> {
  const { pathname, query } = requestTarget(req);
  if (context.routePath !== null && pathname !== context.routePath) return { kind: 'other-path', pathname };
  if (req.method !== 'POST') {
    return reject(405, 'Use POST with a JSON body.', 'method_not_allowed', { headers: { Allow: 'POST' }, drainBody: true });
  }

  const body = await parsedBody(req, context.maxBodyBytes);
  if (body.kind !== 'parsed') return body.check;
  if (context.clientGone()) return { kind: 'gone' };
  const value = body.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject(400, 'The request body must be a JSON object.', 'invalid_request');
  }
  const fields = value as Record<string, unknown>;
  const names = [...context.table.keys()].join(', ');
  const providerName = fields.provider;
  if (typeof providerName !== 'string' || providerName === '') {
    return reject(400, `Missing "provider" (one of: ${names}).`, 'invalid_request');
  }
  const entry = context.table.get(providerName);
  if (!entry) {
    return reject(404, `Unknown provider "${providerName.slice(0, 64)}". Use one of: ${names}.`, 'unknown_provider');
  }
  const chat = chatRequestOf(fields);
  if (typeof chat === 'string') return reject(400, chat, 'invalid_request');
  if (!context.modelPolicy(providerName, chat.model)) {
    return reject(403, `Model "${chat.model}" is not allowed for provider "${providerName}".`, 'model_not_allowed');
  }
  const output = query.get('output') ?? fields.stream_format ?? fields.output ?? context.defaultOutput;
  if (!isRelayOutput(output)) {
    return reject(400, `Unknown output "${String(output)}". Use passthrough, relay or relay-ndjson.`, 'invalid_request');
  }
  const resolved = resolveProvider(providerName, entry, context.env);
  if (!resolved.ok) return reject(503, resolved.reason, 'provider_not_configured');
  return { kind: 'valid', provider: resolved.provider, chat, output };
}

/**
 * The body as a JSON value: pre-parsed by a framework (`express.json()` sets `req.body`), given as a
 * string or Buffer by another body parser, or read here with the cap.
 */
async function parsedBody(
  req: RelayRequest,
  limit: number,
): Promise<{ kind: 'parsed'; value: unknown } | { kind: 'failed'; check: RequestCheck }> {
  const preParsed = req.body;
  if (typeof preParsed === 'object' && preParsed !== null && !Buffer.isBuffer(preParsed)) return { kind: 'parsed', value: preParsed };
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (!JSON_MEDIA_TYPE.test(type)) {
    const check = reject(415, 'Send the request as Content-Type: application/json.', 'unsupported_media_type', { drainBody: true });
    return { kind: 'failed', check };
  }
  let text: string;
  if (typeof preParsed === 'string' || Buffer.isBuffer(preParsed)) {
    text = String(preParsed);
    if (Buffer.byteLength(text) > limit) return { kind: 'failed', check: tooLarge(limit) };
  } else {
    const read = await readBody(req, limit);
    if (read.kind === 'gone') return { kind: 'failed', check: { kind: 'gone' } };
    if (read.kind === 'too-large') return { kind: 'failed', check: tooLarge(limit) };
    text = read.text;
  }
  try {
    return { kind: 'parsed', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'failed', check: reject(400, 'The request body is not valid JSON.', 'invalid_request') };
  }
}

/** The forwarded fields, checked; a string says what is wrong. */
function chatRequestOf(body: Record<string, unknown>): ChatRequest | string {
  const { model, messages, system, max_tokens: maxTokens, temperature, top_p: topP, stop } = body;
  if (typeof model !== 'string' || model === '') return 'Missing "model" (a string).';
  if (!MODEL_NAME.test(model)) return 'Invalid "model": use letters, digits and . _ : / @ + - (at most 256).';
  if (!Array.isArray(messages) || messages.length === 0) return 'Missing "messages" (a non-empty array of {role, content}).';
  const checked: RelayChatMessage[] = [];
  for (const [index, message] of messages.entries()) {
    if (typeof message !== 'object' || message === null) return `messages[${index}] must be an object {role, content}.`;
    const { role, content } = message as Record<string, unknown>;
    if (typeof role !== 'string' || !ROLES.has(role)) return `messages[${index}].role must be one of: ${[...ROLES].join(', ')}.`;
    if (typeof content !== 'string') return `messages[${index}].content must be a string.`;
    checked.push({ role: role as RelayChatMessage['role'], content });
  }
  if (system !== undefined && typeof system !== 'string') return '"system" must be a string.';
  if (maxTokens !== undefined && !(typeof maxTokens === 'number' && Number.isInteger(maxTokens) && maxTokens > 0)) {
    return '"max_tokens" must be a positive integer.';
  }
  if (temperature !== undefined && !(typeof temperature === 'number' && temperature >= 0 && temperature <= 2)) {
    return '"temperature" must be a number between 0 and 2.';
  }
  if (topP !== undefined && !(typeof topP === 'number' && topP >= 0 && topP <= 1)) return '"top_p" must be a number between 0 and 1.';
  const stopOk =
    stop === undefined ||
    typeof stop === 'string' ||
    (Array.isArray(stop) && stop.length <= 4 && stop.every((s): s is string => typeof s === 'string'));
  if (!stopOk) return '"stop" must be a string or an array of at most 4 strings.';
  const chat: ChatRequest = { model, messages: checked };
  if (system !== undefined) chat.system = system;
  if (maxTokens !== undefined) chat.max_tokens = maxTokens;
  if (temperature !== undefined) chat.temperature = temperature;
  if (topP !== undefined) chat.top_p = topP;
  if (stop !== undefined) chat.stop = stop as string | string[];
  return chat;
}
