/**
 * The page's text, in blocks. A block is a run of text not interrupted by a block-level element
 * or a line break (a paragraph, a list item, a heading), made of pieces of text nodes, so that
 * "Mount <b>Hermon</b>" is one string. Names are looked for within a block, never across two.
 *
 * Offsets here are UTF-16 code units, the units of `Text.data` and of DOM ranges. The tag
 * lists mirror `src/html.rs` (the `footnote annotate` command): keep them in sync.
 */

import { MAX_BLOCK_CHARS } from '../shared/messages';

/** A piece of one text node inside a block. */
export interface Segment {
  node: Text;
  /** Where the piece starts and ends in `node.data`. */
  nodeStart: number;
  nodeEnd: number;
  /** Where the piece starts in the block's text. */
  start: number;
}

export interface Block {
  text: string;
  segments: Segment[];
  /** Which read found the block (each `BlockCollector` is one), and where in its order. The
   * blocks of one read are in document order, as it was when they were read. */
  read: number;
  index: number;
}

/** The number of the next read. */
let reads = 0;

/** Elements whose content is never annotated. */
const SKIPPED = new Set([
  'HEAD', 'TITLE', 'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'SELECT', 'OPTION',
  'INPUT', 'BUTTON', 'CODE', 'PRE', 'KBD', 'SAMP', 'VAR', 'SVG', 'MATH', 'CANVAS', 'VIDEO',
  'AUDIO', 'IFRAME', 'OBJECT', 'EMBED',
]);

/** Elements that start and end a block. */
const BLOCKS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BODY', 'CAPTION', 'DD', 'DETAILS', 'DIALOG',
  'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3',
  'H4', 'H5', 'H6', 'HEADER', 'HGROUP', 'HR', 'HTML', 'LEGEND', 'LI', 'MAIN', 'MENU', 'NAV',
  'OL', 'P', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TR', 'UL',
  'BR', 'IMG',
]);

/**
 * True for elements whose text Footnote must leave alone: code, form fields, editable regions,
 * hidden content, and anything `isOwnUi` claims (Footnote's own UI).
 */
export function isSkippedElement(el: Element, isOwnUi: (el: Element) => boolean): boolean {
  return elementKind(el, isOwnUi) === SKIP;
}

export function isBlockElement(el: Element): boolean {
  return BLOCKS.has(upperTag(el));
}

/** What the reader does at an element: skip its subtree, end a block there, or neither. */
const SKIP = 1;
const BLOCK = 2;
const TAG_KIND = new Map<string, number>([
  ...[...SKIPPED].map((t): [string, number] => [t, SKIP]),
  ...[...BLOCKS].map((t): [string, number] => [t, BLOCK]),
]);

/**
 * SKIP, BLOCK or 0 for `el` (see `isSkippedElement`). The tag name is read once: each read is a
 * call into the DOM, and the reader asks this of every element of a page. `withAttributes`,
 * when given, holds every element that has a `hidden` or `contenteditable` attribute (see
 * `ATTRIBUTES`); the attributes of the others are not read.
 */
function elementKind(el: Element, isOwnUi: (el: Element) => boolean, withAttributes?: Set<Element>): number {
  const kind = TAG_KIND.get(upperTag(el)) ?? 0;
  if (kind === SKIP || isOwnUi(el)) return SKIP;
  if (withAttributes !== undefined && !withAttributes.has(el)) return kind;
  if (el.hasAttribute('hidden')) return SKIP;
  const editable = el.getAttribute('contenteditable');
  return editable !== null && editable.toLowerCase() !== 'false' ? SKIP : kind;
}

/**
 * The attributes that may make an element skipped. Reading two attributes of every element
 * costs a quarter of a page read; one query finds the few elements that have them.
 */
const ATTRIBUTES = '[hidden],[contenteditable]';

/** The element's tag name in capitals: HTML elements have it already; SVG and MathML do not. */
function upperTag(el: Element): string {
  const tag = el.tagName;
  const code = tag.charCodeAt(tag.length - 1);
  return code >= 97 && code <= 122 ? tag.toUpperCase() : tag;
}

