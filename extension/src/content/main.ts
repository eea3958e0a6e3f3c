/**
 * The content script: runs in every http(s) page's main frame.
 *
 *   settings (background) ──► off for this site? stop here: no text leaves the page
 *        │ on
 *   text-blocks ──► annotate (background, WebAssembly core) ──► marks (CSS highlights)
 *        ▲                                                      │
 *   MutationObserver (batched: only changed blocks)             ▼
 *                                        pointer / focus / caret ──► tooltip (closed shadow root)
 *
 * The page's DOM is never changed, except for the tooltip's one host element, added the first
 * time a tooltip opens. When Footnote is paused on a site, nothing runs but the listener that
 * waits for settings to change.
 */

import { type Category } from '../shared/categories';
import { ext } from '../shared/browser';
import { type AnnotateResult, type EntryView, MAX_BATCH_CHARS, MAX_QUOTATION_CHARS, type PageState, type TabApi } from '../shared/messages';
import { answer, callBackground } from '../shared/rpc';
import { activeCategories } from '../shared/settings';
import { type Mark, MarkSet, liveRange } from './marks';
import { WorkClock } from './schedule';
import { type Block, BlockCollector, isBlockElement, isInsideSkipped, isSkippedElement } from './text-blocks';
import { Tooltip } from './tooltip';
import type { Box } from './tooltip-position';

/** How long the pointer must rest on a term before its tooltip opens (ms). */
const HOVER_DELAY = 300;
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

type OpenedBy = 'hover' | 'focus' | 'caret';

/** When this script started running (`performance.now()`, ms). */
const SCRIPT_START = performance.now();

class Annotations {
  private site: string | null = null;
  private categories: Category[] = [];
  private readonly marks = new MarkSet();
  private readonly tooltip: Tooltip;
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

  constructor() {
    this.tooltip = new Tooltip(
      {
        pointer: (inside) => {
          this.pointerInTooltip = inside;
          if (inside) this.cancelHide();
          else if (this.openedBy === 'hover') this.scheduleHide();
        },
        close: () => this.close(),
      },
      ext.i18n.getUILanguage(),
    );
  }

  /** Asks the background what applies to this page and starts, restarts or stops. */
  async refreshSettings(): Promise<void> {
    const { site, settings } = await callBackground('page.settings', {});
    this.site = site;
    const categories = activeCategories(settings);
    if (categories.join() === this.categories.join() && this.listeners !== null) return;
    this.categories = categories;
    this.stop();
    if (categories.length > 0) this.start();
  }

  state(): PageState {
    return {
      url: location.href,
      site: this.site,
      enabled: this.categories.length > 0,
      annotations: this.marks.all().map((m) => ({ text: m.text, category: m.entry.category, entry: m.entry.id, at: m.at })),
      tooltip: this.tooltip.state(),
      work: {
        ...this.timings,
        ...this.clock.stats,
        sentChars: this.sentChars,
        marks: this.marks.size,
        changeLatencies: [...this.changeLatencies],
        stayedOut: this.stayedOut,
      },
    };
  }

