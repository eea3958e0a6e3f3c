/**
 * The tooltip: a part of Footnote's one UI element (ui-host.ts), in a closed shadow root,
 * created on first use, so page CSS cannot restyle it and page scripts cannot reach into it.
 * Everything in it is built with DOM calls and `textContent` (never parsed as HTML); links are
 * https only and open without a referrer.
 *
 * It is a non-modal dialog (`role="dialog"`, named by its title) so that it appears in the
 * accessibility tree with its text and links.
 */

import { t, uiDir, uiLang } from '../shared/browser';
import type { EntryView, PageState, QuoteView, SourceView } from '../shared/messages';
import { safeHttpsUrl } from '../shared/url';
import { type Box, placeTooltip } from './tooltip-position';
import { bringToEnd, createUiHost } from './ui-host';

const STYLE = `
:host { all: initial; }
.card {
  position: fixed; box-sizing: border-box; width: max-content; max-width: min(420px, calc(100vw - 16px));
  overflow: auto; overscroll-behavior: contain; padding: 12px 14px 10px; border-radius: 8px;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  color: #1f2328; background: #ffffff; border: 1px solid #d0d7de;
  box-shadow: 0 8px 24px rgba(31, 35, 40, .18); text-align: start; visibility: hidden;
  pointer-events: auto; z-index: 2147483647;
}
.card.shown { visibility: visible; }
.head { display: flex; align-items: baseline; gap: 8px; margin-block: 0 4px; margin-inline: 0 22px; }
.cat { font-size: 11px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; color: #59636e; }
.cat[data-category="person"] { color: #1f5fbf; }
.cat[data-category="organisation"] { color: #1a7f37; }
.cat[data-category="place"] { color: #9a6700; }
.cat[data-category="document"] { color: #6f42c1; }
.cat[data-category="term"] { color: #bc4c00; }
.cat[data-category="framing"], .cat[data-category="names"] { color: #57606a; }
.verdict { font-weight: 600; }
.verdict[data-verdict="verbatim"], .verdict[data-verdict="shortened"] { color: #1a7f37; }
.verdict[data-verdict="joined"], .verdict[data-verdict="partial"], .verdict[data-verdict="not-found"] { color: #9a6700; }
blockquote { margin: 0 0 6px; padding: 2px 0 2px 10px; border-left: 3px solid #d0d7de; }
mark { background: #fff8c5; color: inherit; border-radius: 2px; }
h2 { font-size: 15px; font-weight: 650; margin-block: 0 6px; margin-inline: 0 22px; line-height: 1.3; }
p { margin: 0 0 8px; }
h3 { font-size: 12px; font-weight: 600; margin: 8px 0 4px; color: #59636e; }
ul { margin: 0 0 6px; padding-block: 0; padding-inline: 16px 0; }
li { margin: 0 0 4px; }
a { color: #0550ae; text-decoration: underline; text-underline-offset: 2px; }
a:focus-visible, button:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; border-radius: 2px; }
.meta, .foot { font-size: 12px; color: #59636e; }
.badge { font-size: 11px; border: 1px solid currentColor; border-radius: 4px; padding: 0 4px; margin-inline-start: 4px; color: #1a7f37; }
.foot { margin-top: 6px; border-top: 1px solid #d8dee4; padding-top: 6px; }
.close {
  position: absolute; top: 6px; inset-inline-end: 6px; width: 24px; height: 24px; border: 0; border-radius: 4px;
  background: transparent; color: #59636e; font: 18px/24px system-ui, sans-serif; cursor: pointer; padding: 0;
}
.close:hover { background: #eaeef2; }
.foot { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 4px 12px; }
.mute {
  border: 1px solid #d0d7de; border-radius: 4px; background: transparent; color: inherit; cursor: pointer;
  font: inherit; padding: 1px 6px;
}
.mute:hover { background: #eaeef2; }
@media (prefers-color-scheme: dark) {
  .mute { border-color: #3d444d; }
  .mute:hover { background: #30363d; }
  .card { color: #e6edf3; background: #161b22; border-color: #3d444d; box-shadow: 0 8px 24px rgba(1, 4, 9, .6); }
  .cat, h3, .meta, .foot, .close { color: #9198a1; }
  .cat[data-category="person"] { color: #79b8ff; }
  .cat[data-category="organisation"] { color: #56d364; }
  .cat[data-category="place"] { color: #e3b341; }
  .cat[data-category="document"] { color: #d2a8ff; }
  .cat[data-category="term"] { color: #ffa657; }
  .cat[data-category="framing"], .cat[data-category="names"] { color: #9198a1; }
  .verdict[data-verdict="verbatim"], .verdict[data-verdict="shortened"] { color: #56d364; }
  .verdict[data-verdict="joined"], .verdict[data-verdict="partial"], .verdict[data-verdict="not-found"] { color: #e3b341; }
  blockquote { border-left-color: #3d444d; }
  mark { background: #5a4a00; }
  a { color: #79c0ff; }
  .badge { color: #56d364; }
  .foot { border-top-color: #3d444d; }
  .close:hover { background: #30363d; }
}
`;

