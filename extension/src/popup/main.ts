/**
 * The toolbar popup: Footnote on or off for the current site, each category with the number of
 * its annotations on the page, the shortcut, and a link to the options. It reads the page's
 * state from the tab's content script and the site's settings from the background, and sends
 * changes to the background, the only writer of settings; the page updates at once.
 *
 * Opened as a page (for example by tests or from the keyboard), `?tab=<id>` names the tab.
 */

import { CATEGORIES, type Category } from '../shared/categories';
import { ext, t } from '../shared/browser';
import type { PageState } from '../shared/messages';
import { callBackground, callTab } from '../shared/rpc';
import type { SitePatch, SiteSettings } from '../shared/settings';

function $(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`popup.html lacks #${id}`);
  return found;
}

function localize(): void {
  for (const node of Array.from(document.querySelectorAll<HTMLElement>('[data-i18n]'))) {
    node.textContent = t(node.dataset['i18n'] ?? '');
  }
  document.title = t('popup_title');
  document.documentElement.lang = ext.i18n.getUILanguage();
}

async function targetTab(): Promise<number | null> {
  const param = new URLSearchParams(location.search).get('tab');
  if (param !== null && /^\d+$/.test(param)) return Number(param);
  const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

class Popup {
  private settings: SiteSettings | null = null;
  private readonly boxes = new Map<Category, HTMLInputElement>();
  private readonly counts = new Map<Category, HTMLElement>();

  constructor(
    private readonly tabId: number,
    private readonly site: string,
  ) {
    const fieldset = $('categories');
    for (const c of CATEGORIES) {
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.dataset['category'] = c;
      input.addEventListener('change', () => void this.change({ categories: { [c]: input.checked } }));
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.dataset['category'] = c;
      swatch.setAttribute('aria-hidden', 'true');
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = t(`category_${c}`);
      const count = document.createElement('span');
      count.className = 'count';
      const label = document.createElement('label');
      label.className = 'row';
      label.append(input, swatch, name, count);
      fieldset.append(label);
      this.boxes.set(c, input);
      this.counts.set(c, count);
    }
    const enabled = $('enabled') as HTMLInputElement;
    enabled.addEventListener('change', () => void this.change({ enabled: enabled.checked }));
  }

  async load(): Promise<void> {
    const { settings } = await callBackground('settings.site.get', { site: this.site });
    this.render(settings);
    await this.refreshCounts();
  }

  private render(settings: SiteSettings): void {
    this.settings = settings;
    ($('enabled') as HTMLInputElement).checked = settings.enabled;
    ($('categories') as HTMLFieldSetElement).disabled = !settings.enabled;
    for (const [c, box] of this.boxes) box.checked = settings.categories[c];
  }

  async refreshCounts(): Promise<void> {
    let state: PageState;
    try {
      state = await callTab(this.tabId, 'page.state', {});
    } catch {
      return;
    }
    for (const [c, node] of this.counts) {
      const n = state.annotations.filter((a) => a.category === c).length;
      node.textContent = this.settings?.enabled === true && this.settings.categories[c] ? t('popup_count', String(n)) : '';
    }
  }

  private async change(patch: SitePatch): Promise<void> {
    const error = $('error');
    try {
      const { settings } = await callBackground('settings.site.set', { site: this.site, patch });
      error.hidden = true;
      this.render(settings);
      // The page re-annotates on its own; count again while it does.
      for (const ms of [150, 500, 1200]) window.setTimeout(() => void this.refreshCounts(), ms);
    } catch (e) {
      error.textContent = t('popup_error', e instanceof Error ? e.message : String(e));
      error.hidden = false;
      if (this.settings !== null) this.render(this.settings);
    }
  }
}

async function main(): Promise<void> {
  localize();
  const tabId = await targetTab();
  let state: PageState | null = null;
  if (tabId !== null) {
    try {
      state = await callTab(tabId, 'page.state', {});
    } catch {
      state = null;
    }
  }
  if (tabId === null || state === null || state.site === null) {
    $('unavailable').hidden = false;
    return;
  }
  $('site').textContent = state.site;
  const popup = new Popup(tabId, state.site);
  await popup.load();
  $('controls').hidden = false;
  $('navigator').addEventListener('click', () => {
    // The same as the shortcut: the panel opens in the page, which gets the keyboard back.
    void callBackground('command.run', { command: 'open-navigator', tabId }).then(() => window.close());
  });
  await showShortcut();
  document.body.dataset['ready'] = 'true';
  // Pages still being read (or changing) report more annotations as they go.
  window.setInterval(() => void popup.refreshCounts(), 1000);
}

async function showShortcut(): Promise<void> {
  const commands = (await ext.commands?.getAll().catch(() => [])) ?? [];
  const toggle = commands.find((c) => c.name === 'toggle-site')?.shortcut ?? '';
  const navigator = commands.find((c) => c.name === 'open-navigator')?.shortcut ?? '';
  if (toggle === '' && navigator === '') return;
  const parts = [];
  if (toggle !== '') parts.push(t('popup_shortcut_toggle', toggle));
  if (navigator !== '') parts.push(t('popup_shortcut_navigator', navigator));
  $('shortcuts').textContent = parts.join(' · ');
}

$('options').addEventListener('click', (e) => {
  e.preventDefault();
  void ext.runtime.openOptionsPage().then(() => window.close());
});

main().catch((error: unknown) => {
  console.error('Footnote popup:', error);
  $('unavailable').hidden = false;
});
