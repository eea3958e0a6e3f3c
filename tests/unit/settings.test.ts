// Settings: pure rules, tested as tables.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_SITE_SETTINGS,
  DEFAULT_TOOLTIP,
  MAX_IMPORT_CHARS,
  SCHEMA_VERSION,
  type Settings,
  activeCategories,
  defaultSettings,
  describeProblem,
  effectiveFor,
  exportSettings,
  normalizeSettings,
  parseImport,
  parsePatch,
  parseTooltipPatch,
  withDefaultsPatch,
  withMuted,
  withSitePatch,
  withTooltip,
  withoutSite,
} from '../../extension/src/shared/settings';
import { normalizeSite, siteAndParents, siteOf } from '../../extension/src/shared/site';

describe('sites', () => {
  const cases: Array<[string, string | null]> = [
    ['https://www.nytimes.com/2017/01/13/world/x.html', 'nytimes.com'],
    ['http://News.Example.co.uk/path?q=1', 'news.example.co.uk'],
    ['http://127.0.0.1:8080/demo.html', '127.0.0.1'],
    ['https://www./', 'www'],
    ['chrome://extensions', null],
    ['file:///home/reader/a.html', null],
    ['not a url', null],
  ];
  for (const [url, site] of cases) {
    test(`siteOf(${url})`, () => assert.equal(siteOf(url), site));
  }
  test('parents stop before the top-level domain', () => {
    assert.deepEqual(siteAndParents('a.b.example.com'), ['a.b.example.com', 'b.example.com', 'example.com']);
    assert.deepEqual(siteAndParents('localhost'), ['localhost']);
    assert.deepEqual(siteAndParents('127.0.0.1'), ['127.0.0.1']);
  });
  test('invalid host names are refused', () => {
    assert.equal(normalizeSite('exa mple.com'), null);
    assert.equal(normalizeSite(''), null);
    assert.equal(normalizeSite('<script>'), null);
  });
});

describe('effective settings', () => {
  test('defaults apply to every site', () => {
    assert.deepEqual(effectiveFor(defaultSettings(), 'example.com'), DEFAULT_SITE_SETTINGS);
  });
  test('a site change applies to that site and its subdomains only', () => {
    const s = withSitePatch(defaultSettings(), 'example.com', { categories: { place: false } });
    assert.equal(effectiveFor(s, 'example.com').categories.place, false);
    assert.equal(effectiveFor(s, 'news.example.com').categories.place, false);
    assert.equal(effectiveFor(s, 'example.org').categories.place, true);
    assert.equal(effectiveFor(s, 'example.com').categories.person, true);
  });
  test('a subdomain with its own settings wins over its parent', () => {
    let s = withSitePatch(defaultSettings(), 'example.com', { enabled: false });
    s = withSitePatch(s, 'news.example.com', { enabled: true, categories: { term: false } });
    assert.equal(effectiveFor(s, 'news.example.com').enabled, true);
    assert.equal(effectiveFor(s, 'news.example.com').categories.term, false);
    assert.equal(effectiveFor(s, 'shop.example.com').enabled, false);
  });
  test('regression: a subdomain switched on under a paused parent stays on', () => {
    // Its change equalled the defaults and was dropped, so it inherited the pause again.
    let s = withSitePatch(defaultSettings(), 'example.com', { enabled: false });
    s = withSitePatch(s, 'news.example.com', { enabled: true });
    assert.equal(effectiveFor(s, 'news.example.com').enabled, true);
    assert.equal(effectiveFor(s, 'shop.example.com').enabled, false);
  });
  test('switching back to the defaults removes the site entry', () => {
    let s = withSitePatch(defaultSettings(), 'example.com', { categories: { place: false } });
    s = withSitePatch(s, 'example.com', { categories: { place: true } });
    assert.deepEqual(s.sites, {});
  });
  test('a paused site has no active categories', () => {
    const s = withSitePatch(defaultSettings(), 'example.com', { enabled: false });
    assert.deepEqual(activeCategories(effectiveFor(s, 'example.com')), []);
    assert.deepEqual(activeCategories(effectiveFor(s, 'other.com')), ['person', 'organisation', 'place', 'document', 'term']);
  });
});

