/**
 * Where settings are kept: storage.sync when the browser offers it and the settings fit, so
 * that they follow the reader to other devices; storage.local always, so that nothing is lost
 * when sync is full, rate-limited or unavailable.
 *
 * Both areas hold the same two keys, written together: `settings` (the object of
 * shared/settings.ts) and `settingsSavedAt` (ms since 1970). On reading, the newer copy wins:
 * a write that only reached storage.local (sync full) is newer than the sync copy, and settings
 * changed on another device arrive in sync with a newer time.
 *
 * No browser API is imported here: the areas are passed in, so the rules are tested in Node.
 */

import type { StorageStatus } from '../shared/messages';
import { type Problem, type Settings, normalizeSettings } from '../shared/settings';

export type { StorageStatus };

/** The part of a browser storage area this module uses. */
export interface Area {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export const SETTINGS_KEY = 'settings';
export const SAVED_AT_KEY = 'settingsSavedAt';

/**
 * Largest settings item written to storage.sync, in bytes of its key plus its JSON. Chromium
 * and Firefox both allow 8192 bytes per item; a little is kept back.
 */
export const SYNC_ITEM_BYTES = 8000;

export interface Loaded {
  settings: Settings;
  problems: Problem[];
  status: StorageStatus;
}

interface Copy {
  value: unknown;
  savedAt: number;
}

export class SettingsStorage {
  private lastSavedAt = 0;

  constructor(
    private readonly local: Area,
    private readonly sync: Area | null,
  ) {}

  /** Reads the newer of the two copies; corrupted parts fall back to their defaults (`problems`). */
  async load(): Promise<Loaded> {
    // Both at once: a page waits for its settings while the background starts.
    const [local, sync] = await Promise.all([
      read(this.local).catch(() => null),
      // undefined: storage.sync exists but cannot be read (switched off by policy, for example).
      this.sync === null ? undefined : read(this.sync).catch(() => undefined),
    ]);
    const useSync = sync !== null && sync !== undefined && (local === null || sync.savedAt >= local.savedAt);
    const chosen = useSync ? sync : local;
    const { settings, problems } = normalizeSettings(chosen?.value);
    this.lastSavedAt = Math.max(this.lastSavedAt, local?.savedAt ?? 0, sync?.savedAt ?? 0);
    const bytes = sizeOf(chosen?.value ?? settings);
    let status: StorageStatus;
    if (sync === undefined) status = { area: 'local', reason: 'unavailable', bytes };
    else if (useSync || local === null) status = { area: 'sync', reason: null, bytes }; // nothing stored yet goes to sync
    else if (bytes > SYNC_ITEM_BYTES) status = { area: 'local', reason: 'too-large', bytes };
    else if (sync !== null) status = { area: 'local', reason: 'write-failed', bytes }; // sync holds an older copy
    else status = { area: 'local', reason: null, bytes }; // written before sync was used; the next change goes there
    return { settings, problems, status };
  }

  /**
   * Stores `settings` in storage.local, then in storage.sync when it fits. Throws only when
   * storage.local refuses it (nothing was changed then).
   */
  async save(settings: Settings): Promise<StorageStatus> {
    const savedAt = Math.max(Date.now(), this.lastSavedAt + 1);
    const items = { [SETTINGS_KEY]: settings, [SAVED_AT_KEY]: savedAt };
    // Set first: storage change events for this write must already see it as our own.
    this.lastSavedAt = savedAt;
    await this.local.set(items);
    const bytes = sizeOf(settings);
    if (this.sync === null) return { area: 'local', reason: 'unavailable', bytes };
    if (bytes > SYNC_ITEM_BYTES) return { area: 'local', reason: 'too-large', bytes };
    try {
      await this.sync.set(items);
      return { area: 'sync', reason: null, bytes };
    } catch {
      // Full, over the write rate, or sync switched off: the local copy is newer and wins.
      return { area: 'local', reason: 'write-failed', bytes };
    }
  }

  /** The time of the last write this instance made or read (to tell its own changes from others'). */
  get savedAt(): number {
    return this.lastSavedAt;
  }
}

async function read(area: Area): Promise<Copy | null> {
  const got = await area.get([SETTINGS_KEY, SAVED_AT_KEY]);
  const value = got[SETTINGS_KEY];
  if (value === undefined) return null;
  const at = got[SAVED_AT_KEY];
  return { value, savedAt: typeof at === 'number' && Number.isFinite(at) ? at : 0 };
}

/** Bytes storage.sync counts for the settings item: its key plus its value as JSON (UTF-8). */
export function sizeOf(value: unknown): number {
  return SETTINGS_KEY.length + new TextEncoder().encode(JSON.stringify(value) ?? '').length;
}
