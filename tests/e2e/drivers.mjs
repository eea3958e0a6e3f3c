// One driver per browser, with the same small interface, so that every end-to-end test runs
// unchanged in Chromium and Firefox:
//   open(url) → page   state(url) → PageState   popup(url) → page   options() → page
//   background(type, params) → value (as an extension page asks)   storage(area, items)
//   tabId(url)   uploadFile(page, selector, path)   touch(page, x, y, dy)   restart()   close()
// Pages are driven with the calls playwright and puppeteer share (evaluate, mouse, keyboard,
// click, screenshot).
//
// For the security tests each driver also: sends requests to the background from an extension
// page (`rawBackground`, the whole reply), makes the background answer chosen requests itself (`overrideBackground`,
// to put hostile or failing replies in front of the real ones), collects every warning and
// error of Footnote's own contexts (`extensionLog`), and, started with `{ networkLog: true }`,
// keeps the browser's own network log for `finish()`.

import { join } from 'node:path';
import {
  chromiumTabRequest,
  firefoxExtensionPage,
  firefoxGoto,
  firefoxTabRequest,
  launchChromium,
  launchFirefox,
  removeDir,
  tempDir,
  waitFor,
} from './harness.mjs';

export class ChromiumDriver {
  name = 'chromium';

  constructor(extensionDir) {
    this.extensionDir = extensionDir;
    this.profile = tempDir('chromium');
  }

  async start(options = this.startOptions ?? {}) {
    this.startOptions = options;
    this.launches = (this.launches ?? 0) + 1;
    const netLog = options.networkLog ? join(this.profile, `netlog-${this.launches}.json`) : undefined;
    if (netLog) this.netLogs.push(netLog);
    Object.assign(this, await launchChromium(this.extensionDir, this.profile, { ...options, netLog }));
    this.context.on('weberror', (e) => this.errors.push({ url: e.page()?.url() ?? '', message: String(e.error()) }));
    const own = `chrome-extension://${this.extensionId}/`;
    const record = (where) => (msg) => {
      const url = msg.location()?.url ?? '';
      if (!['error', 'warning'].includes(msg.type())) return;
      if (where === 'background' || url.startsWith(own) || msg.text().includes('Footnote')) {
        this.extensionLog.push({ where, type: msg.type(), text: msg.text(), url });
      }
    };
    this.context.on('console', record('page'));
    const watchWorker = (worker) => {
      if (!worker.url().startsWith(own)) return;
      worker.on('console', record('background'));
      // Uncaught errors in the worker, reported through its console.
      void worker
        .evaluate(() => {
          self.addEventListener('error', (e) => console.error('uncaught:', e.message));
          self.addEventListener('unhandledrejection', (e) => console.error('unhandled rejection:', String(e.reason)));
        })
        .catch(() => undefined);
    };
    watchWorker(this.worker);
    this.context.on('serviceworker', watchWorker);
    return this;
  }

  errors = [];
  /** Warnings and errors of Footnote's contexts: content scripts, service worker, its pages. */
  extensionLog = [];
  netLogs = [];

  async open(url) {
    const page = await this.context.newPage();
    page.on('pageerror', (e) => this.errors.push({ url, message: String(e) }));
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    return page;
  }

  /** Sends a BackgroundApi request from an extension page; returns the raw reply. */
  async rawBackground(message) {
    const page = await this.extensionPage();
    return page.evaluate((m) => chrome.runtime.sendMessage(m), message);
  }

  /**
   * Makes the background answer requests itself, before its real handlers do: each rule
   * `{ type, contains?, reply }` answers requests of `type` (whose JSON includes `contains`)
   * with `reply`. `[]` removes them.
   */
  async overrideBackground(rules) {
    await this.worker.evaluate(installOverrides, { rules, api: 'chrome' });
  }

  /** Clicks `count` times at (x, y). */
  async click(page, x, y, count = 1) {
    await page.mouse.click(x, y, { clickCount: count });
  }

