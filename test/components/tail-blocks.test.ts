// The tail's blocks (split by splitBlocks, test/src/markdown/dom-contract.test.ts): unchanged leading
// blocks keep their nodes, and a block the tail showed whole keeps them when it is committed; the DOM
// is what a fresh render of the same patches gives.
import { expect } from 'chai';
import { createDomPatcher } from '../../components/dom-patcher.js';
import { createHtmlSink } from '../../components/html-sink.js';
import type { Patch } from '../../src/types.js';

const sinkOptions = { linkSchemes: ['http', 'https'], imageOrigins: [], allowDataImages: false, rawHtml: false, linkTarget: null };
const TABLE = '<table part="table">\n<thead>\n<tr>\n<th>Strategy</th>\n<th>Cost</th>\n</tr>\n</thead>\n<tbody><tr>\n<td>append</td>\n<td>low</td>\n</tr>\n</tbody></table>\n';
const p = (html: string): string => `<p part="p">${html}</p>\n`;

async function patchers(): Promise<{ div: HTMLElement; apply(patches: Patch[]): void; fresh(patches: Patch[]): string }> {
  const sink = createHtmlSink({ mode: 'dompurify', ...sinkOptions });
  await sink.ready;
  const div = document.createElement('div');
  const patcher = createDomPatcher(div, sink);
  return {
    div,
    apply: (patches) => patcher.apply(patches),
    fresh(patches) {
      const other = document.createElement('div');
      createDomPatcher(other, sink).apply(patches);
      return other.innerHTML;
    },
  };
}

describe('the tail, block by block', () => {
  it('keeps the nodes of leading blocks that come again unchanged (a table while the paragraph after it streams)', async () => {
    const { div, apply, fresh } = await patchers();
    apply([{ op: 'tail', html: TABLE + p('The rate') }]);
    const table = div.querySelector('table')!;
    const next = TABLE + p('The rate <em>limiter</em> keeps') + p('Next');
    apply([{ op: 'tail', html: next }]);
    expect(div.querySelector('table'), 'the same table').to.equal(table);
    expect(div.innerHTML).to.equal(fresh([{ op: 'tail', html: next }]));
    // A change in the first block renders everything from it again.
    const changed = TABLE.replace('low', 'high') + p('The rate');
    apply([{ op: 'tail', html: changed }]);
    expect(div.querySelector('table')).to.not.equal(table);
    expect(div.innerHTML).to.equal(fresh([{ op: 'tail', html: changed }]));
    apply([{ op: 'tail', html: '' }]);
    expect(div.innerHTML).to.equal('');
  });

  it('a committed block the tail showed whole keeps its nodes, also when it goes into a chunk', async () => {
    const { div, apply, fresh } = await patchers();
    const patches: Patch[] = [];
    const step = (batch: Patch[]): void => {
      patches.push(...batch);
      apply(batch);
    };
    // The committed blocks parsed from their HTML, and the last tail.
    const canonical = (): string => fresh([...patches.filter((x) => x.op === 'commit'), patches.filter((x) => x.op === 'tail').at(-1)!]);
    step([{ op: 'tail', html: p('first') + p('sec') }]);
    const first = div.querySelector('p')!;
    step([{ op: 'commit', html: p('first') }, { op: 'tail', html: p('second') }]);
    expect(div.querySelector('p'), 'the committed paragraph is the node the tail showed').to.equal(first);
    // Past the flat blocks, committed blocks go into chunks: the tail's node moves there.
    for (let i = 0; i < 40; i++) {
      step([{ op: 'tail', html: p(`block ${i}`) + p('nex') }]);
      const shown = div.lastElementChild!.previousElementSibling!;
      step([{ op: 'commit', html: p(`block ${i}`) }, { op: 'tail', html: p('next') }]);
      expect(div.contains(shown) && shown.textContent, `block ${i}`).to.equal(`block ${i}`);
    }
    expect(div.querySelectorAll('.llm-stream-chunk p').length).to.be.greaterThan(0);
    expect(div.innerHTML).to.equal(canonical());
    // Not the same HTML (a code block streams wrapped in lines): rendered from the commit.
    step([{ op: 'tail', html: p('x') }]);
    const x = div.lastElementChild;
    step([{ op: 'commit', html: p('x!') }, { op: 'tail', html: '' }]);
    expect(div.contains(x)).to.equal(false);
    expect(div.innerHTML).to.equal(canonical());
  });
});
