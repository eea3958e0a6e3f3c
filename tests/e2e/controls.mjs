// End-to-end tests of the reader controls (issue "Reader controls"): the popup, the options
// page, muting, both keyboard commands, the navigator, first mention only, the tooltip
// trigger, dark pages, right-to-left pages, touch, zoom, scrolled containers, and settings
// that are migrated, damaged, imported or too large for sync. Run in both browsers by
// suite.mjs, with its driver and server.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { annotated, sleep } from './drivers.mjs';
import { ROOT, boxOfHighlightInPage, tempDir, removeDir, waitFor } from './harness.mjs';
import { contrast, decodePng, luminance } from './png.mjs';

const PAGE = 'controls.html';

/** The viewport box of the n-th mark with `text` in highlight `name`, without scrolling. */
async function markBox(page, { name, text, nth = 0 }) {
  const b = await page.evaluate(boxOfHighlightInPage, { name, text, nth, at: null });
  return b && { left: b.x, top: b.y, right: b.x + b.width, bottom: b.y + b.height };
}

const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const center = (b) => ({ x: (b.left + b.right) / 2, y: (b.top + b.bottom) / 2 });

export function defineControls(ctx, makeDriver) {
  let driver;
  let server;
  let files;

  before(() => {
    ({ driver, server } = ctx());
    files = tempDir('files');
  });

  after(async () => {
    removeDir(files);
    // Leave the profile as the other tests expect it.
    await driver.background('settings.reset').catch(() => undefined);
  });

  const reset = () => driver.background('settings.reset');
  const entries = (state) => state.annotations.map((a) => a.entry);

  async function openAnnotated(tag, site = 0, page = PAGE, min = 12) {
    const url = server.url(page, null, tag, site);
    const p = await driver.open(url);
    await annotated(driver, url, min);
    return { url, page: p };
  }

  async function hover(page, url, name, text, nth = 0) {
    await page.mouse.move(2, 2);
    const box = await page.evaluate(boxOfHighlightInPage, { name, text, nth });
    assert.ok(box, `${text} is marked`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    return { left: box.x, top: box.y, right: box.x + box.width, bottom: box.y + box.height };
  }

  const tooltipOf = (url, entry) =>
    waitFor(async () => {
      const { tooltip } = await driver.state(url);
      return tooltip?.entry === entry ? tooltip : null;
    }, { message: `the tooltip of ${entry}` });

  async function options() {
    return driver.options();
  }

  test('the popup counts each category on the page, updates the counts when one is switched off, and opens the options', async () => {
    await reset();
    const { url } = await openAnnotated('counts');
    const expected = {};
    for (const a of (await driver.state(url)).annotations) expected[a.category] = (expected[a.category] ?? 0) + 1;
    const popup = await driver.popup(url);
    const counts = () =>
      popup.evaluate(() =>
        Object.fromEntries(Array.from(document.querySelectorAll('input[data-category]')).map((i) => [i.dataset.category, i.closest('label').querySelector('.count').textContent])),
      );
    const first = await waitFor(async () => {
      const c = await counts();
      return c.place === `${expected.place} on this page` ? c : null;
    }, { message: 'the popup counts' });
    assert.equal(first.organisation, `${expected.organisation} on this page`);
    assert.equal(first.person, '0 on this page');
    await popup.click('input[data-category="organisation"]');
    await waitFor(async () => (await counts()).organisation === '', { message: 'no count for a category switched off' });
    assert.ok((await driver.state(url)).annotations.every((a) => a.category !== 'organisation'));
    assert.equal((await counts()).place, `${expected.place} on this page`);
    assert.match(await popup.evaluate(() => document.getElementById('shortcuts').textContent), /Alt\+Shift\+Comma turns Footnote on or off here/);
    await popup.click('#options');
    await waitFor(async () => (await driver.openUrls()).some((u) => u.endsWith('/extension/pages/options.html')), { message: 'the options page to open' });
    await driver.closeUrl('/extension/pages/options.html');
  });

  test('options: the defaults apply live to sites without their own settings; a site is edited, removed, added; reset brings back every default', async () => {
    await reset();
    const here = await openAnnotated('options');
    const other = await openAnnotated('options', 1);
    await driver.background('settings.site.set', { site: '127.0.0.1', patch: { categories: { organisation: false } } });
    await waitFor(async () => !entries(await driver.state(here.url)).includes('reuters'), { message: 'Reuters to go on 127.0.0.1' });
    const page = await options();
    assert.match(await page.evaluate(() => document.querySelector('#sites li[data-site="127.0.0.1"]').textContent), /127\.0\.0\.1.*Not shown: Organisations/);
    assert.equal(await page.evaluate(() => document.querySelectorAll('#sites li').length), 1);

    // Defaults: places off everywhere that has not decided otherwise.
    await page.click('#default-place');
    await waitFor(async () => (await driver.state(other.url)).annotations.every((a) => a.category !== 'place'), { message: 'places to go on 127.0.0.2' });
    await waitFor(async () => (await driver.state(here.url)).annotations.every((a) => a.category !== 'place'), { message: 'places to go on 127.0.0.1' });
    assert.ok(entries(await driver.state(other.url)).includes('reuters'), 'the other defaults stay');

    // Edit the site: organisations back on there.
    await page.click('#site-127_0_0_1-edit');
    await page.waitForSelector('#site-127_0_0_1-organisation');
    await page.click('#site-127_0_0_1-organisation');
    await waitFor(async () => entries(await driver.state(here.url)).includes('reuters'), { message: 'Reuters back on 127.0.0.1' });

    // Remove it: it follows the defaults (places off, organisations on).
    await driver.background('settings.site.set', { site: '127.0.0.1', patch: { categories: { place: true } } });
    await waitFor(async () => (await driver.state(here.url)).annotations.some((a) => a.category === 'place'), { message: 'the site\'s own places' });
    await page.waitForSelector('#site-127_0_0_1-remove');
    await page.click('#site-127_0_0_1-remove');
    await waitFor(async () => (await driver.state(here.url)).annotations.every((a) => a.category !== 'place'), { message: 'the removed site to follow the defaults' });
    await waitFor(() => page.evaluate(() => document.querySelectorAll('#sites li').length === 0 && !document.getElementById('sites-empty').hidden), { message: 'an empty site list' });

    // Add a site by name: it is paused there.
    await page.click('#add-site-name');
    await page.keyboard.type('127.0.0.2');
    await page.keyboard.press('Enter');
    await waitFor(async () => (await driver.state(other.url)).enabled === false, { message: '127.0.0.2 to be paused' });
    assert.deepEqual((await driver.state(other.url)).annotations, []);
    await page.waitForSelector('#sites li[data-site="127.0.0.2"]');

    // Reset everything, in two steps.
    await page.click('#reset');
    await page.click('#reset-yes');
    await waitFor(async () => (await driver.state(other.url)).annotations.length === 12, { message: 'all marks back on 127.0.0.2' });
    await waitFor(async () => (await driver.state(here.url)).annotations.length === 12, { message: 'all marks back on 127.0.0.1' });
    const view = await driver.background('settings.get');
    assert.deepEqual(view.settings.sites, {});
    assert.equal(view.settings.defaults.categories.place, true);
    await page.close();
  });

  test('"Don\'t mark this again" in a tooltip mutes the term on every site at once; "Mark again" in the options undoes it', async () => {
    await reset();
    const { url, page } = await openAnnotated('mute');
    const elsewhere = await openAnnotated('mute', 1);
    await page.bringToFront();
    await hover(page, url, 'footnote-place', 'Mount Hermon');
    const tooltip = await tooltipOf(url, 'mount-hermon');
    const mute = tooltip.buttons.find((b) => b.label === 'Don\'t mark Mount Hermon again');
    assert.ok(mute, JSON.stringify(tooltip.buttons));
    assert.equal(mute.text, 'Don\'t mark this again');
    const at = center(mute.box);
    await page.mouse.move(at.x, at.y, { steps: 4 });
    await page.mouse.click(at.x, at.y);
    // The marks go at once; the notice (with Undo) comes once the background has stored it.
    const muted = await waitFor(async () => {
      const s = await driver.state(url);
      return !entries(s).includes('mount-hermon') ? s : null;
    }, { message: 'Mount Hermon to go' });
    assert.equal(muted.annotations.length, 9);
    assert.equal(muted.tooltip, null);
    const notice = await waitFor(async () => (await driver.state(url)).notice.shown, { message: 'the notice' });
    assert.match(notice, /^Mount Hermon will not be marked again\..*Undo$/);
    await waitFor(async () => !entries(await driver.state(elsewhere.url)).includes('mount-hermon'), { message: 'Mount Hermon to go on the other site' });

    const opts = await options();
    assert.equal(await opts.evaluate(() => document.querySelector('#muted li[data-entry="mount-hermon"] .label').textContent), 'Mount Hermon');
    await opts.click('#muted li[data-entry="mount-hermon"] button');
    await waitFor(async () => entries(await driver.state(url)).filter((e) => e === 'mount-hermon').length === 3, { message: 'Mount Hermon marked again' });
    await waitFor(async () => entries(await driver.state(elsewhere.url)).includes('mount-hermon'), { message: 'and on the other site' });
    await waitFor(() => opts.evaluate(() => !document.getElementById('muted-empty').hidden), { message: 'the muted list to be empty' });
    await opts.close();
  });

  test('keyboard commands: both are bound to their keys; one turns Footnote off and on for the site, the other opens the navigator', async () => {
    await reset();
    const ext = await driver.extensionPage();
    const commands = await ext.evaluate(() => (globalThis.browser ?? chrome).commands.getAll());
    const shortcut = (name) => commands.find((c) => c.name === name)?.shortcut;
    assert.equal(shortcut('toggle-site'), 'Alt+Shift+Comma');
    assert.equal(shortcut('open-navigator'), 'Alt+Shift+Period');

    const { url, page } = await openAnnotated('commands');
    const tabId = await driver.tabId(url);
    // What the browser does on the shortcut (headless browsers do not route key presses to
    // extension shortcuts): run the command for this tab.
    await driver.background('command.run', { command: 'toggle-site', tabId });
    const off = await waitFor(async () => {
      const s = await driver.state(url);
      return !s.enabled && s.annotations.length === 0 && s.notice.shown ? s : null;
    }, { message: 'Footnote off on the site' });
    assert.equal(off.notice.shown, 'Footnote is off for 127.0.0.1. Alt+Shift+Comma turns it back on.');
    assert.equal((await driver.background('settings.site.get', { site: '127.0.0.1' })).settings.enabled, false);
    await driver.background('command.run', { command: 'toggle-site', tabId });
    const on = await annotated(driver, url, 12);
    assert.equal(on.notice.shown, 'Footnote is on for 127.0.0.1.');

    // The popup's button runs the navigator command.
    const popup = await driver.popup(url);
    await popup.click('#navigator');
    const nav = await waitFor(async () => {
      const s = await driver.state(url);
      return s.navigator.open && s.navigator.focused ? s.navigator : null;
    }, { message: 'the navigator with the keyboard focus' });
    assert.equal(nav.items.length, 12);
    if (!popup.isClosed()) await popup.close();
    await page.bringToFront();
    await page.keyboard.press('Escape');
    await waitFor(async () => !(await driver.state(url)).navigator.open, { message: 'Escape to close the navigator' });
  });

  test('the navigator, by keyboard only: it lists every annotation in reading order, arrows show each term and its tooltip, Tab enters the tooltip, Enter follows the first source, Escape closes', async () => {
    await reset();
    const { url, page } = await openAnnotated('navigator');
    await page.bringToFront();
    const tabId = await driver.tabId(url);
    const expected = (await driver.state(url)).annotations;
    await driver.background('command.run', { command: 'open-navigator', tabId });
    let s = await waitFor(async () => {
      const st = await driver.state(url);
      return st.navigator.open && st.navigator.focused && st.tooltip?.entry === expected[0].entry ? st : null;
    }, { message: 'the navigator at the first annotation, its tooltip open' });
    assert.deepEqual(s.navigator.items, expected.map((a) => a.text));
    assert.equal(s.navigator.active, 0);
    assert.equal(s.notice.announced, '', 'moving in the list is read by the list itself, not announced again');

    const check = async (index) => {
      const st = await waitFor(async () => {
        const x = await driver.state(url);
        return x.navigator.active === index && x.tooltip?.entry === expected[index].entry ? x : null;
      }, { message: `item ${index} and its tooltip` });
      const viewport = await page.evaluate(() => ({ width: document.documentElement.clientWidth, height: innerHeight }));
      const t = st.tooltip.box;
      const nav = st.navigator.box;
      const nth = expected.slice(0, index).filter((a) => a.text === expected[index].text).length;
      const term = await markBox(page, { name: `footnote-${expected[index].category}`, text: expected[index].text, nth });
      const where = JSON.stringify({ item: index, tooltip: t, term, nav });
      assert.ok(term.top >= 0 && term.bottom <= viewport.height, `the term is scrolled into view: ${where}`);
      assert.ok(!overlaps(term, nav), `the panel leaves the term visible: ${where}`);
      assert.ok(t.top >= 0 && t.left >= 0 && t.right <= viewport.width && t.bottom <= viewport.height, `the tooltip is in the viewport: ${where}`);
      assert.ok(!overlaps(t, term), `the tooltip leaves the term visible: ${where}`);
      // Where the page lets the term rise above the panel, its tooltip stays above the panel too.
      if (term.bottom <= nav.top - 8) assert.ok(t.bottom <= nav.top, `the tooltip is above the panel: ${where}`);
      return st;
    };
    for (let i = 1; i <= 3; i++) {
      await page.keyboard.press('ArrowDown');
      await check(i);
    }
    await page.keyboard.press('ArrowUp');
    await check(2);
    // The term inside the scrolled box (item 9, "Damascus") is scrolled into view inside the box.
    for (let i = 3; i <= 9; i++) await page.keyboard.press('ArrowDown');
    await check(9);
    const inBox = await page.evaluate(() => {
      const box = document.getElementById('box').getBoundingClientRect();
      const p = document.getElementById('boxed').getBoundingClientRect();
      return p.top >= box.top && p.bottom <= box.bottom && p.bottom > 0 && p.top < innerHeight;
    });
    assert.ok(inBox, 'the scrolled box shows the term');
    await page.keyboard.press('End');
    await check(expected.length - 1);
    await page.keyboard.press('Home');
    await check(0);

    // Tab moves into the tooltip; Escape there closes it and gives the list the keyboard again.
    await page.keyboard.press('Tab');
    s = await waitFor(async () => {
      const x = await driver.state(url);
      return x.tooltip?.focus ? x : null;
    }, { message: 'focus inside the tooltip' });
    assert.equal(s.tooltip.focus, s.tooltip.links[0].text);
    await page.keyboard.press('Escape');
    s = await waitFor(async () => {
      const x = await driver.state(url);
      return x.tooltip === null && x.navigator.open && x.navigator.focused ? x : null;
    }, { message: 'the tooltip closed, the list focused' });

    // Enter follows the first source of the active entry (the test network refuses it, and records it).
    await page.keyboard.press('ArrowDown');
    await check(1);
    const entry = await driver.background('entry.get', { id: expected[1].entry });
    const source = new URL(entry.sources[0].url);
    await page.keyboard.press('Enter');
    await waitFor(() => driver.blockedRequests.some((u) => u === source.href || u.includes(source.host)), { message: `a request for ${source.href}` });
    await page.bringToFront();

    await page.keyboard.press('Escape');
    await waitFor(async () => {
      const x = await driver.state(url);
      return !x.navigator.open && x.tooltip === null;
    }, { message: 'Escape to close the navigator' });
  });

  // The accessibility tree is read through the DevTools protocol, which Firefox does not offer
  // to its drivers; the roles and names are the same DOM in both browsers.
  if (makeDriver.name === 'chromium') {
    test('the navigator is exposed as a dialog with a listbox named for the page, one option per annotation; opening a tooltip is said through one polite live region', async () => {
      await reset();
      const { url, page } = await openAnnotated('navigator-ax');
      await page.bringToFront();
      await driver.background('command.run', { command: 'open-navigator', tabId: await driver.tabId(url) });
      await waitFor(async () => (await driver.state(url)).navigator.focused, { message: 'the navigator' });
      const nodes = await driver.accessibilityTree(page);
      const named = (role) => nodes.filter((n) => n.role?.value === role).map((n) => n.name?.value);
      assert.ok(named('dialog').includes('Annotations on this page (12)'), JSON.stringify(named('dialog')));
      assert.ok(named('listbox').includes('Annotations on this page (12)'), JSON.stringify(named('listbox')));
      const options = nodes.filter((n) => n.role?.value === 'option');
      assert.equal(options.length, 12);
      assert.match(options[0].name?.value ?? '', /^Golan Heights\s*Places$/);
      const selected = options.filter((n) => n.properties?.some((p) => p.name === 'selected' && p.value.value === true));
      assert.equal(selected.length, 1, 'one option selected');
      await page.keyboard.press('Escape');
      await waitFor(async () => !(await driver.state(url)).navigator.open, { message: 'Escape to close the navigator' });
      // A tooltip opened by the pointer is said once, through a polite status region.
      await hover(page, url, 'footnote-place', 'Mount Hermon');
      await tooltipOf(url, 'mount-hermon');
      // (A new region is given a moment before it speaks, so wait for what it says.)
      const saidBy = (tree, region) =>
        [region, ...tree.filter((n) => n.parentId === region.nodeId || region.childIds?.includes(n.nodeId))].map((n) => n.name?.value ?? '').join(' ');
      const live = await waitFor(async () => {
        const tree = await driver.accessibilityTree(page);
        const region = tree.find((n) => n.role?.value === 'status' && n.properties?.some((p) => p.name === 'live' && p.value.value === 'polite'));
        return region && /Footnote note on Mount Hermon \(Places\)/.test(saidBy(tree, region)) ? tree : null;
      }, { message: 'a polite live region saying the note opened' });
      assert.equal(live.filter((n) => n.role?.value === 'status').length, 1, 'one live region');
      await page.mouse.move(2, 2);
    });
  }

  test('first mention only: each entry is marked once, at its first mention, and the next mention takes over when the first goes', async () => {
    await reset();
    const { url, page } = await openAnnotated('first');
    const all = (await driver.state(url)).annotations;
    const firsts = all.filter((a, i) => all.findIndex((b) => b.entry === a.entry) === i);
    const opts = await options();
    await opts.click('#first-mention');
    const s = await waitFor(async () => {
      const x = await driver.state(url);
      return x.annotations.length === firsts.length ? x : null;
    }, { message: `${firsts.length} marks` });
    assert.deepEqual(entries(s), firsts.map((a) => a.entry));
    const where = () =>
      page.evaluate(() =>
        Array.from(CSS.highlights.get('footnote-place') ?? []).map((r) => `${r.startContainer.textContent.slice(r.startOffset, r.endOffset)}@${r.startContainer.parentElement.closest('[id], h1').id || 'h1'}`).sort(),
      );
    assert.deepEqual(await where(), ['Damascus@second', 'Golan Heights@h1', 'Mount Hermon@first', 'Paris@first']);
    // The heading goes: the next "Golan Heights" (in the first paragraph) is marked instead.
    await page.evaluate(() => document.querySelector('h1').remove());
    await waitFor(async () => (await where()).includes('Golan Heights@first'), { message: 'the next Golan Heights to be marked' });
    assert.equal((await driver.state(url)).annotations.filter((a) => a.entry === 'golan-heights').length, 1);
    await opts.click('#first-mention');
    await waitFor(async () => (await driver.state(url)).annotations.length === all.length - 1, { message: 'every mention back' });
    await opts.close();
  });

  test('tooltip trigger: keyboard only ignores the pointer; with a key, the tooltip opens when the key is pressed; the hover delay is kept', async () => {
    await reset();
    const { url, page } = await openAnnotated('trigger');
    const opts = await options();
    const reader = async () => (await driver.state(url)).reader.tooltip;

    await opts.click('input[name="trigger"][value="keyboard"]');
    await waitFor(async () => (await reader()).trigger === 'keyboard', { message: 'the page to follow the setting' });
    await page.bringToFront();
    await hover(page, url, 'footnote-place', 'Mount Hermon');
    await sleep(900); // three times the hover delay: a tooltip would be open by now
    assert.equal((await driver.state(url)).tooltip, null, 'no tooltip from the pointer');

    await opts.click('input[name="trigger"][value="modifier"]');
    await waitFor(async () => (await reader()).trigger === 'modifier', { message: 'the modifier trigger' });
    assert.equal((await reader()).modifier, 'Shift');
    await page.bringToFront();
    await hover(page, url, 'footnote-place', 'Mount Hermon');
    await sleep(900);
    assert.equal((await driver.state(url)).tooltip, null, 'not without the key');
    await page.keyboard.down('Shift');
    await tooltipOf(url, 'mount-hermon');
    await page.keyboard.up('Shift');
    await page.mouse.move(2, 2);
    await waitFor(async () => (await driver.state(url)).tooltip === null, { message: 'the tooltip to close' });

    await opts.click('input[name="trigger"][value="hover"]');
    await opts.evaluate(() => {
      const input = document.getElementById('hover-delay');
      input.value = '1200';
      input.dispatchEvent(new Event('change'));
    });
    await waitFor(async () => {
      const r = await reader();
      return r.trigger === 'hover' && r.hoverDelay === 1200;
    }, { message: 'a 1200 ms hover delay' });
    await page.bringToFront();
    await hover(page, url, 'footnote-place', 'Mount Hermon');
    const start = Date.now();
    await sleep(600);
    assert.equal((await driver.state(url)).tooltip, null, 'not after half the delay');
    await tooltipOf(url, 'mount-hermon');
    assert.ok(Date.now() - start >= 1000, `opened after ${Date.now() - start} ms`);
    await page.mouse.move(2, 2);
    await opts.close();
  });

  test('a tooltip on a dark page, in dark mode: dark background, light text, readable (screenshot)', async () => {
    const dark = await makeDriver().start({ colorScheme: 'dark' });
    try {
      const url = server.url('dark.html', null, 'dark');
      const page = await dark.open(url);
      await annotated(dark, url, 5);
      await page.mouse.move(2, 2);
      const box = await page.evaluate(boxOfHighlightInPage, { name: 'footnote-place', text: 'Mount Hermon', nth: 0, at: 0.3 });
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const tooltip = await waitFor(async () => (await dark.state(url)).tooltip, { message: 'the tooltip' });
      const rgb = (css) => css.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
      assert.ok(luminance(...rgb(tooltip.colors.background)) < 0.05, `dark background: ${tooltip.colors.background}`);
      assert.ok(luminance(...rgb(tooltip.colors.text)) > 0.6, `light text: ${tooltip.colors.text}`);
      // What was painted: the most common colour of the card is its dark background, and its
      // text stands out from it.
      const b = tooltip.box;
      const shot = await page.screenshot({ clip: { x: Math.ceil(b.left) + 2, y: Math.ceil(b.top) + 2, width: Math.floor(b.right - b.left) - 4, height: Math.floor(b.bottom - b.top) - 4 } });
      mkdirSync(join(ROOT, 'out'), { recursive: true });
      writeFileSync(join(ROOT, 'out', `dark-tooltip-${dark.name}.png`), shot);
      const { pixels } = decodePng(shot);
      const counts = new Map();
      let brightest = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const key = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
        counts.set(key, (counts.get(key) ?? 0) + 1);
        brightest = Math.max(brightest, luminance(pixels[i], pixels[i + 1], pixels[i + 2]));
      }
      const [mode] = [...counts.entries()].sort((x, y) => y[1] - x[1])[0];
      const bg = luminance(mode >> 16, (mode >> 8) & 255, mode & 255);
      assert.ok(bg < 0.05, `painted background luminance ${bg.toFixed(3)}`);
      assert.ok(contrast(bg, brightest) >= 7, `text contrast ${contrast(bg, brightest).toFixed(1)}:1`);
      // The page itself is dark, and the marks were painted on it.
      assert.ok(luminance(...rgb(await page.evaluate(() => getComputedStyle(document.body).backgroundColor))) < 0.02);
    } finally {
      await dark.close();
    }
  });

  test('a right-to-left page: the tooltip lines up with the term\'s right edge, stays in the viewport, never covers the term; the navigator docks on the left', async () => {
    await reset();
    const { url, page } = await openAnnotated('rtl', 0, 'rtl.html', 4);
    await page.bringToFront();
    const term = await hover(page, url, 'footnote-place', 'Mount Hermon');
    const tooltip = await tooltipOf(url, 'mount-hermon');
    const viewport = await page.evaluate(() => ({ width: document.documentElement.clientWidth, height: innerHeight }));
    const b = tooltip.box;
    assert.ok(Math.abs(b.right - term.right) < 1.5 || b.left <= 8.5, `right edges line up: ${JSON.stringify({ b, term })}`);
    assert.ok(b.left >= 0 && b.right <= viewport.width && b.top >= 0 && b.bottom <= viewport.height, JSON.stringify(b));
    assert.ok(!overlaps(b, term));
    await page.mouse.move(2, 2);
    await driver.background('command.run', { command: 'open-navigator', tabId: await driver.tabId(url) });
    const nav = await waitFor(async () => (await driver.state(url)).navigator.box, { message: 'the navigator' });
    assert.ok(nav.left <= 8.5 && nav.right < viewport.width / 2 + 200, `docked on the left: ${JSON.stringify(nav)}`);
    await page.keyboard.press('Escape');
    await waitFor(async () => !(await driver.state(url)).navigator.open, { message: 'the navigator to close' });
  });

  test('page zoom: at 200 % the tooltip grows with the page and still fits the viewport, beside a term at the right edge', async () => {
    await reset();
    const { url, page } = await openAnnotated('zoom');
    const tabId = await driver.tabId(url);
    const ext = await driver.extensionPage();
    const setZoom = (factor) => ext.evaluate(({ tabId, factor }) => (globalThis.browser ?? chrome).tabs.setZoom(tabId, factor), { tabId, factor });
    const before = await page.evaluate(() => ({ width: innerWidth, ratio: devicePixelRatio }));
    await setZoom(2);
    try {
      await waitFor(() => page.evaluate((w) => innerWidth <= w / 2 + 20, before.width), { message: 'the page to zoom' });
      await page.bringToFront();
      const term = await hover(page, url, 'footnote-organisation', 'Reuters', 1);
      const tooltip = await tooltipOf(url, 'reuters');
      const now = await page.evaluate(() => ({ width: document.documentElement.clientWidth, height: innerHeight, ratio: devicePixelRatio }));
      assert.ok(Math.abs(now.ratio - before.ratio * 2) < 0.01, `zoomed: ${JSON.stringify({ before, now })}`);
      assert.equal(tooltip.fontSize, '14px', 'CSS pixels, which the zoom enlarges');
      const b = tooltip.box;
      assert.ok(b.left >= 0 && b.right <= now.width && b.top >= 0 && b.bottom <= now.height, JSON.stringify({ b, now }));
      assert.ok(!overlaps(b, term));
    } finally {
      await setZoom(1);
      await page.mouse.move(2, 2);
    }
  });

  test('a scrolled container: the tooltip follows its term as the box scrolls, stays clear of it, and closes when the term scrolls out of the box', async () => {
    await reset();
    const { url, page } = await openAnnotated('scroller');
    await page.bringToFront();
    await page.evaluate(() => {
      window.scrollTo(0, 0);
      const box = document.getElementById('box');
      box.scrollIntoView({ block: 'center' });
      // The term in the middle of the box.
      const p = document.getElementById('boxed').getBoundingClientRect();
      const b = box.getBoundingClientRect();
      box.scrollTop += p.top - (b.top + b.height / 2);
    });
    await page.mouse.move(2, 2);
    const term = await markBox(page, { name: 'footnote-place', text: 'Damascus', nth: 1 });
    await page.mouse.move((term.left + term.right) / 2, (term.top + term.bottom) / 2);
    const t1 = await tooltipOf(url, 'damascus');
    assert.ok(!overlaps(t1.box, term));
    await page.evaluate(() => {
      document.getElementById('box').scrollTop += 30;
    });
    const t2 = await waitFor(async () => {
      const t = (await driver.state(url)).tooltip;
      return t && Math.abs(t.box.top - t1.box.top) > 10 ? t : null;
    }, { message: 'the tooltip to follow the term' });
    const moved = await markBox(page, { name: 'footnote-place', text: 'Damascus', nth: 1 });
    assert.ok(!overlaps(t2.box, moved), JSON.stringify({ tooltip: t2.box, moved }));
    await page.evaluate(() => {
      document.getElementById('box').scrollTop += 400;
    });
    await waitFor(async () => (await driver.state(url)).tooltip === null, { message: 'the tooltip to close with its term out of view' });
  });

  // Chromium: DevTools touch emulation; Firefox: WebDriver BiDi touch actions (drivers.mjs).
  test('touch: a tap on a term opens its tooltip, a swipe does not close it, a tap elsewhere does', async () => {
    await reset();
    const { url, page } = await openAnnotated('touch');
    await page.bringToFront();
    const box = await page.evaluate(boxOfHighlightInPage, { name: 'footnote-place', text: 'Mount Hermon', nth: 0, at: 0.3 });
    await driver.touch(page, box.x + box.width / 2, box.y + box.height / 2);
    const tooltip = await tooltipOf(url, 'mount-hermon');
    await waitFor(async () => /Footnote note on Mount Hermon \(Places\)/.test((await driver.state(url)).notice.announced), {
      message: 'the tooltip announced once, politely',
    });
    await driver.touch(page, 12, tooltip.box.bottom + 40, 30);
    await sleep(400);
    assert.equal((await driver.state(url)).tooltip?.entry, 'mount-hermon', 'a swipe is not a tap');
    await driver.touch(page, 12, box.y + box.height / 2);
    await waitFor(async () => (await driver.state(url)).tooltip === null, { message: 'a tap elsewhere to close it' });
    // Closed, the live region is empty again: its words are not left for find-in-page.
    assert.equal((await driver.state(url)).notice.announced, '');
  });

  test('settings stored by every earlier version are read: version 0 (unversioned) and version 1', async () => {
    const written = [
      { sites: { '127.0.0.2': { enabled: false } } },
      { version: 1, defaults: { enabled: true, categories: { person: true, organisation: true, place: true, document: true, term: false } }, sites: { '127.0.0.2': { enabled: false } } },
    ];
    for (const stored of written) {
      await driver.storage('sync', null);
      await driver.storage('local', null);
      await driver.storage('local', { settings: stored });
      // The background reads storage again when it changes; wait until it has this version's.
      const view = await waitFor(async () => {
        const v = await driver.background('settings.get');
        return v.settings.sites['127.0.0.2'] && v.settings.defaults.categories.term === (stored.version !== 1) ? v : null;
      }, { message: 'the stored settings to be read' });
      assert.equal(view.settings.version, 2);
      assert.deepEqual(view.problems, []);
      assert.deepEqual(view.settings.muted, []);
      assert.equal(view.settings.tooltip.trigger, 'hover');
      assert.equal(view.settings.defaults.categories.term, stored.version === 1 ? false : true);
      const url = server.url('csp-probe.html', null, `v${stored.version ?? 0}`, 1);
      await driver.open(url);
      await waitFor(async () => (await driver.state(url)).site === '127.0.0.2', { message: 'the page' });
      assert.equal((await driver.state(url)).enabled, false, 'paused as version ' + (stored.version ?? 0) + ' said');
    }
    await reset();
  });

  test('damaged stored settings: each wrong value falls back alone, the rest is kept, and the options page reports it until dismissed', async () => {
    await driver.storage('sync', null);
    await driver.storage('local', null);
    await driver.storage('local', {
      settings: {
        version: 2,
        sites: { '127.0.0.1': { enabled: 'nope' }, '127.0.0.2': { categories: { place: false } } },
        muted: 5,
        tooltip: { trigger: 'hover', hoverDelay: 'slow', modifier: 'Shift' },
        firstMentionOnly: true,
        colour: 'red',
      },
    });
    await waitFor(async () => (await driver.background('settings.get')).settings.firstMentionOnly, { message: 'the damaged settings to be read' });
    const page = await options();
    await page.waitForSelector('#problems:not([hidden])');
    const report = await page.evaluate(() => Array.from(document.querySelectorAll('#problem-list li')).map((li) => li.textContent));
    assert.deepEqual(report.sort(), [
      'colour is not a setting Footnote knows',
      'muted was not a list',
      'sites["127.0.0.1"].enabled was not on or off',
      'tooltip.hoverDelay was outside the allowed range',
    ]);
    const view = await driver.background('settings.get');
    assert.equal(view.settings.sites['127.0.0.2'].categories.place, false, 'the other site kept');
    assert.equal(view.settings.firstMentionOnly, true, 'first mention only kept');
    const url = server.url(PAGE, null, 'damaged', 1);
    await driver.open(url);
    const s = await annotated(driver, url, 1);
    // Places off on this site, first mention only: Reuters, once.
    assert.deepEqual(entries(s), ['reuters']);
    // The repaired settings were written back; the report stays until it is dismissed.
    const stored = await driver.storage('local');
    assert.equal(stored.settings.firstMentionOnly, true);
    assert.equal(stored.settings.colour, undefined);
    await page.click('#problems-dismiss');
    await page.waitForSelector('#problems[hidden]', { state: 'attached' });
    await page.close();
    const again = await options();
    assert.equal(await again.evaluate(() => document.getElementById('problems').hidden), true);
    await again.close();
    await reset();
  });

  test('export and import: a truncated or damaged file is refused with the reason and changes nothing; an exported file, or one from version 1, imports', async () => {
    await reset();
    await driver.background('entry.mute', { id: 'reuters', muted: true });
    await driver.background('settings.site.set', { site: '127.0.0.2', patch: { enabled: false } });
    const page = await options();
    await page.click('#export');
    await waitFor(() => page.evaluate(() => document.getElementById('export-link').href.startsWith('blob:')), { message: 'the export' });
    const text = await page.evaluate(() => fetch(document.getElementById('export-link').href).then((r) => r.text()));
    const exported = JSON.parse(text);
    assert.equal(exported.format, 'footnote-settings');
    assert.deepEqual(exported.muted, ['reuters']);
    assert.match(await page.evaluate(() => document.getElementById('export-link').download), /^footnote-settings-\d{4}-\d{2}-\d{2}\.json$/);
    const before = (await driver.background('settings.get')).settings;

    const refused = [
      ['truncated.json', text.slice(0, Math.floor(text.length / 2)), /not complete JSON \(it may have been cut short\).*Nothing was changed\./],
      ['wrong-type.json', JSON.stringify({ ...exported, firstMentionOnly: 'yes' }), /not valid: firstMentionOnly was not on or off\. Nothing was changed\./],
      ['other.json', '{"hello": "world"}', /does not hold Footnote settings\. Nothing was changed\./],
      ['newer.json', JSON.stringify({ ...exported, version: 7 }), /newer version of Footnote.*Nothing was changed\./],
    ];
    for (const [name, content, message] of refused) {
      writeFileSync(join(files, name), content);
      await page.evaluate(() => {
        document.getElementById('backup-status').textContent = '';
      });
      await driver.uploadFile(page, '#import-file', join(files, name));
      const status = await waitFor(() => page.evaluate(() => document.getElementById('backup-status').textContent), { message: `the result of importing ${name}` });
      assert.match(status, message, name);
      assert.equal(await page.evaluate(() => document.getElementById('backup-status').className), 'error');
      assert.deepEqual((await driver.background('settings.get')).settings, before, `${name} changed nothing`);
    }

    writeFileSync(join(files, 'good.json'), JSON.stringify({ ...exported, muted: ['mount-hermon'], firstMentionOnly: true }));
    await driver.uploadFile(page, '#import-file', join(files, 'good.json'));
    await waitFor(() => page.evaluate(() => /Settings imported: 1 sites with their own settings, 1 muted terms\./.test(document.getElementById('backup-status').textContent)), { message: 'the import' });
    let now = (await driver.background('settings.get')).settings;
    assert.deepEqual(now.muted, ['mount-hermon']);
    assert.equal(now.firstMentionOnly, true);
    assert.equal(now.sites['127.0.0.2'].enabled, false);
    assert.equal(await page.evaluate(() => document.getElementById('first-mention').checked), true, 'the page shows what was imported');

    writeFileSync(join(files, 'v1.json'), JSON.stringify({ format: 'footnote-settings', version: 1, sites: { 'example.org': { enabled: false } } }));
    await driver.uploadFile(page, '#import-file', join(files, 'v1.json'));
    await waitFor(() => page.evaluate(() => document.querySelector('#sites li[data-site="example.org"]') !== null), { message: 'the version 1 file' });
    now = (await driver.background('settings.get')).settings;
    assert.deepEqual(Object.keys(now.sites), ['example.org']);
    assert.deepEqual(now.muted, []);
    await page.close();
    await reset();
  });

  test('settings too large for sync are kept on this device, and the options page says so', async () => {
    await reset();
    const page = await options();
    await waitFor(() => page.evaluate(() => document.getElementById('storage').dataset.area === 'sync'), { message: 'settings in sync' });
    const sites = {};
    for (let i = 0; i < 300; i++) sites[`site-${i}.example.com`] = { enabled: false };
    writeFileSync(join(files, 'large.json'), JSON.stringify({ format: 'footnote-settings', version: 2, sites }));
    await driver.uploadFile(page, '#import-file', join(files, 'large.json'));
    await waitFor(() => page.evaluate(() => document.getElementById('storage').dataset.reason === 'too-large'), { message: 'the too-large note' });
    assert.match(await page.evaluate(() => document.getElementById('storage').textContent), /on this device only: at \d+\.\d KB they are larger than sync storage allows/);
    const local = await driver.storage('local');
    const sync = await driver.storage('sync');
    assert.equal(Object.keys(local.settings.sites).length, 300);
    assert.ok(Object.keys(sync.settings?.sites ?? {}).length < 300, 'sync keeps its older, smaller copy');
    assert.ok(local.settingsSavedAt > (sync.settingsSavedAt ?? 0), 'the local copy is newer, so it wins');
    assert.equal(Object.keys((await driver.background('settings.get')).settings.sites).length, 300);
    await page.click('#reset');
    await page.click('#reset-yes');
    await waitFor(() => page.evaluate(() => document.getElementById('storage').dataset.area === 'sync'), { message: 'back in sync' });
    await page.close();
  });
}
