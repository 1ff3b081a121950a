/** The worker's bundled source (an IIFE script), produced at build/serve time by scripts/worker-source.js. */
declare module 'virtual:llm-stream-worker-source' {
  const source: string;
  export default source;
}