describe('stored settings are read safely', () => {
  test('nothing stored gives the defaults, silently', () => {
    const { settings, problems } = normalizeSettings(undefined);
    assert.deepEqual(settings, defaultSettings());
    assert.deepEqual(problems, []);
  });
  test('a round trip keeps everything', () => {
    const s = withSitePatch(defaultSettings(), 'example.com', { enabled: false, categories: { term: false } });
    const { settings, problems } = normalizeSettings(JSON.parse(JSON.stringify(s)));
    assert.deepEqual(settings, s);
    assert.deepEqual(problems, []);
  });
  const corrupt: Array<[string, unknown, (s: Settings) => void]> = [
    ['a string', 'garbage', (s) => assert.deepEqual(s, defaultSettings())],
    ['an array', [1, 2], (s) => assert.deepEqual(s, defaultSettings())],
    ['a wrong type in one site keeps the others', { version: 1, sites: { 'a.com': { enabled: 'yes' }, 'b.com': { enabled: false } } }, (s) => {
      assert.equal(effectiveFor(s, 'b.com').enabled, false);
      assert.equal(effectiveFor(s, 'a.com').enabled, true);
    }],
    ['an unknown category is dropped, the known ones kept', { version: 1, sites: { 'a.com': { categories: { place: false, weather: false } } } }, (s) => {
      assert.equal(effectiveFor(s, 'a.com').categories.place, false);
      assert.ok(!('weather' in effectiveFor(s, 'a.com').categories));
    }],
    ['an invalid site name is dropped', { version: 1, sites: { '<b>': { enabled: false }, 'ok.com': { enabled: false } } }, (s) => {
      assert.deepEqual(Object.keys(s.sites), ['ok.com']);
    }],
    ['defaults of the wrong type fall back', { version: 1, defaults: 'x', sites: { 'a.com': { enabled: false } } }, (s) => {
      assert.deepEqual(s.defaults, DEFAULT_SITE_SETTINGS);
      assert.equal(effectiveFor(s, 'a.com').enabled, false);
    }],
    ['a newer version is read as far as it is understood', { version: 99, sites: { 'a.com': { enabled: false } }, future: 1 }, (s) => {
      assert.equal(effectiveFor(s, 'a.com').enabled, false);
    }],
  ];
  for (const [name, raw, check] of corrupt) {
    test(name, () => {
      const { settings, problems } = normalizeSettings(raw);
      check(settings);
      assert.ok(problems.length > 0, 'the problem is reported');
    });
  }
  test('patches from pages are validated', () => {
    assert.deepEqual(parsePatch({ categories: { place: false } }), { categories: { place: false } });
    assert.equal(parsePatch({ enabled: 'no' }), null);
    assert.equal(parsePatch('x'), null);
    assert.equal(parsePatch({ categories: { nope: true } }), null);
  });
});

describe('migrations: every earlier schema version reads as the current one', () => {
  // What each version wrote for the same reader: example.com paused, places off on news.example.org.
  const written: Array<[string, unknown]> = [
    ['version 0 (no version field)', { sites: { 'example.com': { enabled: false }, 'news.example.org': { categories: { place: false } } } }],
    ['version 1', {
      version: 1,
      defaults: { enabled: true, categories: { person: true, organisation: true, place: true, document: true, term: false } },
      sites: { 'example.com': { enabled: false }, 'news.example.org': { categories: { place: false } } },
    }],
  ];
  for (const [name, raw] of written) {
    test(name, () => {
      const { settings, problems } = normalizeSettings(structuredClone(raw));
      assert.deepEqual(problems, []);
      assert.equal(settings.version, SCHEMA_VERSION);
      assert.equal(effectiveFor(settings, 'example.com').enabled, false);
      assert.equal(effectiveFor(settings, 'news.example.org').categories.place, false);
      assert.equal(effectiveFor(settings, 'news.example.org').enabled, true);
      // What version 2 added starts with the behaviour the earlier versions had.
      assert.deepEqual(settings.muted, []);
      assert.deepEqual(settings.tooltip, DEFAULT_TOOLTIP);
      assert.equal(settings.firstMentionOnly, false);
      // Reading the result again changes nothing: migration happened once.
      assert.deepEqual(normalizeSettings(JSON.parse(JSON.stringify(settings))), { settings, problems: [] });
    });
  }
  test('version 1 defaults survive the migration', () => {
    const { settings } = normalizeSettings(written[1]![1]);
    assert.equal(settings.defaults.categories.term, false);
  });
});

