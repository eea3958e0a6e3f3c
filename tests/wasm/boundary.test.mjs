// The WebAssembly boundary, on the module that ships (pkg/, built by scripts/build.mjs): the
// JavaScript shapes the background relies on, UTF-16 offsets, limits and errors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const pkg = new URL('../../pkg/', import.meta.url);
let Core;
let KnowledgeBase;
let core;

before(async () => {
  const glue = await import(new URL('footnote.js', pkg));
  await glue.default({ module_or_path: readFileSync(fileURLToPath(new URL('footnote_bg.wasm', pkg))) });
  Core = glue.Core;
  KnowledgeBase = glue.KnowledgeBase;
  core = new Core();
});

const ALL = ['person', 'organisation', 'place', 'document', 'term'];

/** The entry table as the background reads it: one `id<TAB>category` line per entry. */
function entryTable() {
  return core.entryList().split('\n').map((line) => {
    const [id, category, ...rest] = line.split('\t');
    assert.deepEqual(rest, [], `one tab in ${JSON.stringify(line)}`);
    return { id, category };
  });
}

/** Findings as [block, text, entry id], with the text cut by the returned UTF-16 offsets. */
function found(blocks, categories = ALL) {
  const table = entryTable();
  const flat = core.annotate(blocks.join('\0'), categories);
  assert.ok(flat instanceof Uint32Array);
  assert.equal(flat.length % 4, 0);
  const out = [];
  for (let i = 0; i < flat.length; i += 4) {
    const [b, s, e, entry] = flat.slice(i, i + 4);
    out.push([b, blocks[b].slice(s, e), table[entry].id]);
  }
  return out;
}

describe('annotate', () => {
  test('offsets are UTF-16 code units of each block', () => {
    assert.deepEqual(found(['Mount Hermon', '😀😀 Mount Hermon']), [
      [0, 'Mount Hermon', 'mount-hermon'],
      [1, 'Mount Hermon', 'mount-hermon'],
    ]);
  });
  test('after emoji, flags, Arabic and combining marks', () => {
    const blocks = [
      '🇸🇾🇮🇱 talks in Paris',
      'قمة جبل الشيخ ثم Golan Heights',
      'Ma\u0304ori e\u0301lite near Damascus',
      'a\u{1F469}\u200D\u{1F4BB} ZWJ sequence, then Syria',
    ];
    assert.deepEqual(found(blocks), [
      [0, 'Paris', 'paris'],
      [1, 'جبل الشيخ', 'mount-hermon'],
      [1, 'Golan Heights', 'golan-heights'],
      // A decomposed macron is one more UTF-16 unit: the match covers it.
      [2, 'Ma\u0304ori', 'maori'],
      [2, 'Damascus', 'damascus'],
      [3, 'Syria', 'syria'],
    ]);
  });
  test('a lone surrogate counts one unit, as in JavaScript', () => {
    assert.deepEqual(found(['\uD800 x \uDC00 Syria']), [[0, 'Syria', 'syria']]);
  });
  test('curly quotes and possessives', () => {
    assert.deepEqual(found(['between “Israel” and Israel’s army']), [
      [0, '“Israel”', 'israel-in-quotation-marks'],
      [0, 'Israel', 'israel'],
    ]);
  });
  test('categories filter findings', () => {
    assert.deepEqual(found(['“Israel” in Paris'], ['place']), [
      [0, 'Israel', 'israel'],
      [0, 'Paris', 'paris'],
    ]);
    assert.deepEqual(found(['Mount Hermon'], []), []);
  });
  test('an unknown category is an error, not a crash', () => {
    assert.throws(() => core.annotate('x', ['weather']), /unknown category "weather"/);
    // The module still works afterwards.
    assert.deepEqual(found(['Paris']), [[0, 'Paris', 'paris']]);
  });
  test('too much text is an error', () => {
    assert.throws(() => core.annotate('x'.repeat(32 * 1024 * 1024 + 1), ALL), /too large/);
  });
  test('blocks are separated: no finding crosses from one to the next', () => {
    assert.deepEqual(found(['Abraham', 'Accords']), []);
    assert.deepEqual(found(['Abraham Accords', 'Abraham', 'Accords', 'Paris']), [
      [0, 'Abraham Accords', 'abraham-accords'],
      [3, 'Paris', 'paris'],
    ]);
  });
  test('no blocks, empty blocks', () => {
    assert.deepEqual(found([]), []);
    assert.deepEqual(found(['', ' ', 'Paris']), [[2, 'Paris', 'paris']]);
  });
});

