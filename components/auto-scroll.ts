/**
 * Follows the bottom of a growing answer like chat apps do: while the reader is at the bottom, the
 * scroll container stays there as content grows; once they scroll up it stops following, until they
 * return to the bottom.
 */
export interface AutoScroller {
  /** Content changed: keep the bottom in view if the reader was there. Call after DOM patches. */
  follow(): void;
  /** Start following again (a new answer). */
  pin(): void;
  dispose(): void;
}

/** How close to the bottom (px) still counts as "at the bottom". */
const SLACK_PX = 24;

export function createAutoScroller(container: Element | Window): AutoScroller {
  const target = (container instanceof Window ? document.scrollingElement ?? document.documentElement : container) as Element;
  const events: EventTarget = container instanceof Window ? window : container;
  let pinned = true;
  let ourScrollTop = -1;
  const atBottom = (): boolean => target.scrollHeight - target.scrollTop - target.clientHeight <= SLACK_PX;
  const onScroll = (): void => {
    // Our own scrolling lands exactly where we put it; anything else is the reader.
    if (Math.abs(target.scrollTop - ourScrollTop) < 1) return;
    pinned = atBottom();
  };
  events.addEventListener('scroll', onScroll, { passive: true });
  return {
    follow() {
      if (!pinned) return;
      const bottom = target.scrollHeight - target.clientHeight;
      if (bottom > target.scrollTop) {
        target.scrollTop = bottom;
        ourScrollTop = target.scrollTop;
      }
    },
    pin() {
      pinned = true;
    },
    dispose() {
      events.removeEventListener('scroll', onScroll);
    },
  };
}