  private isOwnUi = (el: Element): boolean => this.tooltip.isHost(el);

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
    await this.clock.run((deadline) => collector.collect(deadline) || generation !== this.generation);
    if (generation !== this.generation) return;
    t.read = performance.now();
    if (collector.tooLarge !== null) {
      // Too large to mark without blocking the tab: stay out, and stop watching it change.
      this.stayedOut = collector.tooLarge;
      this.observer?.disconnect();
      this.observer = null;
      this.pendingRoots.clear();
      t.allMarks = performance.now();
      this.reading = false;
      return;
    }
    const blocks = collector.blocks;
    const [near, rest] = this.clock.once(() => nearViewportFirst(blocks));
    await this.annotate(near, generation, () => {
      t.firstMarks = performance.now();
    });
    await this.annotate(rest, generation);
    if (generation !== this.generation) return;
    t.allMarks = performance.now();
    this.reading = false;
    // Changes that came while the page was being read.
    if (this.pendingRoots.size > 0) this.scheduleFlush();
  }

  /**
   * Sends `blocks` to the background in size-capped batches and marks what comes back, in
   * slices. `afterFirst` runs once the first batch is marked.
   */
  private async annotate(blocks: Block[], generation: number, afterFirst?: () => void): Promise<void> {
    let from = 0;
    try {
      while (from < blocks.length && generation === this.generation) {
        let chars = 0;
        let to = from;
        while (to < blocks.length && (to === from || chars + blocks[to]!.text.length <= MAX_BATCH_CHARS)) {
          chars += blocks[to]!.text.length;
          to++;
        }
        const batch = blocks.slice(from, to);
        from = to;
        this.sentChars += chars;
        const texts = this.clock.once(() => batch.map((b) => b.text));
        let result: AnnotateResult;
        try {
          result = await callBackground('annotate', { blocks: texts, categories: this.categories });
        } catch (error) {
          // An error reply (the core failed on this text and was restarted, or the text was
          // refused): this batch stays unmarked, the rest of the page is still read.
          console.warn('Footnote could not annotate part of this page:', error);
          continue;
        }
        if (generation !== this.generation) return; // settings or page changed meanwhile
        let at = 0;
        await this.clock.run((deadline) => {
          at = this.marks.add(batch, result.findings, result.entries, at, deadline);
          return at >= result.findings.length || generation !== this.generation;
        });
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
        if (this.tooltip.isHost(r.target) || this.isOwnChange(r)) continue;
        if (r.type === 'childList') {
          // New nodes are read; a removed node only takes its marks with it (see flush).
          for (const n of Array.from(r.addedNodes)) if (!this.tooltip.isHost(n)) this.pendingRoots.add(n);
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

  /** True when a change only added or removed Footnote's own tooltip host. */
  private isOwnChange(r: MutationRecord): boolean {
    if (r.type !== 'childList') return false;
    const nodes = [...Array.from(r.addedNodes), ...Array.from(r.removedNodes)];
    return nodes.length > 0 && nodes.every((n) => this.tooltip.isHost(n));
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
        const node = m.range.startContainer;
        return !node.isConnected || !m.range.endContainer.isConnected || outer.some((r) => r.contains(node));
      });
      if (this.openMark !== null && !this.marks.has(this.openMark)) this.close();
      return outer;
    });
    const collected: Block[] = [];
    for (const root of blocks) {
      const collector = new BlockCollector(root, this.isOwnUi);
      await this.clock.run((deadline) => collector.collect(deadline) || generation !== this.generation);
      collected.push(...collector.blocks);
    }
    if (collected.length > 0 && generation === this.generation) await this.annotate(collected, generation);
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
    window.addEventListener('keydown', (e) => this.onKeyDown(e), opts);
    window.addEventListener('scroll', () => this.onScroll(), opts);
    window.addEventListener('resize', () => this.onScroll(), opts);
    document.addEventListener('focusin', (e) => this.onFocusIn(e), opts);
    document.addEventListener('focusout', (e) => this.onFocusOut(e), opts);
    document.addEventListener('selectionchange', () => this.onSelectionChange(), opts);
  }

  private onPointerMove(e: PointerEvent): void {
    this.pointer = { x: e.clientX, y: e.clientY, type: e.pointerType };
    if (this.pointerFrame !== 0) return;
    this.pointerFrame = window.requestAnimationFrame(() => {
      this.pointerFrame = 0;
      this.hitTest();
    });
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
      this.showTimer = window.setTimeout(() => void this.open(mark, 'hover'), HOVER_DELAY);
    } else if (this.openedBy === 'hover') {
      this.scheduleHide();
    }
  }

  private onPointerDown(e: PointerEvent): void {
    this.pointer = { x: e.clientX, y: e.clientY, type: e.pointerType };
    if (!this.tooltip.open) return;
    const inside = e.composedPath().some((n) => n instanceof Node && this.tooltip.isHost(n));
    if (!inside && this.marks.markAt(e.clientX, e.clientY) !== this.openMark) this.close();
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (e.key === 'Escape' && this.tooltip.open) this.close();
  }

  private onScroll(): void {
    if (!this.tooltip.open || this.scrollFrame !== 0) return;
    this.scrollFrame = window.requestAnimationFrame(() => {
      this.scrollFrame = 0;
      const box = this.openMark === null ? null : anchorBox(this.openMark, null);
      if (box === null || box.bottom < 0 || box.top > window.innerHeight) this.close();
      else this.tooltip.moveTo(box);
    });
  }

  private onFocusIn(e: FocusEvent): void {
    const target = e.target;
    if (!(target instanceof Element) || this.tooltip.isHost(target)) return;
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
    if (next instanceof Node && this.tooltip.isHost(next)) return;
    this.close();
  }

  private onSelectionChange(): void {
    // Mouse users open tooltips by hovering; a click in text should not open one too.
    if (this.pointer.type === 'mouse' || this.pointerInTooltip) return;
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
    const entry = await this.entry(mark.entry.id, mark.entry.id.startsWith('quote:') ? mark.text : undefined);
    if (entry === null || generation !== this.generation) return;
    // The reader moved on while the entry was fetched.
    if (by === 'hover' && this.hoverMark !== mark) return;
    const box = anchorBox(mark, by === 'hover' ? this.pointer : null);
    if (box === null) return;
    this.openMark = mark;
    this.openedBy = by;
    this.marks.setActive(mark);
    this.tooltip.show(entry, box);
  }

  private close(): void {
    window.clearTimeout(this.showTimer);
    this.cancelHide();
    this.tooltip.hide();
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

/** When the page's annotation reached each stage (`performance.now()`, ms; 0: not yet). */
interface Timings {
  scriptStart: number;
  readStart: number;
  read: number;
  firstMarks: number;
  allMarks: number;
}

function newTimings(): Timings {
  return { scriptStart: SCRIPT_START, readStart: 0, read: 0, firstMarks: 0, allMarks: 0 };
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

/** The box of the mark's line under the pointer, or of its first line. */
function anchorBox(mark: Mark, pointer: { x: number; y: number } | null): Box | null {
  const range = liveRange(mark);
  if (range === null) return null;
  const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 || r.height > 0);
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
  const r = under ?? rects[0]!;
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
}

function main(): void {
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
    return false;
  });
  annotations.refreshSettings().catch((error: unknown) => {
    // The background may be unavailable (extension updated or disabled): leave the page alone.
    console.debug('Footnote is not running on this page:', error);
  });
}

main();
