/**
 * The options page: defaults for sites without their own settings, the sites that have their
 * own, muted terms, what opens a tooltip, "first mention only", the shortcuts, and export,
 * import and reset. Like the popup it only sends intents; the background changes and stores
 * the settings and answers with all of them, which this page then shows. It also follows
 * changes made elsewhere (the popup, a tooltip's "Don't mark this again", another device).
 */

import { CATEGORIES, type Category } from '../shared/categories';
import { ext, t, uiDir, uiLang } from '../shared/browser';
import type { SettingsView, StorageStatus } from '../shared/messages';
import { callBackground } from '../shared/rpc';
import {
  type ImportError,
  type Modifier,
  type Problem,
  type Settings,
  type SitePatch,
  type Trigger,
  effectiveFor,
} from '../shared/settings';
import { normalizeSite } from '../shared/site';

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`options.html lacks #${id}`);
  return found as T;
}

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function localize(): void {
  for (const node of Array.from(document.querySelectorAll<HTMLElement>('[data-i18n]'))) {
    node.textContent = t(node.dataset['i18n'] ?? '');
  }
  document.title = t('options_title');
  document.documentElement.lang = uiLang();
  document.documentElement.dir = uiDir();
}

/** A row of category switches; `change` gets the category and its new value. */
function categorySwitches(container: HTMLElement, prefix: string, change: (c: Category, on: boolean) => void): Map<Category, HTMLInputElement> {
  const boxes = new Map<Category, HTMLInputElement>();
  for (const c of CATEGORIES) {
    const input = h('input', { type: 'checkbox', 'data-category': c, id: `${prefix}-${c}` });
    input.addEventListener('change', () => change(c, input.checked));
    container.append(h('label', { class: 'row' }, input, h('span', {}, t(`category_${c}`))));
    boxes.set(c, input);
  }
  return boxes;
}

class OptionsPage {
  private view: SettingsView | null = null;
  private readonly defaultBoxes: Map<Category, HTMLInputElement>;
  /** Sites whose editor is open. */
  private readonly editing = new Set<string>();
  private readonly names = new Map<string, string>();
  private sitesShown = '';

