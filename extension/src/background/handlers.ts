/**
 * One handler per request type of BackgroundApi. Requests that change settings are accepted
 * only from the extension's own pages; content scripts may read only their own page's
 * settings, resolved from the sender's URL (never from what the message claims).
 */

import { isCategory } from '../shared/categories';
import { ext } from '../shared/browser';
import { type BackgroundApi, type ResultOf, MAX_BATCH_CHARS } from '../shared/messages';
import {
  type Settings,
  defaultSettings,
  effectiveFor,
  exportSettings,
  hasOwnSettings,
  isEntryId,
  parseImport,
  parsePatch,
  parseTooltipPatch,
  readerSettings,
  withDefaultsPatch,
  withMuted,
  withSitePatch,
  withTooltip,
  withoutSite,
} from '../shared/settings';
import { normalizeSite, siteOf } from '../shared/site';
import { COMMANDS, runCommand } from './commands';
import * as core from './core';
import { dismissProblems, getSettings, settingsView, updateSettings } from './settings-store';

type Sender = chrome.runtime.MessageSender;
type Handler<K extends keyof BackgroundApi> = (message: Record<string, unknown>, sender: Sender) => Promise<ResultOf<BackgroundApi, K>>;

/** True for the extension's own pages (popup, options), never for content scripts. */
function fromExtensionPage(sender: Sender): boolean {
  const own = ext.runtime.getURL('');
  return sender.id === ext.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(own);
}

function fromOwnContentScript(sender: Sender): boolean {
  return sender.id === ext.runtime.id && sender.tab !== undefined;
}

function requireSite(value: unknown): string {
  const site = typeof value === 'string' ? normalizeSite(value) : null;
  if (site === null) throw new Error('not a site name');
  return site;
}