  /** Lets the page read and write the clipboard, as a reader's copy and paste would. */
  async allowClipboard(origin) {
    await this.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  }

  /**
   * Ends the session for the network check: the extension's service worker and one of its
   * pages each make one marked request (`controlUrl`), so that the check can show it sees
   * requests from those contexts; then the browser closes and its network log is read.
   */
  async finish(controlUrl) {
    await this.worker.evaluate((u) => fetch(`${u}?from=worker`).catch(() => undefined), controlUrl);
    await this.rawBackground({ type: 'none' });
    await (await this.extensionPage()).evaluate((u) => fetch(`${u}?from=page`).catch(() => undefined), controlUrl);
    await this.context.close();
    this.context = null;
    return { intercepted: this.requests, logs: this.netLogs };
  }

  async tabRequest(url, type) {
    const reply = await chromiumTabRequest(this.worker, url, type);
    if (!reply.ok) throw new Error(reply.error);
    return reply;
  }

  async state(url) {
    return (await this.tabRequest(url, 'page.state')).value;
  }

  async popup(url) {
    const { tabId } = await this.tabRequest(url, 'page.state');
    const page = await this.context.newPage();
    await page.goto(`chrome-extension://${this.extensionId}/extension/pages/popup.html?tab=${tabId}`);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  }

  get blockedRequests() {
    return this.blocked;
  }

  /** The addresses of every open tab. */
  async openUrls() {
    return this.context.pages().map((p) => p.url());
  }

  /** Closes the tabs whose address ends with `suffix`. */
  async closeUrl(suffix) {
    await Promise.all(this.context.pages().filter((p) => p.url().endsWith(suffix)).map((p) => p.close()));
  }

  async options() {
    const page = await this.context.newPage();
    await page.goto(`chrome-extension://${this.extensionId}/extension/pages/options.html`);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  }

  /** An extension page kept open to call the extension's APIs from. */
  async extensionPage() {
    if (!this.extPage || this.extPage.isClosed()) {
      this.extPage = await this.context.newPage();
      await this.extPage.goto(`chrome-extension://${this.extensionId}/extension/pages/popup.html?tab=0`);
    }
    return this.extPage;
  }

  async tabId(url) {
    return (await this.tabRequest(url, 'page.state')).tabId;
  }

  async uploadFile(page, selector, path) {
    await page.setInputFiles(selector, path);
  }

  /** Switches on touch emulation for `page` and taps at (x, y), or swipes from there by `dy`. */
  async touch(page, x, y, dy = 0) {
    const cdp = await this.context.newCDPSession(page);
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
    const point = (py) => [{ x, y: py, id: 1 }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(y) });
    for (let i = 1; i <= 5 && dy !== 0; i++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(y + (dy * i) / 5) });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  }

  /** The accessibility tree of `page` as the browser exposes it (Chromium DevTools protocol). */
  async accessibilityTree(page) {
    const cdp = await this.context.newCDPSession(page);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    await cdp.detach();
    return nodes;
  }

  async restart() {
    await this.context.close();
    await this.start();
  }

  async close() {
    await this.context?.close();
    removeDir(this.profile);
  }
}

/** Runs in the background (service worker or event page): see overrideBackground. */
function installOverrides({ rules, api, target }) {
  const scope = target ?? globalThis;
  scope.__footnoteTestRules = rules;
  if (scope.__footnoteTestListener) return;
  scope.__footnoteTestListener = (message, _sender, sendResponse) => {
    const rule = (scope.__footnoteTestRules ?? []).find(
      (r) => r.type === message?.type && (!r.contains || JSON.stringify(message).includes(r.contains)),
    );
    if (!rule) return false;
    sendResponse(rule.reply);
    return false;
  };
  (api === 'browser' ? scope.browser : chrome).runtime.onMessage.addListener(scope.__footnoteTestListener);
}

Object.assign(ChromiumDriver.prototype, { background, storage, pressWith });

export class FirefoxDriver {
  name = 'firefox';

