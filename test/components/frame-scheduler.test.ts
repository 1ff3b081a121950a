import { expect } from 'chai';
import { scheduleFrameJob } from '../../components/frame-scheduler.js';

const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* a job that costs `ms` of main-thread time */
  }
};
const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

describe('shared frame loop', () => {
  it('spreads expensive jobs over frames instead of running them all in one task', async () => {
    const ran: number[] = [];
    let frame = 0;
    for (let i = 0; i < 10; i++) scheduleFrameJob(() => {
      busy(5);
      ran.push(frame);
    });
    for (; ran.length < 10 && frame < 60; frame++) await nextFrame();
    expect(ran.length).to.equal(10);
    const perFrame = new Map<number, number>();
    for (const f of ran) perFrame.set(f, (perFrame.get(f) ?? 0) + 1);
    expect(Math.max(...perFrame.values()), `jobs per frame: ${[...perFrame.values()]}`).to.be.at.most(3);
    expect(perFrame.size).to.be.at.least(4);
  });

  it('runs a job queued twice before its frame only once, in queue order', async () => {
    const order: string[] = [];
    const a = (): void => void order.push('a');
    const b = (): void => void order.push('b');
    scheduleFrameJob(a);
    scheduleFrameJob(b);
    scheduleFrameJob(a);
    await nextFrame();
    await nextFrame();
    expect(order).to.deep.equal(['a', 'b']);
  });
});

describe('shared frame loop: a job queued while the frame runs', () => {
  it('runs in the next frame, after this frame has rendered, however cheap', async () => {
    const frames: number[] = [];
    let frame = 0;
    let count = 0;
    // A job that queues itself again (the rest of a huge batch): each run must get a frame of its own.
    const job = (): void => {
      frames.push(frame);
      if (++count < 4) scheduleFrameJob(job);
    };
    scheduleFrameJob(job);
    for (; count < 4 && frame < 60; frame++) await nextFrame();
    expect(frames.length).to.equal(4);
    expect(new Set(frames).size, `frames: ${frames}`).to.equal(4);
  });
});
