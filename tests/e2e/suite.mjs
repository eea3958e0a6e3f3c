// The end-to-end tests, run in each browser with the packaged extension (dist/<browser>/, what
// ships). Pages come from a local server on 127.0.0.1; every other request is blocked.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { JSDOM } from 'jsdom';
import { defineControls } from './controls.mjs';
import { annotated, sleep } from './drivers.mjs';
import { ROOT, boxOfHighlightInPage, readHighlightsInPage, startServer, waitFor } from './harness.mjs';

const DEMO = 'demo-article.html';

/** The categories a site shows until the reader changes them. */
const DEFAULT_CATEGORIES = ['person', 'organisation', 'place', 'document', 'term'];

/** What the `footnote` command finds in a page: the same core, without a browser. */
function cliAnnotations(page, categories = DEFAULT_CATEGORIES) {
  const bin = join(ROOT, 'target', 'debug', 'footnote');
  if (!existsSync(bin)) throw new Error('target/debug/footnote is missing: run cargo build (or cargo test) first');
  const file = [join(ROOT, 'tests', 'e2e', 'pages', page), join(ROOT, 'tests', 'fixtures', 'pages', page)].find(existsSync);
  return execFileSync(bin, ['annotate', `--categories=${categories.join(',')}`, file], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .map((f) => ({ text: f.text, category: f.category, entry: f.entry }));
}

/** The body's text and element count as the HTML defines them, before any script ran. */
function pristine(page) {
  const html = readFileSync(join(ROOT, 'tests', 'fixtures', 'pages', page), 'utf8');
  const { document } = new JSDOM(html).window;
  return { text: document.body.textContent, elements: document.body.querySelectorAll('*').length };
}

const collapse = (s) => s.replace(/\s+/g, ' ');

/** CSP hashes ('sha256-…') of a test page's inline <style> and <script> elements. */
function pageInlineHashes(page) {
  const html = readFileSync(join(ROOT, 'tests', 'e2e', 'pages', page), 'utf8');
  const { document } = new JSDOM(html).window;
  return Array.from(document.querySelectorAll('style, script')).map(
    (el) => `sha256-${createHash('sha256').update(el.textContent).digest('base64')}`,
  );
}

export function defineSuite(makeDriver) {
  let server;
  let driver;

  before(async () => {
    server = await startServer();
    driver = await makeDriver().start();
  });

  after(async () => {
    await driver?.close();
    await server?.close();
  });

  describe('annotating a page', () => {
    test('the demo article gets the annotations the core finds, in reading order', async () => {
      const url = server.url(DEMO, null, 'order');
      await driver.open(url);
      const expected = cliAnnotations(DEMO);
      const state = await waitFor(
        async () => {
          const s = await driver.state(url);
          return s.annotations.length >= expected.length ? s : null;
        },
        { message: 'all annotations' },
      );
      const got = state.annotations.map((a) => ({ text: collapse(a.text), category: a.category, entry: a.entry }));
      assert.deepEqual(got, expected);
      // The ones a reader of this article needs most, spelled out.
      const has = (text, category, entry) => got.some((a) => a.text === text && a.category === category && a.entry === entry);
      assert.equal(got.filter((a) => a.entry === 'mount-hermon').length, 3, 'Mount Hermon three times, once across a link');
      assert.ok(has('1974 Disengagement Agreement', 'document', 'disengagement-agreement-1974'));
      assert.ok(has('“Israel”', 'term', 'israel-in-quotation-marks'));
      assert.ok(has('Israeli regime', 'term', 'israeli-regime'));
      assert.ok(has('Bashar al-Assad', 'person', 'bashar-al-assad'));
      assert.ok(has('Reuters', 'organisation', 'reuters'));
      // The settings were asked for by the early content script, at document start, before the
      // main script started; and they were answered.
      const { settingsAskedAt, settingsAnsweredAt, scriptStart } = state.work;
      assert.ok(settingsAskedAt > 0 && settingsAskedAt < scriptStart, `settings asked at ${settingsAskedAt}, main script at ${scriptStart}`);
      assert.ok(settingsAnsweredAt >= settingsAskedAt, 'the early question was answered');
    });

    test('marks are highlights over the same text; the page text and DOM are unchanged', async () => {
      const url = server.url(DEMO, null, 'unchanged');
      const page = await driver.open(url);
      const state = await annotated(driver, url, 80);
      const highlights = await page.evaluate(readHighlightsInPage);
      for (const category of ['person', 'organisation', 'place', 'document', 'term']) {
        const marked = (highlights[`footnote-${category}`] ?? []).map(collapse).sort();
        const expected = state.annotations.filter((a) => a.category === category).map((a) => collapse(a.text)).sort();
        assert.deepEqual(marked, expected, category);
      }
      const before = pristine(DEMO);
      const now = await page.evaluate(() => ({ text: document.body.textContent, elements: document.body.querySelectorAll('*').length }));
      assert.equal(now.text, before.text);
      assert.equal(now.elements, before.elements);
      // Marks do not move anything: the article's boxes are those of the page without them.
      const boxes = () => Array.from(document.querySelectorAll('article *')).map((e) => JSON.stringify(e.getBoundingClientRect()));
      const withMarks = await page.evaluate(boxes);
      await page.evaluate(() => {
        for (const name of Array.from(CSS.highlights.keys())) CSS.highlights.delete(name);
      });
      assert.deepEqual(await page.evaluate(boxes), withMarks);
    });

    test('a page served with Content-Security-Policy: default-src \'none\' is still annotated', async () => {
      for (const csp of ['strict', 'trusted-types']) {
        const url = server.url('csp-probe.html', csp, 'csp');
        const page = await driver.open(url);
        const state = await annotated(driver, url, 5);
        assert.equal(await page.evaluate(() => document.documentElement.dataset.inlineScript ?? null), null, `the ${csp} CSP header is enforced`);
        assert.deepEqual(
          state.annotations.map((a) => a.entry),
          ['paris', 'golan-heights', 'israel-defense-forces', 'mount-hermon', 'reuters', 'damascus'],
        );
      }
      // Without the header the probe's script runs, so the check above can fail.
      const page = await driver.open(server.url('csp-probe.html', null, 'no-csp'));
      assert.equal(await page.evaluate(() => document.documentElement.dataset.inlineScript), 'ran');
    });

    test('text areas, inputs and contenteditable regions stay untouched', async () => {
      const url = server.url('editable.html');
      const page = await driver.open(url);
      const state = await annotated(driver, url, 3);
      assert.deepEqual(
        state.annotations.map((a) => a.text),
        ['Mount Hermon', 'Golan Heights', 'Damascus'],
      );
      // Typing a name into an editor adds no mark and changes nothing the reader typed.
      await page.click('#editor p');
      await page.keyboard.type(' Also Mount Hermon.');
      await page.click('#comment');
      await page.keyboard.type(' and Golan Heights');
      await sleep(600);
      const after = await driver.state(url);
      assert.deepEqual(after.annotations.map((a) => a.text), ['Mount Hermon', 'Golan Heights', 'Damascus']);
      assert.equal(await page.evaluate(() => document.getElementById('comment').value), 'My comment on Syria and Israel and Golan Heights');
      assert.match(await page.evaluate(() => document.getElementById('editor').textContent), /Also Mount Hermon\.$/);
      assert.equal(await page.evaluate(() => document.getElementById('field').value), 'Damascus');
    });
  });

  describe('large pages', () => {
    test('a page with thousands of marks: all are found, those near the viewport are painted, and they follow scrolling', async () => {
      const url = server.url('many-marks.html', null, 'many');
      const page = await driver.open(url);
      const expected = await waitFor(() => page.evaluate(() => window.manyMarks?.expected), { message: 'the page to load' });
      const state = await waitFor(
        async () => {
          const s = await driver.state(url);
          return s.work.allMarks > 0 && s.annotations.length >= expected ? s : null;
        },
        { message: `${expected} marks`, timeout: 30000 },
      );
      assert.equal(state.annotations.length, expected);
      assert.deepEqual([...new Set(state.annotations.map((a) => a.entry))].sort(), ['damascus', 'paris']);
      // What is painted: marks within two viewport heights of the viewport, no others.
      const painted = () =>
        page.evaluate(() => {
          const out = [];
          for (const [name, highlight] of CSS.highlights) {
            if (!name.startsWith('footnote-') || name === 'footnote-active') continue;
            for (const r of highlight) {
              const range = document.createRange();
              range.setStart(r.startContainer, r.startOffset);
              range.setEnd(r.endContainer, r.endOffset);
              const box = range.getBoundingClientRect();
              out.push({ top: box.top / innerHeight, bottom: box.bottom / innerHeight, item: Number(/Item (\d+)/.exec(r.startContainer.data)?.[1]) });
            }
          }
          return out;
        });
      const near = (marks) => marks.every((m) => m.bottom >= -2.01 && m.top <= 3.01);
      const atTop = await painted();
      assert.ok(atTop.length > 10 && atTop.length <= 1000, `${atTop.length} painted at the top`);
      assert.ok(near(atTop), 'only marks near the viewport are painted');
      assert.ok(atTop.some((m) => m.item === 1), 'the first item is painted');
      assert.equal(state.work.painted, atTop.length);
      // Scrolled to the end: the marks there are painted, those at the top no longer.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const atEnd = await waitFor(async () => {
        const marks = await painted();
        return marks.some((m) => m.item === 2500) ? marks : null;
      }, { message: 'the last item to be painted' });
      assert.ok(near(atEnd), 'only marks near the viewport are painted after scrolling');
      assert.ok(!atEnd.some((m) => m.item === 1), 'the first item is no longer painted');
      // A mark painted after scrolling opens its tooltip like any other.
      const box = await page.evaluate(() => {
        const range = document.createRange();
        const p = document.querySelector('#list p:last-child').firstChild;
        range.setStart(p, p.data.indexOf('Paris'));
        range.setEnd(p, p.data.indexOf('Paris') + 5);
        const r = range.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      });
      await page.mouse.move(5, 5);
      await page.mouse.move(box.x, box.y);
      const tooltip = await waitFor(async () => (await driver.state(url)).tooltip, { message: 'the tooltip of the last Paris' });
      assert.equal(tooltip.entry, 'paris');
      await page.mouse.move(5, 5);
      await page.close();
    });

    test('a page that takes many slices to read is marked from its top before it is all read', async () => {
      const url = server.url('slow-read.html', null, 'slow');
      const page = await driver.open(url);
      const expected = await waitFor(() => page.evaluate(() => window.slowRead?.expected), { message: 'the page to load' });
      const state = await waitFor(
        async () => {
          const s = await driver.state(url);
          return s.work.allMarks > 0 ? s : null;
        },
        { message: `${expected} marks`, timeout: 30000 },
      );
      assert.equal(state.annotations.length, expected);
      assert.ok(state.work.slices > 10, `read in ${state.work.slices} slices`);
      // The first marks (at the top, where the reader is) came before the reading was done.
      assert.ok(state.work.firstMarks > 0 && state.work.firstMarks < state.work.read, `first marks at ${state.work.firstMarks} ms, read at ${state.work.read} ms`);
      const top = state.annotations[0];
      const bottom = state.annotations.at(-1);
      assert.ok(top.at < state.work.read, `the mark at the top painted at ${top.at} ms, before the read finished at ${state.work.read} ms`);
      assert.ok(bottom.at > top.at, 'the mark at the bottom painted later');
      await page.close();
    });

    test('a page opened far down is marked where the reader is first', async () => {
      const url = server.url('long.html', null, 'long');
      await driver.open(url);
      const state = await waitFor(
        async () => {
          const s = await driver.state(url);
          return s.work.allMarks > 0 ? s : null;
        },
        { message: 'all 800 marks', timeout: 20000 },
      );
      assert.equal(state.annotations.length, 800);
      // Marks near the bottom (where the page is scrolled to) came before those at the top.
      const first = state.annotations.slice(0, 50).map((a) => a.at);
      const last = state.annotations.slice(-20).map((a) => a.at);
      assert.ok(Math.max(...last) < Math.min(...first), `bottom marks at ${Math.max(...last)}, top marks from ${Math.min(...first)}`);
    });
  });

  describe('pages that change', () => {
    test('an endless feed: every new paragraph is marked, and old text is not sent again', async () => {
      const url = `${server.url('feed.html', null, 'feed')}&seconds=2`;
      const page = await driver.open(url);
      await waitFor(() => page.evaluate(() => window.feed.done), { message: 'the feed to finish', timeout: 15000 });
      const expected = await page.evaluate(() => window.feed.expectedMarks);
      const state = await waitFor(
        async () => {
          const s = await driver.state(url);
          return s.annotations.length >= expected ? s : null;
        },
        { message: `${expected} marks on the feed`, timeout: 15000 },
      );
      assert.equal(state.annotations.length, expected);
      assert.equal(await page.evaluate(() => window.feed.added), 400, 'the page added 400 paragraphs');
      // Each paragraph's text went to the background once: appending does not re-send the feed.
      const bodyChars = await page.evaluate(() => document.body.innerText.length);
      assert.ok(state.work.sentChars < bodyChars * 1.2, `sent ${state.work.sentChars} characters for a page of ${bodyChars}`);
    });

    test('a single-page app: marks follow the article that replaced the last one', async () => {
      const url = server.url('spa.html', null, 'spa');
      const page = await driver.open(url);
      for (let i = 0; i < 12; i++) {
        await page.evaluate(() => window.spa.next());
        await sleep(i % 3 === 0 ? 150 : 10);
      }
      const names = await page.evaluate(() => window.spa.names);
      const state = await waitFor(
        async () => {
          const s = await driver.state(url);
          const texts = s.annotations.map((a) => a.text);
          return JSON.stringify(texts) === JSON.stringify(names) ? s : null;
        },
        { message: `marks on exactly ${names.join(', ')}` },
      );
      assert.deepEqual(state.annotations.map((a) => a.text), names);
      assert.equal(state.work.marks, names.length, 'no marks left over from earlier articles');
    });
  });

  describe('real news pages', () => {
    // Served from 127.0.0.1 with every other request blocked: their scripts, images and trackers
    // fail to load, as they would for a reader offline.
    for (const page of ['nytimes-1.html', 'telegraph.html', 'guardian-1.html', 'lemonde-1.html', 'rtl-1.html']) {
      test(`${page}: the knowledge base's entries, as the core finds them in the page`, async () => {
        const url = server.url(page, null, 'real');
        await driver.open(url);
        const expected = cliAnnotations(page).map((a) => `${collapse(a.text)} → ${a.entry}`);
        const state = await waitFor(
          async () => {
            const s = await driver.state(url);
            return s.annotations.length >= expected.length ? s : null;
          },
          { message: `${expected.length} annotations`, timeout: 20000 },
        );
        const got = state.annotations.map((a) => `${collapse(a.text)} → ${a.entry}`);
        assert.deepEqual(got, expected);
      });
    }
  });

  describe('the tooltip', () => {
    let page;
    let url;
    let term;

    before(async () => {
      url = server.url(DEMO, null, 'tooltip');
      page = await driver.open(url);
      await annotated(driver, url, 80);
    });

    async function hoverMountHermon() {
      term = await page.evaluate(boxOfHighlightInPage, { name: 'footnote-place', text: 'Mount Hermon', nth: 0 });
      assert.ok(term, 'Mount Hermon is marked');
      await page.mouse.move(term.x + term.width / 2, term.y + term.height / 2);
    }

    test('opens after a short intent delay, with the entry, its sources and primary link', async () => {
      await page.mouse.move(5, 5);
      await hoverMountHermon();
      await sleep(100);
      assert.equal((await driver.state(url)).tooltip, null, 'not at once: the reader may be passing by');
      const tooltip = await waitFor(async () => (await driver.state(url)).tooltip, { message: 'the tooltip' });
      assert.equal(tooltip.entry, 'mount-hermon');
      assert.match(tooltip.text, /^×Places Mount Hermon|Mount Hermon/);
      assert.match(tooltip.text, /A mountain massif at the southern end of the Anti-Lebanon range/);
      assert.match(tooltip.text, /United Nations Disengagement Observer Force/);
      assert.ok(tooltip.links.some((l) => l.href === 'https://undof.unmissions.org/operations' && l.text === 'Operations'));
      assert.ok(tooltip.links.every((l) => l.href.startsWith('https://')));
    });

    test('stays inside the viewport and never covers the term', async () => {
      const { tooltip } = await driver.state(url);
      assert.ok(tooltip);
      const viewport = await page.evaluate(() => ({ width: document.documentElement.clientWidth, height: innerHeight }));
      const b = tooltip.box;
      assert.ok(b.left >= 0 && b.top >= 0 && b.right <= viewport.width && b.bottom <= viewport.height, JSON.stringify({ b, viewport }));
      const t = { left: term.x, top: term.y, right: term.x + term.width, bottom: term.y + term.height };
      const overlap = b.left < t.right && t.left < b.right && b.top < t.bottom && t.top < b.bottom;
      assert.ok(!overlap, JSON.stringify({ tooltip: b, term: t }));
    });

    test('the pointer can move into it; leaving closes it', async () => {
      const { tooltip } = await driver.state(url);
      const inside = { x: (tooltip.box.left + tooltip.box.right) / 2, y: tooltip.box.top + 20 };
      // Through the gap between the term and the tooltip, as a hand would.
      await page.mouse.move(inside.x, (term.y + term.height + tooltip.box.top) / 2);
      await page.mouse.move(inside.x, inside.y);
      await sleep(700);
      assert.equal((await driver.state(url)).tooltip?.entry, 'mount-hermon', 'still open with the pointer inside');
      await page.mouse.move(5, 5);
      await waitFor(async () => (await driver.state(url)).tooltip === null, { message: 'the tooltip to close' });
    });

    test('Escape closes it', async () => {
      await hoverMountHermon();
      await waitFor(async () => (await driver.state(url)).tooltip, { message: 'the tooltip' });
      await page.keyboard.press('Escape');
      await waitFor(async () => (await driver.state(url)).tooltip === null, { message: 'Escape to close it' });
    });

    test('keyboard focus on a link that contains a term opens its tooltip', async () => {
      await page.mouse.move(5, 5);
      await page.evaluate(() => document.querySelector('article a[href="#hermon"]').blur());
      // Tab through the page until the link inside "Mount Hermon" has the focus.
      for (let i = 0; i < 20; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(() => document.activeElement?.getAttribute('href') === '#hermon')) break;
      }
      const tooltip = await waitFor(async () => (await driver.state(url)).tooltip, { message: 'a tooltip on focus' });
      assert.equal(tooltip.entry, 'mount-hermon');
      await page.keyboard.press('Escape');
    });

    if (makeDriver.name === 'chromium' || makeDriver.accessibility) {
      test('is exposed to assistive technology as a dialog named after the entry, with its links', async () => {
        await hoverMountHermon();
        await waitFor(async () => (await driver.state(url)).tooltip, { message: 'the tooltip' });
        const nodes = await driver.accessibilityTree(page);
        const dialog = nodes.find((n) => n.role?.value === 'dialog' && n.name?.value === 'Mount Hermon');
        assert.ok(dialog, 'a dialog named "Mount Hermon"');
        const links = nodes.filter((n) => n.role?.value === 'link').map((n) => n.name?.value);
        assert.ok(links.includes('Operations'), JSON.stringify(links));
        await page.keyboard.press('Escape');
      });
    }
  });

  describe('per-site settings from the popup', () => {
    test('a category switched off on one site disappears there at once, stays on elsewhere, and survives a restart', async () => {
      const here = server.url(DEMO, null, 'site');
      const elsewhere = server.url(DEMO, null, 'site', 1);
      const pageHere = await driver.open(here);
      const pageElsewhere = await driver.open(elsewhere);
      await annotated(driver, here, 80);
      await annotated(driver, elsewhere, 80);
      const places = async (page) => ((await page.evaluate(readHighlightsInPage))['footnote-place'] ?? []).length;
      assert.ok((await places(pageHere)) > 10);

      const popup = await driver.popup(here);
      assert.equal(await popup.evaluate(() => document.getElementById('site').textContent), '127.0.0.1');
      assert.equal(await popup.evaluate(() => document.querySelector('input[data-category="place"]').checked), true);
      await popup.click('input[data-category="place"]');
      await waitFor(async () => (await places(pageHere)) === 0, { message: 'places to disappear' });
      const state = await driver.state(here);
      assert.ok(state.annotations.length > 0 && state.annotations.every((a) => a.category !== 'place'));
      assert.ok((await places(pageElsewhere)) > 10, 'another site keeps its places');
      await popup.close();

      await driver.restart();
      await driver.open(here);
      await driver.open(elsewhere);
      const afterHere = await annotated(driver, here, 20);
      const afterElsewhere = await annotated(driver, elsewhere, 80);
      assert.ok(afterHere.annotations.every((a) => a.category !== 'place'), 'still off after a restart');
      assert.ok(afterElsewhere.annotations.some((a) => a.category === 'place'));
      const popupAgain = await driver.popup(here);
      assert.equal(await popupAgain.evaluate(() => document.querySelector('input[data-category="place"]').checked), false);
      // Switch it back on: the places return without a reload.
      await popupAgain.click('input[data-category="place"]');
      await waitFor(async () => (await driver.state(here)).annotations.some((a) => a.category === 'place'), { message: 'places to return' });
      await popupAgain.close();
    });

    test('pausing Footnote on a site removes every mark there, and resuming brings them back', async () => {
      const url = server.url('csp-probe.html', null, 'pause');
      const page = await driver.open(url);
      await annotated(driver, url, 5);
      const popup = await driver.popup(url);
      await popup.click('#enabled');
      await waitFor(async () => Object.keys(await page.evaluate(readHighlightsInPage)).every((k) => k === 'footnote-active'), {
        message: 'all marks to go',
      });
      const paused = await driver.state(url);
      assert.equal(paused.enabled, false);
      assert.deepEqual(paused.annotations, []);
      assert.equal(await popup.evaluate(() => document.getElementById('categories').disabled), true);
      await popup.click('#enabled');
      await annotated(driver, url, 5);
      await popup.close();
    });
  });

  describe('framing and sourcing', () => {
    test('off by default; switched on, quotations are checked against the joint statement', async () => {
      const url = server.url(DEMO, null, 'framing', 1);
      const page = await driver.open(url);
      const before = await annotated(driver, url, 80);
      assert.ok(before.annotations.every((a) => a.category !== 'framing'), 'no framing marks until switched on');
      const popup = await driver.popup(url);
      assert.equal(await popup.evaluate(() => document.querySelector('input[data-category="framing"]').checked), false);
      await popup.click('input[data-category="framing"]');
      await popup.close();
      const expected = cliAnnotations(DEMO, [...DEFAULT_CATEGORIES, 'framing']);
      const state = await waitFor(
        async () => {
          const s = await driver.state(url);
          return s.annotations.filter((a) => a.category === 'framing').length >= expected.filter((a) => a.category === 'framing').length ? s : null;
        },
        { message: 'framing marks' },
      );
      const got = state.annotations.map((a) => ({ text: collapse(a.text), category: a.category, entry: a.entry }));
      assert.deepEqual(got, expected);

      const quote = 'quote:joint-statement-2026-01-06';
      const spliced = state.annotations.find((a) => a.entry === quote && a.text.startsWith('“Israel and the Syrian Arab Republic'));
      assert.ok(spliced, 'the spliced quotation is marked');
      const hover = async (text) => {
        await page.mouse.move(5, 5);
        await waitFor(async () => (await driver.state(url)).tooltip === null, { message: 'no tooltip' });
        const box = await page.evaluate(boxOfHighlightInPage, { name: 'footnote-framing', text, nth: 0, at: 0.3 });
        assert.ok(box, `"${text}" is marked`);
        await page.mouse.move(box.x + Math.min(20, box.width / 2), box.y + box.height / 2);
        return waitFor(async () => (await driver.state(url)).tooltip, { message: `the tooltip of ${text}` });
      };
      const joined = await hover(spliced.text);
      assert.equal(joined.entry, quote);
      assert.match(joined.text, /Quotation of: Joint statement on the trilateral meeting \(6 January 2026\)/);
      assert.match(joined.text, /Joined: the quotation puts together parts of separate sentences of the source\./);
      assert.match(joined.text, /The State of Israel and the Syrian Arab Republic \(the "Sides"\) have reached/);
      assert.match(joined.text, /Compared with the text published by MENAFN/);
      assert.ok(joined.links.some((l) => l.href.startsWith('https://menafn.com/1110563552/')));

      const notFound = await hover('“de-escalation mechanism”');
      assert.match(notFound.text, /Not found: these words do not appear in the source\./);
      assert.match(notFound.text, /Closest wording in the source/);
      assert.match(notFound.text, /military de-escalation/);
      await page.mouse.move(5, 5);

      // Back to the default, for the tests that follow.
      const again = await driver.popup(url);
      await again.click('input[data-category="framing"]');
      await again.close();
      await waitFor(async () => (await driver.state(url)).annotations.every((a) => a.category !== 'framing'), { message: 'framing marks to go' });
    });
  });

  describe('names the knowledge base lacks', () => {
    test('off by default; switched on, they are marked and their tooltip offers searches only', async () => {
      const page = 'guardian-1.html';
      const url = server.url(page, null, 'names', 1);
      const tab = await driver.open(url);
      const before = await annotated(driver, url, 5);
      assert.ok(before.annotations.every((a) => a.category !== 'names'), 'no long-tail names until switched on');
      const popup = await driver.popup(url);
      assert.equal(await popup.evaluate(() => document.querySelector('input[data-category="names"]').checked), false);
      await popup.click('input[data-category="names"]');
      await popup.close();
      const expected = cliAnnotations(page, [...DEFAULT_CATEGORIES, 'names']);
      const wanted = expected.filter((a) => a.category === 'names').length;
      assert.ok(wanted >= 5, `the core finds long-tail names on ${page}`);
      const state = await waitFor(
        async () => {
          const s = await driver.state(url);
          return s.annotations.filter((a) => a.category === 'names').length >= wanted ? s : null;
        },
        { message: 'long-tail names' },
      );
      const got = state.annotations.map((a) => ({ text: collapse(a.text), category: a.category, entry: a.entry }));
      assert.deepEqual(got, expected);

      await tab.mouse.move(5, 5);
      const box = await tab.evaluate(boxOfHighlightInPage, { name: 'footnote-names', text: 'Jamie Werner', nth: 0, at: 0.3 });
      assert.ok(box, '"Jamie Werner" is marked');
      await tab.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const tooltip = await waitFor(async () => (await driver.state(url)).tooltip, { message: 'the tooltip of an unknown name' });
      assert.equal(tooltip.entry, 'unknown-person');
      assert.match(tooltip.text, /Jamie Werner/);
      assert.match(tooltip.text, /Footnote has no verified background for this name\. It looks like the name of a person\./);
      assert.deepEqual(
        tooltip.links.map((l) => l.href),
        [
          'https://en.wikipedia.org/w/index.php?search=Jamie%20Werner&title=Special:Search',
          'https://www.wikidata.org/w/index.php?search=Jamie%20Werner',
        ],
      );
      await tab.mouse.move(5, 5);

      const again = await driver.popup(url);
      await again.click('input[data-category="names"]');
      await again.close();
      await waitFor(async () => (await driver.state(url)).annotations.every((a) => a.category !== 'names'), { message: 'long-tail names to go' });
    });
  });

  describe('reader controls', () => defineControls(() => ({ driver, server }), makeDriver));

  test('no page error happened on the pages written for these tests', () => {
    // The real news pages' own scripts fail without their remote resources; they are not
    // Footnote's errors. Firefox also reports the test pages' own blocked inline style, script
    // and favicon as page errors; Footnote's own would carry other hashes or resources.
    const own = pageInlineHashes('csp-probe.html');
    const ours = ['demo-article.html', 'csp-probe.html', 'editable.html', 'controls.html', 'dark.html', 'rtl.html'];
    const unexpected = driver.errors
      .filter((e) => ours.some((p) => e.url.includes(p)))
      .map((e) => e.message)
      .filter((m) => !(m.includes('Content-Security-Policy') && (own.some((h) => m.includes(h)) || m.includes('/favicon.ico'))));
    assert.deepEqual(unexpected, []);
  });
}
