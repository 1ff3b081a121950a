/**
 * The renderer stage: one private marked instance (GFM on) whose renderer applies our policies,
 * plus the `part` post-processing. The engine and `renderMarkdown` both go through here, so an
 * incremental render and a one-shot render can be compared byte for byte.
 */

import { Marked } from 'marked';
import type { Links, MarkedExtension, Token, Tokens, TokensList } from 'marked';
import type { MarkdownOptions } from '../types.js';
import { CODE_LANGUAGE_PREFIX, LINK_REL, PART_TAGS, escapeHtml } from './dom-contract.js';
import { checkImageUrl, checkLinkUrl, defaultUrlPolicy } from './url-policy.js';

export { escapeHtml } from './dom-contract.js';

/** The defaults of the markdown options (raw HTML escaped, web links, no remote images). */
export function resolveMarkdownOptions(options: Partial<MarkdownOptions> = {}): MarkdownOptions {
  return {
    html: options.html ?? 'escape',
    urls: { ...defaultUrlPolicy, ...options.urls },
    linkTarget: options.linkTarget ?? null,
  };
}

const escapeMap: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes like marked's `escape(text)`: an `&` that already starts a character reference is kept. */
function escapeKeepingReferences(text: string): string {
  return text.replace(/&(?!#?\w+;)|[<>"']/g, (c) => escapeMap[c] ?? c);
}

/**
 * Openings of the tags that get a `part` attribute (the contract's `PART_TAGS`). The lookahead makes
 * each alternative match a whole tag name, so `<p` never matches the start of `<pre`.
 */
const partTags = new RegExp(`<(${PART_TAGS.join('|')})(?=[\\s>])`, 'g');

/**
 * Adds ` part="<tag>"` to the openings of the contract's tags. A regex is enough only because with
 * the default policy raw HTML is escaped, so every `<` in the output is one we rendered. With
 * `sanitized` raw HTML passes through, and a regex would also rewrite inside its attribute values
 * (`<p title="<a …>">` would break out of the attribute): there the sink adds the parts instead, on
 * parsed elements.
 */
export function addPartAttributes(html: string): string {
  return html.replace(partTags, '<$1 part="$1"');
}

/** The renderer the engine uses: lexing with seeded reference definitions, rendering with policy. */
export interface MarkdownRenderer {
  /**
   * Lexes `src` (block + inline) with `links` as already-known reference definitions and `inLink`
   * as the lexer's link state left by the text before `src` (see `inLinkAfter`).
   */
  lex(src: string, links: Links, inLink?: boolean): TokensList;
  /**
   * Renders block tokens to HTML, `part` attributes included. `highlight` colours fenced code with a
   * language: for committed blocks the engine passes the highlighter itself (each block highlighted
   * once), for the tail its `live()` session (growing blocks line by line). `open` is the code token
   * the text ends in: its last line is still being typed.
   */
  render(tokens: Token[], highlight?: Highlighter | null, open?: Token): string;
  /** Adds a marked extension (the math syntax, once loaded) to this renderer's marked. */
  extend(extension: MarkedExtension): void;
}

/**
 * Syntax highlighter: code and language in, highlighted HTML (escaped text in spans) out, or null
 * when it does not know the language. With `open`, the code's last line is still being typed: it
 * stays plain text (a half-typed word would change colour, or lose it, as it grows). `live()`
 * starts the highlighting of one stream's growing blocks, which remembers each block's lines so a
 * flush highlights only the lines that are new (src/markdown/highlight.ts).
 */
export interface Highlighter {
  (code: string, language: string, open?: boolean): string | null;
  live?(): Highlighter;
}

export function createMarkdownRenderer(options: MarkdownOptions): MarkdownRenderer {
  const { urls: policy } = options;
  /** How many links the inline render in progress is inside. */
  let insideLink = 0;
  const target = options.linkTarget === null ? '' : ` target="${escapeHtml(options.linkTarget)}"`;
  const linkAttributes = ` rel="${LINK_REL}"${target}`;

  const marked = new Marked({ gfm: true, breaks: false, pedantic: false, async: false });
  /** The highlighter and open code token of the render in progress (marked's renderer methods take no extra arguments). */
  let activeHighlighter: Highlighter | null = null;
  let activeOpen: Token | undefined;
  marked.use({
    renderer: {
      code(token: Tokens.Code): string | false {
        const language = (token.lang ?? '').match(/^\S*/)?.[0] ?? '';
        if (!activeHighlighter || language === '') return false;
        let highlighted: string | null = null;
        try {
          highlighted = activeHighlighter(token.text, language, token === activeOpen);
        } catch {
          highlighted = null; // a highlighter bug never costs the answer: plain code instead
        }
        if (highlighted === null) return false;
        return `<pre><code class="${CODE_LANGUAGE_PREFIX}${escapeHtml(language)} hljs">${highlighted}\n</code></pre>\n`;
      },
      html(token: Tokens.HTML | Tokens.Tag): string {
        if (options.html === 'sanitized') return token.text;
        // Escaped raw HTML stays visible as text. A block keeps its own paragraph so that every
        // committed block is one element, like the other blocks.
        if ('block' in token && token.block) {
          return `<p>${escapeHtml(token.text.replace(/\n+$/, ''))}</p>\n`;
        }
        return escapeHtml(token.text);
      },
      link(token: Tokens.Link): string {
        // Inside a link a blocked image cannot become a link of its own (no nested <a>): see image().
        insideLink++;
        let inner: string;
        try {
          inner = token.autolink === true ? escapeHtml(token.text) : this.parser.parseInline(token.tokens);
        } finally {
          insideLink--;
        }
        const href = checkLinkUrl(token.href, policy);
        if (href === null) return inner; // refused: the text stays, inert
        const title = token.title ? ` title="${escapeKeepingReferences(token.title)}"` : '';
        return `<a href="${escapeHtml(href)}"${title}${linkAttributes}>${inner}</a>`;
      },
      image(token: Tokens.Image): string {
        const alt = token.tokens.length > 0
          ? this.parser.parseInline(token.tokens, this.parser.textRenderer)
          : token.text;
        const decision = checkImageUrl(token.href, policy);
        const title = token.title ? ` title="${escapeKeepingReferences(token.title)}"` : '';
        switch (decision.kind) {
          case 'img':
            return `<img src="${escapeHtml(decision.src)}" alt="${escapeKeepingReferences(alt)}"${title}>`;
          case 'link':
            // A blocked image inside a link is its alt text in that one link; an image without alt
            // text still shows something to click: its URL.
            if (insideLink > 0) return escapeKeepingReferences(alt);
            return `<a href="${escapeHtml(decision.href)}"${title}${linkAttributes}>${escapeKeepingReferences(alt || decision.href)}</a>`;
          case 'text':
            return escapeKeepingReferences(alt);
        }
      },
    },
  });

  return {
    lex(src, links, inLink = false) {
      // A fresh options object per lexer: marked's Lexer stores a tokenizer on the options it gets.
      // An extension's tokenizer overrides (math's) live in `defaults.tokenizer` and are kept.
      const lexer = new marked.Lexer({ ...marked.defaults, tokenizer: marked.defaults.tokenizer ?? null });
      Object.assign(lexer.tokens.links, links);
      lexer.state.inLink = inLink;
      return lexer.lex(src);
    },
    extend(extension) {
      marked.use(extension);
    },
    render(tokens, highlight = null, open) {
      activeHighlighter = highlight;
      activeOpen = open;
      try {
        const html = marked.parser(tokens);
        return options.html === 'sanitized' ? html : addPartAttributes(html);
      } finally {
        activeHighlighter = null;
      }
    },
  };
}

/**
 * marked's lexer state that outlives a block: an inline `<a ...>` tag without `</a>` sets
 * `state.inLink`, and that disables GFM URL autolinks for the rest of the *document* (marked never
 * resets it between blocks). A tail lexer must start with the state the committed blocks left, or
 * `<a href="x">` followed, blocks later, by `www.example.com` renders differently when streamed.
 * This walks inline `html` tokens in document order (they record the state after themselves),
 * skipping link and image contents, around which marked saves and restores the state.
 */
export function inLinkAfter(tokens: readonly Token[], before: boolean): boolean {
  let state = before;
  const visit = (list: readonly Token[]): void => {
    for (const token of list) {
      switch (token.type) {
        case 'html':
          if (token.block !== true && 'inLink' in token && typeof token.inLink === 'boolean') state = token.inLink;
          break;
        case 'link':
        case 'image':
          break;
        case 'list':
          for (const item of token.items) visit(item.tokens);
          break;
        case 'table':
          for (const cell of token.header) visit(cell.tokens);
          for (const row of token.rows) for (const cell of row) visit(cell.tokens);
          break;
        default:
          if ('tokens' in token && Array.isArray(token.tokens)) visit(token.tokens as Token[]);
      }
    }
  };
  visit(tokens);
  return state;
}
