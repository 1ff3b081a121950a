/**
 * Flicker, measured (issue 4): over realistic answers streamed in ~4-character deltas, how many
 * characters appear in the rendered text and later vanish — ours (tail repair + finality rule) beside
 * the naive `marked.parse` of the growing prefix. Prints JSON for run.js. Run with `node --import tsx`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { countFlicker, countNaiveFlicker } from '../src/markdown/flicker.js';

const corpusDir = new URL('../fixtures/markdown/corpus/', import.meta.url);
const files = readdirSync(corpusDir).filter((name) => name.endsWith('.md')).sort();
const documents = [
  ...files.map((name) => ({ name, text: readFileSync(new URL(name, corpusDir), 'utf8') })),
  { name: 'bench 10k.md', text: readFileSync(new URL('corpus/10k.md', import.meta.url), 'utf8') },
];

/** ~4-character deltas, like tokens. */
function deltas(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 4) out.push(text.slice(i, i + 4));
  return out;
}

const rows = documents.map(({ name, text }) => {
  const chunks = deltas(text);
  return { name, bytes: text.length, deltas: chunks.length, ours: countFlicker(chunks), naive: countNaiveFlicker(chunks) };
});
const total = rows.reduce((sum, row) => ({ ours: sum.ours + row.ours, naive: sum.naive + row.naive }), { ours: 0, naive: 0 });
console.log(JSON.stringify({ deltaChars: 4, documents: rows, total }));
