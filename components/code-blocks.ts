/**
 * Decorates committed code blocks with a language label and a copy button. The decoration lives inside
 * the `<pre>` (marked `data-llm-decoration`), so a re-rendered block takes its decoration with it and
 * `code.textContent` — what the button copies — stays exactly the code.
 */
import { CODE_LANGUAGE_PREFIX } from '../src/markdown/dom-contract.js';
import { EXTRAS_STRINGS } from './extras-strings.js';

export interface CodeBlockLabels {
  copy?: string;
  copied?: string;
}

export const DECORATION_ATTRIBUTE = 'data-llm-decoration';

export function decorateCodeBlocks(nodes: readonly Node[], strings: CodeBlockLabels): void {
  const labels = { ...EXTRAS_STRINGS, ...strings };
  for (const node of nodes) {
    if (!(node instanceof Element)) continue;
    const blocks = node.matches('pre') ? [node] : Array.from(node.querySelectorAll('pre'));
    for (const pre of blocks) decorate(pre, labels);
  }
}

function decorate(pre: Element, labels: Required<CodeBlockLabels>): void {
  const code = pre.querySelector(':scope > code');
  if (!code || pre.querySelector(`:scope > [${DECORATION_ATTRIBUTE}]`)) return;
  const doc = pre.ownerDocument;
  const bar = doc.createElement('div');
  bar.setAttribute(DECORATION_ATTRIBUTE, '');
  bar.setAttribute('part', 'code-toolbar');
  bar.className = 'code-toolbar';
  const language = code.className
    .split(/\s+/)
    .find((name) => name.startsWith(CODE_LANGUAGE_PREFIX) && name.length > CODE_LANGUAGE_PREFIX.length)
    ?.slice(CODE_LANGUAGE_PREFIX.length);
  if (language) {
    const label = doc.createElement('span');
    label.className = 'code-language';
    label.textContent = language;
    bar.append(label);
  }
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'code-copy';
  button.setAttribute('part', 'copy-button');
  const name = `${labels.copy}${language ? ` ${language}` : ''} code`;
  button.setAttribute('aria-label', name);
  button.textContent = labels.copy;
  let restore: ReturnType<typeof setTimeout> | undefined;
  button.addEventListener('click', () => {
    const text = code.textContent ?? '';
    const done = (): void => {
      // The confirmation is the button's name too, so a screen reader on the button hears it.
      button.textContent = labels.copied;
      button.setAttribute('aria-label', labels.copied);
      clearTimeout(restore);
      restore = setTimeout(() => {
        button.textContent = labels.copy;
        button.setAttribute('aria-label', name);
      }, 1500);
    };
    void copyText(doc, text).then((ok) => ok && done());
  });
  bar.append(button);
  pre.prepend(bar);
}

/** Put `text` on the clipboard: the Clipboard API, else (refused, insecure context) the selection route. */
export function copyText(doc: Document, text: string): Promise<boolean> {
  return (navigator.clipboard?.writeText(text) ?? Promise.reject(new Error('no clipboard'))).then(
    () => true,
    () => fallbackCopy(doc, text),
  );
}

/** Clipboard API refused (no permission, insecure context): the selection + execCommand route. */
function fallbackCopy(doc: Document, text: string): boolean {
  const area = doc.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  doc.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = doc.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}
