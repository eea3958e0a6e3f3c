// Settings: pure rules, tested as tables.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_SITE_SETTINGS,
  activeCategories,
  defaultSettings,
  effectiveFor,
  normalizeSettings,
  parsePatch,
  withSitePatch,
} from '../../extension/src/shared/settings';
import { normalizeSite, siteAndParents, siteOf } from '../../extension/src/shared/site';

describe('sites', () => {
  const cases: Array<[string, string | null]> = [
    ['https://www.nytimes.com/2017/01/13/world/x.html', 'nytimes.com'],
    ['http://News.Example.co.uk/path?q=1', 'news.example.co.uk'],
    ['http://127.0.0.1:8080/demo.html', '127.0.0.1'],
    ['https://www./', 'www'],
    ['chrome://extensions', null],
    ['file:///tmp/a.html', null],
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
  test('objects from before versioning are migrated', () => {
    const { settings, problems } = normalizeSettings({ sites: { 'example.com': { enabled: false } } });
    assert.equal(settings.version, 1);
    assert.equal(effectiveFor(settings, 'example.com').enabled, false);
    assert.deepEqual(problems, []);
  });
  const corrupt: Array<[string, unknown, (s: ReturnType<typeof defaultSettings>) => void]> = [
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
