/**
 * The content script: runs in every http(s) page's main frame.
 *
 *   settings (background; asked at document start by early.ts)
 *        │ off for this site? stop here: no text leaves the page
 *        │ on
 *   text-blocks ──► annotate (background, WebAssembly core) ──► marks (CSS highlights;
 *        ▲                                                      │   muted / later mentions hidden)
 *   MutationObserver (batched: only changed blocks)             ▼
 *                         pointer / tap / focus / caret / navigator ──► tooltip (closed shadow root)
 *                                                                        notice (live region)
 *
 * The page's DOM is never changed, except for Footnote's own host elements (tooltip, navigator,
 * notice), each added the first time it is needed. When Footnote is paused on a site, nothing
 * runs but the listener that waits for settings to change (and for the reader's shortcuts).
 *
 * What opens a tooltip follows the reader's settings (`tooltip.trigger`): resting the pointer
 * on a term for the hover delay, or doing so with a modifier key held (at once), or never the
 * pointer (keyboard only). Keyboard focus, the caret, the navigator and, on touch screens, a
 * tap open it whatever the trigger, except that "keyboard only" ignores taps too.
 */

import { type Category } from '../shared/categories';
import { ext, t } from '../shared/browser';
import { type AnnotateResult, type EntryView, MAX_BATCH_CHARS, MAX_QUOTATION_CHARS, type PageState, type TabApi } from '../shared/messages';
import { answer, callBackground } from '../shared/rpc';
import { DEFAULT_TOOLTIP, type ReaderSettings, activeCategories } from '../shared/settings';
import { safeHttpsUrl } from '../shared/url';
import { type Mark, MarkSet, liveRange } from './marks';
import { Navigator } from './navigator';
import { Notice } from './notice';
import { type EarlySettings, takeEarly } from './early-settings';
import { isUiHost } from './ui-host';
import { WorkClock, yieldToPage } from './schedule';
import { type Block, BlockCollector, isBlockElement, isInsideSkipped, isSkippedElement } from './text-blocks';
import { Tooltip } from './tooltip';
import type { Box } from './tooltip-position';

/** Requests for one page read that may wait on the background at once. */
const IN_FLIGHT = 3;

/** How long a tooltip stays after the pointer leaves the term and the tooltip (ms). */
const HIDE_DELAY = 300;
/**
 * How long page changes are collected before the changed text is read (ms): long enough to
 * take a burst of changes (a page rendering a list) in one go, short enough that new text is
 * marked within about a tenth of a second.
 */
const MUTATION_DELAY = 40;
/** How far beyond the viewport the first request reaches (in viewport heights). */
const NEAR_VIEWPORT = 1;

type OpenedBy = 'hover' | 'focus' | 'caret' | 'tap' | 'navigator';

/** Largest movement (CSS px) and duration (ms) of a touch that still counts as a tap. */
const TAP_SLOP = 10;
const TAP_MS = 600;

/** When this script started running (`performance.now()`, ms). */
const SCRIPT_START = performance.now();

class Annotations {
  private site: string | null = null;
  private categories: Category[] = [];
  private readonly marks = new MarkSet();
  private readonly tooltip: Tooltip;
  private readonly navigator: Navigator;
  readonly notice = new Notice();
  private reader: ReaderSettings = { muted: [], tooltip: { ...DEFAULT_TOOLTIP }, firstMentionOnly: false };
  /** Incremented whenever marks are rebuilt; replies for an older generation are dropped. */
  private generation = 0;
  private listeners: AbortController | null = null;
  private observer: MutationObserver | null = null;
  private pendingRoots = new Set<Node>();
  private mutationTimer: number | undefined;
  private readonly entries = new Map<string, Promise<EntryView | null>>();
  /** Main-thread time, for the benchmark; it is never sent anywhere. */
  private clock = new WorkClock();
  private timings: Timings = newTimings();
  /** Characters of text sent to the background since the start (page changes included). */
  private sentChars = 0;
  /** Why Footnote stays out of this page, or null. */
  private stayedOut: string | null = null;
  /** When the settings were asked for at document start and answered (`performance.now()`, ms). */
  private early: { askedAt: number; answeredAt: number } | null = null;
  /** True while the page's text is first being read: changes wait until it is done. */
  private reading = false;
  /** When the oldest change not yet read was seen (`performance.now()`, ms), or 0. */
  private pendingSince = 0;
  /** How long changes waited to be marked (ms), the last 500 of them. */
  private changeLatencies: number[] = [];

