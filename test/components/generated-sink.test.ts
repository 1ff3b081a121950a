/**
 * Generated inputs (issue 15, item 4 "sink"): random HTML soup through components/html-sink.ts, on both
 * sink paths (setHTML + Sanitizer, DOMPurify), with raw HTML passthrough off and on, and with no image
 * origin or one allowed.
 *
 * The soup mixes HTML, SVG and MathML elements (script, iframe, object, embed, style, link, meta, base,
 * form, frameset, template with shadowrootmode, noscript, svg/use/foreignObject/animate/set,
 * math/maction/annotation-xml, …), event-handler attributes, javascript: / data: / vbscript: URLs
 * obfuscated with entities, whitespace and control characters, srcset, style attributes and elements
 * with url(), unclosed and misnested tags, comments, CDATA, processing instructions and entities. URLs
 * that would load point to probe paths on this origin and on a second, reachable origin, so that any
 * fetch shows up in Resource Timing.
 *
 * Each result is inserted into the live document and must hold nothing forbidden (the shared inspector,
 * test/components/dom-safety.ts), only nodes of the page's document, and no shadow root; after each
 * batch nothing may have been fetched from a probe path and no canary (alert, …) may have run. The sink
 * must never throw. Fixed seeds by default; `GENERATED_CASES` (passed through /__test-env.json) runs
 * more. A failure is shrunk (tokens removed while it still fails) and printed as JSON; kept failures
 * live in test/fixtures/generated-regressions/sink.json and run first.
 */
import { expect } from 'chai';
import { createHtmlSink, type HtmlSink, type HtmlSinkOptions } from '../../components/html-sink.js';
import { randomSource, shrinkList, type RandomSource } from '../seeded-random.js';
import { inspectTree } from './dom-safety.js';

const env = (await (await fetch('/__test-env.json')).json()) as { cdnOrigin: string; generatedCases: number | null };
const CASES = env.generatedCases ?? 600;
const BATCH = 50;

const kept = await fetch('/test/fixtures/generated-regressions/sink.json');
const KEPT = kept.ok ? ((await kept.json()) as KeptCase[]) : [];

interface KeptCase {
  title: string;
  html: string;
}

// ─── The soup ─────────────────────────────────────────────────────────────────────────────────────

const HTML_TAGS = [
  'p', 'div', 'span', 'a', 'a', 'img', 'img', 'b', 'i', 'em', 'strong', 'table', 'tbody', 'tr', 'td', 'th', 'ul', 'ol', 'li', 'pre', 'code',
  'blockquote', 'h1', 'h3', 'hr', 'br', 'details', 'summary', 'dl', 'dd', 'kbd', 'sub', 'mark', 'abbr', 'input', 'button', 'textarea',
  'select', 'option', 'label', 'form', 'fieldset', 'iframe', 'frame', 'frameset', 'object', 'embed', 'param', 'applet', 'script', 'style',
  'link', 'meta', 'base', 'noscript', 'noembed', 'noframes', 'template', 'video', 'audio', 'source', 'track', 'picture', 'marquee', 'xmp',
  'plaintext', 'listing', 'title', 'body', 'html', 'head', 'dialog', 'slot', 'portal', 'isindex', 'keygen', 'image', 'font', 'caption',
  'col', 'area', 'map', 'output', 'canvas', 'math', 'svg', 'svg', 'math', 'llm-stream', 'custom-el',
];
const SVG_TAGS = [
  'svg', 'g', 'a', 'use', 'image', 'foreignObject', 'foreignObject', 'animate', 'set', 'animateTransform', 'animateMotion', 'script', 'style',
  'desc', 'title', 'text', 'tspan', 'circle', 'rect', 'path', 'filter', 'feImage', 'pattern', 'mask', 'symbol', 'handler', 'discard',
  // HTML elements that break out of foreign content.
  'p', 'img', 'b', 'table',
];
const MATH_TAGS = [
  'math', 'mi', 'mo', 'mn', 'ms', 'mtext', 'mtext', 'mrow', 'maction', 'annotation-xml', 'annotation-xml', 'semantics', 'annotation', 'mglyph',
  'malignmark', 'mstyle', 'mtable', 'mtr', 'mtd', 'mfrac', 'p', 'img', 'style', 'table',
];
const VOID = new Set(['img', 'br', 'hr', 'input', 'meta', 'link', 'base', 'embed', 'param', 'source', 'track', 'col', 'area', 'frame', 'keygen', 'isindex', 'image']);

