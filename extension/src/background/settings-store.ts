/**
 * The only writer of settings. Reads once per background start (and again when storage
 * changes behind its back, for example from another device through sync), validates and
 * migrates what it reads (shared/settings.ts), and serialises writes so that two quick changes
 * never overwrite each other. Where the settings live is settings-storage.ts's business.
 *
 * When stored settings had corrupted parts, those parts fall back to their defaults, the
 * repaired settings are written back, and the report is kept (storage.local
 * `settingsProblems`) until the reader dismisses it in the options page.
 */

import { ext } from '../shared/browser';
import type { SettingsView } from '../shared/messages';
import { type Problem, type Settings, normalizeSettings } from '../shared/settings';
import { type Area, type Loaded, SAVED_AT_KEY, SettingsStorage, type StorageStatus } from './settings-storage';

const PROBLEMS_KEY = 'settingsProblems';

function syncArea(): Area | null {
  try {
    return (ext.storage.sync as Area | undefined) ?? null;
  } catch {
    return null;
  }
}

const storage = new SettingsStorage(ext.storage.local, syncArea());

let cached: Promise<{ settings: Settings; status: StorageStatus }> | null = null;
let writes: Promise<unknown> = Promise.resolve();

function load(): Promise<{ settings: Settings; status: StorageStatus }> {
  cached ??= storage.load().then(async (loaded) => {
    if (loaded.problems.length > 0) await keepReport(loaded);
    return { settings: loaded.settings, status: loaded.status };
  });
  cached.catch(() => {
    cached = null;
  });
  return cached;
}

/** Records what was wrong and, unless the settings come from a newer Footnote, writes the repaired settings back. */
async function keepReport(loaded: Loaded): Promise<void> {
  for (const p of loaded.problems) console.warn(`Footnote settings: ${p.field}: ${p.kind}`);
  const before = await readReport();
  await ext.storage.local.set({ [PROBLEMS_KEY]: mergeReports(before, loaded.problems) });
  if (!loaded.problems.some((p) => p.kind === 'newer-version')) {
    loaded.status = await storage.save(loaded.settings);
  }
}

async function readReport(): Promise<Problem[]> {
  const got = await ext.storage.local.get([PROBLEMS_KEY]);
  const list = got[PROBLEMS_KEY];
  if (!Array.isArray(list)) return [];
  return list.filter(
    (p): p is Problem => typeof p === 'object' && p !== null && typeof p.field === 'string' && typeof p.kind === 'string',
  );
}

function mergeReports(a: Problem[], b: Problem[]): Problem[] {
  const seen = new Set(a.map((p) => `${p.field}\n${p.kind}`));
  return [...a, ...b.filter((p) => !seen.has(`${p.field}\n${p.kind}`))].slice(0, 100);
}

export async function getSettings(): Promise<Settings> {
  return (await load()).settings;
}

/** Everything the options page shows: the settings, where they are kept, and what was repaired. */
export async function settingsView(): Promise<SettingsView> {
  const { settings, status } = await load();
  return { settings, storage: status, problems: await readReport() };
}

/** Applies `change` to the current settings and stores the result, one change at a time. */
export function updateSettings(change: (s: Settings) => Settings): Promise<Settings> {
  const next = writes.then(async () => {
    const updated = change(await getSettings());
    // What is written is always valid: the same rules that read it check it.
    const { settings, problems } = normalizeSettings(JSON.parse(JSON.stringify(updated)));
    if (problems.length > 0) throw new Error(`refused to store invalid settings (${problems[0]!.field})`);
    const status = await storage.save(settings);
    cached = Promise.resolve({ settings, status });
    return settings;
  });
  writes = next.catch(() => undefined);
  return next;
}

/** Forgets the report of repaired settings (the reader has seen it). */
export async function dismissProblems(): Promise<void> {
  await ext.storage.local.remove(PROBLEMS_KEY);
}

/** Keeps content scripts out of stored settings where the browser allows it (Chromium). */
export function restrictStorageToExtensionPages(): void {
  for (const area of [ext.storage.local, syncArea()]) {
    const a = area as (Area & { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> }) | null;
    a?.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' })?.catch(() => undefined);
  }
}

let onOutsideChange: (() => void) | null = null;

/** Calls `f` when settings change from outside this background (another device, through sync). */
export function whenChangedElsewhere(f: () => void): void {
  onOutsideChange = f;
}

ext.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local' && area !== 'sync') return;
  if (!('settings' in changes) && !(SAVED_AT_KEY in changes)) return;
  const at = changes[SAVED_AT_KEY]?.newValue;
  // Our own writes carry the time this instance wrote; anything else came from elsewhere.
  if (at !== storage.savedAt) {
    cached = null;
    if (area === 'sync') onOutsideChange?.();
  }
});