/** True when some element between `node` and `root` (exclusive) is skipped. */
export function isInsideSkipped(node: Node, root: Node, isOwnUi: (el: Element) => boolean): boolean {
  for (let n = node.parentNode; n !== null && n !== root; n = n.parentNode) {
    // A skipped ancestor (such as a contenteditable region) covers all its descendants.
    if (n.nodeType === Node.ELEMENT_NODE && isSkippedElement(n as Element, isOwnUi)) return true;
  }
  return false;
}

/**
 * Collects the blocks under `root`, in document order. Text inside skipped elements is left
 * out. Blocks longer than MAX_BLOCK_CHARS are cut, at white space where possible.
 */
export function collectBlocks(root: Node, isOwnUi: (el: Element) => boolean = () => false): Block[] {
  const collector = new BlockCollector(root, isOwnUi);
  collector.collect(Infinity);
  return collector.blocks;
}

/**
 * Limits past which Footnote stays out. Browsers repaint a text node's highlights over the
 * whole node (about 0.4 s for a 10 MB node), so such a node is left out. And any change to a
 * highlight makes the browser repaint the whole document, at a cost that grows with the page's
 * nodes, not with Footnote's marks: about that of the page's own repaint after any style
 * change, tens of milliseconds on a 5 MB page of 200,000 text nodes, several hundred on a page
 * of a million. Reading a page that large would also cost seconds of garbage collection over
 * its DOM. So the text nodes are counted first, in one call that creates no JavaScript objects
 * per node (an XPath count: about 15 ms for 200,000 nodes, 60 ms for a million), and past
 * MAX_TEXT_NODES Footnote reads nothing and leaves the page alone. The largest article pages
 * have tens of thousands of text nodes.
 */
export const MAX_TEXT_NODE_CHARS = 1_000_000;
export const MAX_TEXT_NODES = 300_000;

/** The number of text nodes under `root` (all of them, in skipped elements too), or null. */
export function countTextNodes(root: Node): number | null {
  const doc = root.ownerDocument ?? (root as Document);
  try {
    const n = doc.evaluate('count(.//text())', root, null, XPathResult.NUMBER_TYPE, null).numberValue;
    return Number.isFinite(n) ? n : null;
  } catch {
    return null; // No XPath here: the nodes are counted while they are read instead.
  }
}

/**
 * `collectBlocks` in steps: each call to `collect` walks on until a deadline, so that a huge
 * page is read in slices between which the page runs.
 *
 * The walk does as few calls into the DOM per node as it can, as they cost more than the
 * rest of the work:
 * - an element's tag name is read once, and its attributes only if a query for `ATTRIBUTES`
 *   found it (the query runs again before a slice when the page changed after the last one);
 * - which block a text node is in comes from the block elements the walk entered, kept on a
 *   stack, not from its ancestors: the stack's top is the block while it contains the node;
 * - most text nodes of a page are only white space between elements. One at the start of a
 *   block is left out; one after text waits until text follows in the same block.
 */
export class BlockCollector {
  readonly blocks: Block[] = [];
  /** Why Footnote stays out of this page, or null: more than MAX_TEXT_NODES text nodes. */
  tooLarge: string | null = null;
  private textNodes = 0;
  private counted = false;
  private readonly walker: TreeWalker;
  private readonly read = ++reads;
  /** `root` and the block elements the walk entered, outermost first. Those it has left are
   * taken off when the next block element is entered or the next text node read. */
  private readonly open: Node[];
  /** The elements under `root` with one of `ATTRIBUTES`, or null when to be found again. */
  private withAttributes: Set<Element> | null = null;
  /** Between slices: notes changes that may make `withAttributes` wrong. */
  private watcher: MutationObserver | null = null;
  private segments: Segment[] = [];
  /** White-space text nodes after the block's text, each followed by its data. */
  private readonly blanks: Array<Text | string> = [];
  private parts: string[] = [];
  private length = 0;
  private currentAncestor: Node | null = null;
  private finished = false;

  /** The node to read first when `collect` resumes (the walker is on it). */
  private next: Node | null = null;
  /** The parent of the last text node read, if no block element started since. */
  private lastParent: Node | null = null;

  constructor(
    private readonly root: Node,
    private readonly isOwnUi: (el: Element) => boolean = () => false,
  ) {
    const doc = root.ownerDocument ?? (root as Document);
    // No filter function: calling into JavaScript for every node costs more than the walk.
    // Skipped elements are stepped over below instead.
    this.walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    this.open = [root];
  }