const HANDLERS = ['onerror', 'onload', 'onclick', 'onmouseover', 'onfocus', 'onbegin', 'onend', 'onanimationstart', 'ontoggle', 'onpointerenter', 'oNlOaD', 'onfocusin', 'onbeforetoggle'];
const HANDLER_CODE = ['alert(1)', 'alert`1`', 'top["al"+"ert"](2)', 'javascript:alert(3)', '&#97;lert(4)', 'confirm(5)', 'window.prompt(6)'];
const URL_ATTRIBUTES = ['href', 'href', 'src', 'src', 'xlink:href', 'action', 'formaction', 'data', 'poster', 'background', 'ping', 'cite', 'srcdoc', 'lowsrc', 'codebase', 'manifest', 'icon', 'longdesc', 'content', 'srcset', 'imagesrcset', 'values', 'to', 'from'];
const SCRIPT_URLS = [
  'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', '\u0001javascript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)',
  'jav&#x09;ascript:alert(1)', 'jav&#9;ascript:alert(1)', '&#106;avascript:alert(1)', '&#x6A;&#x61;vascript:alert(1)', '&#0000106avascript:alert(1)',
  'javascript&colon;alert(1)', 'javascript&#58;alert(1)', 'java&NewLine;script:alert(1)', 'java&Tab;script:alert(1)', '&#xa0;javascript:alert(1)',
  'vbscript:msgbox(1)', 'VBScript:msgbox(1)', 'livescript:alert(1)', 'data:text/html,<script>alert(1)</script>',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'data:image/svg+xml,<svg onload=alert(1)>', 'data:application/javascript,alert(1)',
  'javascript://%0aalert(1)', 'jAvAsCrIpT&colon;alert(1)', '\u200bjavascript:alert(1)', 'javascript\u0000:alert(1)',
];
const BENIGN_URLS = ['https://example.com/ok', 'mailto:someone@example.com', '#frag', '/relative/path', 'https://img.example/a.png', 'https://img.example/b.png?x=1'];
/**
 * URLs that must never be fetched: this origin, a second origin (both answer, so a fetch shows up in
 * Resource Timing), protocol-relative, and an unreachable one. Each soup has its own ids: a URL
 * fetched once is served from the image cache afterwards and would not show up again.
 */