  private hoverMark: Mark | null = null;
  private openMark: Mark | null = null;
  private openedBy: OpenedBy | null = null;
  private showTimer: number | undefined;
  private hideTimer: number | undefined;
  private pointerInTooltip = false;
  private pointer = { x: -1, y: -1, type: '' };
  private pointerFrame = 0;
  private scrollFrame = 0;
  /** True while the modifier key of the "hover with a key" trigger is held. */
  private modifierDown = false;
  /** Where and when the current touch began (to tell a tap from a scroll). */
  private touchStart: { x: number; y: number; at: number; id: number } | null = null;
  /** Incremented by every attempt to open a tooltip: only the latest one may. */
  private openSeq = 0;

  constructor() {
    this.tooltip = new Tooltip(
      {
        pointer: (inside) => {
          this.pointerInTooltip = inside;
          if (inside) this.cancelHide();
          else if (this.openedBy === 'hover') this.scheduleHide();
        },
        close: () => {
          const refocus = this.navigator.isOpen && this.tooltip.hasFocus;
          this.close();
          if (refocus) this.navigator.focus();
        },
        mute: (entry) => void this.mute(entry),
      },
      ext.i18n.getUILanguage(),
    );
    this.navigator = new Navigator({
      select: (mark) => this.showFromNavigator(mark),
      follow: (mark) => void this.followFirstSource(mark),
      enterTooltip: () => {
        if (!this.tooltip.open) return false;
        this.tooltip.focus();
        return true;
      },
      closed: () => this.close(),
    });
  }

  /**
   * Asks the background what applies to this page (or takes the answer to `early`, the
   * question asked at document start) and starts, restarts or stops.
   */
  async refreshSettings(early: EarlySettings | null = null): Promise<void> {
    const asked = early?.reply.catch(() => callBackground('page.settings', {}));
    const { site, settings, reader } = await (asked ?? callBackground('page.settings', {}));
    if (early !== null) this.early = { askedAt: early.askedAt, answeredAt: early.answeredAt };
    this.site = site;
    this.applyReader(reader);
    const categories = activeCategories(settings);
    if (categories.join() === this.categories.join() && this.listeners !== null) return;
    this.categories = categories;
    this.stop();
    if (categories.length > 0) this.start();
  }

  /** Muted entries and "first mention only" repaint the marks in place; the trigger applies to the next pointer move. */
  private applyReader(reader: ReaderSettings): void {
    this.reader = reader;
    this.marks.setFilter({ muted: new Set(reader.muted), firstOnly: reader.firstMentionOnly });
    if (this.openMark !== null && !this.openMark.shown) this.close();
    this.navigator.update(this.marks.shown());
  }

  get running(): boolean {
    return this.listeners !== null;
  }

  state(): PageState {
    return {
      url: location.href,
      site: this.site,
      enabled: this.categories.length > 0,
      annotations: this.marks.shown().map((m) => ({ text: m.text, category: m.entry.category, entry: m.entry.id, at: m.at })),
      tooltip: this.tooltip.state(),
      reader: this.reader,
      navigator: this.navigator.state(),
      notice: this.notice.state(),
      work: {
        ...this.timings,
        ...this.clock.stats,
        sentChars: this.sentChars,
        marks: this.marks.size,
        painted: this.marks.paintedCount,
        changeLatencies: [...this.changeLatencies],
        stayedOut: this.stayedOut,
        settingsAskedAt: this.early?.askedAt ?? 0,
        settingsAnsweredAt: this.early?.answeredAt ?? 0,
      },
    };
  }

  private isOwnUi = (el: Element): boolean => this.isOwnHost(el);

  private isOwnHost(node: Node): boolean {
    return isUiHost(node) || this.tooltip.isHost(node) || this.navigator.isHost(node) || this.notice.isHost(node);
  }

  private start(): void {
    const body = document.body;
    if (body === null) return;
    this.clock = new WorkClock();
    this.timings = newTimings();
    this.sentChars = 0;
    this.changeLatencies = [];
    this.stayedOut = null;
    this.listen();
    this.observe();
    void this.readPage(body, this.generation);
  }

  private stop(): void {
    this.generation++;
    this.reading = false;
    this.listeners?.abort();
    this.listeners = null;
    this.observer?.disconnect();
    this.observer = null;
    this.pendingRoots.clear();
    this.pendingSince = 0;
    window.clearTimeout(this.mutationTimer);
    this.mutationTimer = undefined;
    window.clearTimeout(this.showTimer);
    window.clearTimeout(this.hideTimer);
    this.hoverMark = null;
    this.openMark = null;
    this.openedBy = null;
    this.navigator.close();
    this.tooltip.destroy();
    this.marks.clear();
  }

