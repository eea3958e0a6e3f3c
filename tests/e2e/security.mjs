// Page integrity and security, in each browser with the packaged extension (dist/<browser>/):
//
// - every real news page and the demo article: Footnote marks what the core finds, and
//   changes nothing else: text and DOM, element boxes, the page's click, selection and copy
//   handlers, what is copied, what find-in-page finds; no error, no long task;
// - hostile and odd pages (written here, generated in the page by script where large);
// - messages, UI surfaces, web-accessible resources, permissions;
// - no network request from Footnote, on any page or action of this suite, checked by
//   request interception and by the browser's own network log.
//
// Pages are compared with themselves: each is opened on a site where Footnote is paused (it
// waits for settings and does nothing else), measured and exercised (phase A), then Footnote
// is switched on for the site, marks the page, and the same is measured again with a tooltip
// open (phase B).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sleep } from './drivers.mjs';
import { HOSTS, ROOT, startServer, waitFor } from './harness.mjs';
import {
  chooseTermInPage,
  compareBoxesInPage,
  findCountsInPage,
  fingerprintInPage,
  installProbesInPage,
  locateInPage,
  quietForInPage,
  recordBoxesInPage,
  resetHeartbeatInPage,
  startHeartbeatInPage,
  stopHeartbeatInPage,
} from './in-page.mjs';
import { hostOf, hostsNamedIn, readFirefoxLog, readNetLog } from './network.mjs';
import { decodePng } from './png.mjs';

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'pages');
const OWN_PAGES = join(ROOT, 'tests', 'e2e', 'pages');
/** The demo article and the twelve real news pages. */
const REAL_PAGES = readdirSync(FIXTURES).filter((f) => f.endsWith('.html')).sort();
/** Pages are measured on the second test site, where Footnote starts paused. */
const PAUSED_SITE = 1;
/** The longest task Footnote may cause on a page (ms). */
const LONGEST_TASK = 200;
/** Where the network check's control requests go (never resolved: .invalid). */
const CONTROL_URL = 'https://footnote-network-check.invalid/control';

const collapse = (s) => s.replace(/\s+/g, ' ');

