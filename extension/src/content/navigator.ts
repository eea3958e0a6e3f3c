/**
 * The annotation navigator: a panel listing every annotation of the page in reading order, for
 * readers who use the keyboard or a screen reader. Opened by its shortcut (manifest `commands`).
 *
 *   ↑ ↓ Home End PageUp PageDown   move; the page scrolls to the term and its tooltip opens
 *   Enter                          follows the entry's first source
 *   Tab                            moves into the open tooltip (Shift+Tab comes back)
 *   Escape                         closes the panel and returns focus where it was
 *
 * A non-modal dialog named "Annotations on this page" holding a listbox; the active option is
 * `aria-activedescendant` of the focused list, so a screen reader reads each term as the
 * reader moves. It docks at the bottom corner at the end of the page's lines (right on
 * left-to-right pages, left on right-to-left ones), so that what is read stays visible above it.
 */

import { t, uiDir, uiLang } from '../shared/browser';
import type { Mark } from './marks';
import { PANEL_CSS, createUiHost, h } from './ui-host';

const CSS = `${PANEL_CSS}
.nav {
  bottom: 8px; width: min(360px, calc(100vw - 16px)); max-height: min(45vh, 360px);
  display: flex; flex-direction: column; padding: 8px 0 6px;
}
.nav.end-right { right: 8px; }
.nav.end-left { left: 8px; }
.top { display: flex; align-items: baseline; justify-content: space-between; gap: 8px; padding: 0 10px 6px 12px; }
h2 { font-size: 14px; font-weight: 650; margin: 0; }
.close { border: 0; background: transparent; font-size: 18px; line-height: 20px; width: 24px; height: 24px; border-radius: 4px; padding: 0; color: #59636e; }
.list { position: relative; overflow: auto; overscroll-behavior: contain; margin: 0; padding: 0 4px; list-style: none; flex: 1; min-height: 0; }
.list:focus-visible { outline: 2px solid #0969da; outline-offset: -2px; }
.opt { display: flex; align-items: baseline; gap: 8px; padding: 3px 8px; border-radius: 4px; cursor: pointer; }
.opt[aria-selected="true"] { background: #ddf4ff; box-shadow: inset 3px 0 0 #0969da; }
.name { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.cat { font-size: 11px; color: #59636e; white-space: nowrap; }
.empty, .hint { color: #59636e; font-size: 12px; padding: 4px 12px 0; margin: 0; }
@media (prefers-color-scheme: dark) {
  .opt[aria-selected="true"] { background: #1f3a5f; box-shadow: inset 3px 0 0 #4493f8; }
  .cat, .empty, .hint, .close { color: #9198a1; }
}
`;

export interface NavigatorEvents {
  /** An item became the active one: show its term and tooltip. */
  select(mark: Mark): void;
  /** Enter on an item: open its entry's first source. */
  follow(mark: Mark): void;
  /** Tab from the list: move focus into the open tooltip; false when there is none. */
  enterTooltip(): boolean;
  /** The panel closed (Escape, its close button). */
  closed(): void;
}

export class Navigator {
  private host: HTMLElement | null = null;
  private panel: HTMLElement | null = null;
  private list: HTMLElement | null = null;
  private heading: HTMLElement | null = null;
  private marks: Mark[] = [];
  private index = -1;
  private returnFocus: Element | null = null;

  constructor(private readonly events: NavigatorEvents) {}

  get isOpen(): boolean {
    return this.panel !== null;
  }

  isHost(node: Node): boolean {
    return node === this.host;
  }

  /** The panel's top edge in viewport pixels (what is above it is free for the page). */
  get top(): number {
    return this.panel?.getBoundingClientRect().top ?? window.innerHeight;
  }

  /** Opens the panel over `marks` with `start` active, and moves focus to its list. */
  open(marks: Mark[], start: number, pageDir: 'ltr' | 'rtl'): void {
    if (this.panel === null) this.build(pageDir);
    this.returnFocus = deepActiveElement();
    this.setMarks(marks, marks[start] ?? null);
    this.list?.focus();
    const active = this.marks[this.index];
    if (active !== undefined) this.events.select(active);
  }

  /** The page's marks changed (text added or removed, an entry muted): keep the active one if it is still there. */
  update(marks: Mark[]): void {
    if (this.panel === null) return;
    this.setMarks(marks, this.marks[this.index] ?? null);
  }

  /** Gives the keyboard back to the list (after the tooltip closed, for example). */
  focus(): void {
    this.list?.focus();
  }

  close(): void {
    if (this.panel === null) return;
    this.host?.remove();
    this.host = null;
    this.panel = null;
    this.list = null;
    this.heading = null;
    this.marks = [];
    this.index = -1;
    const back = this.returnFocus;
    this.returnFocus = null;
    if (back instanceof HTMLElement && back.isConnected) back.focus({ preventScroll: true });
    this.events.closed();
  }

