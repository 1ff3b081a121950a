/**
 * mulberry32: a tiny seeded PRNG shared by the tests, so "random" splits are the same on every run and
 * a failure names a seed that reproduces it. Runs in Node and in the browser.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Generator helpers over one seeded PRNG: whole numbers, picks and coin flips that replay per seed. */
export interface RandomSource {
  /** The underlying generator, uniform in [0, 1). */
  next: () => number;
  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

export function randomSource(seed: number): RandomSource {
  const next = seededRandom(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p) => next() < p,
  };
}

/**
 * Shrinks a failing input (delta debugging, removal only): drops chunks of `items` — halves, then
 * quarters, … down to single items — as long as `fails` still holds for what is left. The result
 * still fails, and removing any one item from it makes the failure go away. `fails` must be
 * deterministic; it is called O(n²) times in the worst case, so keep the inputs small-ish.
 */
export function shrinkList<T>(items: readonly T[], fails: (candidate: T[]) => boolean): T[] {
  let current = [...items];
  let size = Math.max(1, Math.floor(current.length / 2));
  for (;;) {
    let removed = false;
    for (let start = 0; start < current.length;) {
      const candidate = [...current.slice(0, start), ...current.slice(start + size)];
      if (candidate.length < current.length && fails(candidate)) {
        current = candidate;
        removed = true;
      } else {
        start += size;
      }
    }
    if (size === 1 && !removed) return current;
    if (!removed) size = Math.max(1, Math.floor(size / 2));
  }
}
