/**
 * The only writer of settings. Reads once per background start (and again if storage changes
 * behind its back), validates and migrates what it reads (settings.ts), and serialises writes
 * so that two quick changes never overwrite each other.
 */

import { ext } from '../shared/browser';
import { type Settings, normalizeSettings } from '../shared/settings';

const KEY = 'settings';

let cached: Promise<Settings> | null = null;
let writes: Promise<unknown> = Promise.resolve();

export function getSettings(): Promise<Settings> {
  cached ??= ext.storage.local.get(KEY).then((stored) => {
    const { settings, problems } = normalizeSettings(stored[KEY]);
    for (const p of problems) console.warn(`Footnote settings: ${p}`);
    return settings;
  });
  return cached;
}

/** Applies `change` to the current settings and stores the result, one change at a time. */
export function updateSettings(change: (s: Settings) => Settings): Promise<Settings> {
  const next = writes.then(async () => {
    const updated = change(await getSettings());
    await ext.storage.local.set({ [KEY]: updated });
    cached = Promise.resolve(updated);
    return updated;
  });
  writes = next.catch(() => undefined);
  return next;
}

/** Keeps content scripts out of stored settings where the browser allows it (Chromium). */
export function restrictStorageToExtensionPages(): void {
  const local = ext.storage.local as chrome.storage.StorageArea & {
    setAccessLevel?: (o: { accessLevel: string }) => Promise<void>;
  };
  local.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' })?.catch(() => undefined);
}

ext.storage.onChanged.addListener((_changes, area) => {
  if (area === 'local') cached = null;
});