type Child = Node | string | null | undefined | false;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; attrs?: Record<string, string> } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class !== undefined) node.className = props.class;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return node;
}

/** "2024-12-17" → "17 Dec 2024", "2024-12" → "Dec 2024", "1974" → "1974". */
export function formatDate(iso: string | null | undefined, locale: string): string {
  if (iso === null || iso === undefined) return '';
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(iso);
  if (m === null) return iso;
  const [, y, mo, d] = m;
  if (mo === undefined) return y!;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, d === undefined ? 1 : Number(d)));
  const options: Intl.DateTimeFormatOptions = d === undefined
    ? { year: 'numeric', month: 'short', timeZone: 'UTC' }
    : { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' };
  try {
    return new Intl.DateTimeFormat(locale, options).format(date);
  } catch {
    return iso;
  }
}

function link(url: string, text: string): HTMLAnchorElement | string {
  const safe = safeHttpsUrl(url);
  if (safe === null) return text;
  const a = el('a', { attrs: { target: '_blank', rel: 'noopener noreferrer', referrerpolicy: 'no-referrer' } }, text);
  a.href = safe;
  return a;
}

export interface TooltipEvents {
  /** The pointer entered or left the tooltip. */
  pointer(inside: boolean): void;
  /** The reader asked to close it (close button or Escape inside it). */
  close(): void;
  /** The reader asked never to mark this entry again. */
  mute(entry: EntryView): void;
}

/** Where a tooltip may go besides the window: its alignment, and the part of the viewport left free. */
export interface PlaceOptions {
  /** `right` on right-to-left pages: the tooltip's right edge lines up with the term's. */
  align?: 'left' | 'right';
  /** Viewport height left above a panel at the bottom (the navigator). */
  height?: number;
}

export class Tooltip {
  private host: HTMLElement | null = null;
  private card: HTMLElement | null = null;
  private root: ShadowRoot | null = null;
  private shownEntry: string | null = null;
  private anchor: Box | null = null;
  private place: PlaceOptions = {};

  constructor(
    private readonly events: TooltipEvents,
    private readonly locale: string,
  ) {}

  /** True for Footnote's own host element (its text is never annotated). */
  isHost(node: Node): boolean {
    return node === this.host;
  }

  get open(): boolean {
    return this.shownEntry !== null;
  }

  get entryId(): string | null {
    return this.shownEntry;
  }

  /** Shows `entry` next to `anchor` (the term's box in viewport coordinates). */
  show(entry: EntryView, anchor: Box, place: PlaceOptions = {}): void {
    const card = this.ensureCard();
    card.replaceChildren(...this.render(entry));
    card.classList.remove('shown');
    card.style.maxHeight = '';
    card.style.maxWidth = '';
    this.shownEntry = entry.id;
    this.anchor = anchor;
    this.place = place;
    this.position();
    card.classList.add('shown');
  }

  /** Places the tooltip again, for example after scrolling moved the term to `anchor`. */
  moveTo(anchor: Box, place: PlaceOptions = this.place): void {
    if (!this.open) return;
    this.anchor = anchor;
    this.place = place;
    this.position();
  }

  /** True when keyboard focus is inside the tooltip. */
  get hasFocus(): boolean {
    return this.open && (this.root?.activeElement ?? null) !== null;
  }

  hide(): void {
    if (this.card !== null) {
      this.card.classList.remove('shown');
      this.card.replaceChildren();
    }
    this.shownEntry = null;
    this.anchor = null;
  }

  /**
   * Moves the tooltip after the navigator in Footnote's UI element, so that Tab from the
   * navigator's list reaches the tooltip next and Shift+Tab returns.
   */
  bringToEnd(): void {
    if (this.host !== null) bringToEnd(this.host);
  }

  /** Removes the host from the page. */
  destroy(): void {
    this.hide();
    this.host?.remove();
    this.host = null;
    this.card = null;
  }

