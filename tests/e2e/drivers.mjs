// One driver per browser, with the same small interface, so that every end-to-end test runs
// unchanged in Chromium and Firefox:
//   open(url) → page   state(url) → PageState   popup(url) → page   restart()   close()
// Pages are driven with the calls playwright and puppeteer share (evaluate, mouse, keyboard,
// click, screenshot).

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

  async start(options = {}) {
    Object.assign(this, await launchChromium(this.extensionDir, this.profile, options));
    this.context.on('weberror', (e) => this.errors.push({ url: e.page()?.url() ?? '', message: String(e.error()) }));
    return this;
  }

  errors = [];

  async open(url) {
    const page = await this.context.newPage();
    page.on('pageerror', (e) => this.errors.push({ url, message: String(e) }));
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    return page;
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

export class FirefoxDriver {
  name = 'firefox';

  constructor(extensionDir) {
    this.extensionDir = extensionDir;
    this.profile = tempDir('firefox');
  }

  errors = [];

  async start(options = {}) {
    Object.assign(this, await launchFirefox(this.extensionDir, { ...options, userDataDir: this.profile }));
    this.extensionPage = await firefoxExtensionPage(this.browser, this.extensionBase);
    return this;
  }

  async open(url) {
    const page = await this.browser.newPage();
    page.on('pageerror', (e) => this.errors.push({ url, message: String(e) }));
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
