/**
 * The page's settings, asked for as the page starts loading.
 *
 * Footnote has two content scripts on every http(s) page (manifest.json): `early.ts` at
 * document start, which only calls `askEarly()`, and `main.ts` at document idle, which calls
 * `takeEarly()`. The question travels to the background (and starts a stopped background)
 * while the page is still being parsed, so when the main script starts, the answer is usually
 * there and the page's text is read and sent at once: one round trip to the background on the
 * way to the marks instead of two. Nothing of the page is read or sent before the answer says
 * Footnote is on here.
 *
 * Both scripts run in the same isolated world, where the pending answer is kept under a
 * symbol the page cannot see. Where the main script finds none (a browser that kept the two
 * apart), it asks itself, as before.
 */

import { ext } from '../shared/browser';
import type { BackgroundApi, ResultOf } from '../shared/messages';
import { callBackground } from '../shared/rpc';

export type PageSettings = ResultOf<BackgroundApi, 'page.settings'>;

/** The settings as asked for early, and when (`performance.now()`, ms; 0: not yet). */
export interface EarlySettings {
  reply: Promise<PageSettings>;
  askedAt: number;
  answeredAt: number;
}

const KEY = Symbol.for('footnote.early-settings');

interface Pending extends EarlySettings {
  /** Stops listening for settings changes (the main script listens from then on). */
  stop(): void;
}

type Holder = { [KEY]?: Pending | undefined };

function ask(into: EarlySettings): void {
  into.askedAt = performance.now();
  into.answeredAt = 0;
  const reply = callBackground('page.settings', {});
  into.reply = reply;
  reply.then(
    () => {
      if (into.reply === reply) into.answeredAt = performance.now();
    },
    () => undefined, // the main script asks again
  );
}

/** Asks the background for this page's settings now, and again whenever they change before the main script starts. */
export function askEarly(): void {
  const holder = globalThis as Holder;
  if (holder[KEY] !== undefined) return;
  const listener = (message: unknown, sender: chrome.runtime.MessageSender): false => {
    if (sender.id === ext.runtime.id && typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'settings.changed') {
      ask(pending);
    }
    return false; // no reply: the background does not wait for one
  };
  const pending: Pending = {
    reply: Promise.resolve() as unknown as Promise<PageSettings>,
    askedAt: 0,
    answeredAt: 0,
    stop: () => ext.runtime.onMessage.removeListener(listener),
  };
  ask(pending);
  ext.runtime.onMessage.addListener(listener);
  holder[KEY] = pending;
}

/**
 * The settings the early script asked for, once (its listener stops; the main script listens
 * from now on), or null when there are none.
 */
export function takeEarly(): EarlySettings | null {
  const holder = globalThis as Holder;
  const pending = holder[KEY];
  if (pending === undefined) return null;
  holder[KEY] = undefined;
  pending.stop();
  return pending;
}