  state(): { open: boolean; items: string[]; active: number; focused: boolean; box: { left: number; top: number; right: number; bottom: number } | null } {
    const r = this.panel?.getBoundingClientRect();
    return {
      box: r === undefined ? null : { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
      open: this.panel !== null,
      items: this.marks.map((m) => m.text),
      active: this.index,
      focused: this.list !== null && this.list.getRootNode() instanceof ShadowRoot && (this.list.getRootNode() as ShadowRoot).activeElement === this.list,
    };
  }

  private build(pageDir: 'ltr' | 'rtl'): void {
    const { host, root } = createUiHost(CSS);
    const heading = h('h2', { id: 'fn-nav-title' }, t('navigator_title'));
    const close = h('button', { type: 'button', class: 'close', 'aria-label': t('navigator_close') }, '×');
    close.addEventListener('click', () => this.close());
    const list = h('ul', { class: 'list', role: 'listbox', tabindex: '0', 'aria-labelledby': 'fn-nav-title' });
    list.addEventListener('keydown', (e) => this.onKey(e));
    list.addEventListener('click', (e) => {
      const option = (e.target as Element | null)?.closest?.('[role="option"]');
      const i = Number(option?.getAttribute('data-index') ?? -1);
      if (i >= 0) this.move(i);
    });
    const hint = h('p', { class: 'hint', id: 'fn-nav-hint' }, t('navigator_hint'));
    list.setAttribute('aria-describedby', 'fn-nav-hint');
    const panel = h(
      'div',
      { class: `panel nav ${pageDir === 'rtl' ? 'end-left' : 'end-right'}`, role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'fn-nav-title', lang: uiLang(), dir: uiDir() },
      h('div', { class: 'top' }, heading, close),
      list,
      hint,
    );
    // Escape anywhere in the panel closes it.
    panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        this.close();
      }
    });
    root.append(panel);
    this.host = host;
    this.panel = panel;
    this.list = list;
    this.heading = heading;
  }

  private setMarks(marks: Mark[], keep: Mark | null): void {
    const list = this.list;
    if (list === null) return;
    this.marks = marks;
    const kept = keep === null ? -1 : marks.indexOf(keep);
    this.index = marks.length === 0 ? -1 : Math.max(0, kept === -1 ? Math.min(this.index, marks.length - 1) : kept);
    if (this.heading !== null) this.heading.textContent = t('navigator_title_count', String(marks.length));
    if (marks.length === 0) {
      list.replaceChildren(h('li', { class: 'empty', role: 'presentation' }, t('navigator_empty')));
      list.removeAttribute('aria-activedescendant');
      return;
    }
    list.replaceChildren(
      ...marks.map((m, i) =>
        h(
          'li',
          { class: 'opt', role: 'option', id: `fn-nav-${i}`, 'data-index': String(i), 'aria-selected': String(i === this.index), 'aria-setsize': String(marks.length), 'aria-posinset': String(i + 1) },
          h('span', { class: 'name', lang: 'en' }, m.text.replace(/\s+/g, ' ')),
          h('span', { class: 'cat' }, t(`category_${m.entry.category}`)),
        ),
      ),
    );
    this.showActive();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const page = Math.max(1, Math.floor((this.list?.clientHeight ?? 200) / 26) - 1);
    const last = this.marks.length - 1;
    let to: number | null = null;
    switch (e.key) {
      case 'ArrowDown':
        to = Math.min(last, this.index + 1);
        break;
      case 'ArrowUp':
        to = Math.max(0, this.index - 1);
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = last;
        break;
      case 'PageDown':
        to = Math.min(last, this.index + page);
        break;
      case 'PageUp':
        to = Math.max(0, this.index - page);
        break;
      case 'Enter': {
        const mark = this.marks[this.index];
        if (mark !== undefined) {
          e.preventDefault();
          this.events.follow(mark);
        }
        return;
      }
      case 'Tab':
        if (!e.shiftKey && this.events.enterTooltip()) e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
    if (to !== null && to >= 0 && to !== this.index) this.move(to);
  }

  private move(to: number): void {
    this.index = to;
    const options = this.list?.querySelectorAll('[role="option"]');
    options?.forEach((o, i) => o.setAttribute('aria-selected', String(i === to)));
    this.showActive();
    const mark = this.marks[to];
    if (mark !== undefined) this.events.select(mark);
  }

  /** Points the list's active descendant at the active option and scrolls it into the list's view. */
  private showActive(): void {
    const list = this.list;
    if (list === null || this.index < 0) return;
    list.setAttribute('aria-activedescendant', `fn-nav-${this.index}`);
    const option = list.querySelector<HTMLElement>(`#fn-nav-${this.index}`);
    if (option === null) return;
    const top = option.offsetTop;
    if (top < list.scrollTop) list.scrollTop = top;
    else if (top + option.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = top + option.offsetHeight - list.clientHeight;
  }
}

/** The focused element, looking into open shadow roots. */
function deepActiveElement(): Element | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement !== null && el?.shadowRoot?.activeElement !== undefined) el = el.shadowRoot.activeElement;
  return el;
}
