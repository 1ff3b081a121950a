/**
 * The platform APIs `src/` may use beyond ECMAScript, for tsconfig.src.json only (tsconfig.json
 * gets them from the DOM lib). Both exist, identically, in browsers, workers and Node, so using them
 * keeps `src/` runnable everywhere; anything else (`document`, `window`, `self`, `fetch`, timers,
 * `performance`) is not declared and fails that type-check. Only the members `src/` uses are listed:
 * a new use must be added here on purpose.
 */

/** The WHATWG URL parser. */
declare class URL {
  constructor(url: string, base?: string);
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
}

/** The WHATWG Encoding API's decoder (streaming UTF-8). */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
