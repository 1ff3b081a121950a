/**
 * The worker bootstrap (DESIGN.md §5). One worker serves every element on the page.
 *
 * By default the worker is inline: its bundled source ships inside this module and starts from a
 * `blob:` URL created through a Trusted Types policy, so it works from any origin and in IIFE/CDN
 * builds. Sites whose CSP says `worker-src 'self'` self-host the worker file and set `workerUrl`.
 * A start-up check turns a worker that never answers (CSP blocked it, the file 404s) into a clear
 * `worker` error instead of a silent hang, and a watchdog replaces a worker that stops answering.
 */
import { wrap, type Remote } from 'comlink';
import workerSource, { comlinkFactory } from 'virtual:llm-stream-worker-source';
import { LlmStreamError } from '../src/errors.js';
import { siblingUrl } from './script-url.js';
import { trustedScriptUrl } from './trusted-types.js';
import type { WorkerApi } from '../worker/protocol.js';

export interface WorkerHandle {
  readonly api: Remote<WorkerApi>;
  /** Called when this worker is declared dead (crashed, or stuck past the watchdog limit). */
  onDeath(listener: (error: LlmStreamError) => void): () => void;
  /** Terminate this worker; its streams end with a `worker` error. */
  terminate(): void;
}

export interface WorkerSettings {
  /** URL of a self-hosted worker file (`dist/llm-stream.worker.js`); default: inline blob worker. */
  workerUrl: string | null;
  /** How long the worker may take to answer its first ping. */
  startTimeoutMs: number;
  /** How long a ping may go unanswered while streams run before the worker is replaced. */
  watchdogTimeoutMs: number;
  /** How often the watchdog pings while streams run. */
  watchdogIntervalMs: number;
  /** URL of the optional syntax highlighter (`dist/llm-stream.highlight.js`); default: beside this script. */
  highlighterUrl: string;
  /** URL of the worker's optional stages, pacing and redaction (`dist/llm-stream.worker-extras.js`); default: beside this script. */
  workerExtrasUrl: string;
  /** URL of the optional math renderer (`dist/llm-stream.math.js`); default: beside this script. */
  mathUrl: string;
}

/** Global worker settings; change them before the first stream starts. */
export const workerSettings: WorkerSettings = {
  workerUrl: workerUrlFromScriptTag(),
  startTimeoutMs: 10_000,
  watchdogTimeoutMs: 4_000,
  watchdogIntervalMs: 1_000,
  highlighterUrl: siblingUrl('llm-stream.highlight.js'),
  workerExtrasUrl: siblingUrl('llm-stream.worker-extras.js'),
  mathUrl: siblingUrl('llm-stream.math.js'),
};

let current: Promise<WorkerHandle> | null = null;
/** Bumped per worker started, so a dead worker only clears the slot if it still holds it. */
let generation = 0;

/** The shared worker, started on first use. Rejects with a `worker` LlmStreamError. */
export function getWorker(): Promise<WorkerHandle> {
  if (!current) {
    const mine = ++generation;
    current = startWorker(() => {
      if (generation === mine) current = null;
    });
  }
  return current;
}

/**
 * Terminate the shared worker (its running streams end with a `worker` error) so that the next stream
 * starts a fresh one — e.g. after changing `workerSettings` once the worker already runs.
 */
export function restartWorker(): void {
  const old = current;
  current = null;
  generation++;
  old?.then((handle) => handle.terminate(), () => {});
}

/**
 * Start the worker early (e.g. at registration), so the first answer does not wait for it.
 *
 * Deferred to a microtask: registration runs while `llm-stream.js` is evaluated, before the module
 * that imported it had a chance to set `workerSettings`. Started synchronously, a page with
 * `worker-src 'self'` got a refused blob: worker (a CSP violation) before its `workerUrl` applied, and
 * a custom `startTimeoutMs` came too late. A module graph evaluates without a microtask checkpoint,
 * so settings made at the top level of the importing module are seen.
 */
export function warmUpWorker(): void {
  queueMicrotask(() => {
    getWorker().catch(() => {
      /* reported to the first stream that needs it */
    });
  });
}

