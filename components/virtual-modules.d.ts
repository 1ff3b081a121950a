/**
 * The worker, bundled at build/serve time by test/build/worker-source.js, as a function whose body is
 * the whole worker script: `(${fn})()` is what the blob runs.
 */
declare module 'virtual:llm-stream-worker-source' {
  const llmStreamWorker: () => void;
  export default llmStreamWorker;
  /** comlink's whole code as one function returning its API; the blob runs it before the worker. */
  export function comlinkFactory(): unknown;
}
