/** The full table of HTML named character references, for URLs (see `useNamedReferences`). */
import { decodeHTML } from 'entities/decode';

/** The text of the named character reference `&name;`, or undefined for an unknown name. */
export function namedReference(name: string): string | undefined {
  const reference = `&${name};`;
  const decoded = decodeHTML(reference);
  return decoded === reference ? undefined : decoded;
}
