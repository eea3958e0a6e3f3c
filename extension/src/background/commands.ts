/**
 * The keyboard commands of manifest.json (`commands`):
 * - `toggle-site`: Footnote on or off for the site of the current tab;
 * - `open-navigator`: the panel that lists every annotation of the page.
 *
 * The background has no "tabs" permission, so it cannot read a tab's address: it asks the
 * tab's content script which site it shows. Tabs without Footnote (browser pages, pages
 * loaded before it was installed) are left alone.
 */

import { ext } from '../shared/browser';
import { callTab } from '../shared/rpc';
import { effectiveFor, withSitePatch } from '../shared/settings';
import { broadcastSettingsChanged } from './handlers';
import { getSettings, updateSettings } from './settings-store';

export const COMMANDS = ['toggle-site', 'open-navigator'] as const;

export async function runCommand(command: string, tab: chrome.tabs.Tab | undefined): Promise<void> {
  const tabId = tab?.id ?? (await ext.tabs.query({ active: true, currentWindow: true }))[0]?.id;
  if (tabId === undefined) return;
  if (command === 'open-navigator') {
    await callTab(tabId, 'navigator.open', {});
  } else if (command === 'toggle-site') {
    const { site } = await callTab(tabId, 'page.state', {});
    if (site === null) return;
    const enabled = !effectiveFor(await getSettings(), site).enabled;
    await updateSettings((s) => withSitePatch(s, site, { enabled }));
    await broadcastSettingsChanged();
    const shortcut = (await ext.commands.getAll()).find((c) => c.name === 'toggle-site')?.shortcut ?? '';
    await callTab(tabId, 'site.toggled', { enabled, shortcut });
  }
}

export function listenForCommands(): void {
  ext.commands?.onCommand.addListener((command, tab) => {
    runCommand(command, tab).catch((error: unknown) => console.debug(`Footnote: ${command} did nothing here:`, error));
  });
}
