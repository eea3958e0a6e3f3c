/**
 * Marks: the findings shown on the page. They are painted with the CSS Custom Highlight API
 * (one highlight per category, styled by extension/content.css), so the page's DOM and text
 * are never changed; removing them is deleting ranges from the registry.
 *
 * Highlights are not elements: nothing to hover or focus. The pointer is hit-tested against
 * the marks' ranges (`markAt`), and focus is related to marks through the text nodes they
 * cover (`marksIn`).
 *
 * Every finding becomes a mark, but only the *shown* ones are painted and reachable: marks of
 * muted entries, and with "first mention only" every mention of an entry after its first in
 * reading order, are kept hidden. Muting, unmuting or switching "first mention only" therefore
 * repaints at once, without reading the page again, and when the first mention of an entry
 * disappears from the page, the next one is shown.
 *
 * Painting is the browser's work, and it grows with the page: any change to a highlight makes
 * Chromium repaint the whole document, and it rebuilds the markers of every registered range
 * in each frame after a highlight, the DOM or a style changed. So a shown mark is painted when
 * the work that made it is done (a whole batch at once, not slice by slice), and on a page with
 * more than PAINT_ALL_MAX marks only those in or near the viewport are painted (at most
 * PAINT_WINDOW_MAX of them), again after each scroll; the others stay shown for everything
 * else (hit-testing, the navigator, counts), just unpainted until the reader comes near.
 */

import type { Category } from '../shared/categories';

import type { EntryRef } from '../shared/messages';
import { type Block, isUnchanged, positionOf } from './text-blocks';

/** Up to this many marks, every shown mark is painted. */
export const PAINT_ALL_MAX = 1000;
/** With more, at most this many, in or near the viewport. */
export const PAINT_WINDOW_MAX = 1000;
/** How far beyond the viewport marks are painted, in viewport heights, above and below. */
const PAINT_MARGIN = 2;
/** How long after the last scroll the painted marks follow (ms). */
const SCROLL_SETTLE_MS = 100;

/**
 * A finding placed on the page. Its range is made when first needed (to paint it, hit-test
 * it or open its tooltip): on a long page most marks are never painted, and a range per
 * finding, 29,000 on the generated 5 MB page, was most of what made placing them slow and
 * what the garbage collector had to keep.
 */
export class Mark {
  /** False while it is hidden (muted entry, or not the first mention); see `setFilter`. */
  shown = false;
  /** True while its range is in a highlight (see the module comment). */
  painted = false;
  private staticRange: StaticRange | null = null;

  constructor(
    readonly block: Block,
    /** Span in UTF-16 code units of the block's text (half-open). */
    readonly start: number,
    readonly end: number,
    readonly entry: EntryRef,
    /** Where the span starts and ends in the DOM (offsets in UTF-16 code units of `data`). */
    readonly startNode: Text,
    readonly startOffset: number,
    readonly endNode: Text,
    readonly endOffset: number,
    /** When it was placed (`performance.now()`, ms). */
    readonly at: number,
  ) {}

  get text(): string {
    return this.block.text.slice(this.start, this.end);
  }

  get range(): StaticRange {
    this.staticRange ??= new StaticRange({
      startContainer: this.startNode,
      startOffset: this.startOffset,
      endContainer: this.endNode,
      endOffset: this.endOffset,
    });
    return this.staticRange;
  }
}

/** Which marks are hidden: those of muted entries, and with `firstOnly` all but each entry's first. */
export interface MarkFilter {
  muted: ReadonlySet<string>;
  firstOnly: boolean;
}

/** The highlight name of a category; content.css styles `::highlight(<name>)`. */
export function highlightName(category: Category): string {
  return `footnote-${category}`;
}
export const ACTIVE_HIGHLIGHT = 'footnote-active';

type Registry = { set(name: string, h: Highlight): void; delete(name: string): boolean };