  /**
   * Reads the whole page in slices, then annotates what is in or near the viewport first and
   * the rest after, in document order.
   */
  private async readPage(body: HTMLElement, generation: number): Promise<void> {
    this.reading = true;
    const t = this.timings;
    t.readStart = performance.now();
    const collector = new BlockCollector(body, this.isOwnUi);
    const firstMarks = (): void => {
      t.firstMarks = performance.now();
    };
    // A page that takes more than one slice to read, opened at its top: what the first slice
    // read is what the reader sees, and is sent at once, while the rest is read.
    let early: Promise<void> | null = null;
    let sent = 0;
    for (;;) {
      await this.clock.run(
        (deadline) =>
          collector.collect(deadline) ||
          generation !== this.generation ||
          (early === null && collector.blocks.length > 0 && window.scrollY < (window.innerHeight || 800)),
      );
      if (collector.done || generation !== this.generation) break;
      sent = collector.blocks.length;
      early = this.annotate([collector.blocks.slice(0, sent)], generation, firstMarks);
      await yieldToPage();
    }
    if (generation !== this.generation) return;
    t.read = performance.now();
    if (collector.tooLarge !== null) {
      // Too large to mark without blocking the tab (it grew past the limit while it was read):
      // stay out, and stop watching it change. Marks of a first part are taken back.
      if (early !== null) {
        this.generation++;
        await early;
        this.marks.clear();
      }
      this.stayedOut = collector.tooLarge;
      this.observer?.disconnect();
      this.observer = null;
      this.pendingRoots.clear();
      t.allMarks = performance.now();
      this.reading = false;
      return;
    }
    // What is left (all of it, or what came after the first slice; the reader may have
    // scrolled meanwhile), in or near the viewport first. One run of requests for both groups:
    // the rest is asked for while the first marks are painted.
    const left = early === null ? collector.blocks : collector.blocks.slice(sent);
    const [near, rest] = this.clock.once(() => nearViewportFirst(left));
    if (early !== null) {
      await early;
      if (generation !== this.generation) return;
    }
    await this.annotate([near, rest], generation, early === null ? firstMarks : undefined);
    if (generation !== this.generation) return;
    t.allMarks = performance.now();
    this.reading = false;
    // Changes that came while the page was being read.
    if (this.pendingRoots.size > 0) this.scheduleFlush();
  }

  /**
   * Sends the blocks of `groups` to the background in size-capped batches, a few requests at
   * a time, and marks what comes back in order, in slices. `afterFirst` runs once the first
   * batch is marked.
   */
  private async annotate(groups: Block[][], generation: number, afterFirst?: () => void): Promise<void> {
    // Each group in batches of its own: what is near the viewport comes back first.
    const batches: Block[][] = [];
    for (const blocks of groups) {
      for (let from = 0; from < blocks.length; ) {
        let chars = 0;
        let to = from;
        while (to < blocks.length && (to === from || chars + blocks[to]!.text.length <= MAX_BATCH_CHARS)) {
          chars += blocks[to]!.text.length;
          to++;
        }
        batches.push(blocks.slice(from, to));
        from = to;
      }
    }
    // A few requests are in flight at once, so the background finds the next batch while this
    // one is painted; replies are still marked in order.
    const replies: Array<Promise<AnnotateResult | Error>> = [];
    const ask = (batch: Block[]): Promise<AnnotateResult | Error> => {
      const texts = this.clock.once(() => batch.map((b) => b.text));
      this.sentChars += texts.reduce((n, t) => n + t.length, 0);
      return callBackground('annotate', { blocks: texts, categories: this.categories }).catch((error: unknown) =>
        error instanceof Error ? error : new Error(String(error)),
      );
    };
    try {
      for (let i = 0; i < batches.length && generation === this.generation; i++) {
        while (replies.length < batches.length && replies.length < i + IN_FLIGHT) replies.push(ask(batches[replies.length]!));
        const batch = batches[i]!;
        const result = await replies[i]!;
        if (this.timings.firstReply === 0) this.timings.firstReply = performance.now();
        if (generation !== this.generation) return; // settings or page changed meanwhile
        if (result instanceof Error) {
          // An error reply (the core failed on this text and was restarted, or the text was
          // refused): this batch stays unmarked, the rest of the page is still read.
          console.warn('Footnote could not annotate part of this page:', result);
          continue;
        }
        let at = 0;
        await this.clock.run((deadline) => {
          at = this.marks.add(batch, result.findings, result.entries, at, deadline);
          return at >= result.findings.length || generation !== this.generation;
        });
        if (this.navigator.isOpen) this.navigator.update(this.marks.shown());
        afterFirst?.();
        afterFirst = undefined;
      }
      afterFirst?.();
    } catch (error) {
      console.warn('Footnote could not annotate this page:', error);
    }
  }

  // --- Page changes -------------------------------------------------------------------------

