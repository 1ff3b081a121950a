/**
 * One animation-frame loop for every <llm-stream> on the page. Each element queues its pending DOM
 * work here instead of requesting its own frame, so a page with dozens of streaming answers does their
 * patching in one frame callback with a time budget: when the budget is spent, the remaining elements
 * go first in the next frame. (Fifty elements each patching in their own rAF callback ran as one
 * long task of 50–190 ms.) Hidden tabs get no frames, so a timer stands in for them.
 */
type Job = () => void;

/** Main-thread time the loop may spend per frame before deferring the rest. */
const FRAME_BUDGET_MS = 8;
/** Hidden tabs run no rAF callbacks; streams must still finish and settle their promises. */
const HIDDEN_FALLBACK_MS = 250;

let queue = new Set<Job>();
let frame = 0;
let fallback: ReturnType<typeof setTimeout> | null = null;

function run(): void {
  if (frame) cancelAnimationFrame(frame);
  if (fallback !== null) clearTimeout(fallback);
  frame = 0;
  fallback = null;
  const start = performance.now();
  // The jobs queued when the frame began: one queued again while they run (the rest of a huge
  // batch) waits for the next frame, whose layout then comes first.
  const jobs = [...queue];
  queue.clear();
  for (let i = 0; i < jobs.length; i++) {
    jobs[i]!();
    if (i + 1 < jobs.length && performance.now() - start > FRAME_BUDGET_MS) {
      queue = new Set([...jobs.slice(i + 1), ...queue]);
      break;
    }
  }
  if (queue.size > 0) request();
}

function request(): void {
  if (frame || fallback !== null) return;
  frame = requestAnimationFrame(run);
  fallback = setTimeout(run, HIDDEN_FALLBACK_MS);
}

/** Run `job` in an upcoming frame (once, however often it is queued before then). */
export function scheduleFrameJob(job: Job): void {
  queue.add(job);
  request();
}
