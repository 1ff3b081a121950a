/**
 * The answer pipeline: normalized provider events in, the page's messages out. Everything a stream
 * computes without I/O lives here — redaction, pacing, the markdown engine, metrics, and how an
 * answer ends (done, incomplete, failed) — so the worker only moves bytes and time, and Node tests
 * drive the whole answer with a fake clock.
 *
 * The caller owns time: it calls `flush` when a batch is due (about once per frame) and again while
 * `pending` says pacing holds text back. The clock it injects stamps metrics and feeds pacing.
 *
 * Reasoning, tool calls and sources travel beside the text in the same `patch` messages, so the page
 * applies every part of one batch in one frame. Reasoning has its own markdown engine (created on
 * first use) with the same policy as the content; it is not paced (it is read at a glance, not
 * followed word by word) but it is redacted like the text.
 *
 * A rendering bug must never look like a finished answer: when the markdown engine throws, the
 * pipeline closes with a `worker` error (never `end`), after a last `patch` that still carries the
 * raw text, so `text` on the page stays exact.
 */
import { LlmStreamError } from '../errors.js';
import { foldToolCall } from '../decoding/response-collector.js';
import { cleanSource } from '../decoding/source-url.js';
import { createMarkdownEngine, type MarkdownEngine, type MarkdownEngineOptions } from '../markdown/markdown-engine.js';
import type { Highlighter } from '../markdown/renderer.js';
import type { MathSyntax } from '../markdown/math-syntax.js';
import type { FinishReason, MarkdownOptions, Patch, ProviderEvent, Source, StreamResult, ToolCall } from '../types.js';
import type { StreamMessage } from './messages.js';
import { createMetricsTracker, type Pricing } from './metrics.js';
import type { Pacer, PacingMode } from './pacer.js';
import type { Redactor, RedactorOptions } from './redactor.js';

/** What one answer needs: its markdown policy, pacing, optional redaction and pricing, and a clock. */
export interface AnswerPipelineOptions {
  markdown: MarkdownOptions;
  pacing: PacingMode;
  /** Regex sources whose matches are replaced before anything renders. */
  redact?: { patterns: string[]; replacement: string };
  pricing?: Pricing;
  /** Highlighter for committed fenced code (the worker passes its lazily loaded one). */
  highlight?: Highlighter | null;
  /** Loads the math syntax the first time the text holds a math opener (the worker: from the math file). */
  math?: (() => MathSyntax | null) | null;
  /** The clock in ms; the request started at the first reading (when the pipeline is created). */
  now: () => number;
  /**
   * The pacing and redaction stages. They are injected, not imported: the worker loads them from a
   * file beside the script only when a stream asks for them (pacing other than `none`, redaction),
   * so every other page pays nothing for them. Without `createPacer`, text is released as it
   * arrives (`none`). Redaction asked for without `createRedactor` throws: it fails closed.
   */
  createPacer?: (mode: PacingMode) => Pacer;
  createRedactor?: (options: RedactorOptions) => Redactor;
  /**
   * The markdown stage; default `createMarkdownEngine`. Tests substitute an engine that throws, to
   * hold the rule that a rendering bug ends the stream as a `worker` error.
   */
  createEngine?: (options: Partial<MarkdownEngineOptions>) => MarkdownEngine;
}

/** What an event meant for the stream. */
export type EventOutcome =
  /** Taken in. `render`: answer text arrived, so a batch should be scheduled. */
  | { kind: 'accepted'; render: boolean }
  /** The format's own end marker arrived: the answer is complete. */
  | { kind: 'complete' }
  /** The provider reported an error: the caller ends the stream with it (see `fail`). */
  | { kind: 'failed'; error: LlmStreamError };

/** How an answer ended without an error. */
export type AnswerEnding =
  | { status: 'done'; finishReason?: FinishReason }
  /** The body ended before the format's end marker; `reason` says what was missing. */
  | { status: 'incomplete'; reason: string; finishReason?: FinishReason };

export interface AnswerPipeline {
  /** Take one provider event. Unknown event types are ignored (the union grows). */
  push(event: ProviderEvent): EventOutcome;
  /**
   * One batch: the text pacing releases now goes through the markdown engine; returns the `patch`
   * (and `redact`) messages, or `[]` when nothing changed. May close the pipeline (rendering failed).
   * `catchUp`: release everything pacing holds (nobody watches it type: the page is hidden).
   */
  flush(catchUp?: boolean): StreamMessage[];
  /** End the answer: release everything held, render it all, and return the last messages (`end`). */
  end(ending: AnswerEnding): StreamMessage[];
  /** Fail the answer with `error`: like `end`, but the last message is `error`. */
  fail(error: LlmStreamError): StreamMessage[];
  /** Characters pacing still holds back: another `flush` is due while this is above zero. */
  readonly pending: number;
  /** True once anything visible arrived — text, reasoning, a tool call (the worker retries only before that). */
  readonly answerShown: boolean;
  /** True after `end`, `fail`, or a rendering failure: every call then returns `[]`. */
  readonly closed: boolean;
}

