/**
 * Committed tables get a toolbar (`part="table-toolbar"`): copy as Markdown (a GFM pipe table) and as
 * CSV (RFC 4180). It is the table's `<caption>`, marked `data-llm-decoration` like a code block's
 * toolbar, so a re-rendered table takes it along and the cells stay exactly the table.
 */
import { copyText, DECORATION_ATTRIBUTE } from './code-blocks.js';
import { EXTRAS_STRINGS } from './extras-strings.js';

export interface TableLabels {
  copyMarkdown?: string;
  copyCsv?: string;
  copied?: string;
}

/** The table's rows as cell texts (the toolbar left out). */
function rows(table: HTMLTableElement): string[][] {
  return Array.from(table.rows, (row) => Array.from(row.cells, (cell) => (cell.textContent ?? '').trim()));
}

/** A GFM pipe table: pipes in cells escaped, the header's alignment kept. */
export function tableToMarkdown(table: HTMLTableElement): string {
  const [head = [], ...body] = rows(table);
  const line = (cells: string[]): string => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')).join(' | ')} |`;
  const header = Array.from(table.rows[0]?.cells ?? [], (cell) => {
    const align = cell.getAttribute('align') ?? cell.style.textAlign;
    return align === 'center' ? ':---:' : align === 'right' ? '---:' : align === 'left' ? ':---' : '---';
  });
  return [line(head), `| ${header.join(' | ')} |`, ...body.map(line)].join('\n');
}

/** RFC 4180: fields with a quote, comma or line break are quoted, quotes doubled; lines end in CRLF. */
export function tableToCsv(table: HTMLTableElement): string {
  const field = (cell: string): string => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return rows(table).map((cells) => cells.map(field).join(',')).join('\r\n') + '\r\n';
}

export function decorateTables(nodes: readonly Node[], strings: TableLabels): void {
  const labels = { ...EXTRAS_STRINGS, ...strings };
  for (const node of nodes) {
    if (!(node instanceof Element)) continue;
    for (const table of node.matches('table') ? [node] : Array.from(node.querySelectorAll('table'))) decorate(table as HTMLTableElement, labels);
  }
}

function decorate(table: HTMLTableElement, labels: Required<TableLabels>): void {
  if (table.caption?.hasAttribute(DECORATION_ATTRIBUTE) || table.rows.length === 0) return;
  const doc = table.ownerDocument;
  const bar = doc.createElement('caption');
  bar.setAttribute(DECORATION_ATTRIBUTE, '');
  bar.setAttribute('part', 'table-toolbar');
  bar.className = 'table-toolbar';
  for (const [label, convert] of [[labels.copyMarkdown, tableToMarkdown], [labels.copyCsv, tableToCsv]] as const) {
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'code-copy';
    button.setAttribute('part', 'copy-button');
    button.textContent = label;
    button.addEventListener('click', () => {
      void copyText(doc, convert(table)).then((ok) => {
        if (!ok) return;
        button.textContent = labels.copied;
        setTimeout(() => (button.textContent = label), 1500);
      });
    });
    bar.append(button);
  }
  // A caption must be the table's first child; the cells (and `rows`) are untouched by it.
  table.prepend(bar);
}
