/**
 * Where the extras (components/extras.ts) come from. The ES build imports them dynamically, so
 * bundlers split them into their own chunk. The CDN build swaps this module for
 * `extras-loader.cdn.ts` (see vite.config.ts), which loads `llm-stream.extras.js` from beside it.
 */
import type * as Extras from './extras.js';

export type ExtrasModule = typeof Extras;

let loaded: ExtrasModule | null = null;
let loading: Promise<ExtrasModule> | null = null;

/** The extras: synchronously once loaded, else a promise of them. */
export function loadExtras(): ExtrasModule | Promise<ExtrasModule> {
  if (loaded) return loaded;
  loading ??= import('./extras.js').then((module) => (loaded = module));
  return loading;
}
