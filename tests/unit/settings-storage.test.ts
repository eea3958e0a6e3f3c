// Settings storage: storage.sync where it fits, storage.local always, the newer copy wins.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Area, SAVED_AT_KEY, SETTINGS_KEY, SYNC_ITEM_BYTES, SettingsStorage, sizeOf } from '../../extension/src/background/settings-storage';
import { type Settings, defaultSettings, effectiveFor, withMuted, withSitePatch } from '../../extension/src/shared/settings';

/** An in-memory storage area; `refuse` makes writes (or reads) fail as a full or disabled area does. */
class FakeArea implements Area {
  data: Record<string, unknown> = {};
  writes = 0;
  refuseWrites: string | null = null;
  refuseReads = false;
  async get(keys: string[]): Promise<Record<string, unknown>> {
    if (this.refuseReads) throw new Error('storage.sync is disabled');
    return Object.fromEntries(keys.filter((k) => k in this.data).map((k) => [k, structuredClone(this.data[k])]));
  }
  async set(items: Record<string, unknown>): Promise<void> {
    if (this.refuseWrites !== null) throw new Error(this.refuseWrites);
    this.writes++;
    Object.assign(this.data, structuredClone(items));
  }
}

const paused = (site: string) => withSitePatch(defaultSettings(), site, { enabled: false });

/** Settings with so many sites that they no longer fit one storage.sync item. */
function large(): Settings {
  let s = defaultSettings();
  for (let i = 0; sizeOf(s) <= SYNC_ITEM_BYTES; i++) s = withSitePatch(s, `site-${i}.example.com`, { enabled: false });
  return s;
}

describe('settings storage', () => {
  test('settings that fit go to sync and to local; reading gives them back', async () => {
    const local = new FakeArea();
    const sync = new FakeArea();
    const store = new SettingsStorage(local, sync);
    const status = await store.save(paused('example.com'));
    assert.deepEqual(status.area, 'sync');
    assert.equal(status.reason, null);
    assert.deepEqual(sync.data[SETTINGS_KEY], paused('example.com'));
    assert.deepEqual(local.data[SETTINGS_KEY], paused('example.com'));
    const loaded = await new SettingsStorage(local, sync).load();
    assert.deepEqual(loaded.settings, paused('example.com'));
    assert.deepEqual(loaded.status.area, 'sync');
  });

  test('when sync refuses the write (full or over its rate), the settings are kept locally and win', async () => {
    const local = new FakeArea();
    const sync = new FakeArea();
    const store = new SettingsStorage(local, sync);
    await store.save(paused('a.com'));
    sync.refuseWrites = 'QUOTA_BYTES quota exceeded';
    const status = await store.save(paused('b.com'));
    assert.deepEqual(status, { area: 'local', reason: 'write-failed', bytes: sizeOf(paused('b.com')) });
    const loaded = await new SettingsStorage(local, sync).load();
    assert.equal(effectiveFor(loaded.settings, 'b.com').enabled, false, 'the newer local copy is read');
    assert.equal(effectiveFor(loaded.settings, 'a.com').enabled, true);
    assert.equal(loaded.status.area, 'local');
    assert.equal(loaded.status.reason, 'write-failed');
  });

  test('settings too large for one sync item stay local, and sync is not written', async () => {
    const local = new FakeArea();
    const sync = new FakeArea();
    const status = await new SettingsStorage(local, sync).save(large());
    assert.equal(status.area, 'local');
    assert.equal(status.reason, 'too-large');
    assert.equal(sync.writes, 0);
    const loaded = await new SettingsStorage(local, sync).load();
    assert.deepEqual(loaded.settings, large());
    assert.equal(loaded.status.reason, 'too-large');
  });

  test('without sync (or when it cannot be read) local is used', async () => {
    const local = new FakeArea();
    assert.equal((await new SettingsStorage(local, null).save(paused('a.com'))).reason, 'unavailable');
    const sync = new FakeArea();
    sync.refuseReads = true;
    const loaded = await new SettingsStorage(local, sync).load();
    assert.equal(effectiveFor(loaded.settings, 'a.com').enabled, false);
    assert.equal(loaded.status.reason, 'unavailable');
  });

  test('a newer copy from another device (in sync) wins over the local one', async () => {
    const local = new FakeArea();
    const sync = new FakeArea();
    await new SettingsStorage(local, sync).save(paused('a.com'));
    sync.data[SETTINGS_KEY] = withMuted(defaultSettings(), 'reuters', true);
    sync.data[SAVED_AT_KEY] = (local.data[SAVED_AT_KEY] as number) + 1000;
    const loaded = await new SettingsStorage(local, sync).load();
    assert.deepEqual(loaded.settings.muted, ['reuters']);
    assert.equal(effectiveFor(loaded.settings, 'a.com').enabled, true);
  });

  test('version 1 settings in storage.local (before sync was used) are read and migrated', async () => {
    const local = new FakeArea();
    local.data[SETTINGS_KEY] = { version: 1, defaults: { enabled: true, categories: { term: false } }, sites: { 'a.com': { enabled: false } } };
    const loaded = await new SettingsStorage(local, new FakeArea()).load();
    assert.deepEqual(loaded.problems, []);
    assert.equal(loaded.settings.version, 2);
    assert.equal(loaded.settings.defaults.categories.term, false);
    assert.equal(effectiveFor(loaded.settings, 'a.com').enabled, false);
  });

  test('a corrupted stored value falls back field by field and is reported', async () => {
    const local = new FakeArea();
    const sync = new FakeArea();
    sync.data[SETTINGS_KEY] = { version: 2, sites: { 'a.com': { enabled: 'off' }, 'b.com': { enabled: false } }, muted: 'x', firstMentionOnly: true };
    const loaded = await new SettingsStorage(local, sync).load();
    assert.deepEqual(loaded.problems.map((p) => p.field).sort(), ['muted', 'sites["a.com"].enabled']);
    assert.equal(effectiveFor(loaded.settings, 'b.com').enabled, false);
    assert.equal(loaded.settings.firstMentionOnly, true);
  });

  test('a failed local write throws and changes nothing', async () => {
    const local = new FakeArea();
    const sync = new FakeArea();
    const store = new SettingsStorage(local, sync);
    await store.save(paused('a.com'));
    local.refuseWrites = 'disk full';
    await assert.rejects(store.save(paused('b.com')), /disk full/);
    const loaded = await new SettingsStorage(local, sync).load();
    assert.equal(effectiveFor(loaded.settings, 'a.com').enabled, false);
    assert.equal(effectiveFor(loaded.settings, 'b.com').enabled, true);
  });
});