  private observe(): void {
    this.observer = new MutationObserver((records) => {
      for (const r of records) {
        if (this.isOwnHost(r.target) || this.isOwnChange(r)) continue;
        if (r.type === 'childList') {
          // New nodes are read; a removed node only takes its marks with it (see flush).
          for (const n of Array.from(r.addedNodes)) if (!this.isOwnHost(n)) this.pendingRoots.add(n);
          if (r.removedNodes.length > 0) this.pendingRoots.add(r.target);
        } else {
          this.pendingRoots.add(r.target);
        }
      }
      if (this.pendingRoots.size > 0) {
        if (this.pendingSince === 0) this.pendingSince = performance.now();
        if (!this.reading) this.scheduleFlush();
      }
    });
    this.observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  }

  private scheduleFlush(): void {
    if (this.mutationTimer !== undefined) return;
    this.mutationTimer = window.setTimeout(() => void this.flushMutations(), MUTATION_DELAY);
  }

  /** True when a change only added or removed Footnote's own host elements. */
  private isOwnChange(r: MutationRecord): boolean {
    if (r.type !== 'childList') return false;
    const nodes = [...Array.from(r.addedNodes), ...Array.from(r.removedNodes)];
    return nodes.length > 0 && nodes.every((n) => this.isOwnHost(n));
  }

  /**
   * Reads again what changed, and only that: a new block element is read alone; new inline
   * content or changed text means its block is read again. Marks on removed text go.
   */
  private async flushMutations(): Promise<void> {
    this.mutationTimer = undefined;
    const body = document.body;
    const changed = Array.from(this.pendingRoots);
    this.pendingRoots.clear();
    const since = this.pendingSince;
    this.pendingSince = 0;
    if (body === null) return;
    const generation = this.generation;
    const blocks = this.clock.once(() => {
      const roots = new Set<Element>();
      for (const node of changed) {
        if (!node.isConnected || !body.contains(node)) continue;
        const root = node.nodeType === Node.ELEMENT_NODE && isBlockElement(node as Element) ? (node as Element) : blockRoot(node, body);
        if (root === null || isInsideSkipped(root, document, this.isOwnUi) || isSkippedElement(root, this.isOwnUi)) continue;
        roots.add(root);
      }
      // Roots inside other roots are read with them.
      const outer = Array.from(roots).filter((r) => {
        for (let p = r.parentElement; p !== null; p = p.parentElement) if (roots.has(p)) return false;
        return true;
      });
      this.marks.remove((m) => {
        const node = m.startNode;
        return !node.isConnected || !m.endNode.isConnected || outer.some((r) => r.contains(node));
      });
      if (this.openMark !== null && !this.marks.has(this.openMark)) this.close();
      if (this.navigator.isOpen) this.navigator.update(this.marks.shown());
      return outer;
    });
    const collected: Block[] = [];
    for (const root of blocks) {
      const collector = new BlockCollector(root, this.isOwnUi);
      await this.clock.run((deadline) => collector.collect(deadline) || generation !== this.generation);
      collected.push(...collector.blocks);
    }
    if (collected.length > 0 && generation === this.generation) await this.annotate([collected], generation);
    if (since > 0 && generation === this.generation) {
      this.changeLatencies.push(performance.now() - since);
      if (this.changeLatencies.length > 500) this.changeLatencies.shift();
    }
  }

  // --- Reader interaction ------------------------------------------------------------------

  private listen(): void {
    this.listeners = new AbortController();
    const opts = { capture: true, passive: true, signal: this.listeners.signal };
    window.addEventListener('pointermove', (e) => this.onPointerMove(e), opts);
    window.addEventListener('pointerdown', (e) => this.onPointerDown(e), opts);
    window.addEventListener('pointerup', (e) => this.onPointerUp(e), opts);
    window.addEventListener('pointercancel', () => (this.touchStart = null), opts);
    window.addEventListener('keydown', (e) => this.onKeyDown(e), opts);
    window.addEventListener('keyup', (e) => this.onKeyUp(e), opts);
    window.addEventListener('blur', () => (this.modifierDown = false), opts);
    // Capturing at the window also sees scrolling inside scrolled containers.
    window.addEventListener('scroll', () => this.onScroll(), opts);
    window.addEventListener('resize', () => this.onScroll(), opts);
    document.addEventListener('focusin', (e) => this.onFocusIn(e), opts);
    document.addEventListener('focusout', (e) => this.onFocusOut(e), opts);
    document.addEventListener('selectionchange', () => this.onSelectionChange(), opts);
  }

  private onPointerMove(e: PointerEvent): void {
    this.pointer = { x: e.clientX, y: e.clientY, type: e.pointerType };
    if (e.pointerType === 'touch') return; // taps are handled on pointerup
    this.modifierDown = this.modifierHeld(e);
    if (this.pointerFrame !== 0) return;
    this.pointerFrame = window.requestAnimationFrame(() => {
      this.pointerFrame = 0;
      this.hitTest();
    });
  }

