import type { ReactiveController, ReactiveControllerHost } from 'lit';

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
  /**
   * Can the container scroll at all? The default container is the element itself, which most pages
   * let grow instead of scroll: then following would only force a layout every frame for nothing.
   * Checked when following (re)starts, so a style change applies from the next answer on.
   */
  const canScroll = (): boolean =>
    container instanceof Window || target === document.scrollingElement || /^(auto|scroll|overlay)$/.test(getComputedStyle(target).overflowY);
  let scrollable = canScroll();
  /** Where the container was when we last looked (or put it); NaN before the first look. */
  let known = Number.NaN;
  /** Its content height then: a reader who went to the bottom may have had content added since. */
  let knownHeight = 0;
  /**
   * Any move we did not make is the reader's (or the browser clamping a shrunk container): from
   * then on, follow exactly when that position is at the bottom. Checked both on `scroll` and right
   * before following, because the scroll event of a move comes a frame late — following first would
   * overwrite the reader's move and swallow it.
   */
  const notice = (): void => {
    const top = target.scrollTop;
    const height = target.scrollHeight;
    if (Math.abs(top - known) >= 1) {
      known = top;
      // The bottom as the reader saw it: before any content that arrived since we last looked.
      pinned = Math.min(height, knownHeight || height) - top - target.clientHeight <= SLACK_PX;
    }
    knownHeight = height;
  };
  events.addEventListener('scroll', notice, { passive: true });
  return {
    follow() {
      if (!scrollable) return;
      if (!Number.isNaN(known)) notice();
      if (!pinned) return;
      const bottom = target.scrollHeight - target.clientHeight;
      if (bottom > target.scrollTop) {
        // `instant`: a container with `scroll-behavior: smooth` would otherwise animate, and its
        // in-between positions would look like the reader scrolling.
        target.scrollTo({ top: bottom, behavior: 'instant' });
      }
      known = target.scrollTop;
      knownHeight = target.scrollHeight;
    },
    pin() {
      pinned = true;
      scrollable = canScroll();
      known = target.scrollTop;
      knownHeight = target.scrollHeight;
    },
    dispose() {
      events.removeEventListener('scroll', notice);
    },
  };
}

/**
 * Auto-scroll as a Lit ReactiveController: follows the container named by the host's
 * `scrollContainer` (`self`, `document`, a CSS selector of an ancestor, or `none`), rebuilt when the
 * host connects or the attribute changes.
 */
export class AutoScrollController implements ReactiveController {
  #scroller: AutoScroller | null = null;
  #spec: string | null = null;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement & { scrollContainer: string }) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#spec = null;
    this.#sync();
  }

  hostUpdated(): void {
    this.#sync();
  }

  hostDisconnected(): void {
    this.#scroller?.dispose();
    this.#scroller = null;
    this.#spec = null;
  }

  /** Content changed: keep the bottom in view if the reader was there. */
  follow(): void {
    this.#scroller?.follow();
  }

  /** A new answer: start following again. */
  pin(): void {
    this.#sync();
    this.#scroller?.pin();
  }

  #sync(): void {
    const spec = (this.host.scrollContainer || 'self').trim();
    if (spec === this.#spec || !this.host.isConnected) return;
    this.#spec = spec;
    this.#scroller?.dispose();
    this.#scroller = null;
    if (spec === 'none') return;
    const container = spec === 'self' ? this.host : spec === 'document' ? window : this.host.closest(spec) ?? document.querySelector(spec);
    if (container) this.#scroller = createAutoScroller(container);
  }
}
