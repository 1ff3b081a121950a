/** mermaid's own bundled ES build (components/mermaid-loader.ts): the package's default export, without declarations of its own. */
declare module 'mermaid/dist/mermaid.esm.min.mjs' {
  import type { Mermaid } from 'mermaid';
  const mermaid: Mermaid;
  export default mermaid;
}