  constructor(extensionDir) {
    this.extensionDir = extensionDir;
    this.profile = tempDir('firefox');
  }

  errors = [];
  /** Every request the pages opened with open() made (their frames' included). */
  pageRequests = [];
  /** Warnings and errors of Footnote's contexts (content scripts here; see backgroundLog). */
  extensionLog = [];
  netLogs = [];

  async start(options = this.startOptions ?? {}) {
    this.startOptions = options;
    this.launches = (this.launches ?? 0) + 1;
    const logFile = options.networkLog ? join(this.profile, `http-${this.launches}.log`) : undefined;
    if (logFile) this.netLogs.push(logFile);
    Object.assign(this, await launchFirefox(this.extensionDir, { ...options, userDataDir: this.profile, logFile }));
    this.extensionPage_ = await firefoxExtensionPage(this.browser, this.extensionBase);
    return this;
  }

  async open(url) {
    const page = await this.browser.newPage();
    page.on('pageerror', (e) => this.errors.push({ url, message: String(e) }));
    page.on('request', (r) => this.pageRequests.push(r.url()));
    page.on('console', (msg) => {
      const where = msg.location()?.url ?? '';
      if (!['error', 'warn', 'warning'].includes(msg.type())) return;
      if (where.startsWith('moz-extension:') || msg.text().includes('Footnote')) {
        this.extensionLog.push({ where: 'page', type: msg.type(), text: msg.text(), url: where });
      }
    });
    // A real page's refused subresources (iframes to blocked hosts) can make WebDriver BiDi
    // report the navigation as failed although the page itself loaded; check the page instead.
    await page.goto(url, { waitUntil: 'domcontentloaded' }).catch((error) => {
      if (!String(error).includes('Address rejected')) throw error;
    });
    await page.waitForFunction((u) => location.href === u && document.readyState !== 'loading', { timeout: 15000 }, url);
    await page.bringToFront();
    return page;
  }

  async tabRequest(url, type) {
    const reply = await firefoxTabRequest(this.extensionPage_, url, type);
    if (!reply.ok) throw new Error(reply.error);
    return reply;
  }

  async state(url) {
    return (await this.tabRequest(url, 'page.state')).value;
  }

  async popup(url) {
    const { tabId } = await this.tabRequest(url, 'page.state');
    const page = await this.browser.newPage();
    await firefoxGoto(page, `${this.extensionBase}/extension/pages/popup.html?tab=${tabId}`);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  }

  /** Sends a BackgroundApi request from an extension page; returns the raw reply. */
  async rawBackground(message) {
    return this.extensionPage_.evaluate((m) => browser.runtime.sendMessage(m), message);
  }

  /** See ChromiumDriver.overrideBackground; here the event page is reached from an extension page. */
  async overrideBackground(rules) {
    // A script evaluated by the driver (the page's CSP forbids eval, not the driver): the
    // listener is installed in the event page found through the extension page.
    await this.extensionPage_.evaluate(
      `(async () => (${installOverrides})({ rules: ${JSON.stringify(rules)}, api: 'browser', target: await browser.runtime.getBackgroundPage() }))()`,
    );
  }

  /**
   * Warnings and errors the background logged since hooks were installed (installed on first
   * call; the event page is reached from an extension page).
   */
  async backgroundLog() {
    return this.extensionPage_.evaluate(async () => {
      const bg = await browser.runtime.getBackgroundPage();
      if (!bg.__footnoteTestLog) {
        bg.__footnoteTestLog = [];
        for (const level of ['error', 'warn']) {
          const original = bg.console[level].bind(bg.console);
          bg.console[level] = (...args) => {
            bg.__footnoteTestLog.push({ where: 'background', type: level, text: args.map(String).join(' ') });
            original(...args);
          };
        }
        bg.addEventListener('error', (e) => bg.__footnoteTestLog.push({ where: 'background', type: 'uncaught', text: e.message }));
        bg.addEventListener('unhandledrejection', (e) => bg.__footnoteTestLog.push({ where: 'background', type: 'unhandled', text: String(e.reason) }));
      }
      return bg.__footnoteTestLog.slice();
    });
  }