function registry(): Registry | null {
  const css = (globalThis as { CSS?: { highlights?: Registry } }).CSS;
  return css?.highlights ?? null;
}

export class MarkSet {
  private marks: Mark[] = [];
  /** False when marks were added out of reading order since the last sort. */
  private sorted = true;
  private members = new Set<Mark>();
  private byNode = new Map<Text, Mark[]>();
  private highlights = new Map<Category, Highlight>();
  private active: Highlight | null = null;
  private byEntry = new Map<string, Mark[]>();
  private filter: MarkFilter = { muted: new Set(), firstOnly: false };
  /** Marks whose painting may have to change at the next `paint()`. */
  private dirty = new Set<Mark>();
  /** The marks painted while only those near the viewport are (null: all shown marks are). */
  private window: Set<Mark> | null = null;
  /** The last shown mark above the window and the first below it, when last worked out. */
  private edges: { above: Mark | undefined; below: Mark | undefined } = { above: undefined, below: undefined };
  /** True when the window must be worked out again (scrolled, marks removed). */
  private windowStale = true;
  private scrollTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * `where(mark)` tells where a mark is against the viewport: its top and bottom in viewport
   * pixels, and the viewport's height (the page's layout; replaced in tests).
   */
  constructor(private readonly where: (m: Mark) => { top: number; bottom: number; height: number } | null = whereInViewport) {}

  /** Every mark, in reading order (sorted when asked for, not on every change). */
  all(): readonly Mark[] {
    if (!this.sorted) {
      this.marks.sort(readingOrder);
      this.sorted = true;
    }
    return this.marks;
  }

  /** The marks the reader sees, in reading order. */
  shown(): Mark[] {
    return this.all().filter((m) => m.shown);
  }

  has(mark: Mark): boolean {
    return this.members.has(mark);
  }

  /** Hides and shows marks by `filter`, repainting only those that change. */
  setFilter(filter: MarkFilter): void {
    this.filter = filter;
    for (const list of this.byEntry.values()) this.refreshEntry(list);
    this.paint();
  }

  get size(): number {
    return this.marks.length;
  }

  /** How many marks are painted now (in highlights). */
  get paintedCount(): number {
    let n = 0;
    for (const c of this.highlights.values()) n += c.size;
    return n;
  }

  /**
   * Adds marks for `findings` (flat `[block, start, end, entry]` quadruples, as the background
   * returns them) over `blocks`, from quadruple index `from` until `deadline` (a
   * `performance.now()` time). Returns where it stopped: `findings.length` when done. Findings
   * whose position cannot be found, or in blocks whose text changed since they were read (the
   * page's changes are read again anyway), are skipped.
   */
  add(
    blocks: readonly Block[],
    findings: readonly number[],
    entries: readonly EntryRef[],
    from = 0,
    deadline = Infinity,
  ): number {
    const now = performance.now();
    let checked: Block | null = null;
    let unchanged = false;
    let i = from;
    for (; i + 3 < findings.length; i += 4) {
      if ((i & 255) === 0 && i > from && performance.now() >= deadline) break;
      const block = blocks[findings[i]!];
      const entry = entries[findings[i + 3]!];
      const start = findings[i + 1]!;
      const end = findings[i + 2]!;
      if (block === undefined || entry === undefined || !(start < end) || end > block.text.length) continue;
      if (block !== checked) {
        checked = block;
        unchanged = isUnchanged(block);
      }
      if (!unchanged) continue;
      const a = positionOf(block, start, false);
      const b = positionOf(block, end, true);
      if (a === null || b === null) continue;
      this.insert(new Mark(block, start, end, entry, a.node, a.offset, b.node, b.offset, now));
    }
    const at = Math.min(i, findings.length);
    // A whole batch is painted at once: every change to the highlights costs the browser a
    // repaint of the page, so one per batch rather than one per slice.
    if (at >= findings.length) this.paint();
    return at;
  }

  private insert(m: Mark): void {
    for (const seg of m.block.segments) {
      if (seg.start >= m.end) break; // segments are in order
      const segEnd = seg.start + (seg.nodeEnd - seg.nodeStart);
      if (segEnd > m.start) {
        const list = this.byNode.get(seg.node);
        if (list === undefined) this.byNode.set(seg.node, [m]);
        else list.push(m);
      }
    }
    const last = this.marks[this.marks.length - 1];
    if (this.sorted && last !== undefined && readingOrder(last, m) > 0) this.sorted = false;
    this.marks.push(m);
    this.members.add(m);
    const same = this.byEntry.get(m.entry.id);
    if (same === undefined) {
      this.byEntry.set(m.entry.id, [m]);
      this.setShown(m, !this.filter.muted.has(m.entry.id));
    } else {
      same.push(m);
      // Only "first mention only" relates a mark to the entry's others; otherwise the new mark
      // alone is decided, so a page naming one entry thousands of times stays linear.
      if (this.filter.firstOnly) this.refreshEntry(same);
      else this.setShown(m, !this.filter.muted.has(m.entry.id));
    }
  }

  /** Shows or hides the marks of one entry (all of its marks, in any order) by the filter. */
  private refreshEntry(list: readonly Mark[]): void {
    const muted = list.length > 0 && this.filter.muted.has(list[0]!.entry.id);
    let first: Mark | null = null;
    if (this.filter.firstOnly && !muted) {
      for (const m of list) if (first === null || readingOrder(m, first) < 0) first = m;
    }
    for (const m of list) this.setShown(m, !muted && (!this.filter.firstOnly || m === first));
  }

  private setShown(m: Mark, shown: boolean): void {
    if (m.shown === shown) return;
    m.shown = shown;
    this.dirty.add(m);
  }

  /**
   * Brings the highlights up to date: every shown mark painted, or, on a page with more than
   * PAINT_ALL_MAX marks, only those near the viewport.
   */
  paint(): void {
    if (this.marks.length > PAINT_ALL_MAX) {
      // Marks added or changed beyond the window's edges (the next batches of a long page) do
      // not move it: nothing to paint, and no need to ask where marks are, which would force
      // the browser to bring its layout up to date in the middle of Footnote's work.
      const beyond = (m: Mark): boolean =>
        !m.painted &&
        ((this.edges.below !== undefined && readingOrder(m, this.edges.below) > 0) ||
          (this.edges.above !== undefined && readingOrder(m, this.edges.above) < 0));
      const moved = this.window === null || this.windowStale || [...this.dirty].some((m) => !beyond(m));
      this.dirty.clear();
      if (moved) this.paintNearViewport();
      return;
    }
    if (this.window !== null) {
      // Back under the limit (marks removed): every shown mark is painted again.
      for (const m of this.window) this.dirty.add(m);
      this.window = null;
      for (const m of this.marks) if (m.shown && !m.painted) this.dirty.add(m);
    }
    for (const m of this.dirty) this.setPainted(m, m.shown && this.members.has(m));
    this.dirty.clear();
  }

  /** The page scrolled or was resized: the painted marks follow once it rests. */
  scrolled(): void {
    if (this.marks.length <= PAINT_ALL_MAX) return;
    clearTimeout(this.scrollTimer);
    this.scrollTimer = setTimeout(() => {
      this.scrollTimer = undefined;
      this.windowStale = true;
      this.paint();
    }, SCROLL_SETTLE_MS);
  }

  /**
   * Paints the shown marks in or near the viewport (PAINT_MARGIN viewport heights above and
   * below, at most PAINT_WINDOW_MAX around the first one in view) and unpaints the others. Marks
   * are in reading order, which on a page is also their order from top to bottom (near enough:
   * the margin covers the rest), so two binary searches find them.
   */
  private paintNearViewport(): void {
    const shown = this.shown();
    const above = (m: Mark): boolean => {
      const r = this.where(m);
      return r !== null && r.bottom < -r.height * PAINT_MARGIN;
    };
    const below = (m: Mark): boolean => {
      const r = this.where(m);
      return r !== null && r.top > r.height * (1 + PAINT_MARGIN);
    };
    // The first mark not above the window, and the first one below it after that.
    const first = partition(shown, 0, shown.length, above);
    let end = partition(shown, first, shown.length, (m) => !below(m));
    let start = first;
    if (end - start > PAINT_WINDOW_MAX) {
      // Too many near the viewport: those around the first one in view.
      const inView = partition(shown, start, end, (m) => {
        const r = this.where(m);
        return r !== null && r.bottom < 0;
      });
      start = Math.max(start, Math.min(inView - PAINT_WINDOW_MAX / 4, end - PAINT_WINDOW_MAX));
      end = start + PAINT_WINDOW_MAX;
    }
    const next = new Set(shown.slice(start, end));
    for (const m of this.window ?? this.marks) if (m.painted && !next.has(m)) this.setPainted(m, false);
    for (const m of next) this.setPainted(m, true);
    this.window = next;
    this.edges = { above: shown[start - 1], below: shown[end] };
    this.windowStale = false;
  }

  private setPainted(m: Mark, painted: boolean): void {
    if (m.painted === painted) return;
    m.painted = painted;
    if (painted) this.highlightFor(m.entry.category)?.add(m.range);
    else this.highlights.get(m.entry.category)?.delete(m.range);
  }

  /** Removes the marks for which `drop` is true. */
  remove(drop: (m: Mark) => boolean): void {
    const kept: Mark[] = [];
    const touched = new Set<string>();
    for (const m of this.marks) {
      if (!drop(m)) {
        kept.push(m);
        continue;
      }
      this.setShown(m, false);
      this.setPainted(m, false);
      this.window?.delete(m);
      this.windowStale = true;
      this.members.delete(m);
      touched.add(m.entry.id);
      for (const seg of m.block.segments) {
        const list = this.byNode.get(seg.node);
        if (list === undefined) continue;
        const rest = list.filter((x) => x !== m);
        if (rest.length === 0) this.byNode.delete(seg.node);
        else this.byNode.set(seg.node, rest);
      }
    }
    this.marks = kept;
    // An entry whose shown mark went may show another (its next mention).
    for (const id of touched) {
      const rest = (this.byEntry.get(id) ?? []).filter((m) => this.members.has(m));
      if (rest.length === 0) this.byEntry.delete(id);
      else {
        this.byEntry.set(id, rest);
        this.refreshEntry(rest);
      }
    }
    this.paint();
  }

  /** Removes every mark and unregisters Footnote's highlights. */
  clear(): void {
    this.marks = [];
    this.members.clear();
    this.byEntry.clear();
    this.dirty.clear();
    this.window = null;
    this.edges = { above: undefined, below: undefined };
    this.windowStale = true;
    clearTimeout(this.scrollTimer);
    this.scrollTimer = undefined;
    this.sorted = true;
    this.byNode.clear();
    // Only what was registered: any change to the registry makes the browser restyle the
    // whole document, which takes long on a huge page Footnote never marked.
    const reg = registry();
    for (const c of this.highlights.keys()) reg?.delete(highlightName(c));
    if (this.active !== null) reg?.delete(ACTIVE_HIGHLIGHT);
    this.highlights.clear();
    this.active = null;
  }

  /** Paints `mark` as the one the reader is looking at (or none). */
  setActive(mark: Mark | null): void {
    const reg = registry();
    if (reg === null || typeof Highlight === 'undefined') return;
    if (this.active === null) {
      this.active = new Highlight();
      this.active.priority = 1;
      reg.set(ACTIVE_HIGHLIGHT, this.active);
    }
    this.active.clear();
    if (mark !== null) this.active.add(mark.range);
  }

  /** The shown marks that cover some of `node`. */
  marksOn(node: Node): readonly Mark[] {
    if (node.nodeType !== Node.TEXT_NODE) return [];
    return (this.byNode.get(node as Text) ?? []).filter((m) => m.shown);
  }

  /** The first mark, in reading order, with some of its text inside `el`. */
  firstIn(el: Element): Mark | null {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
      const mark = this.byNode.get(n as Text)?.find((m) => m.shown);
      if (mark !== undefined) return mark;
    }
    return null;
  }

  /** The mark whose text is under the viewport point (x, y), if any. */
  markAt(x: number, y: number): Mark | null {
    const pos = caretAt(x, y);
    if (pos === null) return null;
    for (const m of this.marksOn(pos.node)) {
      const rects = liveRange(m)?.getClientRects();
      if (rects === undefined) continue;
      for (const r of Array.from(rects)) {
        if (x >= r.left - 1 && x <= r.right + 1 && y >= r.top - 1 && y <= r.bottom + 1) return m;
      }
    }
    return null;
  }

  private highlightFor(category: Category): Highlight | null {
    let h = this.highlights.get(category);
    if (h !== undefined) return h;
    const reg = registry();
    if (reg === null || typeof Highlight === 'undefined') return null;
    h = new Highlight();
    this.highlights.set(category, h);
    reg.set(highlightName(category), h);
    return h;
  }
}

