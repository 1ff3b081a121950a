// custom-elements.json (npm run build): analyzed from the element's sources and JSDoc, then pointed at
// the files the package ships — a manifest that names `components/*.ts` sends tools to files that are
// not in the tarball. A source module without a shipped counterpart fails the build.
const TAG_NAME = 'llm-stream';

const SHIPPED = {
  'components/llm-stream.ts': 'dist/element.js',
  'components/element.ts': 'dist/element.js',
  'components/llm-stream.define.ts': 'dist/llm-stream.js',
};

function shipped(reference) {
  // References to imported modules come back as `/components/x.js`; declarations as `components/x.ts`.
  const path = reference.replace(/^\//, '').replace(/\.js$/, '.ts');
  const target = SHIPPED[path];
  if (!target) throw new Error(`custom-elements.json: no shipped file for ${path} (add it to test/build/cem.config.mjs)`);
  return target;
}

/** Rewrites every module path and every `module` reference, merging modules that ship as one file. */
function shippedPathsPlugin() {
  return {
    name: 'llm-stream-shipped-paths',
    packageLinkPhase({ customElementsManifest }) {
      const merged = new Map();
      for (const module of customElementsManifest.modules) {
        const path = shipped(module.path);
        const sourceDir = module.path.slice(0, module.path.lastIndexOf('/') + 1);
        const rewrite = (entry) => {
          if (!entry?.module) return entry;
          const reference = entry.module.startsWith('./') ? sourceDir + entry.module.slice(2) : entry.module;
          return /^\/?components\//.test(reference) ? { ...entry, module: shipped(reference) } : entry;
        };
        // Re-exports of modules that ship inside a bundle (e.g. a type-only `export type { … } from
        // './strings.js'`) name no file of the package: they are left out rather than pointing nowhere.
        const reexportOfUnshipped = (entry) => {
          const target = entry.declaration?.module;
          if (!target) return false;
          const reference = target.startsWith('./') ? sourceDir + target.slice(2) : target;
          return /^\/?components\//.test(reference) && !SHIPPED[reference.replace(/^\//, '').replace(/\.js$/, '.ts')];
        };
        const exports = (module.exports ?? []).filter((entry) => !reexportOfUnshipped(entry)).map((entry) => ({
          ...entry,
          // `customElements.define(TAG_NAME, …)`: the analyzer records the constant's name, not the tag.
          ...(entry.kind === 'custom-element-definition' ? { name: TAG_NAME } : {}),
          declaration: rewrite(entry.declaration),
        }));
        const target = merged.get(path) ?? { kind: 'javascript-module', path, declarations: [], exports: [] };
        target.declarations.push(...(module.declarations ?? []));
        for (const entry of exports) {
          if (!target.exports.some((e) => e.kind === entry.kind && e.name === entry.name)) target.exports.push(entry);
        }
        merged.set(path, target);
      }
      customElementsManifest.modules = [...merged.values()];
    },
  };
}

export default {
  globs: ['components/llm-stream.ts', 'components/llm-stream.define.ts'],
  outdir: 'dist',
  plugins: [shippedPathsPlugin()],
};