  /** What the open tooltip shows, read back from the rendered DOM. */
  state(): PageState['tooltip'] {
    if (this.card === null || this.shownEntry === null) return null;
    const boxOf = (e: Element) => {
      const b = e.getBoundingClientRect();
      return { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
    };
    const links = Array.from(this.card.querySelectorAll('a')).map((a) => ({ text: a.textContent ?? '', href: a.href, box: boxOf(a) }));
    const buttons = Array.from(this.card.querySelectorAll('button')).map((b) => ({ label: b.getAttribute('aria-label') ?? '', text: b.textContent ?? '', box: boxOf(b) }));
    const r = this.card.getBoundingClientRect();
    const box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    const style = getComputedStyle(this.card);
    const focused = this.root?.activeElement ?? null;
    return {
      entry: this.shownEntry,
      text: this.card.textContent ?? '',
      links,
      buttons,
      box,
      colors: { text: style.color, background: style.backgroundColor },
      fontSize: style.fontSize,
      focus: focused === null ? null : (focused.getAttribute('aria-label') ?? focused.textContent ?? ''),
    };
  }

  /** Follows the first source's link, as a click on it would; false when there is none. */
  followFirstSource(): boolean {
    const link = this.card?.querySelector<HTMLAnchorElement>('.sources a');
    if (!this.open || link === null || link === undefined) return false;
    link.click();
    return true;
  }

  /** Moves keyboard focus into the tooltip (its first link, else a button). */
  focus(): void {
    const target = this.card?.querySelector<HTMLElement>('a') ?? this.card?.querySelector<HTMLElement>('button');
    target?.focus();
  }

  private position(): void {
    const card = this.card;
    if (card === null || this.anchor === null) return;
    const size = card.getBoundingClientRect();
    const viewport = {
      width: document.documentElement.clientWidth || window.innerWidth,
      height: Math.min(window.innerHeight, this.place.height ?? Infinity),
    };
    const p = placeTooltip(this.anchor, { width: size.width, height: size.height }, viewport, this.place.align);
    card.style.left = `${p.left}px`;
    card.style.top = `${p.top}px`;
    card.style.maxHeight = `${p.maxHeight}px`;
    card.style.maxWidth = `${Math.min(420, p.maxWidth)}px`;
    card.dataset['side'] = p.side;
  }

  private ensureCard(): HTMLElement {
    if (this.card !== null && this.host?.isConnected === true) return this.card;
    const { host, root } = createUiHost(STYLE);
    const card = el('div', {
      class: 'card',
      attrs: { role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'fn-title', lang: uiLang(), dir: uiDir() },
    });
    card.addEventListener('pointerenter', () => this.events.pointer(true));
    card.addEventListener('pointerleave', () => this.events.pointer(false));
    card.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.events.close();
      }
    });
    root.append(card);
    this.host = host;
    this.root = root;
    this.card = card;
    return card;
  }

  private render(entry: EntryView): Node[] {
    const category = t(`category_${entry.category}`);
    const close = el('button', { class: 'close', attrs: { type: 'button', 'aria-label': t('tooltip_close') } }, '×');
    close.addEventListener('click', () => this.events.close());
    // Entries are written in English; the UI around them follows the browser's language.
    const en = { lang: 'en', dir: 'ltr' };
    const head = el('div', { class: 'head' }, el('span', { class: 'cat', attrs: { 'data-category': entry.category } }, category));
    if (entry.quote !== undefined) return [close, head, ...this.renderQuote(entry, entry.quote)];
    if (entry.unknown !== undefined) return [close, head, ...this.renderUnknown(entry, entry.unknown)];
    const nodes: Node[] = [
      close,
      head,
      el('h2', { attrs: { id: 'fn-title', ...en } }, entry.name),
      el('p', { class: 'summary', attrs: en }, entry.summary),
    ];
    const sourceByKey = new Map(entry.sources.map((s) => [s.key, s]));
    if (entry.usages.length > 0) {
      nodes.push(el('h3', {}, t('tooltip_usages')));
      nodes.push(
        el('ul', { class: 'usages', attrs: en }, ...entry.usages.map((u) => {
          const s = sourceByKey.get(u.source);
          return el('li', {}, el('strong', {}, u.by), ': ', u.meaning, s === undefined ? null : ' ', s === undefined ? null : el('span', { class: 'meta' }, '(', link(s.url, s.publisher), ')'));
        })),
      );
    }
    if (entry.alternatives.length > 0) {
      nodes.push(el('p', { class: 'alternatives' }, el('strong', {}, t('tooltip_alternatives')), ' ', el('span', { attrs: en }, entry.alternatives.join('; '))));
    }
    nodes.push(el('h3', {}, t('tooltip_sources')));
    nodes.push(el('ul', { class: 'sources', attrs: en }, ...entry.sources.map((s) => this.renderSource(s))));
    const mute = el('button', { class: 'mute', attrs: { type: 'button', 'aria-label': t('tooltip_mute_label', entry.name) } }, t('tooltip_mute'));
    mute.addEventListener('click', () => this.events.mute(entry));
    nodes.push(el('div', { class: 'foot' }, el('span', {}, t('tooltip_reviewed', formatDate(entry.reviewed, this.locale))), mute));
    return nodes;
  }

  /**
   * A name the knowledge base lacks: said plainly, with searches the reader may follow (the
   * name goes into the address only when a link is followed; nothing is fetched here).
   */
  private renderUnknown(entry: EntryView, kind: NonNullable<EntryView['unknown']>): Node[] {
    const q = encodeURIComponent(entry.name);
    return [
      el('h2', { attrs: { id: 'fn-title' } }, entry.name),
      el('p', { class: 'summary' }, t('tooltip_unknown_note'), ' ', unknownKindText(kind)),
      el('h3', {}, t('tooltip_unknown_search')),
      el(
        'ul',
        { class: 'sources' },
        el('li', {}, link(`https://en.wikipedia.org/w/index.php?search=${q}&title=Special:Search`, t('tooltip_search_wikipedia'))),
        el('li', {}, link(`https://www.wikidata.org/w/index.php?search=${q}`, t('tooltip_search_wikidata'))),
      ),
    ];
  }

  /** A quotation checked against its source: the verdict, the source's wording, the sources. */
  private renderQuote(entry: EntryView, quote: QuoteView): Node[] {
    const nodes: Node[] = [
      el('h2', { attrs: { id: 'fn-title' } }, t('tooltip_quote_title', entry.name)),
      el('p', { class: 'verdict', attrs: { 'data-verdict': quote.verdict } }, verdictText(quote.verdict)),
    ];
    const missing = quote.parts.filter((p) => !p.found);
    if (quote.verdict === 'partial' && missing.length > 0) {
      nodes.push(el('p', {}, el('strong', {}, t('tooltip_quote_missing')), ' ', missing.map((p) => `“${p.text}”`).join(' … ')));
    }
    if (quote.original.length > 0) {
      nodes.push(el('h3', {}, quote.verdict === 'not-found' ? t('tooltip_quote_closest') : t('tooltip_quote_original')));
      for (const sentence of quote.original) nodes.push(el('blockquote', {}, ...highlighted(sentence.text, sentence.marks)));
    }
    const copy = entry.sources.find((s) => s.key === quote.source);
    if (copy !== undefined) nodes.push(el('p', { class: 'meta' }, t('tooltip_quote_text_from', copy.publisher)));
    nodes.push(el('h3', {}, t('tooltip_sources')));
    nodes.push(el('ul', { class: 'sources' }, ...entry.sources.map((s) => this.renderSource(s))));
    nodes.push(el('div', { class: 'foot' }, t('tooltip_reviewed', formatDate(entry.reviewed, this.locale))));
    return nodes;
  }

  private renderSource(s: SourceView): HTMLElement {
    const date = formatDate(s.date, this.locale);
    const meta = [s.publisher, date].filter((x) => x !== '').join(', ');
    return el(
      'li',
      {},
      link(s.url, s.title),
      s.kind === 'primary' ? el('span', { class: 'badge' }, t('tooltip_primary')) : null,
      el('div', { class: 'meta' }, meta, s.verified === 'pattern' ? ` · ${t('tooltip_pattern_url')}` : ''),
    );
  }
}

