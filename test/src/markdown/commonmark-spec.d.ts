/** Types of the `commonmark-spec` package (it ships none): the spec text and its examples. */
declare module 'commonmark-spec' {
  interface CommonMarkExample {
    markdown: string;
    html: string;
    section: string;
    number: number;
  }
  const spec: { text: string; tests: CommonMarkExample[] };
  export default spec;
}