  private modifierHeld(e: MouseEvent | KeyboardEvent): boolean {
    switch (this.reader.tooltip.modifier) {
      case 'Alt':
        return e.altKey;
      case 'Control':
        return e.ctrlKey;
      default:
        return e.shiftKey;
    }
  }

  private hitTest(): void {
    if (this.pointerInTooltip) return;
    const mark = this.marks.markAt(this.pointer.x, this.pointer.y);
    if (mark === this.hoverMark) return;
    this.hoverMark = mark;
    window.clearTimeout(this.showTimer);
    if (mark !== null) {
      if (mark === this.openMark) {
        this.cancelHide();
        return;
      }
      this.hoverOpen(mark);
    } else if (this.openedBy === 'hover') {
      this.scheduleHide();
    }
  }

  /** The pointer rests on `mark`: open its tooltip as the reader's trigger says. */
  private hoverOpen(mark: Mark): void {
    const { trigger, hoverDelay } = this.reader.tooltip;
    if (trigger === 'keyboard') return;
    if (trigger === 'modifier') {
      // Holding the key is the reader's intent: no delay.
      if (this.modifierDown) void this.open(mark, 'hover');
      return;
    }
    this.showTimer = window.setTimeout(() => void this.open(mark, 'hover'), hoverDelay);
  }

  private onPointerDown(e: PointerEvent): void {
    this.pointer = { x: e.clientX, y: e.clientY, type: e.pointerType };
    if (e.pointerType === 'touch') {
      this.touchStart = e.isPrimary ? { x: e.clientX, y: e.clientY, at: performance.now(), id: e.pointerId } : null;
      return; // a touch that scrolls closes nothing; a tap is handled on pointerup
    }
    if (!this.tooltip.open) return;
    if (!this.insideOwnUi(e) && this.marks.markAt(e.clientX, e.clientY) !== this.openMark) this.close();
  }

  /** A tap on a mark opens its tooltip; a tap elsewhere (not in Footnote's own UI) closes it. */
  private onPointerUp(e: PointerEvent): void {
    const start = this.touchStart;
    this.touchStart = null;
    if (e.pointerType !== 'touch' || start === null || start.id !== e.pointerId) return;
    const moved = Math.hypot(e.clientX - start.x, e.clientY - start.y);
    if (moved > TAP_SLOP || performance.now() - start.at > TAP_MS) return;
    if (this.insideOwnUi(e)) return;
    const mark = this.reader.tooltip.trigger === 'keyboard' ? null : this.marks.markAt(e.clientX, e.clientY);
    if (mark !== null) {
      if (mark !== this.openMark) void this.open(mark, 'tap');
    } else if (this.tooltip.open) {
      this.close();
    }
  }

  private insideOwnUi(e: Event): boolean {
    return e.composedPath().some((n) => n instanceof Node && this.isOwnHost(n));
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (e.key === 'Escape' && this.tooltip.open && !this.navigator.isOpen) this.close();
    if (this.reader.tooltip.trigger === 'modifier' && e.key === this.reader.tooltip.modifier) {
      this.modifierDown = true;
      // The pointer already rests on a term: pressing the key opens it.
      if (this.hoverMark !== null && this.hoverMark !== this.openMark && this.pointer.type !== 'touch') void this.open(this.hoverMark, 'hover');
    }
  }

  private onKeyUp(e: KeyboardEvent): void {
    if (e.key === this.reader.tooltip.modifier) this.modifierDown = false;
  }

  private onScroll(): void {
    this.marks.scrolled();
    if (!this.tooltip.open || this.scrollFrame !== 0) return;
    this.scrollFrame = window.requestAnimationFrame(() => {
      this.scrollFrame = 0;
      const box = this.openMark === null ? null : anchorBox(this.openMark, null);
      // The term left the viewport, or scrolled out of its scrolled container: nothing to point at.
      if (box === null) this.close();
      else this.tooltip.moveTo(box, this.placeOptions(this.openMark!, box));
    });
  }

  private onFocusIn(e: FocusEvent): void {
    const target = e.target;
    if (!(target instanceof Element) || this.isOwnHost(target)) return;
    let keyboard = false;
    try {
      keyboard = target.matches(':focus-visible');
    } catch {
      keyboard = true;
    }
    if (!keyboard) return;
    const mark = this.marks.firstIn(target);
    if (mark !== null) void this.open(mark, 'focus');
  }

  private onFocusOut(e: FocusEvent): void {
    if (this.openedBy !== 'focus') return;
    const next = e.relatedTarget;
    if (next instanceof Node && this.isOwnHost(next)) return;
    this.close();
  }