const handlers: { [K in keyof BackgroundApi]: Handler<K> } = {
  'page.settings': async (_m, sender) => {
    if (!fromOwnContentScript(sender)) throw new Error('only a page can ask for its settings');
    const site = siteOf(sender.url ?? '');
    if (site === null) throw new Error('Footnote runs only on http and https pages');
    const settings = await getSettings();
    return { site, settings: effectiveFor(settings, site), reader: readerSettings(settings) };
  },

  'entry.mute': async (m, sender) => {
    if (!fromOwnContentScript(sender) && !fromExtensionPage(sender)) throw new Error('unknown sender');
    const id = m['id'];
    const muted = m['muted'];
    if (!isEntryId(id) || typeof muted !== 'boolean') throw new Error('not an entry to mute');
    // Only entries that exist can be muted, so a page's content script cannot fill the list.
    if (muted && (await core.entry(id)) === null) throw new Error('no such entry');
    const settings = await updateSettings((s) => withMuted(s, id, muted));
    void broadcastSettingsChanged();
    return { muted: settings.muted };
  },

  annotate: async (m, sender) => {
    if (!fromOwnContentScript(sender) && !fromExtensionPage(sender)) throw new Error('unknown sender');
    const blocks = m['blocks'];
    const categories = m['categories'];
    if (!Array.isArray(blocks) || !blocks.every((b) => typeof b === 'string')) throw new Error('blocks must be strings');
    if (!Array.isArray(categories) || !categories.every(isCategory)) throw new Error('unknown category');
    let chars = 0;
    for (const b of blocks as string[]) chars += b.length;
    if (chars > MAX_BATCH_CHARS * 2) throw new Error(`too much text in one request (${chars} characters)`);
    return core.annotate(blocks as string[], categories);
  },

  'entry.get': async (m, sender) => {
    if (!fromOwnContentScript(sender) && !fromExtensionPage(sender)) throw new Error('unknown sender');
    const id = m['id'];
    if (typeof id !== 'string' || id.length > 200) throw new Error('not an entry id');
    return core.entry(id);
  },

  diagnostics: async (_m, sender) => {
    if (!fromExtensionPage(sender)) throw new Error('diagnostics are for the extension pages only');
    return core.diagnostics();
  },

  'settings.site.get': async (m, sender) => {
    if (!fromExtensionPage(sender)) throw new Error('settings are read by the extension pages only');
    const site = requireSite(m['site']);
    const settings = await getSettings();
    return { site, settings: effectiveFor(settings, site), own: hasOwnSettings(settings, site) };
  },

  'settings.site.set': async (m, sender) => {
    if (!fromExtensionPage(sender)) throw new Error('settings are changed by the extension pages only');
    const site = requireSite(m['site']);
    const patch = parsePatch(m['patch']);
    if (patch === null) throw new Error('not a valid settings change');
    const settings = await updateSettings((s) => withSitePatch(s, site, patch));
    void broadcastSettingsChanged();
    return { site, settings: effectiveFor(settings, site), own: hasOwnSettings(settings, site) };
  },

  'settings.get': async (_m, sender) => {
    if (!fromExtensionPage(sender)) throw new Error('settings are read by the extension pages only');
    return settingsView();
  },

  'settings.site.remove': async (m, sender) => {
    const site = requireSite(m['site']);
    return change(sender, (s) => withoutSite(s, site));
  },

  'settings.defaults.set': async (m, sender) => {
    const patch = parsePatch(m['patch']);
    if (patch === null) throw new Error('not a valid settings change');
    return change(sender, (s) => withDefaultsPatch(s, patch));
  },

  'settings.reader.set': async (m, sender) => {
    const tooltip = m['tooltip'] === undefined ? {} : parseTooltipPatch(m['tooltip']);
    const first = m['firstMentionOnly'];
    if (tooltip === null || (first !== undefined && typeof first !== 'boolean')) throw new Error('not a valid settings change');
    return change(sender, (s) => {
      const next = withTooltip(s, tooltip);
      return typeof first === 'boolean' ? { ...next, firstMentionOnly: first } : next;
    });
  },

  'settings.reset': async (_m, sender) => change(sender, () => defaultSettings()),

  'settings.export': async (_m, sender) => {
    if (!fromExtensionPage(sender)) throw new Error('settings are read by the extension pages only');
    return { text: exportSettings(await getSettings()) };
  },

  'settings.import': async (m, sender) => {
    if (!fromExtensionPage(sender)) throw new Error('settings are changed by the extension pages only');
    const text = m['text'];
    if (typeof text !== 'string') throw new Error('not a file');
    const parsed = parseImport(text);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    return { ok: true, view: await change(sender, () => parsed.settings) };
  },

  'command.run': async (m, sender) => {
    if (!fromExtensionPage(sender)) throw new Error('commands are run from the extension pages only');
    const command = m['command'];
    const tabId = m['tabId'];
    if (!(COMMANDS as readonly unknown[]).includes(command)) throw new Error('unknown command');
    if (typeof tabId !== 'number' || !Number.isInteger(tabId) || tabId < 0) throw new Error('not a tab');
    await runCommand(command as string, { id: tabId } as chrome.tabs.Tab);
    return null;
  },

  'settings.problems.dismiss': async (_m, sender) => {
    if (!fromExtensionPage(sender)) throw new Error('settings are changed by the extension pages only');
    await dismissProblems();
    return settingsView();
  },
};

/** Applies a change from an extension page, tells every tab, and returns what the options page shows. */
async function change(sender: Sender, f: (s: Settings) => Settings) {
  if (!fromExtensionPage(sender)) throw new Error('settings are changed by the extension pages only');
  await updateSettings(f);
  void broadcastSettingsChanged();
  return settingsView();
}

export function isRequestType(type: unknown): type is keyof BackgroundApi {
  return typeof type === 'string' && Object.hasOwn(handlers, type);
}

export function handle(message: unknown, sender: Sender): Promise<unknown> {
  if (typeof message !== 'object' || message === null) return Promise.reject(new Error('not a request'));
  const m = message as Record<string, unknown>;
  const type = m['type'];
  if (!isRequestType(type)) return Promise.reject(new Error(`unknown request "${String(type).slice(0, 40)}"`));
  return (handlers[type] as Handler<typeof type>)(m, sender);
}

/** Tells every tab's content script to ask for its settings again. */
export async function broadcastSettingsChanged(): Promise<void> {
  const tabs = await ext.tabs.query({});
  await Promise.all(
    tabs.map((tab) =>
      tab.id === undefined
        ? undefined
        : ext.tabs.sendMessage(tab.id, { type: 'settings.changed' }).catch(() => undefined),
    ),
  );
}