  constructor() {
    this.defaultBoxes = categorySwitches($('defaults-categories'), 'default', (c, on) => void this.send('settings.defaults.set', { patch: { categories: { [c]: on } } }));
    const enabled = $<HTMLInputElement>('defaults-enabled');
    enabled.addEventListener('change', () => void this.send('settings.defaults.set', { patch: { enabled: enabled.checked } }));

    $('problems-dismiss').addEventListener('click', () => void this.send('settings.problems.dismiss', {}));
    $<HTMLFormElement>('add-site').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.addSite();
    });

    for (const radio of Array.from(document.querySelectorAll<HTMLInputElement>('input[name="trigger"]'))) {
      radio.addEventListener('change', () => {
        if (radio.checked) void this.send('settings.reader.set', { tooltip: { trigger: radio.value as Trigger } });
      });
    }
    const delay = $<HTMLInputElement>('hover-delay');
    delay.addEventListener('change', () => {
      const ms = Math.round(Number(delay.value));
      if (Number.isFinite(ms) && ms >= 0 && ms <= 2000) void this.send('settings.reader.set', { tooltip: { hoverDelay: ms } });
      else this.render();
    });
    const modifier = $<HTMLSelectElement>('modifier');
    modifier.addEventListener('change', () => void this.send('settings.reader.set', { tooltip: { modifier: modifier.value as Modifier } }));
    const first = $<HTMLInputElement>('first-mention');
    first.addEventListener('change', () => void this.send('settings.reader.set', { firstMentionOnly: first.checked }));

    $('export').addEventListener('click', () => void this.exportFile());
    const file = $<HTMLInputElement>('import-file');
    file.addEventListener('change', () => void this.importFile(file));
    $('reset').addEventListener('click', () => {
      $('reset-confirm').hidden = false;
      $('reset-yes').focus();
    });
    $('reset-no').addEventListener('click', () => {
      $('reset-confirm').hidden = true;
      $('reset').focus();
    });
    $('reset-yes').addEventListener('click', () => {
      $('reset-confirm').hidden = true;
      void this.send('settings.reset', {}).then((ok) => ok && this.status(t('options_reset_done'), false));
    });
  }

  async load(): Promise<void> {
    this.view = await callBackground('settings.get', {});
    await this.render();
  }

  /** Sends a change; the answer is the new view. */
  private async send<K extends 'settings.defaults.set' | 'settings.site.remove' | 'settings.reader.set' | 'settings.reset' | 'settings.problems.dismiss'>(
    type: K,
    params: Parameters<typeof callBackground<K>>[1],
  ): Promise<boolean> {
    try {
      this.view = (await callBackground(type, params)) as SettingsView;
      await this.render();
      return true;
    } catch (e) {
      this.status(t('options_error', e instanceof Error ? e.message : String(e)), true);
      await this.load().catch(() => undefined);
      return false;
    }
  }

  private async setSite(site: string, patch: SitePatch): Promise<void> {
    try {
      await callBackground('settings.site.set', { site, patch });
    } catch (e) {
      this.status(t('options_error', e instanceof Error ? e.message : String(e)), true);
    }
    await this.load();
  }

  async render(): Promise<void> {
    const view = this.view;
    if (view === null) return;
    const s = view.settings;
    this.renderStorage(view.storage);
    this.renderProblems(view.problems);
    $<HTMLInputElement>('defaults-enabled').checked = s.defaults.enabled;
    for (const [c, box] of this.defaultBoxes) box.checked = s.defaults.categories[c];
    this.renderSites(s);
    await this.renderMuted(s.muted);
    for (const radio of Array.from(document.querySelectorAll<HTMLInputElement>('input[name="trigger"]'))) {
      radio.checked = radio.value === s.tooltip.trigger;
    }
    const delay = $<HTMLInputElement>('hover-delay');
    if (document.activeElement !== delay) delay.value = String(s.tooltip.hoverDelay);
    delay.disabled = s.tooltip.trigger !== 'hover';
    const modifier = $<HTMLSelectElement>('modifier');
    modifier.value = s.tooltip.modifier;
    modifier.disabled = s.tooltip.trigger !== 'modifier';
    $<HTMLInputElement>('first-mention').checked = s.firstMentionOnly;
    document.body.dataset['ready'] = 'true';
  }

  private renderStorage(status: StorageStatus): void {
    const kb = (status.bytes / 1024).toFixed(1);
    let text: string;
    if (status.area === 'sync') text = t('options_storage_sync');
    else if (status.reason === 'too-large') text = t('options_storage_too_large', kb);
    else if (status.reason === 'write-failed') text = t('options_storage_write_failed');
    else if (status.reason === 'unavailable') text = t('options_storage_unavailable');
    else text = t('options_storage_local');
    const node = $('storage');
    node.textContent = text;
    node.dataset['area'] = status.area;
    node.dataset['reason'] = status.reason ?? '';
  }

  private renderProblems(problems: Problem[]): void {
    $('problems').hidden = problems.length === 0;
    $('problem-list').replaceChildren(...problems.map((p) => h('li', {}, describe(p))));
  }

  private renderSites(s: Settings): void {
    // Rebuilt only when something in it changed, so that focus and clicks are not lost.
    const signature = JSON.stringify([s.defaults, s.sites, [...this.editing].sort()]);
    if (signature === this.sitesShown) return;
    this.sitesShown = signature;
    const sites = Object.keys(s.sites).sort();
    $('sites-empty').hidden = sites.length > 0;
    const list = $('sites');
    const focused = document.activeElement instanceof HTMLElement && list.contains(document.activeElement) ? document.activeElement.id : '';
    list.replaceChildren(
      ...sites.map((site) => {
        const effective = effectiveFor(s, site);
        const off = CATEGORIES.filter((c) => !effective.categories[c]).map((c) => t(`category_${c}`));
        const summary = !effective.enabled ? t('options_site_paused') : off.length === 0 ? t('options_site_all_on') : t('options_site_off', off.join(', '));
        const id = siteId(site);
        const edit = h('button', { type: 'button', id: `${id}-edit`, 'aria-expanded': String(this.editing.has(site)), 'aria-label': t('options_site_edit_label', site) }, t('options_site_edit'));
        edit.addEventListener('click', () => {
          if (this.editing.has(site)) this.editing.delete(site);
          else this.editing.add(site);
          this.renderSites(s);
          $(`${id}-edit`).focus();
        });
        const remove = h('button', { type: 'button', id: `${id}-remove`, 'aria-label': t('options_site_remove_label', site) }, t('options_site_remove'));
        remove.addEventListener('click', () => {
          this.editing.delete(site);
          void this.send('settings.site.remove', { site });
        });
        const row = h('li', { 'data-site': site }, h('span', { class: 'label' }, h('strong', {}, site), h('span', { class: 'summary' }, summary)), edit, remove);
        if (this.editing.has(site)) row.append(this.siteEditor(site, id, effective));
        return row;
      }),
    );
    if (focused !== '') document.getElementById(focused)?.focus();
  }

  private siteEditor(site: string, id: string, effective: ReturnType<typeof effectiveFor>): HTMLElement {
    const editor = h('div', { class: 'editor', role: 'group', 'aria-label': t('options_site_edit_label', site) });
    const enabled = h('input', { type: 'checkbox', id: `${id}-enabled` });
    enabled.checked = effective.enabled;
    enabled.addEventListener('change', () => void this.setSite(site, { enabled: enabled.checked }));
    editor.append(h('label', { class: 'row main-switch' }, enabled, h('span', {}, t('popup_enabled'))));
    const fieldset = h('fieldset', { class: 'categories' });
    const boxes = categorySwitches(fieldset, id, (c, on) => void this.setSite(site, { categories: { [c]: on } }));
    for (const [c, box] of boxes) box.checked = effective.categories[c];
    fieldset.disabled = !effective.enabled;
    editor.append(fieldset);
    return editor;
  }

  private async addSite(): Promise<void> {
    const input = $<HTMLInputElement>('add-site-name');
    const error = $('add-site-error');
    const raw = input.value.trim();
    let host = raw;
    try {
      if (/^[a-z]+:\/\//i.test(raw)) host = new URL(raw).hostname;
    } catch {
      host = '';
    }
    const site = normalizeSite(host);
    if (site === null || !site.includes('.') && site !== 'localhost') {
      error.textContent = t('options_sites_add_invalid');
      error.hidden = false;
      return;
    }
    error.hidden = true;
    input.value = '';
    this.editing.add(site);
    // A site is added paused: the commonest reason to list one.
    await this.setSite(site, { enabled: false });
  }

  private async renderMuted(muted: string[]): Promise<void> {
    for (const id of muted) {
      if (this.names.has(id)) continue;
      const entry = await callBackground('entry.get', { id }).catch(() => null);
      this.names.set(id, entry?.name ?? '');
    }
    $('muted-empty').hidden = muted.length > 0;
    const sorted = [...muted].sort((a, b) => (this.names.get(a) || a).localeCompare(this.names.get(b) || b));
    $('muted').replaceChildren(
      ...sorted.map((id) => {
        const name = this.names.get(id) || '';
        const undo = h('button', { type: 'button', 'aria-label': t('options_unmute_label', name || id) }, t('options_unmute'));
        undo.addEventListener('click', () => void this.unmute(id));
        const label = name === '' ? h('span', { class: 'label' }, id, h('span', { class: 'summary' }, t('options_muted_missing'))) : h('span', { class: 'label', lang: 'en' }, name);
        return h('li', { 'data-entry': id }, label, undo);
      }),
    );
  }

  private async unmute(id: string): Promise<void> {
    try {
      await callBackground('entry.mute', { id, muted: false });
    } catch (e) {
      this.status(t('options_error', e instanceof Error ? e.message : String(e)), true);
    }
    await this.load();
  }

  private async exportFile(): Promise<void> {
    const { text } = await callBackground('settings.export', {});
    const link = $<HTMLAnchorElement>('export-link');
    if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    link.download = `footnote-settings-${new Date().toISOString().slice(0, 10)}.json`;
    link.click();
    this.status(t('options_export_done', link.download), false);
  }

  private async importFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (file === undefined) return;
    let text: string;
    try {
      text = file.size > 4 * 1024 * 1024 ? '' : await file.text();
    } catch {
      this.status(t('options_import_unreadable'), true);
      return;
    }
    if (file.size > 4 * 1024 * 1024) {
      this.status(importError({ kind: 'too-large' }), true);
      return;
    }
    try {
      const result = await callBackground('settings.import', { text });
      if (!result.ok) {
        this.status(importError(result.error), true);
        return;
      }
      this.view = result.view;
      await this.render();
      this.status(t('options_import_done', [String(Object.keys(result.view.settings.sites).length), String(result.view.settings.muted.length)]), false);
    } catch (e) {
      this.status(t('options_error', e instanceof Error ? e.message : String(e)), true);
    }
  }

  status(text: string, error: boolean): void {
    const node = $('backup-status');
    node.textContent = text;
    node.classList.toggle('error', error);
  }
}