  private onSelectionChange(): void {
    // Mouse users open tooltips by hovering, touch users by tapping; a click or tap in text
    // should not open one a second way.
    if (this.pointer.type === 'mouse' || this.pointer.type === 'touch' || this.pointerInTooltip) return;
    const sel = document.getSelection();
    if (sel === null || !sel.isCollapsed || sel.anchorNode === null) return;
    const node = sel.anchorNode;
    const offset = sel.anchorOffset;
    const mark = this.marks.marksOn(node).find((m) => liveRange(m)?.isPointInRange(node, offset) === true) ?? null;
    if (mark !== null && mark !== this.openMark) void this.open(mark, 'caret');
    else if (mark === null && this.openedBy === 'caret') this.close();
  }

  private async open(mark: Mark, by: OpenedBy): Promise<void> {
    window.clearTimeout(this.showTimer);
    this.cancelHide();
    const generation = this.generation;
    const seq = ++this.openSeq;
    const entry = unknownName(mark) ?? (await this.entry(mark.entry.id, mark.entry.id.startsWith('quote:') ? mark.text : undefined));
    if (entry === null || generation !== this.generation || !mark.shown) return;
    // The reader moved on while the entry was fetched.
    if (seq !== this.openSeq || (by === 'hover' && this.hoverMark !== mark)) return;
    if (by === 'navigator' && !this.navigator.isOpen) return;
    const box = anchorBox(mark, by === 'hover' ? this.pointer : null);
    if (box === null) return;
    const already = this.openMark === mark;
    this.openMark = mark;
    this.openedBy = by;
    this.marks.setActive(mark);
    this.tooltip.show(entry, box, this.placeOptions(mark, box));
    // Screen readers hear that a note opened, once. In the navigator the list already reads
    // each term as the reader moves, so nothing more is said there.
    if (by !== 'navigator' && !already) this.notice.announce(t('announce_tooltip', [entry.name, t(`category_${entry.category}`)]));
  }

  /**
   * Where the tooltip of `mark` (at `box`) may go: aligned to the term's writing direction, and
   * above the navigator when the term is (a term at the very end of a page may stay below the
   * panel's top edge; its tooltip then uses the whole viewport).
   */
  private placeOptions(mark: Mark, box: Box): { align: 'left' | 'right'; height?: number } {
    const el = mark.startNode.parentElement;
    const rtl = el !== null && getComputedStyle(el).direction === 'rtl';
    const align = rtl ? 'right' : 'left';
    const top = this.navigator.isOpen ? this.navigator.top - 8 : Infinity;
    return box.bottom <= top ? { align, height: top } : { align };
  }

  private close(): void {
    window.clearTimeout(this.showTimer);
    this.cancelHide();
    this.tooltip.hide();
    this.notice.quiet();
    this.marks.setActive(null);
    this.openMark = null;
    this.openedBy = null;
    this.pointerInTooltip = false;
  }

  private scheduleHide(): void {
    this.cancelHide();
    this.hideTimer = window.setTimeout(() => {
      if (!this.pointerInTooltip && this.hoverMark !== this.openMark) this.close();
    }, HIDE_DELAY);
  }

  private cancelHide(): void {
    window.clearTimeout(this.hideTimer);
    this.hideTimer = undefined;
  }

  // --- Muting, the navigator, shortcuts ----------------------------------------------------

  /** "Don't mark this again": hidden here at once, everywhere once the background has it. */
  private async mute(entry: EntryView): Promise<void> {
    const refocus = this.navigator.isOpen;
    this.close();
    this.applyReader({ ...this.reader, muted: [...this.reader.muted, entry.id] });
    if (refocus) this.navigator.focus();
    try {
      await callBackground('entry.mute', { id: entry.id, muted: true });
    } catch (error) {
      console.warn('Footnote could not mute an entry:', error);
      await this.refreshSettings().catch(() => undefined);
      return;
    }
    this.notice.show(t('notice_muted', entry.name), {
      label: t('notice_undo'),
      run: () => void callBackground('entry.mute', { id: entry.id, muted: false }).catch(() => undefined),
    });
  }

  /** The navigator's shortcut: the panel opens at the open tooltip's term, else at the first term in view. */
  openNavigator(): void {
    if (!this.running) {
      this.notice.show(t('notice_paused'));
      return;
    }
    const marks = this.marks.shown();
    let start = this.openMark === null ? -1 : marks.indexOf(this.openMark);
    if (start < 0) {
      start = marks.findIndex((m) => {
        const r = liveRange(m)?.getBoundingClientRect();
        return r !== undefined && r.bottom > 0 && (r.width > 0 || r.height > 0);
      });
    }
    const dir = getComputedStyle(document.body ?? document.documentElement).direction === 'rtl' ? 'rtl' : 'ltr';
    this.navigator.open(marks, Math.max(0, start), dir);
    this.tooltip.bringToEnd();
  }