/** The first index in [from, to) where `before` is false (it is true before, false after). */
function partition<T>(items: readonly T[], from: number, to: number, before: (item: T) => boolean): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(items[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where a mark is against the viewport, from the box of the element holding its first text
 * (no layout is forced on a page that has not changed since its last frame). Null when it
 * has no box (not rendered): such a mark does not move the window.
 */
function whereInViewport(m: Mark): { top: number; bottom: number; height: number } | null {
  const el = m.startNode.parentElement;
  if (el === null || !el.isConnected) return null;
  const r = el.getBoundingClientRect();
  if (r.width === 0 && r.height === 0 && r.top === 0) return null;
  return { top: r.top, bottom: r.bottom, height: window.innerHeight || 800 };
}

/**
 * Reading order of two marks: by their start in the document. Marks of one read compare by
 * their blocks' order in it without asking the DOM: `compareDocumentPosition` walks the
 * siblings of the nodes' common ancestor, which on a long page of paragraphs made placing
 * each mark cost tens of microseconds.
 */
function readingOrder(a: Mark, b: Mark): number {
  if (a === b) return 0;
  if (a.block === b.block) return a.start - b.start;
  if (a.block.read === b.block.read) return a.block.index - b.block.index;
  if (a.startNode === b.startNode) return a.startOffset - b.startOffset;
  const rel = a.startNode.compareDocumentPosition(b.startNode);
  return rel & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
}

/** A live Range over a mark's static range, or null when the DOM moved under it. */
export function liveRange(m: Mark): Range | null {
  if (!m.startNode.isConnected || !m.endNode.isConnected) return null;
  try {
    const range = document.createRange();
    range.setStart(m.startNode, m.startOffset);
    range.setEnd(m.endNode, m.endOffset);
    return range;
  } catch {
    return null;
  }
}

/** The text position under a viewport point. */
function caretAt(x: number, y: number): { node: Node; offset: number } | null {
  const doc = document as Document & {
    caretPositionFromPoint?: (x: number, y: number) => { offsetNode: Node; offset: number } | null;
    caretRangeFromPoint?: (x: number, y: number) => Range | null;
  };
  if (typeof doc.caretPositionFromPoint === 'function') {
    const p = doc.caretPositionFromPoint(x, y);
    return p === null ? null : { node: p.offsetNode, offset: p.offset };
  }
  if (typeof doc.caretRangeFromPoint === 'function') {
    const r = doc.caretRangeFromPoint(x, y);
    return r === null ? null : { node: r.startContainer, offset: r.startOffset };
  }
  return null;
}