async function startWorker(release: () => void): Promise<WorkerHandle> {
  let url: string;
  let revoke: (() => void) | null = null;
  if (workerSettings.workerUrl) {
    url = new URL(workerSettings.workerUrl, document.baseURI).href;
  } else {
    // The worker takes the page's copy of comlink (one copy in the bundle, see test/build/worker-source.js).
    url = URL.createObjectURL(new Blob([`self.LlmStreamComlink=(${String(comlinkFactory)})();(${String(workerSource)})()`], { type: 'text/javascript' }));
    revoke = () => URL.revokeObjectURL(url);
  }
  let worker: Worker;
  try {
    worker = new Worker(trustedScriptUrl(url), { name: 'llm-stream' });
  } catch (error) {
    revoke?.();
    release();
    throw new LlmStreamError('worker', `the llm-stream worker could not be created (${describe(error)}). ${cspHint()}`);
  }
  const api = wrap<WorkerApi>(worker);
  const listeners = new Set<(error: LlmStreamError) => void>();
  let dead = false;
  let startError: LlmStreamError | null = null;
  let stopVisibility: (() => void) | null = null;
  const die = (error: LlmStreamError): void => {
    if (dead) return;
    dead = true;
    stopVisibility?.();
    worker.terminate();
    revoke?.();
    release();
    for (const listener of listeners) listener(error);
    listeners.clear();
  };
  let failStart: ((error: LlmStreamError) => void) | null = null;
  const loadFailed = new Promise<never>((_, reject) => {
    failStart = reject;
  });
  loadFailed.catch(() => {});
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    startError = new LlmStreamError('worker', `the llm-stream worker failed to load${event.message ? `: ${event.message}` : ''}. ${cspHint()}`);
    // Before the first answer, an error event means the script never ran (CSP refused it, 404): fail now.
    failStart?.(startError);
  });

  const handle: WorkerHandle = {
    api,
    onDeath(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    terminate() {
      die(new LlmStreamError('worker', 'the llm-stream worker was restarted'));
    },
  };
  try {
    await withTimeout(Promise.race([api.ping(), loadFailed]), workerSettings.startTimeoutMs, () => startError ?? new LlmStreamError(
      'worker',
      `the llm-stream worker did not start within ${workerSettings.startTimeoutMs} ms. ${cspHint()}`,
    ));
    failStart = null;
  } catch (error) {
    die(error instanceof LlmStreamError ? error : new LlmStreamError('worker', describe(error)));
    throw error;
  }
  startWatchdog(api, () => listeners.size > 0, die);
  // A hidden page watches nothing type: the worker's pacing releases everything until it is visible.
  const visibility = (): void => void api.setHidden(document.hidden).catch(() => {});
  if (document.hidden) visibility();
  document.addEventListener('visibilitychange', visibility);
  stopVisibility = () => document.removeEventListener('visibilitychange', visibility);
  return handle;
}

/** While streams are live, ping the worker; an unanswered ping means a stuck worker: replace it. */
function startWatchdog(api: Remote<WorkerApi>, busy: () => boolean, die: (error: LlmStreamError) => void): void {
  let stopped = false;
  const tick = async (): Promise<void> => {
    if (stopped) return;
    if (busy()) {
      try {
        await withTimeout(api.ping(), workerSettings.watchdogTimeoutMs, () => new LlmStreamError(
          'worker',
          `the llm-stream worker stopped answering for ${workerSettings.watchdogTimeoutMs} ms and was restarted`,
        ));
      } catch (error) {
        stopped = true;
        die(error instanceof LlmStreamError ? error : new LlmStreamError('worker', describe(error)));
        return;
      }
    }
    setTimeout(() => void tick(), workerSettings.watchdogIntervalMs);
  };
  setTimeout(() => void tick(), workerSettings.watchdogIntervalMs);
}

function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(error()), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (reason: unknown) => (clearTimeout(timer), reject(reason instanceof Error ? reason : new Error(String(reason)))),
    );
  });
}

function cspHint(): string {
  return workerSettings.workerUrl
    ? `Check that ${workerSettings.workerUrl} is served and allowed by worker-src.`
    : "If the page has a Content-Security-Policy, it needs worker-src blob: (or set workerUrl to a self-hosted worker file); with Trusted Types, allow the policy 'llm-stream'.";
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * CDN users cannot run code before the classic script registers the element, so the script tag can
 * carry the setting: `<script src=".../llm-stream.cdn.js" data-worker-url="/llm-stream.worker.js">`.
 */
function workerUrlFromScriptTag(): string | null {
  if (typeof document === 'undefined') return null;
  const script = document.currentScript as HTMLScriptElement | null;
  return script?.dataset['workerUrl'] ?? null;
}