const probeUrls = (id: string): string[] => [`/probe/${id}.png`, `${env.cdnOrigin}/probe/${id}.png`, `//${new URL(env.cdnOrigin).host}/probe/${id}`, `https://evil.example/${id}.png`];
const SAFE_VALUES = ['x', 'language-js', 'p', 'content', 'a b', 'rtl', 'ltr', 'auto', 'en', '1', 'checkbox', 'text', 'submit', 'center', 'open', 'closed', 'text/html', 'application/xhtml+xml', '&quot;quoted&quot;', '日本語', '🎉'];
const OTHER_ATTRIBUTES = ['class', 'part', 'id', 'name', 'lang', 'dir', 'title', 'alt', 'type', 'checked', 'disabled', 'open', 'start', 'align', 'encoding', 'is', 'slot', 'shadowrootmode', 'popover', 'target', 'rel', 'download', 'http-equiv', 'attributeName', 'autofocus', 'tabindex', 'xmlns', 'xmlns:xlink', 'form', 'definitionURL', 'actiontype'];
const TEXT = [
  'hello', 'world', '日本語', '🎉', 'e\u0301', '&lt;script&gt;alert(1)&lt;/script&gt;', '&amp;', '&#x3C;img src=x onerror=alert(1)&#x3E;', '&bogus;', '&#0;', '&#xD800;',
  '&nbsp;', '\u0000', '\u2028', '<', '>', '&', '"', "'", '`', ' ', '\n', '\r\n', '\t',
];
const RAW = [
  '<!-- comment -->', '<!--><img src=x onerror=alert(1)>-->', '<!--->', '<!-- --!><img src=x onerror=alert(1)>', '<![CDATA[<img src=x onerror=alert(1)>]]>',
  '<![CDATA[</style><img src=x onerror=alert(1)>]]>', '<?xml version="1.0"?>', '<?php echo 1 ?>', '<!DOCTYPE html>', '</p >', '</br>', '<p/>', '</div>',
  '<scr<script>ipt>alert(1)</script>', '<<img src=x onerror=alert(1)>', '<img/src=x/onerror=alert(1)>', '<a href=javascript:alert(1)//>x</a>',
  '<svg><style><img src=x onerror=alert(1)></style></svg>', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>',
  '<template shadowrootmode="open"><img src=x onerror=alert(1)></template>', '<!--[if IE]><img src=x onerror=alert(1)><![endif]-->', '</script>', '</style>',
  '<', '</', '<a', '<img src="', '"', "'", '>',
];
const STYLE_VALUES = (probe: string): string[] => [
  `background:url(${probe})`, `background-image:url("javascript:alert(1)")`, 'behavior:url(#default#time2)', 'width:expression(alert(1))',
  `list-style:url('${probe}')`, `background:u\\72l(${probe})`, `background:\\75rl(${probe})`, 'color:red', `--x:url(${probe})`, `content:url(${probe})`,
];

interface Context {
  space: 'html' | 'svg' | 'math';
  /** A fresh probe id of this soup. */
  probe: () => string;
}

