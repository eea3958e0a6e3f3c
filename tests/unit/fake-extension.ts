// A stand-in for the extension API, enough to run the background's modules under Node with
// the real WebAssembly core from pkg/ (built by scripts/build.mjs).
import { readFileSync } from 'node:fs';

export const EXTENSION_ID = 'footnoteextensionid';
export const BASE = `chrome-extension://${EXTENSION_ID}/`;
const WASM = new URL('../../pkg/footnote_bg.wasm', import.meta.url);

type Sender = chrome.runtime.MessageSender;
export const contentScript: Sender = { id: EXTENSION_ID, tab: { id: 7 } as chrome.tabs.Tab, frameId: 0, url: 'https://news.example/story' };
export const extensionPage: Sender = { id: EXTENSION_ID, url: `${BASE}extension/pages/popup.html` };

/** Installs `chrome` and a `fetch` that serves the module; then the background can be imported. */
export function installFakeExtension(): void {
  const stored: Record<string, unknown> = {};
  const fakeChrome = {
    runtime: { id: EXTENSION_ID, getURL: (path: string) => `${BASE}${path}` },
    i18n: { getMessage: () => '', getUILanguage: () => 'en' },
    storage: {
      local: {
        get: async (key: string) => (key in stored ? { [key]: structuredClone(stored[key]) } : {}),
        set: async (items: Record<string, unknown>) => void Object.assign(stored, structuredClone(items)),
      },
      onChanged: { addListener: () => undefined },
    },
    tabs: { query: async () => [], sendMessage: async () => undefined },
  };
  Object.assign(globalThis, { chrome: fakeChrome });
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: RequestInfo | URL) => {
    if (String(input) === `${BASE}pkg/footnote_bg.wasm`) {
      return new Response(readFileSync(WASM), { headers: { 'content-type': 'application/wasm' } });
    }
    return realFetch(input);
  }) as typeof fetch;
}
