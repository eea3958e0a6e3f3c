// Marks and what is painted of them, on real HTML in jsdom, with a stand-in for the browser's
// highlight registry (jsdom has none) and a made-up layout: paragraph i spans 20 px from 20 * i.
import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { JSDOM } from 'jsdom';
import type { Block } from '../../extension/src/content/text-blocks';

type Marks = typeof import('../../extension/src/content/marks');
let marks: Marks;
let collectBlocks: typeof import('../../extension/src/content/text-blocks').collectBlocks;

/** The registry: highlight name → the set of ranges in it. */
const registry = new Map<string, Set<AbstractRange>>();
const VIEWPORT = 800;
const LINE = 20;
let scrollY = 0;

class FakeHighlight extends Set<AbstractRange> {
  priority = 0;
}

before(async () => {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, {
    Node: dom.window.Node,
    NodeFilter: dom.window.NodeFilter,
    StaticRange: dom.window.StaticRange,
    document: dom.window.document,
    Highlight: FakeHighlight,
    CSS: { highlights: registry },
  });
  marks = await import('../../extension/src/content/marks');
  ({ collectBlocks } = await import('../../extension/src/content/text-blocks'));
});

beforeEach(() => {
  registry.clear();
  scrollY = 0;
});

/** `n` paragraphs, each naming Paris and Damascus, as blocks with their findings. */
function page(n: number): { blocks: Block[]; findings: number[]; index: Map<Element, number> } {
  const dom = new JSDOM(`<!doctype html><html><body>${'<p>Paris and Damascus</p>'.repeat(n)}</body></html>`);
  const index = new Map<Element, number>();
  dom.window.document.querySelectorAll('p').forEach((p, i) => index.set(p, i));
  const blocks = collectBlocks(dom.window.document.body);
  const findings = blocks.flatMap((_, b) => [b, 0, 5, 0, b, 10, 18, 1]);
  return { blocks, findings, index };
}

const ENTRIES = [
  { id: 'paris', category: 'place' as const },
  { id: 'damascus', category: 'place' as const },
];

/** A mark set over `index`'s made-up layout, scrolled to `scrollY`. */
function markSet(index: Map<Element, number>): InstanceType<Marks['MarkSet']> {
  return new marks.MarkSet((m) => {
    const i = index.get(m.startNode.parentElement!)!;
    return { top: i * LINE - scrollY, bottom: (i + 1) * LINE - scrollY, height: VIEWPORT };
  });
}

/** The paragraphs (of `n`) with a box within two viewport heights of the viewport. */
function near(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i).filter((i) => (i + 1) * LINE - scrollY >= -2 * VIEWPORT && i * LINE - scrollY <= 3 * VIEWPORT);
}

/** The paragraphs whose marks are painted, from the registry, sorted. */
function paintedParagraphs(index: Map<Element, number>): number[] {
  const ranges = [...(registry.get('footnote-place') ?? [])];
  return [...new Set(ranges.map((r) => index.get(r.startContainer.parentElement!)!))].sort((a, b) => a - b);
}

test('on a page with few marks, every shown mark is painted, once its batch is done', () => {
  const { blocks, findings, index } = page(100);
  const set = markSet(index);
  // A deadline already past: the first call stops early (after 64 marks), painting nothing yet.
  const at = set.add(blocks, findings, ENTRIES, 0, -Infinity);
  assert.ok(at > 0 && at < findings.length, `stopped at ${at}`);
  assert.equal(registry.get('footnote-place')?.size ?? 0, 0, 'nothing painted in the middle of a batch');
  assert.equal(set.add(blocks, findings, ENTRIES, at), findings.length);
  assert.equal(registry.get('footnote-place')!.size, 200);
  assert.equal(set.paintedCount, 200);
  // Muting hides and unpaints at once.
  set.setFilter({ muted: new Set(['paris']), firstOnly: false });
  assert.equal(registry.get('footnote-place')!.size, 100);
  assert.equal(set.shown().length, 100);
});

