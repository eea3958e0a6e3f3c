/**
 * One handler per request type of BackgroundApi. Requests that change settings are accepted
 * only from the extension's own pages; content scripts may read only their own page's
 * settings, resolved from the sender's URL (never from what the message claims).
 */

import { CATEGORIES, type Category, isCategory } from '../shared/categories';
import { ext } from '../shared/browser';
import { type BackgroundApi, type ResultOf, MAX_BATCH_CHARS, MAX_QUOTATION_CHARS } from '../shared/messages';
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

/**
 * The blocks of an annotate request, checked one by one (an array may have holes or hold
 * anything). More text or more blocks than a content script ever sends in one request is
 * refused, so that no request can hold the core for long.
 */
function readBlocks(value: unknown): string[] {
  if (!Array.isArray(value)) throw new Error('blocks must be an array of strings');
  if (value.length > MAX_BATCH_CHARS) throw new Error(`too many blocks in one request (${value.length})`);
  let chars = 0;
  for (let i = 0; i < value.length; i++) {
    const b: unknown = value[i];
    if (typeof b !== 'string') throw new Error('blocks must be an array of strings');
    chars += b.length;
    if (chars > MAX_BATCH_CHARS * 2) throw new Error(`too much text in one request (more than ${MAX_BATCH_CHARS * 2} characters)`);
  }
  return value as string[];
}

function readCategories(value: unknown): Category[] {
  if (!Array.isArray(value) || value.length > CATEGORIES.length * 2) throw new Error('categories must be a short array of category names');
  for (let i = 0; i < value.length; i++) {
    if (!isCategory(value[i])) throw new Error('unknown category');
  }
  return value as Category[];
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
    return core.annotate(readBlocks(m['blocks']), readCategories(m['categories']));
  },

  'entry.get': async (m, sender) => {
    if (!fromOwnContentScript(sender) && !fromExtensionPage(sender)) throw new Error('unknown sender');
    const id = m['id'];
    if (typeof id !== 'string' || id.length > 200) throw new Error('not an entry id');
    const quotation = m['quotation'];
    if (quotation !== undefined && (typeof quotation !== 'string' || quotation.length > MAX_QUOTATION_CHARS)) {
      throw new Error('not a quotation');
    }
    return core.entry(id, quotation);
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

/**
 * Answers one request. Whatever arrives (not an object, an unknown type, wrong fields, too much
 * text, a sender that may not ask) gets a rejected promise with a one-sentence reason, never an
 * exception out of the listener.
 */
export async function handle(message: unknown, sender: Sender): Promise<unknown> {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new Error('not a request');
  const m = message as Record<string, unknown>;
  const type = m['type'];
  if (!isRequestType(type)) {
    throw new Error(typeof type === 'string' ? `unknown request "${type.slice(0, 40)}"` : 'a request needs a type');
  }
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