describe('UN resolutions', () => {
  test('a resolution without an entry gets a generated one, linking the official text', () => {
    const text = 'The Security Council adopted resolution 1244 (1999).';
    const flat = core.annotate(text, ALL);
    assert.equal(flat.length, 8, 'the Council, and the resolution');
    assert.equal(text.slice(flat[5], flat[6]), 'resolution 1244 (1999)');
    const index = flat[7];
    assert.equal(entryTable()[index], undefined, 'outside the table');
    assert.deepEqual(core.entryRef(index), { id: 'unsc-resolution-1244-1999', category: 'document' });
    const e = core.entry(index);
    assert.equal(e.sources[0].url, 'https://undocs.org/S/RES/1244(1999)');
    assert.equal(core.findEntry('unsc-resolution-1244-1999'), index);
  });
  test('unknown ids are undefined', () => {
    assert.equal(core.findEntry('no-such-entry'), undefined);
    assert.equal(core.entryRef(0x7fffffff), undefined);
  });
});

describe('names the knowledge base lacks', () => {
  const text = 'Omar Haddad of the Quneitra Provincial Council met Bashar al-Assad.';
  test('only when the category "names" is asked for', () => {
    const quads = (flat) => Array.from({ length: flat.length / 4 }, (_, i) => Array.from(flat.slice(4 * i, 4 * i + 4)));
    const without = quads(core.annotate(text, ALL));
    assert.ok(without.every(([, , , entry]) => core.entryRef(entry).category !== 'names'));
    const named = quads(core.annotate(text, ['names']));
    assert.deepEqual(
      named.map(([, s, e, entry]) => [text.slice(s, e), core.entryRef(entry)]),
      [
        ['Omar Haddad', { id: 'unknown-person', category: 'names' }],
        ['Quneitra Provincial Council', { id: 'unknown-organisation', category: 'names' }],
      ],
    );
    assert.equal(core.entry(named[0][3]), undefined, 'no verified background');
    const both = quads(core.annotate(text, [...ALL, 'names']));
    assert.deepEqual(both.map(([, s]) => s), [...without, ...named].map(([, s]) => s).sort((a, b) => a - b));
  });
});

describe('start-up in two steps', () => {
  test('a core built from a knowledge base read first finds what a core built at once finds', () => {
    const kb = new KnowledgeBase();
    const stepwise = Core.build(kb);
    const text = 'Talks on Mount Hermon with Benjamin Netanyahu.\0Resolution 242 and the occupation.';
    assert.deepEqual([...stepwise.annotate(text, ALL)], [...core.annotate(text, ALL)]);
    assert.equal(stepwise.entryList(), core.entryList());
    // The knowledge base went into the core: it cannot build a second one.
    assert.throws(() => Core.build(kb));
    stepwise.free();
  });
});