  /** The navigator moved to `mark`: scroll it into the free part of the viewport and open its tooltip. */
  private showFromNavigator(mark: Mark): void {
    const range = liveRange(mark);
    if (range === null) return;
    scrollIntoFreeView(range, this.navigator.top);
    void this.open(mark, 'navigator');
  }

  /**
   * Opens the entry's first source (primary sources come first) in a new tab, without a
   * referrer: through the tooltip's own link when it shows the entry, as a click would.
   */
  private async followFirstSource(mark: Mark): Promise<void> {
    if (this.openMark === mark && this.tooltip.followFirstSource()) return;
    const entry = await this.entry(mark.entry.id);
    const url = safeHttpsUrl(entry?.sources[0]?.url);
    if (url !== null) window.open(url, '_blank', 'noopener,noreferrer');
  }

  /** The reader switched Footnote on or off here with the shortcut. */
  siteToggled(enabled: boolean, shortcut: string): void {
    const site = this.site ?? location.hostname;
    this.notice.show(enabled ? t('notice_site_on', site) : t('notice_site_off', [site, shortcut]));
  }

  /** The entry `id` (with the check of `quotation`, for a quotation), fetched once. */
  private entry(id: string, quotation?: string): Promise<EntryView | null> {
    const key = quotation === undefined ? id : `${id}\0${quotation}`;
    let p = this.entries.get(key);
    if (p === undefined) {
      const params = quotation === undefined ? { id } : { id, quotation: quotation.slice(0, MAX_QUOTATION_CHARS) };
      p = callBackground('entry.get', params).catch((error: unknown) => {
        this.entries.delete(key);
        console.warn('Footnote could not load an entry:', error);
        return null;
      });
      this.entries.set(key, p);
    }
    return p;
  }
}

/**
 * What the tooltip of a name the knowledge base lacks shows: the name as the page writes it
 * and the kind of name it looks like, nothing fetched (there is nothing verified to fetch).
 */
function unknownName(mark: Mark): EntryView | null {
  const kind = /^unknown-(person|organisation|place)$/.exec(mark.entry.id)?.[1] as EntryView['unknown'];
  if (kind === undefined) return null;
  const name = mark.text.replace(/\s+/g, ' ').trim();
  return { id: mark.entry.id, category: mark.entry.category, name, summary: '', usages: [], alternatives: [], sources: [], reviewed: '', unknown: kind };
}

/** When the page's annotation reached each stage (`performance.now()`, ms; 0: not yet). */
interface Timings {
  scriptStart: number;
  readStart: number;
  read: number;
  /** The first annotate reply arrived. */
  firstReply: number;
  firstMarks: number;
  allMarks: number;
}

function newTimings(): Timings {
  return { scriptStart: SCRIPT_START, readStart: 0, read: 0, firstReply: 0, firstMarks: 0, allMarks: 0 };
}

/**
 * Splits `blocks` (in document order) into those in or near the viewport and the rest (after
 * them, then before them), so that what the reader sees is marked first.
 */
function nearViewportFirst(blocks: Block[]): [Block[], Block[]] {
  if (blocks.length === 0) return [[], []];
  const height = window.innerHeight || 800;
  // At the top of the page document order is viewport order already; asking where blocks
  // are would force a layout of a page that is still loading.
  if (window.scrollY < height) return [blocks, []];
  // The first block that ends below the top of the viewport, by binary search on the
  // position of each block's first text (blocks are in document order).
  const top = (b: Block): DOMRect | null => b.segments[0]?.node.parentElement?.getBoundingClientRect() ?? null;
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = top(blocks[mid]!);
    if (r !== null && r.bottom < -height * NEAR_VIEWPORT) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  let chars = 0;
  while (end < blocks.length && chars < MAX_BATCH_CHARS) {
    const r = top(blocks[end]!);
    if (r !== null && r.top > height * (1 + NEAR_VIEWPORT)) break;
    chars += blocks[end]!.text.length;
    end++;
  }
  if (end === lo) return [[], blocks];
  return [blocks.slice(lo, end), [...blocks.slice(end), ...blocks.slice(0, lo)]];
}

/** The nearest block-level element holding `node` (or body). */
function blockRoot(node: Node, body: HTMLElement): Element | null {
  let n: Node | null = node.nodeType === Node.ELEMENT_NODE ? node : node.parentNode;
  while (n !== null && n !== body) {
    if (n.nodeType === Node.ELEMENT_NODE && isBlockElement(n as Element)) return n as Element;
    n = n.parentNode;
  }
  return n === body ? body : null;
}

/**
 * The visible box of the mark's line under the pointer, or of its first visible line: the
 * part inside the viewport and inside every scrolled container around it. Null when none of it
 * can be seen.
 */