/** What kind of name an unknown name looks like, in the reader's language. */
function unknownKindText(kind: NonNullable<EntryView['unknown']>): string {
  switch (kind) {
    case 'person':
      return t('tooltip_unknown_person');
    case 'organisation':
      return t('tooltip_unknown_organisation');
    case 'place':
      return t('tooltip_unknown_place');
  }
}

/** What a quotation's verdict says, in the reader's language. */
function verdictText(verdict: QuoteView['verdict']): string {
  switch (verdict) {
    case 'verbatim':
      return t('tooltip_quote_verbatim');
    case 'shortened':
      return t('tooltip_quote_shortened');
    case 'joined':
      return t('tooltip_quote_joined');
    case 'partial':
      return t('tooltip_quote_partial');
    case 'not-found':
      return t('tooltip_quote_not_found');
  }
}

/**
 * `text` as text nodes with the ranges of `marks` (flat, half-open, UTF-16 code units) in
 * <mark> elements. Ranges out of order or out of bounds are skipped.
 */
export function highlighted(text: string, marks: readonly number[]): Node[] {
  const out: Node[] = [];
  let at = 0;
  for (let i = 0; i + 1 < marks.length; i += 2) {
    const start = marks[i]!;
    const end = marks[i + 1]!;
    if (!(start >= at && end > start && end <= text.length)) continue;
    if (start > at) out.push(document.createTextNode(text.slice(at, start)));
    out.push(el('mark', {}, text.slice(start, end)));
    at = end;
  }
  if (at < text.length) out.push(document.createTextNode(text.slice(at)));
  return out;
}