  get done(): boolean {
    return this.finished;
  }

  /** Walks until `deadline` (a `performance.now()` time) or the end; true when done. */
  collect(deadline: number): boolean {
    if (this.finished) return true;
    if (!this.counted) {
      this.counted = true;
      const count = countTextNodes(this.root);
      if (count !== null && count > MAX_TEXT_NODES) return this.stayOut();
    }
    let count = 0;
    const walker = this.walker;
    const withAttributes = this.attributed();
    let n = this.next ?? walker.nextNode();
    this.next = null;
    while (n !== null) {
      if (n.nodeType === Node.TEXT_NODE) {
        // Counted again as they are read: the page may have grown since.
        if (++this.textNodes > MAX_TEXT_NODES) return this.stayOut();
        this.addText(n as Text);
        n = walker.nextNode();
      } else {
        const kind = elementKind(n as Element, this.isOwnUi, withAttributes);
        if (kind === SKIP) {
          n = this.afterSubtree();
        } else {
          if (kind === BLOCK) {
            this.flush();
            this.enter(n);
          }
          n = walker.nextNode();
        }
      }
      // Reading the clock costs more than a node: look every 256 nodes.
      if ((++count & 255) === 0 && n !== null && performance.now() >= deadline) {
        this.next = n; // read first next time
        this.watch();
        return false;
      }
    }
    this.flush();
    return this.finish();
  }

  /**
   * Puts block element `el` on the stack, after taking off those the walk has left: kept,
   * every paragraph of a long page would stay on the stack (and in memory) until the read
   * left their common parent.
   */
  private enter(el: Node): void {
    this.leaveAllBut(el);
    this.open.push(el);
    this.lastParent = null;
  }

  /** Takes the block elements that do not contain `node` off the stack. */
  private leaveAllBut(node: Node): void {
    const open = this.open;
    while (open.length > 1 && !open[open.length - 1]!.contains(node)) open.pop();
  }

  private stayOut(): true {
    this.tooLarge = `more than ${MAX_TEXT_NODES} text nodes`;
    this.blocks.length = 0;
    return this.finish();
  }

  private finish(): true {
    this.finished = true;
    this.watcher?.disconnect();
    this.watcher = null;
    this.withAttributes = null;
    this.open.length = 0;
    return true;
  }

  /** The elements with one of `ATTRIBUTES` under `root`, or undefined where there is no query. */
  private attributed(): Set<Element> | undefined {
    const root = this.root as Partial<ParentNode>;
    if (typeof root.querySelectorAll !== 'function') return undefined;
    this.withAttributes ??= new Set(root.querySelectorAll(ATTRIBUTES));
    return this.withAttributes;
  }