describe('corrupted version 2 settings: one field falls back, the rest is kept', () => {
  const good = () => {
    let s = withSitePatch(defaultSettings(), 'example.com', { enabled: false });
    s = withMuted(s, 'mount-hermon', true);
    s = withTooltip(s, { trigger: 'modifier', hoverDelay: 500, modifier: 'Alt' });
    return { ...s, firstMentionOnly: true } as Record<string, unknown>;
  };
  const cases: Array<[string, (raw: Record<string, unknown>) => void, string, (s: Settings) => void]> = [
    ['muted is not a list', (r) => { r['muted'] = 'mount-hermon'; }, 'muted', (s) => assert.deepEqual(s.muted, [])],
    ['one muted id is not an id', (r) => { r['muted'] = ['mount-hermon', 42, '<b>x</b>']; }, 'muted[1]', (s) => assert.deepEqual(s.muted, ['mount-hermon'])],
    ['the trigger is unknown', (r) => { r['tooltip'] = { trigger: 'telepathy', hoverDelay: 500, modifier: 'Alt' }; }, 'tooltip.trigger', (s) => {
      assert.equal(s.tooltip.trigger, 'hover');
      assert.equal(s.tooltip.hoverDelay, 500);
      assert.equal(s.tooltip.modifier, 'Alt');
    }],
    ['the hover delay is a string', (r) => { r['tooltip'] = { trigger: 'modifier', hoverDelay: '500', modifier: 'Alt' }; }, 'tooltip.hoverDelay', (s) => {
      assert.equal(s.tooltip.hoverDelay, DEFAULT_TOOLTIP.hoverDelay);
      assert.equal(s.tooltip.trigger, 'modifier');
    }],
    ['the hover delay is out of range', (r) => { r['tooltip'] = { trigger: 'modifier', hoverDelay: 1e9, modifier: 'Alt' }; }, 'tooltip.hoverDelay', (s) => {
      assert.equal(s.tooltip.hoverDelay, DEFAULT_TOOLTIP.hoverDelay);
    }],
    ['the tooltip is a number', (r) => { r['tooltip'] = 7; }, 'tooltip', (s) => assert.deepEqual(s.tooltip, DEFAULT_TOOLTIP)],
    ['first mention only is a string', (r) => { r['firstMentionOnly'] = 'yes'; }, 'firstMentionOnly', (s) => assert.equal(s.firstMentionOnly, false)],
    ['an unknown top-level key', (r) => { r['colour'] = 'red'; }, 'colour', () => undefined],
    ['an unknown key in a site', (r) => { r['sites'] = { 'example.com': { enabled: false, colour: 'red' } }; }, 'sites["example.com"].colour', () => undefined],
  ];
  for (const [name, corrupt, field, check] of cases) {
    test(name, () => {
      const raw = good();
      corrupt(raw);
      const { settings, problems } = normalizeSettings(raw);
      assert.ok(problems.some((p) => p.field === field), `reported at ${field}: ${problems.map(describeProblem).join('; ')}`);
      check(settings);
      // Everything not corrupted is still there.
      if (field !== 'sites["example.com"].colour') assert.equal(effectiveFor(settings, 'example.com').enabled, false);
      if (!field.startsWith('muted')) assert.deepEqual(settings.muted, ['mount-hermon']);
      if (!field.startsWith('tooltip')) assert.deepEqual(settings.tooltip, { trigger: 'modifier', hoverDelay: 500, modifier: 'Alt' });
      if (field !== 'firstMentionOnly') assert.equal(settings.firstMentionOnly, true);
    });
  }
});