function quoted(random: RandomSource, value: string): string {
  switch (random.int(0, 4)) {
    case 0:
      return `'${value.replace(/'/g, '&#39;')}'`;
    case 1:
      // Unquoted: only where that parses, else quoted.
      return /^[^\s"'=<>`]+$/.test(value) ? value : `"${value.replace(/"/g, '&quot;')}"`;
    default:
      return `"${value.replace(/"/g, '&quot;')}"`;
  }
}

function attribute(random: RandomSource, tag: string, context: Context): string {
  const probes = probeUrls(context.probe());
  const kind = random.int(0, 9);
  let name: string;
  let value: string | null;
  if (kind <= 2) {
    name = random.pick(HANDLERS);
    value = random.pick(HANDLER_CODE);
  } else if (kind <= 6) {
    name = tag === 'img' && random.chance(0.5) ? random.pick(['src', 'srcset']) : random.pick(URL_ATTRIBUTES);
    const url = random.chance(0.45) ? random.pick(SCRIPT_URLS) : random.chance(0.6) ? random.pick(probes) : random.pick(BENIGN_URLS);
    value = name.endsWith('srcset') ? `${url} 1x, ${random.pick(probes)} 2x` : url;
  } else if (kind === 7) {
    name = 'style';
    value = random.pick(STYLE_VALUES(random.pick(probes)));
  } else {
    name = random.pick(OTHER_ATTRIBUTES);
    value = random.chance(0.2) ? null : random.pick(SAFE_VALUES);
  }
  return value === null ? name : `${name}=${quoted(random, value)}`;
}

function openTag(random: RandomSource, tag: string, context: Context): string {
  const parts = [tag];
  for (let i = random.int(0, 3); i > 0; i--) parts.push(attribute(random, tag, context));
  // Slashes as separators and a self-closing slash parse too.
  const separator = random.chance(0.1) ? '/' : ' ';
  return `<${parts.join(separator)}${random.chance(0.1) ? ' /' : ''}>`;
}

/** Tokens of a random element tree: open tags, text, raw oddities, and closers (some missing or stray). */
function tokens(random: RandomSource, context: Context, depth: number, out: string[]): void {
  const pool = context.space === 'svg' ? SVG_TAGS : context.space === 'math' ? MATH_TAGS : HTML_TAGS;
  const count = random.int(1, depth > 3 ? 2 : 4);
  for (let i = 0; i < count; i++) {
    const roll = random.next();
    if (roll < 0.2) {
      out.push(random.pick(TEXT));
      continue;
    }
    if (roll < 0.32) {
      out.push(random.pick(RAW));
      continue;
    }
    if (context.space === 'html' && roll < 0.36) {
      // Declarative shadow DOM on an element that can host it: what is inside escapes a walk of the
      // light tree (a closed root cannot even be seen), so it holds an image that would be fetched.
      const host = random.pick(['p', 'div', 'span', 'blockquote', 'h2']);
      out.push(openTag(random, host, context), `<template shadowrootmode="${random.pick(['open', 'closed'])}">`, `<img src="${random.pick(probeUrls(context.probe()))}">`);
      tokens(random, context, depth + 2, out);
      out.push('</template>', `</${host}>`);
      continue;
    }
    const tag = random.pick(pool);
    out.push(openTag(random, tag, context));
    if (tag === 'style') out.push(`@import url(${random.pick(probeUrls(context.probe()))}); * { background: url(${random.pick(probeUrls(context.probe()))}) }`);
    else if (tag === 'script') out.push(random.pick(['alert(1)', 'confirm(1)', '</scr' + 'ipt><img src=x onerror=alert(1)>']));
    else if (!VOID.has(tag) && depth < 5) {
      const inner: Context =
        tag === 'svg' ? { ...context, space: 'svg' } : tag === 'math' ? { ...context, space: 'math' } : ['foreignObject', 'annotation-xml', 'mtext', 'desc', 'title'].includes(tag) ? { ...context, space: 'html' } : context;
      tokens(random, inner, depth + 1, out);
    }
    // Unclosed sometimes; a stray closer of another element sometimes (misnesting).
    if (!VOID.has(tag) && random.chance(0.75)) out.push(`</${tag}>`);
    if (random.chance(0.08)) out.push(`</${random.pick(pool)}>`);
  }
}

function generateSoup(seed: number): string[] {
  const random = randomSource(seed);
  const out: string[] = [];
  // Mostly HTML at the top; sometimes SVG or MathML names without their root (unknown HTML elements then).
  let probes = 0;
  tokens(random, { space: random.pick(['html', 'html', 'html', 'svg', 'math'] as const), probe: () => `${seed}-${++probes}` }, 0, out);
  return out;
}

// ─── The sinks and the checks ─────────────────────────────────────────────────────────────────────

interface Variant {
  name: string;
  sink: HtmlSink;
  imageOrigins: Set<string>;
}

const BASE: Omit<HtmlSinkOptions, 'mode'> = { linkSchemes: ['http', 'https', 'mailto'], imageOrigins: [], allowDataImages: false, rawHtml: false, linkTarget: null };

function variants(): Variant[] {
  const out: Variant[] = [];
  for (const mode of ['sanitizer', 'dompurify'] as const) {
    for (const rawHtml of [false, true]) {
      for (const origins of [[], ['https://img.example']]) {
        out.push({
          name: `${mode} · raw HTML ${rawHtml ? 'on' : 'off'} · image origins ${origins.length ? origins.join(' ') : 'none'}`,
          sink: createHtmlSink({ ...BASE, mode, rawHtml, imageOrigins: origins, linkTarget: rawHtml ? '_blank' : null }),
          imageOrigins: new Set(origins),
        });
      }
    }
  }
  return out;
}

/** What is wrong with `html` through `variant` right now, in the live document (empty: nothing). */
function problemsNow(variant: Variant, html: string, host: HTMLElement): string[] {
  let fragment: DocumentFragment;
  try {
    fragment = variant.sink.fragment(html);
  } catch (error) {
    return [`threw: ${String(error)}`];
  }
  const holder = document.createElement('div');
  holder.append(fragment);
  host.append(holder);
  const problems = new Set<string>();
  inspectTree(holder, variant.imageOrigins, problems);
  // The inspector flags `url(` in any attribute. Outside CSS it loads nothing: markup swallowed by an
  // unclosed quote (`<img src="<b style='…url(…'`, `<table lang='…url(…'`) leaves the text `url(` in a
  // text attribute, or in a same-origin link that a blocked image became. Those findings are dropped
  // here; every other check on the element (scheme, rel, style, handlers) still runs.
  const harmful = new Set<string>();
  for (const element of Array.from(holder.querySelectorAll('*'))) {
    for (const { name, value } of Array.from(element.attributes)) {
      if (!/url\(/i.test(value.replace(/[\u0000-\u0020\u00a0]/g, ''))) continue;
      const key = `<${element.localName}> ${name} holds url(`;
      const linkLike = (element.localName === 'a' && name === 'href') || (element.localName === 'img' && name === 'src');
      const harmless = TEXT_ATTRIBUTES.has(name) || (linkLike && ['http:', 'https:', 'mailto:'].includes(new URL(value, document.baseURI).protocol));
      if (!harmless) harmful.add(key);
      else if (!harmful.has(key)) problems.delete(key);
    }
  }
  for (const node of Array.from(holder.querySelectorAll('*'))) {
    if (node.ownerDocument !== document) problems.add(`<${node.localName}> belongs to another document`);
  }
  return [...problems];
}

/** Attributes the sink keeps whose value is plain text to the browser. */
const TEXT_ATTRIBUTES = new Set(['class', 'part', 'lang', 'dir', 'title', 'alt', 'align', 'start', 'type', 'checked', 'disabled', 'open', 'rel', 'target']);

const canary = window as unknown as Record<string, unknown>;
const CANARIES = ['alert', 'confirm', 'prompt', 'print'];
const calls: string[] = [];
const originals = new Map<string, unknown>();

const settle = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 60))));

