// Shared by the end-to-end tests and the demo: a local web server for test pages, and the two
// browsers with the built extension loaded (Chromium through playwright-core, Firefox ESR
// through puppeteer-core; both use the Debian browsers, never downloaded ones).

import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env.FOOTNOTE_CHROMIUM ?? '/usr/bin/chromium';
export const FIREFOX = process.env.FOOTNOTE_FIREFOX ?? '/usr/bin/firefox-esr';
export const GECKO_ID = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')).browser_specific_settings.gecko.id;
/** Fixed internal UUID for the Firefox add-on, so tests can open its pages. */
export const FIREFOX_UUID = '2f9c1c52-6f0e-4d0c-9a51-7f3c7c1f0e11';

const PAGE_DIRS = [join(ROOT, 'tests', 'e2e', 'pages'), join(ROOT, 'tests', 'fixtures', 'pages')];

/** Content-Security-Policy headers a test page can be served with (`?csp=<name>`). */
export const CSP = {
  none: null,
  strict: "default-src 'none'",
  self: "script-src 'self'",
  'trusted-types': "default-src 'none'; script-src 'none'; style-src 'none'; require-trusted-types-for 'script'; trusted-types 'none'",
  // The strictest policy a page can set and still run its own code: only scripts and styles
  // carrying the page's nonce, trusted types required, and no policy may be created.
  'nonce-trusted-types':
    "default-src 'none'; script-src 'nonce-footnote-test'; style-src 'nonce-footnote-test'; require-trusted-types-for 'script'; trusted-types 'none'",
};

/** The loopback addresses pages are served from: two, so that tests have two sites. */
export const HOSTS = ['127.0.0.1', '127.0.0.2'];

/**
 * Serves the test pages on 127.0.0.1 and 127.0.0.2 (random ports): `/<file>.html?csp=<name>`.
 * Every request is recorded in `requests`.
 */
export async function startServer() {
  const requests = [];
  const handler = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    const name = normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '');
    const file = PAGE_DIRS.map((d) => join(d, name)).find((f) => !name.includes('..') && existsSync(f) && f.endsWith('.html'));
    if (file === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
    const csp = CSP[url.searchParams.get('csp') ?? 'none'];
    if (csp) headers['content-security-policy'] = csp;
    res.writeHead(200, headers);
    res.end(readFileSync(file));
  };
  const servers = await Promise.all(
    HOSTS.map(async (host) => {
      const server = createServer(handler);
      await new Promise((ok) => server.listen(0, host, ok));
      return { host, server, port: server.address().port };
    }),
  );
  return {
    /**
     * The page's URL; `tag` makes it unique, so that each test finds its own tab; `site` 1
     * serves it from the second address, another site for Footnote's settings.
     */
    url: (page, csp, tag, site = 0) => {
      const { host, port } = servers[site];
      const params = new URLSearchParams();
      if (csp) params.set('csp', csp);
      if (tag) params.set('case', tag);
      const query = params.toString();
      return `http://${host}:${port}/${page}${query ? `?${query}` : ''}`;
    },
    requests,
    close: () => Promise.all(servers.map(({ server }) => new Promise((ok) => server.close(ok)))),
  };
}

/**
 * A local proxy that refuses every request (403; CONNECT tunnels too) and records what was
 * asked for: Firefox sends all traffic but the test servers' to it, so nothing leaves the
 * machine and every attempt is visible.
 */
