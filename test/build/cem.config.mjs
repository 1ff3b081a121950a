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
        const rewrite = (entry) => (entry?.module && /^\/?components\//.test(entry.module) ? { ...entry, module: shipped(entry.module) } : entry);
        const exports = (module.exports ?? []).map((entry) => ({
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
