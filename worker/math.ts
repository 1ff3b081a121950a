/**
 * The optional math file (dist/llm-stream.math.js): the markdown math syntax and the LaTeX → MathML
 * renderer (Temml), loaded into the worker with `importScripts` the first time an answer's text holds
 * a math opener (`$`, `\(`, `\[`) — so answers without math, and the CDN file, pay nothing for it.
 */
import { createMathSyntax, type MathSyntax } from '../src/markdown/math-syntax.js';
import { renderMath } from '../src/markdown/math-render.js';

(self as unknown as { llmStreamMath?: MathSyntax }).llmStreamMath = createMathSyntax(renderMath);
