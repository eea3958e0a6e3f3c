/**
 * What Footnote says on a page without being asked: a polite live region for screen readers
 * (a tooltip opened, Footnote switched off here) and, for changes the reader made, a short
 * visible notice, with an action such as Undo.
 *
 * The live region announces each message once: the same message again within a moment (a
 * tooltip reopened by a jittery pointer) is not repeated, and marks themselves are never
 * announced.
 */

import { uiDir, uiLang } from '../shared/browser';
import { PANEL_CSS, createUiHost, h } from './ui-host';

const CSS = `${PANEL_CSS}
.sr { position: fixed; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.toast {
  bottom: 16px; left: 50%; transform: translateX(-50%); max-width: min(520px, calc(100vw - 32px));
  display: flex; align-items: center; gap: 12px; padding: 8px 12px;
}
.toast[hidden] { display: none; }
.toast button { border: 1px solid #d0d7de; border-radius: 4px; background: transparent; padding: 2px 8px; }
@media (prefers-color-scheme: dark) { .toast button { border-color: #3d444d; } }
`;

/** How long a visible notice stays (ms). */
const TOAST_MS = 6000;
/** How long an announcement stays in the live region before it is cleared (ms). */
const CLEAR_MS = 5000;
/** A new live region is given this long to be noticed by assistive technology before it speaks (ms). */
const FIRST_DELAY_MS = 150;

export class Notice {
  private host: HTMLElement | null = null;
  private region: HTMLElement | null = null;
  private toast: HTMLElement | null = null;
  private last = { text: '', at: -Infinity };
  /** An announcement waits for a new live region to be noticed; closing the tooltip cancels it. */
  private pending = false;
  private clearTimer: number | undefined;
  private toastTimer: number | undefined;

  isHost(node: Node): boolean {
    return node === this.host;
  }

  /** Says `text` once through the polite live region (not shown). */
  announce(text: string): void {
    const now = performance.now();
    if (text === this.last.text && now - this.last.at < 2000) return;
    this.last = { text, at: now };
    const fresh = this.region === null;
    const region = this.ensure().region;
    this.pending = true;
    const say = () => {
      if (!this.pending) return;
      region.textContent = text;
      window.clearTimeout(this.clearTimer);
      this.clearTimer = window.setTimeout(() => {
        region.textContent = '';
      }, CLEAR_MS);
    };
    if (fresh) window.setTimeout(say, FIRST_DELAY_MS);
    else say();
  }

  /** Shows `text` for a few seconds, with an optional action button, and announces it. */
  show(text: string, action?: { label: string; run: () => void }): void {
    const { toast } = this.ensure();
    const message = h('span', {}, text);
    const children: Node[] = [message];
    if (action !== undefined) {
      const button = h('button', { type: 'button' }, action.label);
      button.addEventListener('click', () => {
        this.hideToast();
        action.run();
      });
      children.push(button);
    }
    toast.replaceChildren(...children);
    toast.hidden = false;
    window.clearTimeout(this.toastTimer);
    this.toastTimer = window.setTimeout(() => this.hideToast(), TOAST_MS);
    this.announce(text);
  }

  /**
   * Empties the live region: what it said belongs to a tooltip that closed, and text left in
   * it would be found by the page's find-in-page.
   */
  quiet(): void {
    window.clearTimeout(this.clearTimer);
    this.pending = false;
    if (this.region !== null) this.region.textContent = '';
  }

  /** What was last said and what is shown, for tests. */
  state(): { announced: string; shown: string | null } {
    return {
      announced: this.region?.textContent ?? '',
      shown: this.toast === null || this.toast.hidden ? null : (this.toast.textContent ?? ''),
    };
  }

  destroy(): void {
    window.clearTimeout(this.clearTimer);
    window.clearTimeout(this.toastTimer);
    this.host?.remove();
    this.host = null;
    this.region = null;
    this.toast = null;
  }

  private hideToast(): void {
    if (this.toast !== null) {
      this.toast.hidden = true;
      this.toast.replaceChildren();
    }
  }

  private ensure(): { region: HTMLElement; toast: HTMLElement } {
    if (this.host !== null && this.host.isConnected && this.region !== null && this.toast !== null) {
      return { region: this.region, toast: this.toast };
    }
    const { host, root } = createUiHost(CSS);
    const region = h('div', { class: 'sr', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', lang: uiLang() });
    // Not a live region itself: its text is announced once, through `region`.
    const toast = h('div', { class: 'panel toast', lang: uiLang(), dir: uiDir() });
    toast.hidden = true;
    root.append(region, toast);
    this.host = host;
    this.region = region;
    this.toast = toast;
    return { region, toast };
  }
}
