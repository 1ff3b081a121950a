/**
 * The extras' styles (components/extras.ts): adopted by an element's shadow root when it first uses
 * the extras, so a page whose answers are only text never parses them. Same custom properties as the
 * element's own sheet (llm-stream.styles.ts).
 */
export const cssText = `
  /* Syntax highlighting (the optional highlighter's classes), light and dark. */
  /* A streaming block's highlighted lines: blocks, so a new line lays out alone (src/markdown/highlight.ts). */
  .hljs-line { display: block; }
  .hljs-keyword, .hljs-selector-tag, .hljs-built_in, .hljs-doctag { color: var(--llm-stream-code-keyword, #cf222e); }
  .hljs-string, .hljs-regexp, .hljs-addition, .hljs-attribute { color: var(--llm-stream-code-string, #0a3069); }
  .hljs-comment, .hljs-quote, .hljs-meta { color: var(--llm-stream-code-comment, #6e7781); font-style: italic; }
  .hljs-number, .hljs-literal, .hljs-variable, .hljs-template-variable, .hljs-symbol { color: var(--llm-stream-code-number, #0550ae); }
  .hljs-title, .hljs-section, .hljs-name, .hljs-function .hljs-title { color: var(--llm-stream-code-title, #8250df); }
  .hljs-type, .hljs-class .hljs-title, .hljs-params, .hljs-property, .hljs-attr { color: var(--llm-stream-code-type, #953800); }
  .hljs-deletion { color: var(--llm-stream-code-keyword, #82071e); }
  @media (prefers-color-scheme: dark) {
    .hljs-keyword, .hljs-selector-tag, .hljs-built_in, .hljs-doctag { color: var(--llm-stream-code-keyword, #ff7b72); }
    .hljs-string, .hljs-regexp, .hljs-addition, .hljs-attribute { color: var(--llm-stream-code-string, #a5d6ff); }
    .hljs-comment, .hljs-quote, .hljs-meta { color: var(--llm-stream-code-comment, #8b949e); }
    .hljs-number, .hljs-literal, .hljs-variable, .hljs-template-variable, .hljs-symbol { color: var(--llm-stream-code-number, #79c0ff); }
    .hljs-title, .hljs-section, .hljs-name, .hljs-function .hljs-title { color: var(--llm-stream-code-title, #d2a8ff); }
    .hljs-type, .hljs-class .hljs-title, .hljs-params, .hljs-property, .hljs-attr { color: var(--llm-stream-code-type, #ffa657); }
  }
  /* A committed code block's toolbar: its language and a copy button, in view while the code scrolls sideways. */
  .code-toolbar {
    position: sticky;
    left: 0;
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 1em;
    margin: -0.35em -0.35em 0.5em 0;
    font: 12px/1.4 system-ui, sans-serif;
    color: var(--_muted);
    white-space: normal;
    user-select: none;
  }
  .code-language { text-transform: lowercase; }
  .code-copy {
    margin-left: auto;
    font: inherit;
    color: inherit;
    background: transparent;
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 0.15em 0.6em;
    cursor: pointer;
  }
  .code-copy:hover { background: color-mix(in srgb, currentColor 8%, transparent); }
  .code-copy:focus-visible { outline: 2px solid var(--_link); outline-offset: 1px; }
  /* The parts beside the answer: reasoning, tool calls, sources. */
  /* Quiet on purpose (muted text, hairlines, chevrons): the answer stays what the eye reads. */
  .reasoning, .tool-calls { margin: 0 0 1em; font-size: 0.9em; }
  .reasoning, .tool-calls, .source-link { background: var(--llm-stream-part-background); }
  .reasoning-summary, .tool-summary { display: flex; align-items: center; gap: 0.5em; color: var(--_muted); cursor: pointer; user-select: none; list-style: none; }
  .reasoning-summary { width: fit-content; }
  .reasoning-summary::-webkit-details-marker, .tool-summary::-webkit-details-marker { display: none; }
  /* A chevron: right when closed, down when open. */
  .reasoning-summary::after, .tool-summary::after { content: ''; width: 0.38em; height: 0.38em; margin: 0 0.2em 0.1em; border: solid var(--_muted); border-width: 0 1.5px 1.5px 0; rotate: -45deg; }
  [open] > summary::after { rotate: 45deg; margin-bottom: 0.3em; }
  .reasoning-summary:focus-visible, .tool-summary:focus-visible { outline: 2px solid var(--_link); outline-offset: 2px; border-radius: 4px; }
  /* While the model thinks, its summary breathes (instead of a lone caret under it). */
  .reasoning:has(~ .content[aria-busy='true']:empty) > summary { animation: llm-stream-pulse 1.6s infinite; }
  .reasoning ~ .content:empty::after { content: none; }
  @keyframes llm-stream-pulse { 50% { opacity: 0.5; } }
  .reasoning-content { margin: 0.6em 0 1.3em 0.2em; padding-left: 1em; border-left: 2px solid var(--_border); color: var(--_muted); }
  .reasoning-content > :last-child { margin-bottom: 0; }
  .tool-calls { border: 1px solid var(--_border); border-radius: 10px; }
  .tool-call + .tool-call { border-top: 1px solid var(--_border); }
  .tool-summary { padding: 0.5em 0.8em; color: inherit; }
  .tool-name { font: 0.95em var(--llm-stream-code-font, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace); }
  .tool-status { margin-left: auto; color: var(--_muted); }
  .tool-call[data-status='streaming'] .tool-status::before { content: '● '; animation: llm-stream-blink 1s steps(2, start) infinite; }
  .tool-call[data-status='incomplete'] .tool-status, .tool-call[data-error] .tool-status { color: var(--_error); }
  .tool-arguments, .tool-output { margin: 0 0.8em 0.8em; padding: 0.6em 0.8em; border-radius: 6px; white-space: pre-wrap; font-size: 0.85em; }
  .tool-arguments code { font-size: inherit; white-space: inherit; }
  .tool-output { background: none; border: 1px solid var(--_border); }
  .sources { margin: 1.2em 0 0; font-size: 0.85em; }
  .sources::before { content: attr(aria-label) / ''; display: block; margin-bottom: 0.5em; color: var(--_muted); font-weight: 600; }
  .sources ol { display: flex; flex-wrap: wrap; gap: 0.4em; margin: 0; padding: 0; list-style: none; }
  .source { max-width: 100%; }
  .source-link { display: block; max-width: 22em; padding: 0.2em 0.75em; border: 1px solid var(--_border); border-radius: 99px; color: inherit; text-decoration: none; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .source-link:hover { border-color: var(--_muted); }
  @media (prefers-reduced-motion: reduce) {
    .tool-status::before, .reasoning > summary { animation: none !important; }
  }
  /* A committed table's toolbar: its caption, small buttons above the table's first column. */
  .table-toolbar {
    caption-side: top;
    display: flex;
    gap: 0.4em;
    padding: 0 0 0.35em;
    font: 12px/1.4 system-ui, sans-serif;
    color: var(--_muted);
    user-select: none;
  }
  .table-toolbar .code-copy { margin-left: 0; }
  /*
   * Mermaid diagrams (diagrams.ts): their SVG arrives without mermaid's stylesheet, so it is styled
   * here, by mermaid's class names, in the element's colours. Same font as mermaid measured the labels
   * with, so they fit their boxes.
   */
  .diagram { margin: 0 0 0.9em; max-width: 100%; overflow-x: auto; }
  .diagram > svg { display: block; max-width: 100%; height: auto; margin: 0 auto; font: 16px 'trebuchet ms', verdana, arial, sans-serif; }
  .diagram text:not([fill]) { fill: currentColor; }
  .diagram text { stroke: none; }
  .diagram .flowchart :is(.node, .cluster-label) .label text { text-anchor: middle; }
  /* Shapes no rule below names (gantt bars, mindmap nodes, commits…): neutral boxes and lines. */
  .diagram :where(rect, circle, ellipse, polygon):where(:not([fill])) { fill: var(--_code-bg); stroke: var(--_muted); }
  .diagram :where(path, line, polyline):where(:not([fill])) { fill: none; stroke: var(--_muted); }
  .diagram marker { color: var(--_muted); }
  .diagram marker > * { fill: currentColor; stroke: currentColor; }
  .diagram .node .label-container:not([fill]),
  .diagram rect.actor, .diagram .labelBox, .diagram :is(.activation0, .activation1, .activation2),
  .diagram .actor-man circle {
    fill: var(--_code-bg);
    stroke: var(--_muted);
    stroke-width: 1px;
  }
  .diagram .label rect, .diagram rect.background { fill: none; stroke: none; }
  /* A node in a colour of its own (mermaid's class boxes, a diagram's own style): dark text on it. */
  .diagram .node:has(> :is(rect, path, polygon, circle, ellipse)[fill]) text:not([fill]) { fill: #1f2328; }
  .diagram .edgeLabel rect, .diagram .edgeLabel .label rect { fill: var(--llm-stream-background, var(--_code-bg)); opacity: 0.85; }
  .diagram .cluster rect, .diagram .note { fill: color-mix(in srgb, var(--_code-bg) 60%, transparent); stroke: var(--_border); }
  .diagram :is(.flowchart-link, .edgePaths path, .relation, .transition) { fill: none; stroke: var(--_muted); stroke-width: 1.5px; }
  .diagram .edge-thickness-thick { stroke-width: 3.5px; }
  .diagram .edge-pattern-dashed { stroke-dasharray: 3; }
  .diagram .edge-pattern-dotted { stroke-dasharray: 2; }
  .diagram .edge-thickness-invisible { stroke-width: 0; }
  .diagram .actor-line { stroke: var(--_border); }
  .diagram .actor-man line { stroke: var(--_muted); }
  .diagram :is(.messageLine0, .messageLine1) { fill: none; stroke: currentColor; stroke-width: 1.5px; }
  .diagram .loopLine { fill: none; stroke: var(--_muted); stroke-dasharray: 2 2; }
  .diagram :is(.labelText, .loopText, .sectionTitle) { font-size: 14px; }
  /* A mermaid block that could not be drawn keeps its code; this says why, under it. */
  .diagram-error { display: block; margin-top: 0.6em; font: 12px/1.4 system-ui, sans-serif; color: var(--_error); white-space: normal; user-select: none; }
`;

let sheet: CSSStyleSheet | null = null;

/** Add the extras' sheet to a shadow root (once). The light DOM takes the page's own CSS instead. */
export function adoptStyles(root: Node): void {
  if (typeof ShadowRoot === 'undefined' || !(root instanceof ShadowRoot)) return;
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(cssText);
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
