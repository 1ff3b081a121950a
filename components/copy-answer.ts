/**
 * `copy()`: the whole answer on the clipboard as `text/plain` (the markdown as received) and
 * `text/html` (the sanitized rendering as shown, without the toolbars). Where the browser cannot
 * write both, the markdown alone.
 */
import { copyText, DECORATION_ATTRIBUTE } from './code-blocks.js';
import { CARET_CLASS, moveCaretMark } from './dom-patcher.js';

/** The rendering as HTML: the content's sanitized nodes, toolbars left out. */
export function answerHtml(content: HTMLElement | undefined): string {
  if (!content) return '';
  const clone = content.cloneNode(true) as HTMLElement;
  for (const decoration of Array.from(clone.querySelectorAll(`[${DECORATION_ATTRIBUTE}]`))) decoration.remove();
  // A long answer's chunks are a rendering device: the clipboard gets the blocks themselves.
  for (const chunk of Array.from(clone.querySelectorAll(':scope > .llm-stream-chunk'))) chunk.replaceWith(...Array.from(chunk.childNodes));
  for (const marked of Array.from(clone.querySelectorAll(`.${CARET_CLASS}`))) moveCaretMark(marked, null);
  return clone.innerHTML;
}

export async function copyAnswer(text: string, content: HTMLElement | undefined): Promise<void> {
  const html = answerHtml(content);
  if (typeof ClipboardItem === 'function' && navigator.clipboard?.write) {
    try {
      await navigator.clipboard.write([
        new ClipboardItem({ 'text/plain': new Blob([text], { type: 'text/plain' }), 'text/html': new Blob([html], { type: 'text/html' }) }),
      ]);
      return;
    } catch {
      /* refused (permissions, insecure context): the text alone below */
    }
  }
  if (!(await copyText(document, text))) throw new Error('llm-stream: the clipboard refused the copy');
}