/** Probe URLs fetched since `since` (any origin). */
function probesFetchedSince(since: number): string[] {
  return performance.getEntriesByType('resource').filter((entry) => entry.startTime >= since && entry.name.includes('/probe/')).map((entry) => entry.name);
}

let attempts = 0;

/**
 * Fetches and canaries of `html` alone, through one variant, after the page had time to load and run
 * things. Its probe URLs are made unique for this attempt, so that the image cache cannot hide a fetch.
 */
async function asyncProblems(variant: Variant, html: string): Promise<string[]> {
  const host = document.createElement('div');
  document.body.append(host);
  const since = performance.now();
  const attempt = ++attempts;
  const problems = problemsNow(variant, html.replace(/\/probe\/([\w-]+)/g, `/probe/$1-try${attempt}`), host);
  await settle();
  const fetched = probesFetchedSince(since);
  if (fetched.length) problems.push(`fetched ${fetched.join(', ')}`);
  if (calls.length) problems.push(`canary ${calls.splice(0).join(', ')}`);
  host.remove();
  return problems;
}

/** The fewest tokens that still fail in `variant` (synchronously when the failure is, else with the page's time). */
async function shrinkSoup(variant: Variant, parts: string[], synchronous: boolean): Promise<string> {
  if (synchronous) {
    const host = document.createElement('div');
    document.body.append(host);
    const small = shrinkList(parts, (candidate) => problemsNow(variant, candidate.join(''), host).length > 0);
    host.remove();
    return small.join('');
  }
  // Asynchronous failures (a fetch, a canary): remove one token at a time, waiting each time.
  let current = [...parts];
  for (let i = current.length - 1; i >= 0; i--) {
    const candidate = [...current.slice(0, i), ...current.slice(i + 1)];
    if ((await asyncProblems(variant, candidate.join(''))).length) current = candidate;
  }
  return current.join('');
}

