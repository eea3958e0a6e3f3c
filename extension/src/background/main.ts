/**
 * The background: a service worker on Chromium, a module event page on Firefox. It owns the
 * WebAssembly core (core.ts) and the settings (settings-store.ts) and answers requests
 * (handlers.ts). It makes no network request.
 */

import { ext } from '../shared/browser';
import { answer } from '../shared/rpc';
import { listenForCommands } from './commands';
import { warmUp } from './core';
import { broadcastSettingsChanged, handle } from './handlers';
import { getSettings, restrictStorageToExtensionPages, whenChangedElsewhere } from './settings-store';

ext.runtime.onMessage.addListener((message: unknown, sender, sendResponse) =>
  answer(() => handle(message, sender), sendResponse),
);

ext.runtime.onInstalled.addListener(() => {
  restrictStorageToExtensionPages();
});
ext.runtime.onStartup.addListener(() => {
  restrictStorageToExtensionPages();
});

listenForCommands();
// Settings changed on another device arrive through storage.sync: pages follow at once.
whenChangedElsewhere(() => void broadcastSettingsChanged());
// The background is stopped when idle and started again by the next message, usually a page
// asking for its settings (at document start) before it sends text: start the core at once,
// and answer that question before building the core holds the background for tens of ms, so
// that the page reads its text meanwhile.
warmUp(getSettings());