  async click(page, x, y, count = 1) {
    await page.mouse.click(x, y, { count });
  }

  async allowClipboard() {
    // Firefox lets a focused page read the clipboard it wrote; nothing to grant.
  }

  /** See ChromiumDriver.finish; here the control request comes from the event page. */
  async finish(controlUrl) {
    await this.extensionPage_.evaluate(async (u) => {
      const bg = await browser.runtime.getBackgroundPage();
      await bg.fetch(`${u}?from=background`).catch(() => undefined);
      await fetch(`${u}?from=page`).catch(() => undefined);
    }, controlUrl);
    await this.browser.close();
    this.browser = null;
    return { intercepted: this.blocker.blocked, logs: this.netLogs };
  }

  /** Requests that were refused because they left the machine (CONNECT requests name only the host). */
  get blockedRequests() {
    return this.blocker.blocked;
  }

  /** (WebDriver BiDi reports moz-extension: tabs as about:blank; their documents know better.) */
  async openUrls() {
    return Promise.all((await this.browser.pages()).map((p) => p.evaluate(() => location.href).catch(() => p.url())));
  }

  async closeUrl(suffix) {
    const pages = await this.browser.pages();
    const urls = await this.openUrls();
    await Promise.all(pages.filter((_, i) => urls[i]?.endsWith(suffix)).map((p) => p.close()));
  }

  async options() {
    const page = await this.browser.newPage();
    await firefoxGoto(page, `${this.extensionBase}/extension/pages/options.html`);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  }

  async extensionPage() {
    return this.extensionPage_;
  }

  async tabId(url) {
    return (await this.tabRequest(url, 'page.state')).tabId;
  }

  async uploadFile(page, selector, path) {
    const input = await page.$(selector);
    await input.uploadFile(path);
  }

  /**
   * Taps at (x, y), or swipes from there by `dy`: WebDriver BiDi touch actions, which Firefox
   * delivers as touch pointer events and touch events, as a touch screen would.
   */
  async touch(page, x, y, dy = 0) {
    await page.touchscreen.touchStart(x, y);
    for (let i = 1; i <= 5 && dy !== 0; i++) await page.touchscreen.touchMove(x, y + (dy * i) / 5);
    await page.touchscreen.touchEnd();
  }

  async restart() {
    await this.browser.close();
    await this.start();
  }

  async close() {
    await this.browser?.close();
    removeDir(this.profile);
  }
}

Object.assign(FirefoxDriver.prototype, { background, storage, pressWith });

/** Sends a BackgroundApi request as an extension page does, and returns its value (or throws its error). */
async function background(type, params = {}) {
  const page = await this.extensionPage();
  const reply = await page.evaluate(
    ({ type, params }) => (globalThis.browser ?? chrome).runtime.sendMessage({ type, ...params }),
    { type, params },
  );
  if (!reply?.ok) throw new Error(reply?.error ?? 'no reply');
  return reply.value;
}

/** Reads (`items` undefined) or writes the extension's storage area `area` directly, as the browser keeps it. */
async function storage(area, items) {
  const page = await this.extensionPage();
  return page.evaluate(
    async ({ area, items }) => {
      const s = (globalThis.browser ?? chrome).storage[area];
      if (items === undefined) return s.get(null);
      if (items === null) return s.clear();
      return s.set(items);
    },
    { area, items },
  );
}

/** Presses `key` with `modifier` held (playwright and puppeteer spell combinations differently). */
async function pressWith(page, modifier, key) {
  await page.keyboard.down(modifier);
  await page.keyboard.press(key);
  await page.keyboard.up(modifier);
}

/** Waits until Footnote reports at least `min` annotations on the page at `url`. */
export async function annotated(driver, url, min = 1) {
  return waitFor(
    async () => {
      const s = await driver.state(url);
      return s.annotations.length >= min ? s : null;
    },
    { message: `annotations on ${url}` },
  );
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
