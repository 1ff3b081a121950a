
/** Default look: readable prose, light and dark from `prefers-color-scheme`, all overridable by `--llm-stream-*`. */
export const cssText = `
  :host {
    display: block;
    color: var(--llm-stream-color, #1f2328);
    background: var(--llm-stream-background, transparent);
    font: var(--llm-stream-font, 16px/1.6 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    overflow-wrap: anywhere;
    --_code-bg: var(--llm-stream-code-background, #f6f8fa);
    --_border: var(--llm-stream-border-color, #d0d7de);
    --_link: var(--llm-stream-link-color, #0969da);
    --_caret: var(--llm-stream-caret-color, currentColor);
    --_error: var(--llm-stream-error-color, #cf222e);
    --_muted: var(--llm-stream-muted-color, #57606a);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      color: var(--llm-stream-color, #e6edf3);
      --_code-bg: var(--llm-stream-code-background, #161b22);
      --_border: var(--llm-stream-border-color, #30363d);
      --_link: var(--llm-stream-link-color, #4493f8);
      --_error: var(--llm-stream-error-color, #f85149);
      --_muted: var(--llm-stream-muted-color, #9198a1);
    }
  }
  :host([hidden]) {
    display: none;
  }
  .content > :first-child {
    margin-top: 0;
  }
  .content > :last-child {
    margin-bottom: 0;
  }
  p, ul, ol, blockquote, pre, table {
    margin: 0 0 0.9em;
  }
  h1, h2, h3, h4, h5, h6 {
    line-height: 1.25;
    margin: 1.2em 0 0.5em;
  }
  h1 { font-size: 1.6em; }
  h2 { font-size: 1.35em; }
  h3 { font-size: 1.15em; }
  h4, h5, h6 { font-size: 1em; }
  ul, ol { padding-left: 1.6em; }
  li > ul, li > ol, li > p { margin: 0.25em 0; }
  li:has(> input[type=checkbox]) { list-style: none; margin-left: -1.4em; }
  a { color: var(--_link); text-decoration: underline; text-underline-offset: 2px; }
  a:not([href]) { color: inherit; text-decoration: none; }
  blockquote {
    padding: 0 1em;
    border-left: 0.25em solid var(--_border);
    opacity: 0.85;
  }
  hr { border: 0; border-top: 1px solid var(--_border); margin: 1.5em 0; }
  code {
    font: 0.9em/1.5 var(--llm-stream-code-font, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
    background: var(--_code-bg);
    padding: 0.15em 0.35em;
    border-radius: 4px;
  }
  pre {
    background: var(--_code-bg);
    padding: 0.85em 1em;
    border-radius: 8px;
    overflow-x: auto;
    max-width: 100%;
  }
  pre code { background: none; padding: 0; font-size: 0.875em; white-space: pre; }
  table {
    display: block;
    max-width: 100%;
    overflow-x: auto;
    border-collapse: collapse;
  }
  th, td { border: 1px solid var(--_border); padding: 0.35em 0.75em; }
  th { background: var(--_code-bg); font-weight: 600; }
  img { max-width: 100%; height: auto; }
  .llm-stream-plain { white-space: pre-wrap; font: inherit; background: none; padding: 0; }
  /*
   * The streaming caret sits where the next character will appear: after the last paragraph or
   * heading, in the last item of a list, at the end of a code block or plain-text block, and alone
   * while waiting for the first token. Tables and rules get none. Its rules hang off a class on the
   * last block only (kept there while streaming, by the element), not off the content's aria-busy:
   * the end of a stream then restyles one block, not every paragraph and code span of the answer
   * (82 ms of style recalculation in one task at the end of a 1 MB answer).
   */
  .content[aria-busy=true]:empty::after,
  .content > :is(p, h1, h2, h3, h4, h5, h6).llm-stream-caret:last-child::after,
  .content > blockquote.llm-stream-caret:last-child > :last-child::after,
  .content > :is(ul, ol).llm-stream-caret:last-child > li:last-child:not(:has(> :is(ul, ol, p)))::after,
  .content > :is(ul, ol).llm-stream-caret:last-child > li:last-child > p:last-child::after,
  .content > :is(ul, ol).llm-stream-caret:last-child > li:last-child > :is(ul, ol):last-child > li:last-child:not(:has(> :is(ul, ol, p)))::after,
  .content > :is(ul, ol).llm-stream-caret:last-child > li:last-child > :is(ul, ol):last-child > li:last-child > p:last-child::after,
  .content > pre.llm-stream-caret:last-child > code::after,
  .content > pre.llm-stream-plain.llm-stream-caret:last-child::after {
    content: '';
    display: inline-block;
    width: 0.5em;
    height: 1em;
    margin-left: 2px;
    vertical-align: -0.15em;
    background: var(--_caret);
    border-radius: 1px;
    /*
     * Opacity on its own layer: the compositor blinks it, nothing around it repaints. (Without
     * will-change, 100 KB took the same main-thread time within the noise, in interleaved runs.)
     */
    will-change: opacity;
    animation: llm-stream-blink 1s steps(2, start) infinite;
  }
  @keyframes llm-stream-blink {
    to { opacity: 0; }
  }
  @media (prefers-reduced-motion: reduce) {
    .content::after, .content ::after { animation: none !important; }
  }
  /*
   * The content box contains its own layout and style, so a growing tail relays out only inside it.
   * (content-visibility: auto on each committed block was tried and left out: their sizes settle after
   * layout, so a pinned answer drifts off the bottom by a block, and a wide table loses its overflow.)
   */
  .content { contain: layout style; }
  /*
   * A long answer's older blocks come in chunks (dom-patcher.ts); a full chunk, once laid out, is
   * sealed and the browser skips it while off screen, at the height it had. Its first and last
   * blocks' outer margins are the chunk's, so sealing (containment stops margins collapsing through
   * it) moves nothing.
   */
  .llm-stream-chunk { margin: 0 0 0.9em; }
  .llm-stream-sealed { content-visibility: auto; }
  .llm-stream-chunk > :first-child { margin-top: 0; }
  .llm-stream-chunk > :last-child { margin-bottom: 0; }
  pre { position: relative; }
  .retry {
    margin-left: auto;
    font: inherit;
    color: inherit;
    background: transparent;
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 0.15em 0.6em;
    cursor: pointer;
  }
  .retry:hover { background: color-mix(in srgb, currentColor 8%, transparent); }
  .retry:focus-visible { outline: 2px solid var(--_link); outline-offset: 1px; }
  .error {
    display: flex;
    align-items: center;
    gap: 0.75em;
    margin-top: 0.75em;
    padding: 0.5em 0.75em;
    border: 1px solid color-mix(in srgb, var(--_error) 40%, transparent);
    border-radius: 8px;
    color: var(--_error);
    font-size: 0.9em;
  }
  .error .retry { font-size: 0.95em; color: var(--_error); }
  /*
   * Visually hidden, in flow: it is also where the answer ends (StreamConnection watches it), and
   * overlaps the content's last pixel — a box of no height exactly at a scroll container's bottom
   * edge may count as outside it.
   */
  .announcer {
    width: 1px;
    height: 1px;
    margin-top: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