/** What the `footnote` command finds in a page: `text → entry` lines, in reading order. */
export function cliAnnotations(page) {
  const bin = join(ROOT, 'target', 'debug', 'footnote');
  if (!existsSync(bin)) throw new Error('target/debug/footnote is missing: run cargo build (or cargo test) first');
  const file = [join(OWN_PAGES, page), join(FIXTURES, page)].find(existsSync);
  return execFileSync(bin, ['annotate', file], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .map((f) => `${collapse(f.text)} → ${f.entry}`);
}

const shown = (state) => state.annotations.map((a) => `${collapse(a.text)} → ${a.entry}`);

export function defineSecuritySuite(makeDriver) {
  let server;
  let driver;
  const pausedSite = HOSTS[PAUSED_SITE];

  async function setSite(site, patch) {
    const reply = await driver.background({ type: 'settings.site.set', site, patch });
    assert.ok(reply?.ok, `settings changed: ${JSON.stringify(reply)}`);
  }

  before(async () => {
    server = await startServer();
    driver = await makeDriver().start({ networkLog: true });
    await setSite(pausedSite, { enabled: false });
  });

  after(async () => {
    await driver?.close();
    await server?.close();
  });

  /** Footnote's own warnings and errors so far, from every context. */
  async function extensionLog() {
    const background = driver.backgroundLog ? await driver.backgroundLog() : [];
    return [...driver.extensionLog, ...background];
  }

  /** Opens `url` and waits until the page has loaded and, if it has one, says it is ready. */
  async function openPage(url) {
    const page = await driver.open(url);
    await page.bringToFront();
    await waitFor(() => page.evaluate(() => document.readyState === 'complete' && (window.hostile?.ready ?? true)), {
      message: `${url} to load`,
      timeout: 30000,
    });
    return page;
  }

  /**
   * Switches Footnote on for the paused site and waits until it has marked the page: at least
   * `min` marks and the whole page read. Meanwhile a heartbeat in the page measures the longest
   * task; it starts once the page itself has been quiet for half a second.
   */
  async function annotateMeasured(page, url, min) {
    await page.evaluate(startHeartbeatInPage);
    await waitFor(async () => (await page.evaluate(quietForInPage)) > 500, { message: 'the page to settle', timeout: 30000 });
    await page.evaluate(resetHeartbeatInPage);
    await setSite(pausedSite, { enabled: true });
    const state = await waitFor(
      async () => {
        const s = await driver.state(url);
        return s.enabled && s.work.allMarks > 0 && s.annotations.length >= min ? s : null;
      },
      { message: `${min} marks on ${url}`, timeout: 60000, interval: 100 },
    );
    // Painting the marks comes after: wait until the page has been quiet for a while.
    await waitFor(async () => (await page.evaluate(quietForInPage)) > 300, { message: 'the page to settle', timeout: 30000 });
    const heartbeat = await page.evaluate(stopHeartbeatInPage);
    assert.ok(heartbeat.max < LONGEST_TASK, `a task of ${heartbeat.max} ms (${heartbeat.long.join(', ')}) while Footnote marked ${url}`);
    assert.ok(state.work.longestMs < LONGEST_TASK, `Footnote's longest slice took ${state.work.longestMs} ms`);
    return state;
  }

  async function pauseAndClose(page) {
    await setSite(pausedSite, { enabled: false });
    await page.close();
  }

  /** Errors the page reported, and Footnote's warnings, since `mark` (from `marks()`). */
  function marks() {
    return { errors: driver.errors.length, log: driver.extensionLog.length };
  }

  async function assertNoErrors(url, since, { pageErrors = true } = {}) {
    const errors = driver.errors.slice(since.errors).filter((e) => e.url === url);
    if (pageErrors) assert.deepEqual(errors.map((e) => e.message), [], `errors in ${url}`);
    assert.deepEqual((await extensionLog()).slice(0), [], "Footnote's warnings and errors");
  }

  /**
   * Phase A or B on a page: hover the chosen term (B: wait for its tooltip), record every box,
   * click it, double-click it and copy the word, select everything and copy it; then count
   * find-in-page matches and fingerprint the document.
   */
  async function exercise(page, url, term, findTexts, phase) {
    await page.evaluate(() => window.__probes.take());
    const at = await page.evaluate(locateInPage, term);
    assert.ok(at, `"${term.text}" found again`);
    await page.mouse.move(5, 5);
    await page.mouse.move(at.x, at.y);
    if (phase === 'B' && term.annotated) {
      const tooltip = await waitFor(async () => (await driver.state(url)).tooltip, { message: `the tooltip of "${term.text}"` });
      assert.ok(tooltip.entry);
    }
    await page.evaluate(recordBoxesInPage, phase);
    const out = { boxes: phase };
    await driver.click(page, at.x, at.y, 1);
    await driver.click(page, at.x, at.y, 2);
    out.word = await copy(page, `${phase}-word`);
    await page.keyboard.down('Control');
    await page.keyboard.press('a');
    await page.keyboard.up('Control');
    out.all = await copy(page, `${phase}-all`);
    out.events = await page.evaluate(() => window.__probes.take());
    if (phase === 'B' && term.annotated) {
      // The tooltip stayed open through all of that (clicks on its own term keep it).
      assert.ok((await driver.state(url)).tooltip, 'the tooltip is still open');
    }
    await page.keyboard.press('Escape');
    await page.mouse.move(5, 5);
    await waitFor(async () => (await driver.state(url)).tooltip === null, { message: 'the tooltip to close' });
    out.finds = await page.evaluate(findCountsInPage, findTexts);
    out.dom = await page.evaluate(fingerprintInPage);
    return out;
  }

  /** Copies the selection with the keyboard and returns what the clipboard then holds. */
  async function copy(page, sentinel) {
    await page.evaluate((s) => navigator.clipboard.writeText(s), sentinel);
    await page.keyboard.down('Control');
    await page.keyboard.press('c');
    await page.keyboard.up('Control');
    // Nothing selected (a page that shows no text): nothing is copied, the sentinel stays.
    const end = Date.now() + 3000;
    for (;;) {
      const text = await page.evaluate(() => navigator.clipboard.readText());
      if (text !== sentinel) return { text };
      if (Date.now() > end) return { text: null };
      await sleep(50);
    }
  }

  describe('real pages: Footnote marks what the core finds and changes nothing else', () => {
    for (const file of REAL_PAGES) {
      test(file, async () => {
        const url = server.url(file, null, 'integrity', PAUSED_SITE);
        const expected = cliAnnotations(file);
        const page = await openPage(url);
        try {
          await driver.allowClipboard(new URL(url).origin);
          await page.evaluate(installProbesInPage);
          const texts = [...new Set(expected.map((a) => a.split(' → ')[0]))];
          let term = await page.evaluate(chooseTermInPage, texts);
          if (term === null) {
            // Only a page that shows no text at all has nothing to click on.
            assert.equal(await page.evaluate(() => document.body.innerText.trim()), '', 'a term to click');
            term = { text: null, nth: 0, annotated: false };
          }
          const findTexts = [...texts.slice(0, 6), 'the', ...(term.text ? [term.text] : [])];
          const a = await exercise(page, url, term, findTexts, 'A');
          assert.deepEqual(a.dom.outside.filter((o) => o.tag === 'div' && o.children === 0), [], 'no Footnote element while paused');

          const since = marks();
          const state = await annotateMeasured(page, url, expected.length);
          assert.deepEqual(shown(state), expected, 'the marks are what the core finds');
          const b = await exercise(page, url, term, findTexts, 'B');

          // Text and DOM: the same, apart from one empty element added to <html>, Footnote's host.
          assert.equal(b.dom.hash, a.dom.hash, 'the text and DOM are unchanged');
          assert.equal(b.dom.nodes, a.dom.nodes);
          const added = b.dom.outside.slice(a.dom.outside.length);
          assert.deepEqual(b.dom.outside.slice(0, a.dom.outside.length), a.dom.outside);
          if (term.annotated) {
            assert.equal(added.length, 1, `one host element: ${JSON.stringify(added)}`);
            assert.equal(added[0].tag, 'div');
            assert.equal(added[0].children, 0, 'its content is in a closed shadow root');
            assert.equal(added[0].text, '');
          }
          // Boxes, with the tooltip open, equal those of the page without Footnote.
          assert.deepEqual(await page.evaluate(compareBoxesInPage, ['A', 'B']), [], 'no element moved or changed size');
          // The page's handlers saw the same events, nothing prevented; the same was copied.
          assert.deepEqual(b.events, a.events, "the page's own handlers saw the same events");
          assert.ok(a.events.log.some((l) => l.startsWith('last click')), 'the click reached the page');
          assert.equal(b.word.text, a.word.text, 'the copied word');
          assert.equal(b.all.text, a.all.text, 'the copied page');
          assert.deepEqual(b.finds, a.finds, 'find in page finds the same');
          if (term.text !== null) {
            assert.ok(a.all.text?.includes(term.text), 'select all and copy copied the page');
            assert.ok(a.word.text.includes(term.text.split(/\s/)[0]), `copied "${a.word.text}" for "${term.text}"`);
            assert.ok(a.finds[term.text] > term.nth, 'find in page finds the term');
          }
          await assertNoErrors(url, since);
        } finally {
          await pauseAndClose(page);
        }
      });
    }
  });
}