  /** Until the read is done, an element added or an attribute changed means a new query. */
  private watch(): void {
    if (this.watcher !== null || typeof MutationObserver !== 'function') return;
    this.watcher = new MutationObserver(() => {
      this.withAttributes = null;
    });
    this.watcher.observe(this.root, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden', 'contenteditable'] });
  }

  /** The node after the walker's current node and all its descendants, or null. */
  private afterSubtree(): Node | null {
    const walker = this.walker;
    for (;;) {
      const sibling = walker.nextSibling();
      if (sibling !== null) return sibling;
      if (walker.parentNode() === null) return null;
    }
  }

  private addText(text: Text): void {
    const data = text.data;
    if (data.length === 0) return;
    if (data.length > MAX_TEXT_NODE_CHARS) {
      // Left out, and a border: the text around it is not joined across it.
      this.flush();
      return;
    }
    if (isBlank(data)) {
      // Left out at the start of a block. After text, it waits: if text follows in the same
      // block, the white space between them is in that block too.
      if (this.segments.length > 0) this.blanks.push(text, data);
      return;
    }
    // Text nodes in a row often share their parent, and then their block.
    const parent = text.parentNode;
    if (parent !== this.lastParent) {
      this.leaveAllBut(text);
      this.lastParent = parent;
    }
    const ancestor = this.open[this.open.length - 1] ?? this.root;
    if (this.currentAncestor !== null && ancestor !== this.currentAncestor) this.flush();
    this.currentAncestor = ancestor;
    const blanks = this.blanks;
    if (blanks.length > 0) {
      for (let i = 0; i + 1 < blanks.length; i += 2) this.append(blanks[i] as Text, blanks[i + 1] as string);
      blanks.length = 0;
    }
    this.append(text, data);
  }

  /** Adds all of `data` (`text.data`) to the block, cutting the block where it gets too long. */
  private append(text: Text, data: string): void {
    let from = 0;
    while (from < data.length) {
      const room = MAX_BLOCK_CHARS - this.length;
      if (data.length - from <= room) {
        this.add(text, data, from, data.length);
        break;
      }
      const cut = cutPoint(data, from, from + room);
      if (cut > from) this.add(text, data, from, cut);
      const keep: Node | null = this.currentAncestor;
      this.flush();
      this.currentAncestor = keep;
      from = cut > from ? cut : from + Math.max(1, room);
    }
  }

  /** Adds `data.slice(nodeStart, nodeEnd)`, where `data` is `node.data` (read once: each read is a call into the DOM). */
  private add(node: Text, data: string, nodeStart: number, nodeEnd: number): void {
    this.segments.push({ node, nodeStart, nodeEnd, start: this.length });
    this.parts.push(nodeStart === 0 && nodeEnd === data.length ? data : data.slice(nodeStart, nodeEnd));
    this.length += nodeEnd - nodeStart;
  }

  private flush(): void {
    if (this.segments.length > 0) {
      const text = this.parts.join('');
      if (/\S/.test(text)) this.blocks.push({ text, segments: this.segments, read: this.read, index: this.blocks.length });
    }
    this.segments = [];
    this.parts = [];
    this.blanks.length = 0;
    this.length = 0;
    this.currentAncestor = null;
  }
}

/**
 * True when the text nodes of `block` still hold the text it was collected with. Asked of
 * every block with findings before they are placed, so it compares in place, without
 * copying pieces of text.
 */
export function isUnchanged(block: Block): boolean {
  const text = block.text;
  let at = 0;
  for (const s of block.segments) {
    const node = s.node;
    if (!node.isConnected) return false;
    const data = node.data;
    const length = s.nodeEnd - s.nodeStart;
    if (data.length < s.nodeEnd || s.start !== at) return false;
    const same =
      s.nodeStart === 0 && s.nodeEnd === data.length
        ? text.startsWith(data, at)
        : text.slice(at, at + length) === data.slice(s.nodeStart, s.nodeEnd);
    if (!same) return false;
    at += length;
  }
  return at === text.length;
}

/** True when `data` is only ASCII white space (tab, line feed, form feed, carriage return, space). */
function isBlank(data: string): boolean {
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c !== 32 && (c < 9 || c > 13 || c === 11)) return false;
  }
  return true;
}

/**
 * Where to cut `data` at or before `limit` (but after `from`): after the last white space in
 * the last 1,000 units, else at `limit`, never between the two halves of a surrogate pair.
 */
function cutPoint(data: string, from: number, limit: number): number {
  for (let i = limit; i > Math.max(from, limit - 1000); i--) {
    if (/\s/.test(data[i - 1] ?? '')) return i;
  }
  const code = data.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff && limit - 1 > from ? limit - 1 : limit;
}

/**
 * The DOM position of UTF-16 offset `offset` of `block`. An offset on the border of two
 * segments belongs to the later one for a start (`end = false`) and to the earlier one for an
 * end, so that a range never starts at the end of a text node or ends at the start of one.
 */
export function positionOf(block: Block, offset: number, end: boolean): { node: Text; offset: number } | null {
  const segs = block.segments;
  // The first segment whose end is at or after the offset (for an end) / after it (for a start).
  let lo = 0;
  let hi = segs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segs[mid]!;
    const segEnd = s.start + (s.nodeEnd - s.nodeStart);
    if (end ? offset <= segEnd : offset < segEnd) {
      found = mid;
      hi = mid - 1;
    } else {
      lo = mid + 1;
    }
  }
  const seg = segs[found];
  if (seg === undefined || offset < seg.start) return null;
  return { node: seg.node, offset: seg.nodeStart + (offset - seg.start) };
}
