// Canned answers, loaded once when the module is imported.
import { readFileSync } from 'node:fs';

/** @param {string} name */
function load(name) {
  return readFileSync(new URL(`./answers/${name}`, import.meta.url), 'utf8');
}

/** ~6 KB realistic markdown: headings, inline styles, nested lists, aligned table, ts + python fences, links, quote, rule. */
export const DEFAULT_ANSWER = load('default.md');

/** One short paragraph. */
export const SHORT_ANSWER = load('short.md').trimEnd();

/** Target size of the `long` answer, in UTF-16 code units. */
export const LONG_TARGET = 100 * 1024;

/**
 * ≈100 KB: the default answer followed by numbered "Part N" sections cycled from
 * answers/long-sections.md (with the part number and a derived number substituted so no two parts
 * are identical), until the target size is reached.
 */
export const LONG_ANSWER = buildLong(load('long-sections.md'));

/** @param {string} source */
function buildLong(source) {
  const sections = source
    .split(/^<!-- section -->\s*$/m)
    .slice(1)
    .map((s) => s.trim());
  if (sections.length === 0) throw new Error('long-sections.md has no sections');
  let out = DEFAULT_ANSWER.trimEnd() + '\n\n---\n\n# Appendix: field notes\n\n';
  for (let n = 1; out.length < LONG_TARGET; n++) {
    const section = /** @type {string} */ (sections[(n - 1) % sections.length]);
    const m = 100 + ((n * 37) % 400);
    out += section.replaceAll('{n}', String(n)).replaceAll('{m}', String(m)) + '\n\n';
  }
  return out.trimEnd() + '\n';
}

/** @type {Record<string, string>} */
export const ANSWERS = {
  default: DEFAULT_ANSWER,
  short: SHORT_ANSWER,
  long: LONG_ANSWER,
};