function importError(e: ImportError): string {
  switch (e.kind) {
    case 'too-large':
      return t('options_import_too_large');
    case 'not-json':
      return t('options_import_not_json', e.detail);
    case 'not-footnote':
      return t('options_import_not_footnote');
    case 'newer-version':
      return t('options_import_newer', String(e.version));
    case 'invalid':
      return t('options_import_invalid', e.problems.slice(0, 5).map(describe).join('; '));
  }
}

/** A problem in the reader's language: where, and what was done. */
function describe(p: Problem): string {
  return t(`problem_${p.kind.replaceAll('-', '_')}`, p.field);
}

/** An element id for a site name. */
function siteId(site: string): string {
  return `site-${site.replace(/[^a-z0-9-]/g, '_')}`;
}

async function showShortcuts(): Promise<void> {
  const commands = (await ext.commands?.getAll().catch(() => [])) ?? [];
  $('keys').replaceChildren(
    ...commands
      .filter((c) => c.name === 'toggle-site' || c.name === 'open-navigator')
      .map((c) => h('li', { 'data-command': c.name ?? '' }, h('span', { class: 'label' }, c.description ?? ''), c.shortcut ? h('kbd', {}, c.shortcut) : h('span', { class: 'summary' }, t('options_keys_unset')))),
  );
  const commandsApi = ext.commands as typeof ext.commands & { openShortcutSettings?: () => Promise<void> };
  $('keys-change').addEventListener('click', () => {
    if (typeof commandsApi.openShortcutSettings === 'function') {
      void commandsApi.openShortcutSettings();
    } else if (navigator.userAgent.includes('Firefox')) {
      $('keys-change-note').hidden = false;
    } else {
      void ext.tabs.create({ url: 'chrome://extensions/shortcuts' });
    }
  });
}

async function main(): Promise<void> {
  localize();
  const page = new OptionsPage();
  await page.load();
  await showShortcuts();
  // Changes made elsewhere (the popup, a tooltip, another device) show here at once.
  let pending = 0;
  ext.storage.onChanged.addListener((changes) => {
    if (!('settings' in changes) && !('settingsProblems' in changes)) return;
    window.clearTimeout(pending);
    pending = window.setTimeout(() => void page.load(), 50);
  });
}

main().catch((error: unknown) => {
  console.error('Footnote options:', error);
  document.body.dataset['ready'] = 'error';
});
