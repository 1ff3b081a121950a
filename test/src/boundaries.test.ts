/**
 * The layer rules as tests (STYLE.md): `src/` is pure — it imports nothing from `worker/`,
 * `components/` or Comlink, and type-checks without the DOM lib (tsconfig.src.json) — and
 * `components/` takes only types from `worker/` (the worker's code is bundled separately).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface ImportRecord {
  specifier: string;
  /** `import type …` / `export type … from`: erased from the output, so no runtime edge. */
  typeOnly: boolean;
}

/**
 * The imports of a module's source: static `import … from`, side-effect `import '…'`,
 * `export … from`, dynamic `import('…')` and `require('…')`. Static forms count only at the start
 * of a line, so an example in a doc comment (` * import …`) is not an import. `import { type A }`
 * is not type-only: under `verbatimModuleSyntax` it still loads the module.
 */
function scanImports(source: string): ImportRecord[] {
  const found: ImportRecord[] = [];
  const statement = /^[ \t]*(import|export)(\s+type)?\b(?:[^'";]*?\bfrom)?\s*['"]([^'"\n]+)['"]/gm;
  for (const match of source.matchAll(statement)) {
    const [whole, keyword, type, specifier] = match;
    // `export const x = '…'` is not a re-export: a re-export has `from`, or is `export *`.
    if (keyword === 'export' && !/\bfrom\s*['"]/.test(whole)) continue;
    found.push({ specifier: specifier ?? '', typeOnly: type !== undefined });
  }
  for (const match of source.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g)) {
    found.push({ specifier: match[1] ?? '', typeOnly: false });
  }
  return found;
}

/** Which layer a specifier imported from `file` lands in (`worker`, `components`, `src`, …, or the package). */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return `package:${specifier.split('/')[0] ?? specifier}`;
  const resolved = relative(root, resolve(dirname(file), specifier));
  return resolved.split(sep)[0] ?? resolved;
}

/** Layer rule violations of one file (path relative to the repository root) given its source. */
function violations(file: string, source: string): string[] {
  const layer = file.split('/')[0];
  const out: string[] = [];
  for (const { specifier, typeOnly } of scanImports(source)) {
    const lands = target(join(root, file), specifier);
    if (layer === 'src') {
      if (lands === 'worker' || lands === 'components') out.push(`${file} imports ${specifier} (src/ must not depend on ${lands}/)`);
      if (lands === 'package:comlink') out.push(`${file} imports comlink (src/ knows nothing of the worker boundary)`);
    } else if (layer === 'components') {
      if (lands === 'worker' && !typeOnly) out.push(`${file} imports ${specifier} at runtime (components/ may take only types from worker/)`);
    }
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|js|mjs)$/.test(entry.name)) out.push(path);
  }
  return out;
}

test('the scanner finds every import form', () => {
  const source = [
    "import { a } from './a.js';",
    "import type { B } from '../worker/protocol.js';",
    "import {",
    "  c,",
    "  d,",
    "} from 'marked';",
    "import 'comlink';",
    "export * from './e.js';",
    "export type { F } from './f.js';",
    "export const notAnImport = './g.js';",
    " * import { example } from 'in-a-doc-comment';",
    "const lazy = await import('./h.js');",
  ].join('\n');
  assert.deepEqual(scanImports(source), [
    { specifier: './a.js', typeOnly: false },
    { specifier: '../worker/protocol.js', typeOnly: true },
    { specifier: 'marked', typeOnly: false },
    { specifier: 'comlink', typeOnly: false },
    { specifier: './e.js', typeOnly: false },
    { specifier: './f.js', typeOnly: true },
    { specifier: './h.js', typeOnly: false },
  ]);
});

test('the rules catch a src file importing comlink, worker/ or components/', () => {
  assert.equal(violations('src/answer/x.ts', "import 'comlink';\n").length, 1);
  assert.equal(violations('src/answer/x.ts', "import { wrap } from 'comlink';\n").length, 1);
  assert.equal(violations('src/answer/x.ts', "import type { StreamOptions } from '../../worker/protocol.js';\n").length, 1,
    'not even types: src/ sits below the worker');
  assert.equal(violations('src/markdown/x.ts', "const m = await import('../../components/html-sink.js');\n").length, 1);
  assert.deepEqual(violations('src/answer/x.ts', "import { createPacer } from './pacer.js';\nimport { Marked } from 'marked';\n"), []);
});

test('the rules let components take types from worker/ but not code', () => {
  assert.deepEqual(violations('components/x.ts', "import type { WorkerApi } from '../worker/protocol.js';\n"), []);
  assert.equal(violations('components/x.ts', "import { createStreamSession } from '../worker/stream-session.js';\n").length, 1);
  assert.equal(violations('components/x.ts', "import { type WorkerApi } from '../worker/protocol.js';\n").length, 1,
    'an inline `type` still loads the module under verbatimModuleSyntax');
});

test('src/ imports nothing from worker/, components/ or comlink', () => {
  const files = sourceFiles('src');
  assert.ok(files.length > 20, `scanned ${files.length} files`);
  assert.deepEqual(files.flatMap((file) => violations(file, readFileSync(join(root, file), 'utf8'))), []);
});

test('components/ imports worker/ for types only', () => {
  const files = sourceFiles('components');
  assert.ok(files.some((file) => scanImports(readFileSync(join(root, file), 'utf8')).some((i) => i.specifier.includes('worker/'))),
    'some component does take worker types (else this test checks nothing)');
  assert.deepEqual(files.flatMap((file) => violations(file, readFileSync(join(root, file), 'utf8'))), []);
});

const tsc = join(root, 'node_modules/typescript/bin/tsc');

function typecheck(project: string): { ok: boolean; output: string } {
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '-p', project], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    return { ok: true, output: '' };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

test('src/ type-checks without the DOM lib (tsconfig.src.json)', () => {
  const result = typecheck('tsconfig.src.json');
  assert.ok(result.ok, result.output);
});

test('the DOM-free type-check refuses DOM globals, timers and performance', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llm-stream-boundaries-'));
  try {
    writeFileSync(join(dir, 'uses-dom.ts'), [
      'export const title = document.title;',
      'export const origin = location.origin;',
      'export const start = performance.now();',
      'setTimeout(() => {}, 0);',
      "export const fine = new URL('https://example.com/').origin + new TextDecoder().decode(new Uint8Array());",
    ].join('\n'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      extends: join(root, 'tsconfig.src.json'),
      include: [],
      files: [join(dir, 'uses-dom.ts'), join(root, 'src-platform.d.ts')],
    }));
    const result = typecheck(join(dir, 'tsconfig.json'));
    assert.equal(result.ok, false);
    for (const name of ['document', 'location', 'performance', 'setTimeout']) {
      assert.match(result.output, new RegExp(`Cannot find name '${name}'`), result.output);
    }
    assert.doesNotMatch(result.output, /'URL'|'TextDecoder'/, 'the declared platform APIs are allowed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