function anchorBox(mark: Mark, pointer: { x: number; y: number } | null): Box | null {
  const range = liveRange(mark);
  if (range === null) return null;
  const clip = visibleArea(range.startContainer.parentElement);
  const rects = Array.from(range.getClientRects())
    .filter((r) => r.width > 0 || r.height > 0)
    .map((r) => intersect({ left: r.left, top: r.top, right: r.right, bottom: r.bottom }, clip))
    .filter((r): r is Box => r !== null);
  if (rects.length === 0) return null;
  const under =
    pointer === null
      ? undefined
      : rects.find((r) => pointer.x >= r.left - 1 && pointer.x <= r.right + 1 && pointer.y >= r.top - 1 && pointer.y <= r.bottom + 1);
  // A mark over several lines (a long quotation, a name broken at a line end): the tooltip
  // goes above or below all of it, unless it is too tall to leave room.
  const all = {
    left: Math.min(...rects.map((r) => r.left)),
    top: Math.min(...rects.map((r) => r.top)),
    right: Math.max(...rects.map((r) => r.right)),
    bottom: Math.max(...rects.map((r) => r.bottom)),
  };
  if (rects.length > 1 && all.bottom - all.top <= window.innerHeight * 0.4) return all;
  return under ?? rects[0]!;
}

/** The part of the viewport where `el`'s content can be seen: the viewport cut by every clipping ancestor. */
function visibleArea(el: Element | null): Box {
  let area: Box = { left: 0, top: 0, right: document.documentElement.clientWidth || window.innerWidth, bottom: window.innerHeight };
  for (let p = el?.parentElement ?? null; p !== null && p !== document.body && p !== document.documentElement; p = p.parentElement) {
    const style = getComputedStyle(p);
    if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
    const r = p.getBoundingClientRect();
    const cut = intersect(area, { left: r.left + p.clientLeft, top: r.top + p.clientTop, right: r.left + p.clientLeft + p.clientWidth, bottom: r.top + p.clientTop + p.clientHeight });
    if (cut === null) return { left: 0, top: 0, right: 0, bottom: 0 };
    area = cut;
  }
  return area;
}

function intersect(a: Box, b: Box): Box | null {
  const out = { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
  return out.right > out.left && out.bottom > out.top ? out : null;
}

/**
 * Scrolls the page (and any scrolled container around the range) so that the range sits in
 * the upper part of the viewport above `freeBottom` (the navigator's top), where its tooltip
 * has room below it.
 */
function scrollIntoFreeView(range: Range, freeBottom: number): void {
  for (let p = range.startContainer.parentElement?.parentElement ?? null; p !== null && p !== document.body && p !== document.documentElement; p = p.parentElement) {
    const style = getComputedStyle(p);
    const scrolls = /(auto|scroll)/.test(style.overflowY + style.overflowX);
    if (!scrolls) continue;
    const r = range.getBoundingClientRect();
    const c = p.getBoundingClientRect();
    if (r.top < c.top || r.bottom > c.top + p.clientHeight) p.scrollTop += r.top - c.top - (p.clientHeight - r.height) / 3;
    if (r.left < c.left || r.right > c.left + p.clientWidth) p.scrollLeft += r.left - c.left - (p.clientWidth - r.width) / 2;
  }
  const r = range.getBoundingClientRect();
  const target = Math.max(8, Math.min(freeBottom, window.innerHeight) / 4);
  const dx = r.left < 0 || r.right > window.innerWidth ? r.left - window.innerWidth / 3 : 0;
  window.scrollBy({ top: r.top - target, left: dx, behavior: 'instant' });
}

function main(): void {
  const early = takeEarly();
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return;
  if (!(document.documentElement instanceof HTMLElement) || document.designMode === 'on') return;
  const annotations = new Annotations();
  ext.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
    if (sender.id !== ext.runtime.id || typeof message !== 'object' || message === null) return false;
    const type = (message as { type?: unknown }).type as keyof TabApi | undefined;
    if (type === 'settings.changed') {
      return answer(async () => {
        await annotations.refreshSettings();
        return null;
      }, sendResponse);
    }
    if (type === 'page.state') return answer(async () => annotations.state(), sendResponse);
    if (type === 'navigator.open') {
      return answer(async () => {
        annotations.openNavigator();
        return null;
      }, sendResponse);
    }
    if (type === 'site.toggled') {
      const m = message as { enabled?: unknown; shortcut?: unknown };
      return answer(async () => {
        annotations.siteToggled(m.enabled === true, typeof m.shortcut === 'string' ? m.shortcut.slice(0, 40) : '');
        return null;
      }, sendResponse);
    }
    return false;
  });
  annotations.refreshSettings(early).catch((error: unknown) => {
    // The background may be unavailable (extension updated or disabled): leave the page alone.
    console.debug('Footnote is not running on this page:', error);
  });
}

main();