/** Pacing `none`: everything at once. */
function releaseAll(): Pacer {
  let buffer = '';
  const take = (): string => {
    const out = buffer;
    buffer = '';
    return out;
  };
  return {
    push(text) {
      buffer += text;
    },
    take,
    drain: take,
    get pending() {
      return buffer.length;
    },
  };
}

export function createAnswerPipeline(options: AnswerPipelineOptions): AnswerPipeline {
  const { now } = options;
  const metrics = createMetricsTracker(now(), options.pricing);
  const newEngine = (): MarkdownEngine =>
    (options.createEngine ?? createMarkdownEngine)({ ...options.markdown, now, highlight: options.highlight ?? null, math: options.math ?? null });
  const engine = newEngine();
  const newRedactor = (): Redactor | null => {
    if (!options.redact?.patterns.length) return null;
    if (!options.createRedactor) throw new LlmStreamError('worker', 'redaction was asked for but is not available');
    return options.createRedactor({ patterns: options.redact.patterns, replacement: options.redact.replacement });
  };
  const redactor = newRedactor();
  const pacer = options.createPacer && options.pacing !== 'none' ? options.createPacer(options.pacing) : releaseAll();
  /** The reasoning channel, created by the first reasoning text. */
  let thinking: { engine: MarkdownEngine; redactor: Redactor | null; pending: string; fed: boolean } | null = null;
  const toolCalls = new Map<string, ToolCall>();
  const changedCalls = new Set<string>();
  const sourceKeys = new Set<string>();
  const sources: Source[] = [];
  let newSources: Source[] = [];
  let redactedReported = 0;
  let finishReason: FinishReason = 'unknown';
  let answerShown = false;
  let closed = false;
  /** Text given to the engine since the last `patch` message. */
  let pendingText = '';

  const acceptText = (raw: string): void => {
    const text = redactor ? redactor.push(raw) : raw;
    metrics.text(raw, now());
    answerShown = true;
    if (text) pacer.push(text);
  };

  const acceptReasoning = (raw: string): void => {
    thinking ??= { engine: newEngine(), redactor: newRedactor(), pending: '', fed: false };
    metrics.reasoning(raw, now());
    answerShown = true;
    const text = thinking.redactor ? thinking.redactor.push(raw) : raw;
    if (text) {
      thinking.engine.write(text);
      thinking.pending += text;
      thinking.fed = true;
    }
  };

  const acceptToolCall = (event: Extract<ProviderEvent, { type: 'tool-call' }>): void => {
    toolCalls.set(event.id, foldToolCall(toolCalls.get(event.id), event));
    changedCalls.add(event.id);
    answerShown = true;
  };

  const acceptSource = (url: string, title: string | undefined): boolean => {
    const clean = cleanSource(url, title);
    if (!clean || sourceKeys.has(clean.key)) return false;
    sourceKeys.add(clean.key);
    const source: Source = clean.event.title === undefined ? { url: clean.event.url } : { url: clean.event.url, title: clean.event.title };
    sources.push(source);
    newSources.push(source);
    return true;
  };

  /** The stream is over: a call whose arguments were still arriving never completed. */
  const closeToolCalls = (): void => {
    for (const [id, call] of toolCalls) {
      if (call.status === 'streaming') {
        toolCalls.set(id, { ...call, status: 'incomplete' });
        changedCalls.add(id);
      }
    }
  };

  const reasoningText = (): string => (thinking ? thinking.engine.text : '');

  /** Moves text through pacing into the engines and renders; `final` renders everything, to the end. */
  const render = (final: boolean, catchUp = false): StreamMessage[] => {
    const messages: StreamMessage[] = [];
    const text = final || catchUp ? pacer.drain() : pacer.take(now());
    if (text) {
      engine.write(text);
      pendingText += text;
    }
    let patches: Patch[];
    let reasoningPatches: Patch[] = [];
    try {
      patches = final ? [...engine.flush(), ...engine.end()] : engine.flush();
      if (thinking?.fed) reasoningPatches = final ? [...thinking.engine.flush(), ...thinking.engine.end()] : thinking.engine.flush();
    } catch (thrown) {
      // The raw text still reaches the page's `text`; the page keeps what was already rendered.
      const message: StreamMessage = { kind: 'patch', patches: [], text: pendingText, metrics: metrics.snapshot(now()) };
      if (thinking?.pending) message.reasoning = { patches: [], text: thinking.pending };
      messages.push(message);
      pendingText = '';
      messages.push({
        kind: 'error',
        error: { code: 'worker', message: `rendering failed: ${thrown instanceof Error ? thrown.message : String(thrown)}` },
        finishReason: 'error',
        metrics: metrics.snapshot(now(), true),
      });
      closed = true;
      return messages;
    }
    const reasoningChanged = reasoningPatches.length > 0 || (thinking !== null && thinking.pending !== '');
    if (patches.length > 0 || pendingText || reasoningChanged || changedCalls.size > 0 || newSources.length > 0) {
      const message: StreamMessage = { kind: 'patch', patches, text: pendingText, metrics: metrics.snapshot(now()) };
      if (thinking && reasoningChanged) {
        message.reasoning = { patches: reasoningPatches, text: thinking.pending };
        thinking.pending = '';
      }
      if (changedCalls.size > 0) {
        message.toolCalls = [...changedCalls].map((id) => ({ ...toolCalls.get(id)! }));
        changedCalls.clear();
      }
      if (newSources.length > 0) {
        message.sources = newSources;
        newSources = [];
      }
      messages.push(message);
      pendingText = '';
    }
    const redacted = (redactor?.count ?? 0) + (thinking?.redactor?.count ?? 0);
    if (redacted !== redactedReported) {
      redactedReported = redacted;
      messages.push({ kind: 'redact', count: redacted });
    }
    return messages;
  };

  /** The answer is ending: release what redaction and pacing held back, and render it all. */
  const settle = (): StreamMessage[] => {
    if (redactor) {
      const rest = redactor.flush();
      if (rest) pacer.push(rest);
    }
    if (thinking?.redactor) {
      const rest = thinking.redactor.flush();
      if (rest) {
        thinking.engine.write(rest);
        thinking.pending += rest;
      }
    }
    closeToolCalls();
    return render(true);
  };

  /** What every ending carries besides text: the other parts of the response. */
  const parts = (): Pick<StreamResult, 'reasoning' | 'toolCalls' | 'sources'> => ({
    reasoning: reasoningText(),
    toolCalls: [...toolCalls.values()].map((call) => ({ ...call })),
    sources: sources.map((source) => ({ ...source })),
  });

  return {
    push(event) {
      if (closed) return { kind: 'accepted', render: false };
      switch (event.type) {
        case 'text':
          if (!event.text) return { kind: 'accepted', render: false };
          acceptText(event.text);
          return { kind: 'accepted', render: true };
        case 'reasoning':
          if (!event.text) return { kind: 'accepted', render: false };
          acceptReasoning(event.text);
          return { kind: 'accepted', render: true };
        case 'tool-call':
          if (!event.id) return { kind: 'accepted', render: false };
          acceptToolCall(event);
          return { kind: 'accepted', render: true };
        case 'source':
          return { kind: 'accepted', render: acceptSource(event.url, event.title) };
        case 'usage':
          metrics.usage(event.usage);
          return { kind: 'accepted', render: false };
        case 'finish':
          finishReason = event.reason;
          return { kind: 'accepted', render: false };
        case 'error':
          return {
            kind: 'failed',
            error: new LlmStreamError(event.code, event.message, event.providerType ? { providerType: event.providerType } : {}),
          };
        case 'end':
          return { kind: 'complete' };
        default:
          // An event this pipeline does not render yet (the decoder's union grows): not an answer's text.
          return { kind: 'accepted', render: false };
      }
    },
    flush(catchUp = false) {
      return closed ? [] : render(false, catchUp);
    },
    end(ending) {
      if (closed) return [];
      const messages = settle();
      if (closed) return messages;
      if (ending.finishReason) finishReason = ending.finishReason;
      const result: StreamResult = {
        text: engine.text,
        finishReason,
        metrics: metrics.snapshot(now(), true),
        status: ending.status,
        ...parts(),
      };
      const usage = metrics.mergedUsage;
      if (usage) result.usage = usage;
      if (ending.status === 'incomplete' && ending.reason) result.reason = ending.reason;
      messages.push({ kind: 'end', result });
      closed = true;
      return messages;
    },
    fail(error) {
      if (closed) return [];
      const messages = settle();
      if (closed) return messages;
      const message: StreamMessage = {
        kind: 'error',
        error: error.toData(),
        finishReason: 'error',
        metrics: metrics.snapshot(now(), true),
      };
      const usage = metrics.mergedUsage;
      if (usage) message.usage = usage;
      messages.push(message);
      closed = true;
      return messages;
    },
    get pending() {
      return pacer.pending;
    },
    get answerShown() {
      return answerShown;
    },
    get closed() {
      return closed;
    },
  };
}