test('on a page with many marks, only those near the viewport are painted, and they follow scrolling', async () => {
  const n = 3000; // 6,000 marks over 60,000 px
  const { blocks, findings, index } = page(n);
  const set = markSet(index);
  assert.equal(set.add(blocks, findings, ENTRIES), findings.length);
  assert.equal(set.size, 2 * n);
  assert.equal(set.shown().length, 2 * n, 'every mark is still shown (navigator, counts, hit-testing)');
  // At the top: the paragraphs with a box in the viewport or two viewport heights below it.
  assert.deepEqual(paintedParagraphs(index), near(n));
  assert.ok(set.paintedCount <= marks.PAINT_WINDOW_MAX);

  // Scrolled to the middle: nothing changes until the scrolling rests.
  scrollY = 30000;
  set.scrolled();
  set.scrolled();
  assert.equal(paintedParagraphs(index)[0], 0);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const painted = paintedParagraphs(index);
  assert.deepEqual(painted, near(n), 'the viewport and two heights each side');
  assert.equal(set.paintedCount, 2 * painted.length);

  // Muted marks near the viewport are unpainted; the rest stay.
  set.setFilter({ muted: new Set(['damascus']), firstOnly: false });
  assert.equal(set.paintedCount, painted.length);
  assert.ok([...registry.get('footnote-place')!].every((r) => r.startOffset === 0), 'only Paris is painted');
  set.setFilter({ muted: new Set(), firstOnly: false });

  // Fewer marks again (the page removed most of its text): all shown marks are painted.
  const keep = new Set(blocks.slice(0, 100));
  set.remove((m) => !keep.has(m.block));
  assert.equal(set.size, 200);
  assert.equal(set.paintedCount, 200);
  set.clear();
  assert.equal(registry.size, 0);
});

test('a dense viewport paints at most PAINT_WINDOW_MAX marks, around what is in view', () => {
  const { blocks, findings, index } = page(3000);
  // Every paragraph on one line of the viewport's middle: all are "near".
  const set = new marks.MarkSet(() => ({ top: 400, bottom: 420, height: VIEWPORT }));
  set.add(blocks, findings, ENTRIES);
  assert.equal(set.paintedCount, marks.PAINT_WINDOW_MAX);
  void index;
});

test('later batches below the painted marks paint nothing and ask no positions (no layout forced)', () => {
  const { blocks, findings, index } = page(3000);
  let asked = 0;
  const set = new marks.MarkSet((m) => {
    asked++;
    const i = index.get(m.startNode.parentElement!)!;
    return { top: i * LINE - scrollY, bottom: (i + 1) * LINE - scrollY, height: VIEWPORT };
  });
  const half = findings.length / 2;
  set.add(blocks, findings.slice(0, half), ENTRIES);
  assert.ok(asked > 0);
  const painted = paintedParagraphs(index);
  asked = 0;
  set.add(blocks, findings.slice(half), ENTRIES);
  assert.equal(asked, 0, 'no position asked');
  assert.equal(set.size, 6000);
  assert.deepEqual(paintedParagraphs(index), painted);
  // A mark inside the window (the reader muted and unmuted an entry) does.
  set.setFilter({ muted: new Set(['paris']), firstOnly: false });
  assert.ok(asked > 0);
});

test('on a page with many marks, only the painted ones get a range', () => {
  // A range per mark was most of the cost of placing 29,000 marks on a long page, and most of
  // what the garbage collector kept; only painted marks need one.
  const Original = globalThis.StaticRange;
  let made = 0;
  globalThis.StaticRange = class extends Original {
    constructor(init: StaticRangeInit) {
      super(init);
      made++;
    }
  };
  try {
    const { blocks, findings, index } = page(3000);
    const set = markSet(index);
    set.add(blocks, findings, ENTRIES);
    assert.equal(set.size, 6000);
    const painted = [...(registry.get('footnote-place') ?? [])].length;
    assert.equal(painted, near(3000).length * 2);
    assert.equal(made, painted);
    // The navigator's order and the reader's hover need none either.
    assert.equal(set.all().length, 6000);
    assert.equal(made, painted);
  } finally {
    globalThis.StaticRange = Original;
  }
});

test('marks of blocks read after the page changed take their place in reading order', () => {
  const dom = new JSDOM(`<!doctype html><html><body>${'<p>Paris and Damascus</p>'.repeat(5)}</body></html>`);
  const doc = dom.window.document;
  const set = new marks.MarkSet(() => null);
  const first = collectBlocks(doc.body);
  set.add(first, first.flatMap((_, b) => [b, 0, 5, 0]), ENTRIES);
  // Paragraphs added at the top and in the middle are read on their own (a read each).
  const top = doc.createElement('p');
  top.textContent = 'Damascus';
  doc.body.prepend(top);
  const middle = doc.createElement('p');
  middle.textContent = 'Damascus';
  doc.querySelectorAll('p')[3]!.after(middle);
  for (const added of [middle, top]) {
    const blocks = collectBlocks(added);
    set.add(blocks, [0, 0, 8, 1], ENTRIES);
  }
  const order = [...doc.querySelectorAll('p')];
  const seen = set.all().map((m) => order.indexOf(m.startNode.parentElement as HTMLParagraphElement));
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(set.all().map((m) => m.text), ['Damascus', 'Paris', 'Paris', 'Paris', 'Damascus', 'Paris', 'Paris']);
});
