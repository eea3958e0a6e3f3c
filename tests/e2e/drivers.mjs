// One driver per browser, with the same small interface, so that every end-to-end test runs
// unchanged in Chromium and Firefox:
//   open(url) → page   state(url) → PageState   popup(url) → page   restart()   close()
// Pages are driven with the calls playwright and puppeteer share (evaluate, mouse, keyboard,
// click, screenshot).
//
// For the security tests each driver also: sends requests to the background from an extension
// page (`background`), makes the background answer chosen requests itself (`overrideBackground`,
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
    this.extensionPage = null;
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
  async background(message) {
    if (this.extensionPage === null || this.extensionPage.isClosed()) {
      this.extensionPage = await this.context.newPage();
      await this.extensionPage.goto(`chrome-extension://${this.extensionId}/extension/pages/popup.html?tab=none`);
    }
    return this.extensionPage.evaluate((m) => chrome.runtime.sendMessage(m), message);
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
    await this.background({ type: 'none' });
    await this.extensionPage.evaluate((u) => fetch(`${u}?from=page`).catch(() => undefined), controlUrl);
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
    this.extensionPage = await firefoxExtensionPage(this.browser, this.extensionBase);
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
    const reply = await firefoxTabRequest(this.extensionPage, url, type);
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
  async background(message) {
    return this.extensionPage.evaluate((m) => browser.runtime.sendMessage(m), message);
  }

  /** See ChromiumDriver.overrideBackground; here the event page is reached from an extension page. */
  async overrideBackground(rules) {
    // A script evaluated by the driver (the page's CSP forbids eval, not the driver): the
    // listener is installed in the event page found through the extension page.
    await this.extensionPage.evaluate(
      `(async () => (${installOverrides})({ rules: ${JSON.stringify(rules)}, api: 'browser', target: await browser.runtime.getBackgroundPage() }))()`,
    );
  }

  /**
   * Warnings and errors the background logged since hooks were installed (installed on first
   * call; the event page is reached from an extension page).
   */
  async backgroundLog() {
    return this.extensionPage.evaluate(async () => {
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
    await this.extensionPage.evaluate(async (u) => {
      const bg = await browser.runtime.getBackgroundPage();
      await bg.fetch(`${u}?from=background`).catch(() => undefined);
      await fetch(`${u}?from=page`).catch(() => undefined);
    }, controlUrl);
    await this.browser.close();
    this.browser = null;
    return { intercepted: this.blocker.blocked, logs: this.netLogs };
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