describe('generated HTML soup through the sink', function () {
  this.timeout(10 * 60 * 1000);
  let all: Variant[] = [];

  before(async () => {
    performance.setResourceTimingBufferSize(1_000_000);
    // The DOMPurify fallback loads on first use: let it load, so that every sink is synchronous.
    await createHtmlSink({ ...BASE, mode: 'dompurify' }).ready;
    all = variants();
    for (const name of CANARIES) {
      originals.set(name, canary[name]);
      canary[name] = (...args: unknown[]) => void calls.push(`${name}(${args.map(String).join(', ')})`);
    }
  });
  after(() => {
    for (const [name, value] of originals) canary[name] = value;
  });
  afterEach(() => document.body.replaceChildren());

  it('runs every variant on its own sink path', () => {
    expect(all.map((variant) => variant.sink.mode)).to.deep.equal(['sanitizer', 'sanitizer', 'sanitizer', 'sanitizer', 'dompurify', 'dompurify', 'dompurify', 'dompurify']);
  });

  for (const keptCase of KEPT) {
    it(`kept failure stays fixed: ${keptCase.title}`, async () => {
      const failures: string[] = [];
      for (const variant of all) {
        const problems = await asyncProblems(variant, keptCase.html);
        if (problems.length) failures.push(`${variant.name}: ${problems.join('; ')}`);
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
    });
  }

  it(`${CASES} generated soups: no throw, nothing forbidden, nothing fetched, nothing runs (8 sink variants each)`, async () => {
    const failures: string[] = [];
    let characters = 0;
    let sinkCalls = 0;
    const started = performance.now();
    for (let first = 1; first <= CASES && failures.length < 5; first += BATCH) {
      const host = document.createElement('div');
      document.body.append(host);
      const since = performance.now();
      const batch: Array<{ seed: number; parts: string[] }> = [];
      for (let seed = first; seed < first + BATCH && seed <= CASES; seed++) {
        const parts = generateSoup(seed);
        const html = parts.join('');
        characters += html.length;
        batch.push({ seed, parts });
        for (const variant of all) {
          sinkCalls++;
          const problems = problemsNow(variant, html, host);
          if (!problems.length) continue;
          const small = await shrinkSoup(variant, parts, true);
          failures.push(`seed ${seed}, ${variant.name}: ${problems.slice(0, 5).join('; ')}\nshrunk: ${JSON.stringify(small)}`);
        }
      }
      // Loads and handlers happen later: after the batch had time for them, find which case did it.
      await settle();
      if (probesFetchedSince(since).length || calls.length) {
        calls.length = 0;
        for (const { seed, parts } of batch) {
          for (const variant of all) {
            const problems = await asyncProblems(variant, parts.join(''));
            if (!problems.length) continue;
            const small = await shrinkSoup(variant, parts, false);
            failures.push(`seed ${seed}, ${variant.name}: ${problems.join('; ')}\nshrunk: ${JSON.stringify(small)}`);
          }
        }
        if (!failures.length) failures.push(`seeds ${first}…${first + BATCH - 1}: a fetch or canary that no case repeats alone`);
      }
      host.remove();
    }
    console.log(`generated sink: ${CASES} soups, ${characters} characters, ${sinkCalls} sink calls in ${Math.round(performance.now() - started)} ms`);
    expect(failures, failures.join('\n\n')).to.deep.equal([]);
  });

  it('the soup covers every family it claims', () => {
    const joined = Array.from({ length: 300 }, (_, i) => generateSoup(i + 1).join('')).join('\n');
    const wanted = [
      '<script', '<iframe', '<object', '<embed', '<style', '<link', '<meta', '<base', '<form', '<frameset', '<template', 'shadowrootmode', '<noscript',
      '<svg', '<use', '<foreignObject', '<animate', '<set', '<math', '<maction', '<annotation-xml', 'onerror=', 'javascript:', 'data:text/html',
      'vbscript:', '&#x09;', '&colon;', '\u0001', 'srcset=', 'style=', 'url(', '<!--', '<![CDATA[', '&lt;', '/probe/', env.cdnOrigin,
    ];
    expect(wanted.filter((needle) => !joined.includes(needle))).to.deep.equal([]);
  });
});
