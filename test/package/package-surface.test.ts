/**
 * What the package.json promises matches what the tarball holds (issue 12, package surface): the
 * manifest points at shipped files, `sideEffects` names shipped paths only, the declarations carry no
 * test or tooling types, the ES entry leaves DOMPurify out of the main file (loaded only where
 * `setHTML` is missing), and no dependency's install script is left unapproved or undenied.
 * Needs `npm run build` first (npm test does it).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  sideEffects: string[];
  customElements: string;
  exports: Record<string, string | Record<string, string>>;
};
let packed = new Set<string>();

before(() => {
  assert.ok(existsSync(`${root}dist/llm-stream.js`), 'run `npm run build` first');
  const [report] = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--silent'], { cwd: root, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
  packed = new Set((report?.files ?? []).map((file) => file.path));
});

const clean = (path: string): string => path.replace(/^\.\//, '');

test('custom-elements.json is shipped and every module it names is in the tarball', () => {
  assert.ok(packed.has(clean(pkg.customElements)), `${pkg.customElements} is packed`);
  const manifest = JSON.parse(readFileSync(`${root}${clean(pkg.customElements)}`, 'utf8')) as {
    modules: Array<{ path: string; exports?: Array<{ kind: string; name: string; declaration?: { module?: string } }> }>;
  };
  assert.ok(manifest.modules.length >= 2);
  for (const module of manifest.modules) {
    assert.ok(packed.has(module.path), `manifest module ${module.path} is packed`);
    for (const entry of module.exports ?? []) {
      if (entry.declaration?.module) assert.ok(packed.has(entry.declaration.module), `export ${entry.name} points at packed ${entry.declaration.module}`);
    }
  }
  const definitions = manifest.modules.flatMap((module) => (module.exports ?? []).filter((entry) => entry.kind === 'custom-element-definition').map((entry) => ({ module: module.path, name: entry.name })));
  assert.deepEqual(definitions, [{ module: 'dist/llm-stream.js', name: 'llm-stream' }], 'the define module registers the tag');
});

test('sideEffects names only files the package ships', () => {
  assert.ok(pkg.sideEffects.length > 0);
  for (const path of pkg.sideEffects) assert.ok(packed.has(clean(path)), `sideEffects entry ${path} is packed`);
});

test('every exports target is packed', () => {
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const targets = typeof target === 'string' ? [target] : Object.values(target);
    for (const file of targets) assert.ok(packed.has(clean(file)), `exports["${subpath}"] → ${file} is packed`);
  }
});

test('the declaration build emits shipped code only: no test or tooling types', () => {
  const declarations = [...packed].filter((path) => path.startsWith('dist/types/'));
  assert.ok(declarations.some((path) => path === 'dist/types/components/index.d.ts'));
  const stray = declarations.filter((path) => !/^dist\/types\/(components|src|worker)\//.test(path));
  assert.deepEqual(stray, []);
  assert.ok(!existsSync(`${root}dist/types/test`), 'no dist/types/test');
  assert.ok(!existsSync(`${root}dist/types/vite.config.d.ts`), 'no vite.config types');
});

test('the ES entry does not bundle DOMPurify; it ships as a separate, lazily imported chunk', () => {
  // DOMPurify's own code carries its version string; a copy inside the entry means it is bundled.
  const { version } = JSON.parse(readFileSync(`${root}node_modules/dompurify/package.json`, 'utf8')) as { version: string };
  const entry = readFileSync(`${root}dist/llm-stream.js`, 'utf8');
  assert.ok(!entry.includes(`"${version}"`) && !entry.includes(`'${version}'`), 'DOMPurify is not inside dist/llm-stream.js');
  const chunks = [...packed].filter((path) => /^dist\/.*\.js$/.test(path) && path !== 'dist/llm-stream.purify.js' && !path.includes('cdn'));
  const withPurify = chunks.filter((path) => readFileSync(`${root}${path}`, 'utf8').includes(version));
  assert.equal(withPurify.length, 1, `exactly one shipped ES chunk holds DOMPurify (found: ${withPurify.join(', ')})`);
  const name = withPurify[0]!.split('/').pop()!;
  const others = chunks.filter((path) => path !== withPurify[0]).map((path) => readFileSync(`${root}${path}`, 'utf8')).join('\n');
  assert.match(others, new RegExp(`import\\(["'][^"']*${name.replace(/[.]/g, '\\.')}["']\\)`), 'the chunk is loaded with a dynamic import()');
});

test('a fresh install leaves no install script unapproved or undenied (npm 11 allowScripts)', () => {
  const report = execFileSync(npm, ['install-scripts', 'ls'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.doesNotMatch(report, /not yet covered/);
});
