/**
 * README's API section agrees with custom-elements.json (generated from the element's JSDoc by the
 * build): every public attribute, member, event, CSS part and custom property is documented in both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Named {
  name: string;
  description?: string;
  privacy?: string;
  static?: boolean;
  kind?: string;
}
interface Declaration {
  tagName?: string;
  customElement?: boolean;
  description?: string;
  attributes?: Named[];
  members?: Named[];
  events?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
  slots?: Named[];
}

const manifest = JSON.parse(readFileSync(`${root}dist/custom-elements.json`, 'utf8')) as { modules: Array<{ declarations?: Declaration[] }> };
const element = manifest.modules.flatMap((module) => module.declarations ?? []).find((declaration) => declaration.tagName === 'llm-stream');
const readme = readFileSync(`${root}README.md`, 'utf8');
const api = readme.slice(readme.indexOf('## API'));

test('the manifest describes <llm-stream> as a custom element', () => {
  assert.ok(element, 'a declaration with tagName llm-stream');
  assert.equal(element.customElement, true);
  assert.ok(element.description && element.description.length > 20);
});

test('every public member in the manifest has a description and is in the README API section', () => {
  const members = (element?.members ?? []).filter((member) => member.privacy !== 'private' && member.privacy !== 'protected' && !member.static && !member.name.startsWith('_'));
  assert.ok(members.length >= 20, `found ${members.length} public members`);
  for (const member of members) {
    assert.ok(member.description, `${member.name} has a description in the manifest`);
    assert.ok(api.includes(`\`${member.name}`), `README documents member ${member.name}`);
  }
});

test('every attribute, event, part, custom property and slot is in the README', () => {
  const groups: Array<[string, Named[] | undefined]> = [
    ['attribute', element?.attributes],
    ['event', element?.events],
    ['css part', element?.cssParts],
    ['css property', element?.cssProperties],
    ['slot', element?.slots],
  ];
  for (const [kind, entries] of groups) {
    assert.ok(entries && entries.length > 0, `the manifest lists ${kind}s`);
    for (const entry of entries) {
      assert.ok(entry.description, `${kind} ${entry.name} has a description`);
      assert.ok(api.includes(entry.name), `README documents ${kind} ${entry.name}`);
    }
  }
});

test('the README documents nothing the element does not have', () => {
  const table = api.slice(api.indexOf('### Attributes'), api.indexOf('### Properties'));
  const documented = [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((match) => match[1]);
  const attributes = new Set((element?.attributes ?? []).map((attribute) => attribute.name));
  for (const name of documented) assert.ok(attributes.has(name ?? ''), `README attribute ${name} exists on the element`);
});
