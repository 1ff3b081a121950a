/**
 * What an element's attributes and properties mean for a new stream: the worker's options (format,
 * markdown, URL policy, timeouts, retries, pacing, …) and the sink's (sanitizer, the same URL policy).
 * Read once when a stream opens, so changing an attribute mid-stream affects the next stream only.
 */
import type { StreamOptions } from '../worker/protocol.js';
import type { Pricing } from '../src/answer/metrics.js';
import { DEFAULT_LINK_SCHEMES, parseImageOrigins } from '../src/markdown/dom-contract.js';
import type { HtmlSinkOptions, SinkMode } from './html-sink.js';
import { workerSettings } from './worker-client.js';

/** Default of `first-byte-timeout` and `idle-timeout`, ms. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Automatic retries before any text was shown, like the official SDKs (the worker owns the rest of the policy). */
export const DEFAULT_MAX_RETRIES = 2;

/** The element's settings a stream reads. */
export interface ElementSettings {
  format: StreamOptions['format'];
  imageOrigins: string;
  html: 'escape' | 'sanitized';
  linkTarget: string | null;
  sanitizer: 'auto' | SinkMode;
  firstByteTimeout: number;
  idleTimeout: number;
  maxRetries: number;
  pacing: StreamOptions['pacing'];
  /** `on` (default; the boolean attribute's `''` too) or `off`; `false` is off as well (the boolean property it was). */
  highlight: string | boolean;
  pricing: Pricing | null;
  redact: string[];
  redactReplacement: string;
  /** `on` (default) or `off` (`$` is plain text). */
  math: string;
  maxEventSize: number;
}

/** The worker's and the sink's options for a stream opened now by an element with these settings. */
export function connectionOptions(element: ElementSettings): { stream: StreamOptions; sink: HtmlSinkOptions } {
  const origins = parseImageOrigins(element.imageOrigins ?? '', location.origin);
  const rawHtml = element.html === 'sanitized';
  return {
    stream: {
      format: element.format || 'auto',
      markdown: {
        html: rawHtml ? 'sanitized' : 'escape',
        linkTarget: element.linkTarget || null,
        urls: { linkSchemes: [...DEFAULT_LINK_SCHEMES], imageOrigins: origins, allowDataImages: false, baseUrl: document.baseURI },
      },
      firstByteTimeoutMs: element.firstByteTimeout || DEFAULT_TIMEOUT_MS,
      idleTimeoutMs: element.idleTimeout || DEFAULT_TIMEOUT_MS,
      retry: { maxRetries: Number.isFinite(element.maxRetries) ? element.maxRetries : DEFAULT_MAX_RETRIES },
      // Under prefers-reduced-motion, `smooth` (an animation of the text) is `none`; `word` and
      // `sentence` are about units of text (speech), not motion, and stay.
      pacing: element.pacing === 'smooth' && matchMedia('(prefers-reduced-motion: reduce)').matches ? 'none' : element.pacing || 'none',
      batchMs: 16,
      ...(element.pricing ? { pricing: element.pricing } : {}),
      ...(element.redact.length ? { redact: { patterns: element.redact, replacement: element.redactReplacement } } : {}),
      maxEventSize: element.maxEventSize,
      // Absolute, like the highlighter's: loaded by the worker only for pacing or redaction.
      extrasUrl: new URL(workerSettings.workerExtrasUrl, document.baseURI).href,
      // Absolute: the worker's own base URL is a blob: URL that resolves nothing.
      ...(element.math !== 'off' ? { math: { url: new URL(workerSettings.mathUrl, document.baseURI).href } } : {}),
      ...(element.highlight !== 'off' && element.highlight !== false ? { highlight: { url: new URL(workerSettings.highlighterUrl, document.baseURI).href } } : {}),
    },
    sink: {
      mode: element.sanitizer || 'auto',
      linkSchemes: [...DEFAULT_LINK_SCHEMES],
      imageOrigins: origins,
      allowDataImages: false,
      rawHtml,
      linkTarget: element.linkTarget || null,
    },
  };
}