export async function startBlocker() {
  const blocked = [];
  const server = createServer((req, res) => {
    blocked.push(req.url);
    res.writeHead(403, { 'content-type': 'text/plain' });
    res.end('blocked by the test harness');
  });
  server.on('connect', (req, socket) => {
    blocked.push(`https://${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { port: server.address().port, blocked, close: () => new Promise((ok) => server.close(ok)) };
}

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), `footnote-${prefix}-`));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

// --- Chromium -------------------------------------------------------------------------------

/** Launches Chromium with the extension at `extensionDir`, on the profile `userDataDir`. */
export async function launchChromium(extensionDir, userDataDir, options = {}) {
  const { chromium } = await import('playwright-core');
  // Chromium's own network log (NetLog): every request and host lookup of every context.
  const netLog = options.netLog ? [`--log-net-log=${options.netLog}`] : [];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false, // --headless=new below: the old headless mode cannot load extensions
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport: options.viewport ?? { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--lang=en-US',
      ...netLog,
    ],
  });
  // Nothing but the local test server may be reached. Every request of a page, an extension
  // page or the extension's service worker is recorded with where it came from; `blocked`
  // lists the addresses refused.
  const requests = [];
  const blocked = [];
  await context.route(/^https?:/, (route) => {
    const request = route.request();
    const url = request.url();
    const worker = request.serviceWorker();
    let from = worker?.url() ?? '';
    if (worker === null) {
      try {
        from = request.frame().url();
      } catch {
        from = '';
      }
    }
    requests.push({ url, from });
    if (HOSTS.includes(new URL(url).hostname)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15000 }));
  const extensionId = new URL(worker.url()).host;
  return { context, worker, extensionId, requests, blocked };
}

/** Sends a TabApi request to the content script of the tab showing `pageUrl` (Chromium). */
export async function chromiumTabRequest(worker, pageUrl, type) {
  return worker.evaluate(findTabAndAsk, { pageUrl, type, api: 'chrome' });
}

/** The id of the tab showing `pageUrl` (Chromium). */
export async function chromiumTabId(worker, pageUrl) {
  return (await worker.evaluate(findTabAndAsk, { pageUrl, type: 'page.state', api: 'chrome' })).tabId;
}

/**
 * Runs in an extension context: finds the tab whose content script reports `pageUrl` (tab URLs
 * are hidden without the "tabs" permission, which Footnote does not ask for) and sends it
 * `type`. Returns the reply, with the tab's id.
 */
async function findTabAndAsk({ pageUrl, type, api }) {
  const ext = api === 'browser' ? browser : chrome;
  const tabs = await ext.tabs.query({});
  for (const tab of tabs) {
    let state;
    try {
      state = await ext.tabs.sendMessage(tab.id, { type: 'page.state' }, { frameId: 0 });
    } catch {
      continue;
    }
    if (!state?.ok || state.value.url !== pageUrl) continue;
    const reply = type === 'page.state' ? state : await ext.tabs.sendMessage(tab.id, { type }, { frameId: 0 });
    return { ...reply, tabId: tab.id };
  }
  throw new Error(`no tab shows ${pageUrl}`);
}

// --- Firefox --------------------------------------------------------------------------------

/** Launches Firefox ESR and installs the extension at `extensionDir` as a temporary add-on. */
export async function launchFirefox(extensionDir, options = {}) {
  const puppeteer = (await import('puppeteer-core')).default;
  const blocker = await startBlocker();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: options.userDataDir,
    defaultViewport: options.viewport ?? { width: 1280, height: 900 },
    // WebDriver BiDi may open the add-on's own pages (moz-extension:) only with system access.
    // With `logFile`, Firefox's own network log: every HTTP request and every host lookup.
    env: {
      ...process.env,
      MOZ_REMOTE_ALLOW_SYSTEM_ACCESS: '1',
      ...(options.logFile ? { MOZ_LOG: 'nsHttp:1,nsHostResolver:5', MOZ_LOG_FILE: options.logFile } : {}),
    },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
      // No outside connections from the browser itself.
      'network.dns.disableIPv6': true,
      // Every request but those to the local test servers goes to the blocking proxy and fails
      // at once.
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': blocker.port,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': blocker.port,
      'network.proxy.no_proxies_on': '127.0.0.1,127.0.0.2',
      'network.dns.disablePrefetch': true,
      'network.prefetch-next': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'extensions.update.enabled': false,
      'app.update.enabled': false,
      'intl.accept_languages': 'en-US',
      'ui.systemUsesDarkTheme': options.colorScheme === 'dark' ? 1 : 0,
    },
  });
  browser.on('disconnected', () => void blocker.close());
  await browser.installExtension(extensionDir);
  return { browser, blocker, extensionBase: `moz-extension://${FIREFOX_UUID}` };
}

/**
 * An extension page of the Firefox add-on, kept open to talk to content scripts from (pages
 * cannot send to content scripts; extension pages can).
 */
export async function firefoxExtensionPage(browser, extensionBase, path = '/extension/pages/popup.html?tab=0') {
  const page = await browser.newPage();
  await firefoxGoto(page, `${extensionBase}${path}`);
  return page;
}

/**
 * Navigates a Firefox page. WebDriver BiDi does not report the load of moz-extension: pages
 * (the navigation times out although the page loaded), so wait for the document instead.
 */
export async function firefoxGoto(page, url) {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 3000 }).catch((error) => {
    if (!url.startsWith('moz-extension:')) throw error;
  });
  await page.waitForFunction((u) => location.href === u && document.readyState !== 'loading', { timeout: 10000 }, url);
}

/** Sends a TabApi request to the content script of the tab showing `pageUrl` (Firefox). */
export async function firefoxTabRequest(extensionPage, pageUrl, type) {
  return extensionPage.evaluate(findTabAndAsk, { pageUrl, type, api: 'browser' });
}

// --- In-page helpers (run in the page's main world) -----------------------------------------

/**
 * The text of every range in Footnote's highlights, by highlight name. Highlights live in the
 * document's registry, so the page itself can read them: tests use that to see the marks.
 */
export function readHighlightsInPage() {
  const out = {};
  if (!globalThis.CSS?.highlights) return out;
  for (const [name, highlight] of CSS.highlights) {
    if (!name.startsWith('footnote-')) continue;
    out[name] = Array.from(highlight).map((r) => {
      const range = document.createRange();
      range.setStart(r.startContainer, r.startOffset);
      range.setEnd(r.endContainer, r.endOffset);
      return range.toString();
    });
  }
  return out;
}

/**
 * The viewport box of the n-th range with text `text` in highlight `name`, scrolled so that it
 * sits at `at` (a fraction of the viewport's height from the top; default the middle; null: do
 * not scroll).
 */
export function boxOfHighlightInPage({ name, text, nth = 0, at = 0.5 }) {
  const h = CSS.highlights.get(name);
  if (!h) return null;
  const ranges = Array.from(h)
    .map((r) => {
      const range = document.createRange();
      range.setStart(r.startContainer, r.startOffset);
      range.setEnd(r.endContainer, r.endOffset);
      return range;
    })
    .filter((r) => r.toString() === text)
    .sort((a, b) => a.compareBoundaryPoints(Range.START_TO_START, b));
  const range = ranges[nth];
  if (!range) return null;
  const first = range.getClientRects()[0];
  if (first && at !== null) window.scrollBy(0, first.top - innerHeight * at);
  const rect = range.getClientRects()[0];
  return rect ? { x: rect.left, y: rect.top, width: rect.width, height: rect.height } : null;
}

/** Polls `fn` until it returns a truthy value or `timeout` ms pass. */
export async function waitFor(fn, { timeout = 10000, interval = 50, message = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out waiting for ${message}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
}
