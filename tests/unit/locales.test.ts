// Every UI string goes through _locales: each key the code or pages use exists in English, each
// message's placeholders are defined, and nothing is left unused.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CATEGORIES } from '../../extension/src/shared/categories';

const ROOT = join(import.meta.dirname, '..', '..');
const en = JSON.parse(readFileSync(join(ROOT, '_locales', 'en', 'messages.json'), 'utf8')) as Record<
  string,
  { message: string; description?: string; placeholders?: Record<string, { content: string }> }
>;

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : path.endsWith(ext) ? [path] : [];
  });
}

const sources = files(join(ROOT, 'extension', 'src'), '.ts').map((f) => readFileSync(f, 'utf8')).join('\n');
const pages = files(join(ROOT, 'extension', 'pages'), '.html').map((f) => readFileSync(f, 'utf8')).join('\n');
const manifest = readFileSync(join(ROOT, 'manifest.json'), 'utf8');

/** Keys used literally: t('key'), data-i18n="key", __MSG_key__. */
function usedKeys(): Set<string> {
  const keys = new Set<string>();
  for (const m of sources.matchAll(/\bt\('([A-Za-z0-9_]+)'/g)) keys.add(m[1]!);
  for (const m of pages.matchAll(/data-i18n="([A-Za-z0-9_]+)"/g)) keys.add(m[1]!);
  for (const m of manifest.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)) keys.add(m[1]!);
  // Keys built from data: one per category and per kind of settings problem.
  for (const c of CATEGORIES) keys.add(`category_${c}`);
  const kinds = /kind:\s*\n((?:\s*\|\s*'[a-z-]+'.*\n)+)/.exec(readFileSync(join(ROOT, 'extension', 'src', 'shared', 'settings.ts'), 'utf8'));
  assert.ok(kinds, 'settings.ts declares the kinds of Problem');
  for (const m of kinds[1]!.matchAll(/'([a-z-]+)'/g)) keys.add(`problem_${m[1]!.replaceAll('-', '_')}`);
  return keys;
}

test('every key used exists in the English messages', () => {
  const missing = [...usedKeys()].filter((k) => !(k in en));
  assert.deepEqual(missing, []);
});

test('every English message is used', () => {
  const used = usedKeys();
  const unused = Object.keys(en).filter((k) => !used.has(k));
  assert.deepEqual(unused, []);
});

test('placeholders are defined and numbered from $1', () => {
  for (const [key, m] of Object.entries(en)) {
    const named = [...m.message.matchAll(/\$([A-Z_]+)\$/g)].map((x) => x[1]!.toLowerCase());
    const defined = Object.keys(m.placeholders ?? {});
    assert.deepEqual(named.sort(), [...defined].sort(), `${key}: placeholders in the text and in "placeholders"`);
    const contents = Object.values(m.placeholders ?? {}).map((p) => p.content).sort();
    assert.deepEqual(contents, defined.map((_, i) => `$${i + 1}`), `${key}: substitutions $1..$n`);
    assert.ok(typeof m.description === 'string' && m.description.length > 0, `${key} has a description for translators`);
  }
});

test('the pages hold no text of their own outside _locales', () => {
  // Text between tags, other than white space, would not be translated.
  for (const file of files(join(ROOT, 'extension', 'pages'), '.html')) {
    const body = readFileSync(file, 'utf8').replace(/<head>[\s\S]*<\/head>/, '').replace(/<script[\s\S]*?<\/script>/g, '');
    const text = [...body.matchAll(/>([^<]+)</g)].map((m) => m[1]!.trim()).filter((x) => x !== '' && x !== 'Footnote');
    assert.deepEqual(text, [], file);
  }
});