describe('entries', () => {
  test('the table lists every entry with its category', () => {
    const table = entryTable();
    assert.equal(table.length, core.entryCount());
    assert.ok(table.length >= 30);
    for (const row of table) {
      assert.match(row.id, /^[a-z0-9-]+$/);
      assert.ok([...ALL, 'framing'].includes(row.category));
    }
    assert.equal(new Set(table.map((r) => r.id)).size, table.length, 'ids are unique');
    assert.equal(table[table.findIndex((r) => r.id === 'mount-hermon')].category, 'place');
    for (const i of [0, table.length >> 1, table.length - 1]) assert.deepEqual(core.entryRef(i), table[i]);
  });
  test('an entry carries what the tooltip shows', () => {
    const table = entryTable();
    const index = table.findIndex((r) => r.id === 'mount-hermon');
    const e = core.entry(index);
    assert.deepEqual(Object.keys(e).sort(), ['alternatives', 'category', 'id', 'name', 'reviewed', 'sources', 'summary', 'usages']);
    assert.equal(e.name, 'Mount Hermon');
    assert.match(e.reviewed, /^\d{4}-\d{2}-\d{2}$/);
    for (const s of e.sources) {
      assert.match(s.url, /^https:\/\//);
      assert.ok(['primary', 'secondary'].includes(s.kind));
      assert.ok(['seen', 'cited', 'pattern'].includes(s.verified));
    }
    assert.ok(e.sources.some((s) => s.kind === 'primary'));
  });
  test('a contested term has attributed usages', () => {
    const table = entryTable();
    const e = core.entry(table.findIndex((r) => r.id === 'occupation'));
    assert.ok(e.usages.length >= 2);
    const keys = new Set(e.sources.map((s) => s.key));
    for (const u of e.usages) assert.ok(keys.has(u.source), u.source);
  });
  test('an index out of range gives undefined', () => {
    assert.equal(core.entry(1e9), undefined);
  });
});

describe('quotations', () => {
  const statement = 'The statement said the sides would set up a “joint fusion mechanism” soon.';
  test('a quotation of a stored text is a framing finding of a quotation entry', () => {
    const flat = core.annotate(statement, ['framing']);
    assert.equal(flat.length, 4);
    const ref = core.entryRef(flat[3]);
    assert.deepEqual(ref, { id: 'quote:joint-statement-2026-01-06', category: 'framing' });
    assert.equal(core.findEntry(ref.id), flat[3]);
    assert.equal(statement.slice(flat[1], flat[2]), '“joint fusion mechanism”');
    // Not found without the framing category.
    assert.equal(core.annotate(statement, ALL).some((_, i, a) => i % 4 === 3 && core.entryRef(a[i]).category === 'framing'), false);
  });
  test('checkQuote: verdict, parts and highlights in UTF-16 units of the source sentence', () => {
    const index = core.findEntry('quote:joint-statement-2026-01-06');
    const view = core.checkQuote('“Israel and the Syrian Arab Republic … under the supervision of the United States”', index);
    assert.equal(view.verdict, 'joined');
    assert.deepEqual(view.parts.map((p) => p.found), [true, true]);
    assert.equal(view.source, 'menafn');
    const marked = view.original.flatMap((s) => {
      const out = [];
      for (let i = 0; i < s.marks.length; i += 2) out.push(s.text.slice(s.marks[i], s.marks[i + 1]));
      return out;
    });
    assert.deepEqual(marked, ['Israel and the Syrian Arab Republic', 'under the supervision of the United States']);
    assert.equal(core.checkQuote('“withdraw all forces”', index).verdict, 'not-found');
  });
  test('checkQuote: no stored text, odd input and limits', () => {
    assert.equal(core.checkQuote('“x”', core.findEntry('mount-hermon')), undefined);
    assert.equal(core.checkQuote('“x”', 0xffffffff), undefined);
    assert.equal(core.checkQuote('\uD800“\uDC00”', core.findEntry('quote:joint-statement-2026-01-06')).verdict, 'not-found');
    assert.throws(() => core.checkQuote('x'.repeat(16 * 1024 + 1), 0), /too large/);
  });
});

/** The sizes in bytes of the module's function bodies (the code section, id 10). */
function functionBodySizes(bytes) {
  let at = 8; // magic and version
  const leb = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at++];
      value += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    if (id === 10) {
      const sizes = [];
      for (let n = leb(); n > 0; n--) {
        const body = leb();
        sizes.push(body);
        at += body;
      }
      return sizes;
    }
    at = end;
  }
  return [];
}

describe('the shipped module', () => {
  // A cold start compiled the start-up code twice: wasm-opt had merged every function with one
  // caller into it, so reading the knowledge base and building the matcher were functions of
  // 22 and 24 KB (and annotating one of 61 KB), and the browser's optimising tier spent
  // 300-500 ms on them at every start (scripts/build.mjs, `-ocimfs`).
  test('keeps start-up code out of giant functions', () => {
    const sizes = functionBodySizes(readFileSync(fileURLToPath(new URL('footnote_bg.wasm', pkg))));
    assert.ok(sizes.length > 100, `${sizes.length} functions`);
    const giant = sizes.filter((s) => s > 20_000).sort((a, b) => b - a);
    // The annotation path may be one large function; nothing else may.
    assert.ok(giant.length <= 1, `function bodies over 20 KB: ${giant.join(', ')}`);
    assert.ok((giant[0] ?? 0) < 50_000, `largest function body: ${giant[0]} bytes`);
  });
});
