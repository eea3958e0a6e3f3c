/** Typed request helpers over runtime messaging (see messages.ts). */

import { ext } from './browser';
import type { BackgroundApi, Reply, ResultOf, TabApi } from './messages';

type Params<Api, K extends keyof Api> = Api[K] extends { params: infer P } ? P : never;

/** Sends a request to the background and returns its value, or throws its error. */
export async function callBackground<K extends keyof BackgroundApi>(
  type: K,
  params: Params<BackgroundApi, K>,
): Promise<ResultOf<BackgroundApi, K>> {
  const reply: unknown = await ext.runtime.sendMessage({ type, ...(params as object) });
  return unwrap<ResultOf<BackgroundApi, K>>(reply);
}

/** Sends a request to the content script of tab `tabId` (main frame only). */
export async function callTab<K extends keyof TabApi>(
  tabId: number,
  type: K,
  params: Params<TabApi, K>,
): Promise<ResultOf<TabApi, K>> {
  const reply: unknown = await ext.tabs.sendMessage(tabId, { type, ...(params as object) }, { frameId: 0 });
  return unwrap<ResultOf<TabApi, K>>(reply);
}

function unwrap<T>(reply: unknown): T {
  if (typeof reply !== 'object' || reply === null || !('ok' in reply)) {
    throw new Error('no reply');
  }
  const r = reply as Reply<T>;
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/**
 * Answers a message listener's request with the result of `work`, as a Reply. `work` throwing
 * at once is answered like a rejection; a reply that can no longer be delivered (the sender
 * went away) is dropped.
 */
export function answer<T>(work: () => Promise<T>, sendResponse: (reply: Reply<T>) => void): true {
  const send = (reply: Reply<T>): void => {
    try {
      sendResponse(reply);
    } catch {
      // The tab or page that asked is gone.
    }
  };
  Promise.resolve()
    .then(work)
    .then(
      (value) => send({ ok: true, value }),
      (error: unknown) => send({ ok: false, error: error instanceof Error ? error.message : 'the request failed' }),
    );
  return true; // the reply is sent asynchronously
}
