/**
 * The MathML contract shared by the worker's math renderer and the page's sink: exactly the elements
 * and attributes the renderer emits (src/markdown/math-render.ts serializes Temml's tree through these
 * lists and drops everything else), so the sink's allow-list grows by that and nothing more. It
 * imports nothing: the page bundle takes it without any of the renderer.
 *
 * Left out on purpose: `maction` (scripted actions), `annotation-xml` (may hold HTML or SVG),
 * `semantics` children other than one TeX `annotation`, and every attribute that names a URL, an id,
 * an event handler or inline CSS (`href`, `xlink:href`, `src`, `id`, `on*`, `style`, `data-*`).
 */

/** The MathML namespace: the sink allows these names only as MathML elements. */
export const MATHML_NAMESPACE = 'http://www.w3.org/1998/Math/MathML';

/** MathML elements the renderer emits. */
export const MATH_ELEMENTS: readonly string[] = (
  'math semantics annotation mrow mi mn mo ms mtext mspace msup msub msubsup mfrac msqrt mroot mover munder '
  + 'munderover mmultiscripts mprescripts none mtable mtr mtd mstyle mpadded mphantom menclose'
).split(' ');

/**
 * Attributes the renderer emits on MathML elements (all presentational: lengths, names, booleans,
 * colours). `display` only on `<math>`, `encoding` only on `<annotation>` (and only the TeX one).
 */
export const MATH_ATTRIBUTES: readonly string[] = (
  'display encoding mathvariant mathsize mathcolor mathbackground stretchy fence separator form lspace rspace '
  + 'largeop movablelimits symmetric minsize maxsize accent columnalign rowspacing width height depth voffset '
  + 'scriptlevel displaystyle linethickness notation linebreak'
).split(' ');

/** The one annotation the renderer writes: the formula's TeX source. */
export const TEX_ANNOTATION = 'application/x-tex';

/** The class of a formula that failed to render: its source, shown as code. */
export const MATH_ERROR_CLASS = 'llm-stream-math-error';