describe('changes', () => {
  test('muting and unmuting an entry', () => {
    let s = withMuted(defaultSettings(), 'reuters', true);
    s = withMuted(s, 'mount-hermon', true);
    s = withMuted(s, 'reuters', true);
    assert.deepEqual(s.muted, ['mount-hermon', 'reuters']);
    assert.deepEqual(withMuted(s, 'reuters', false).muted, ['mount-hermon']);
  });
  test('removing a site makes it follow its parent again', () => {
    let s = withSitePatch(defaultSettings(), 'example.com', { enabled: false });
    s = withSitePatch(s, 'news.example.com', { enabled: true });
    assert.equal(effectiveFor(s, 'news.example.com').enabled, true);
    s = withoutSite(s, 'news.example.com');
    assert.equal(effectiveFor(s, 'news.example.com').enabled, false);
    assert.deepEqual(Object.keys(s.sites), ['example.com']);
  });
  test('new defaults apply to sites without their own settings; a site keeps its own', () => {
    let s = withSitePatch(defaultSettings(), 'example.com', { categories: { term: true, place: false } });
    s = withDefaultsPatch(s, { categories: { term: false } });
    assert.equal(effectiveFor(s, 'other.org').categories.term, false);
    assert.equal(effectiveFor(s, 'example.com').categories.place, false);
    assert.equal(effectiveFor(s, 'example.com').categories.term, false, 'the site changed places only');
  });
  test('tooltip patches from pages are validated', () => {
    assert.deepEqual(parseTooltipPatch({ hoverDelay: 800 }), { hoverDelay: 800 });
    assert.deepEqual(parseTooltipPatch({ trigger: 'keyboard' }), { trigger: 'keyboard' });
    assert.equal(parseTooltipPatch({ hoverDelay: -1 }), null);
    assert.equal(parseTooltipPatch({ trigger: 'x' }), null);
    assert.equal(parseTooltipPatch({ modifier: 'Meta' }), null);
    assert.equal(parseTooltipPatch({ other: 1 }), null);
    assert.equal(parseTooltipPatch(null), null);
  });
});

describe('export and import', () => {
  const mine = () => {
    let s = withSitePatch(defaultSettings(), 'example.com', { enabled: false });
    s = withMuted(s, 'mount-hermon', true);
    return withTooltip(s, { trigger: 'keyboard' });
  };
  test('an exported file imports to the same settings', () => {
    const file = exportSettings(mine());
    assert.equal(JSON.parse(file).format, 'footnote-settings');
    const r = parseImport(file);
    assert.ok(r.ok);
    assert.deepEqual(r.settings, mine());
  });
  test('a file from version 1 is migrated', () => {
    const r = parseImport(JSON.stringify({ format: 'footnote-settings', version: 1, sites: { 'example.com': { enabled: false } } }));
    assert.ok(r.ok);
    assert.equal(effectiveFor(r.settings, 'example.com').enabled, false);
    assert.deepEqual(r.settings.tooltip, DEFAULT_TOOLTIP);
  });
  const refused: Array<[string, string, string]> = [
    ['truncated JSON', exportSettings(mine()).slice(0, 80), 'not-json'],
    ['an empty file', '', 'not-json'],
    ['JSON that is not Footnote settings', '{"version": 2, "sites": {}}', 'not-footnote'],
    ['a JSON array', '[1, 2]', 'not-footnote'],
    ['a file from a newer Footnote', '{"format": "footnote-settings", "version": 9}', 'newer-version'],
    ['a wrong type inside', JSON.stringify({ format: 'footnote-settings', version: 2, firstMentionOnly: 'yes' }), 'invalid'],
    ['an unknown field', JSON.stringify({ format: 'footnote-settings', version: 2, extra: 1 }), 'invalid'],
    ['a huge file', `{"format": "footnote-settings", "pad": "${'x'.repeat(MAX_IMPORT_CHARS)}"}`, 'too-large'],
  ];
  for (const [name, text, kind] of refused) {
    test(`refused: ${name}`, () => {
      const r = parseImport(text);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.error.kind, kind);
    });
  }
});
