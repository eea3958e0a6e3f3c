// Tooltip placement: inside the viewport, never over the term.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GAP, MARGIN, type Box, placeTooltip } from '../../extension/src/content/tooltip-position';

const viewport = { width: 1000, height: 800 };
const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

function check(anchor: Box, size: { width: number; height: number }) {
  const p = placeTooltip(anchor, size, viewport);
  const h = Math.min(size.height, p.maxHeight);
  const w = Math.min(size.width, p.maxWidth);
  const box = { left: p.left, top: p.top, right: p.left + w, bottom: p.top + h };
  assert.ok(box.left >= MARGIN - 0.01 && box.right <= viewport.width - MARGIN + 0.01, `horizontally inside: ${JSON.stringify(box)}`);
  assert.ok(box.top >= MARGIN - 0.01 && box.bottom <= viewport.height - MARGIN + 0.01, `vertically inside: ${JSON.stringify(box)}`);
  assert.ok(!overlaps(box, anchor), `does not cover the term: ${JSON.stringify({ box, anchor })}`);
  return p;
}

test('below the term when it fits', () => {
  const p = check({ left: 100, top: 100, right: 200, bottom: 120 }, { width: 300, height: 200 });
  assert.equal(p.side, 'below');
  assert.equal(p.top, 120 + GAP);
  assert.equal(p.left, 100);
});

test('above the term near the bottom of the viewport', () => {
  const p = check({ left: 100, top: 700, right: 200, bottom: 720 }, { width: 300, height: 200 });
  assert.equal(p.side, 'above');
});

test('pulled in from the right edge', () => {
  const p = check({ left: 950, top: 100, right: 990, bottom: 120 }, { width: 300, height: 200 });
  assert.equal(p.left, viewport.width - MARGIN - 300);
});

test('taller than either side: the roomier side, with a limited height', () => {
  const p = check({ left: 10, top: 300, right: 60, bottom: 320 }, { width: 300, height: 900 });
  assert.equal(p.side, 'below');
  assert.ok(p.maxHeight < 900);
});

test('wider than the viewport: limited width', () => {
  const p = check({ left: 10, top: 10, right: 60, bottom: 30 }, { width: 2000, height: 100 });
  assert.equal(p.left, MARGIN);
  assert.equal(p.maxWidth, viewport.width - 2 * MARGIN);
});

test('many anchors and sizes: always inside, never over the term', () => {
  for (let y = 0; y <= 780; y += 37) {
    for (let x = 0; x <= 980; x += 61) {
      for (const size of [{ width: 50, height: 40 }, { width: 380, height: 260 }, { width: 380, height: 700 }]) {
        check({ left: x, top: y, right: x + 20, bottom: y + 18 }, size);
      }
    }
  }
});

test('on right-to-left pages the right edges line up', () => {
  const p = placeTooltip({ left: 600, top: 100, right: 700, bottom: 120 }, { width: 300, height: 200 }, viewport, 'right');
  assert.equal(p.left + 300, 700);
  const nearLeft = placeTooltip({ left: 10, top: 100, right: 60, bottom: 120 }, { width: 300, height: 200 }, viewport, 'right');
  assert.equal(nearLeft.left, MARGIN, 'kept inside the viewport at the left edge');
});

test('a viewport shortened by a panel at the bottom is respected', () => {
  // The navigator takes the bottom 300 px: the tooltip goes above a term near that edge.
  const short = { width: 1000, height: 500 };
  const p = placeTooltip({ left: 100, top: 400, right: 200, bottom: 420 }, { width: 300, height: 200 }, short);
  assert.equal(p.side, 'above');
  assert.ok(p.top + 200 <= 400 - GAP);
});
