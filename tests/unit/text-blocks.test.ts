// Text blocks and DOM positions, on real HTML in jsdom.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { JSDOM } from 'jsdom';

let collectBlocks: typeof import('../../extension/src/content/text-blocks').collectBlocks;
let positionOf: typeof import('../../extension/src/content/text-blocks').positionOf;
let BlockCollector: typeof import('../../extension/src/content/text-blocks').BlockCollector;
let isUnchanged: typeof import('../../extension/src/content/text-blocks').isUnchanged;
let countTextNodes: typeof import('../../extension/src/content/text-blocks').countTextNodes;

before(async () => {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { Node: dom.window.Node, NodeFilter: dom.window.NodeFilter, XPathResult: dom.window.XPathResult, MutationObserver: dom.window.MutationObserver, document: dom.window.document });
  ({ collectBlocks, positionOf, BlockCollector, isUnchanged, countTextNodes } = await import('../../extension/src/content/text-blocks'));
});

function body(html: string): HTMLElement {
  const dom = new JSDOM(`<!doctype html><html><body>${html}</body></html>`);
  return dom.window.document.body;
}

test('inline elements do not split a block; block elements and <br> do', () => {
  const blocks = collectBlocks(body('<h1>Mount <b>Hermon</b></h1><p>One<br>two <a href="#">three</a></p><ul><li>a</li><li>b</li></ul>'));
  assert.deepEqual(blocks.map((b) => b.text), ['Mount Hermon', 'One', 'two three', 'a', 'b']);
});

test('text nodes are counted before a page is read, without walking it', () => {
  const root = body('<p>Mount <b>Hermon</b></p><script>var a = 1</script><div><p>x</p>y</div>');
  assert.equal(countTextNodes(root), 5);
  assert.equal(countTextNodes(root.querySelector('div')!), 2);
});

test('code, form fields, editable and hidden content are skipped', () => {
  const blocks = collectBlocks(
    body('<p>Keep</p><textarea>Golan</textarea><div contenteditable="true"><p>Paris</p></div><div contenteditable="false">Syria</div>' +
      '<pre>Damascus</pre><p>x <code>Israel</code> y</p><script>var a = "Jordan"</script><p hidden>gone</p><select><option>Iran</option></select>'),
  );
  assert.deepEqual(blocks.map((b) => b.text), ['Keep', 'Syria', 'x  y']);
});

test('text of a parent block around a nested block stays in separate blocks', () => {
  const blocks = collectBlocks(body('<div>before<p>inside</p>after</div>'));
  assert.deepEqual(blocks.map((b) => b.text), ['before', 'inside', 'after']);
});

test('white space between elements is left out at the ends of blocks and kept between words', () => {
  const root = body('\n  <div>\n    <p>\n      <b>Mount</b> <i>Hermon</i>\n    </p>\n    <p>x</p>\n  </div>\n');
  const blocks = collectBlocks(root);
  assert.deepEqual(blocks.map((b) => b.text), ['Mount Hermon', 'x']);
  const [first] = blocks;
  assert.equal(positionOf(first!, 0, false)!.node.data, 'Mount');
  assert.equal(positionOf(first!, 'Mount Hermon'.length, true)!.node.data, 'Hermon');
  assert.ok(isUnchanged(first!));
});

test('text after an empty block element is one block with the inline text after it', () => {
  // The block a text node is in comes from the block elements the walk entered: after the
  // empty <p>, "y" is in the <div> again, and so is "z".
  const blocks = collectBlocks(body('<div>x<p></p>y<span>z</span></div><div>a<hr>b <em>c</em><div></div></div>'));
  assert.deepEqual(blocks.map((b) => b.text), ['x', 'yz', 'a', 'b c']);
});

/**
 * The blocks of `root` as a plain recursive reader finds them: a block ends where a block
 * element opens or closes; skipped elements are left out. Texts are trimmed; empty ones dropped.
 */
function referenceBlocks(root: Element): string[] {
  const blocks: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim() !== '') blocks.push(current.trim());
    current = '';
  };
  const skipped = (el: Element) =>
    ['SCRIPT', 'STYLE', 'CODE', 'PRE', 'TEXTAREA', 'BUTTON'].includes(el.tagName) ||
    el.hasAttribute('hidden') ||
    (el.getAttribute('contenteditable') ?? 'false').toLowerCase() !== 'false';
  const block = (el: Element) => ['DIV', 'P', 'LI', 'UL', 'H2', 'BR', 'HR', 'IMG', 'SECTION', 'TD', 'TR', 'TABLE', 'TBODY'].includes(el.tagName);
  const visit = (node: Node) => {
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      if (c.nodeType === Node.TEXT_NODE) current += (c as Text).data;
      else if (c.nodeType === Node.ELEMENT_NODE) {
        const el = c as Element;
        if (skipped(el)) continue;
        if (block(el)) flush();
        visit(el);
        if (block(el)) flush();
      }
    }
  };
  visit(root);
  flush();
  return blocks;
}

test('blocks agree with a plain recursive reader on random pages, read at once or in slices', () => {
  let seed = Number(process.env['TREE_SEED'] ?? 20261127);
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const tags = ['div', 'p', 'li', 'section', 'span', 'b', 'a', 'em', 'br', 'hr', 'img', 'script', 'code', 'button', 'h2'];
  const texts = ['Mount', 'Hermon', ' ', '\n  ', '\n', 'Golan Heights', ' and ', '\u00a0', 'x'];
  for (let round = 0; round < 150; round++) {
    const start = seed;
    const doc = body('').ownerDocument;
    const grow = (parent: Element, depth: number) => {
      const n = Math.floor(random() * 6);
      for (let i = 0; i < n; i++) {
        if (depth > 5 || random() < 0.45) {
          parent.append(doc.createTextNode(pick(texts)));
          continue;
        }
        const el = doc.createElement(pick(tags));
        const roll = random();
        if (roll < 0.04) el.setAttribute('hidden', '');
        else if (roll < 0.07) el.setAttribute('contenteditable', pick(['true', 'false', 'FALSE', '']));
        parent.append(el);
        if (!['br', 'hr', 'img'].includes(el.localName)) grow(el, depth + 1);
      }
    };
    for (let i = 0; i < 40; i++) grow(doc.body, 0);
    const expected = referenceBlocks(doc.body);
    const whole = collectBlocks(doc.body);
    assert.deepEqual(whole.map((b) => b.text.trim()), expected, `seed ${start}`);
    // No block starts or ends with a node of ASCII white space only.
    const text = (s: { node: Text }) => /[^ \t\n\f\r]/.test(s.node.data);
    for (const b of whole) {
      assert.ok(text(b.segments[0]!) && text(b.segments[b.segments.length - 1]!), `seed ${start}`);
    }
    const sliced = new BlockCollector(doc.body);
    while (!sliced.collect(0));
    assert.deepEqual(sliced.blocks.map((b) => b.text), whole.map((b) => b.text), `seed ${start}, in slices`);
  }
});

test('a long read keeps only the block elements it is inside, not every paragraph it passed', () => {
  const root = body(`<article>${'<p>Paragraph on <b>Mount</b> Hermon</p>\n'.repeat(2000)}</article>`);
  const collector = new BlockCollector(root);
  let largest = 0;
  // A deadline already past: each call reads 256 nodes.
  while (!collector.collect(0)) {
    largest = Math.max(largest, (collector as unknown as { open: Node[] }).open.length);
  }
  assert.equal(collector.blocks.length, 2000);
  // The root, the article and the paragraph being read.
  assert.ok(largest <= 3, `${largest} elements held`);
});

test('an element hidden, or added hidden, between two slices of a read is left out', async () => {
  const html = Array.from({ length: 300 }, (_, i) => `<p id="p${i}">Paragraph ${i} on <b>Mount</b> Hermon</p>`).join('');
  const root = body(html);
  const collector = new BlockCollector(root);
  // A deadline already past: the first slice reads 256 nodes (under 100 paragraphs).
  assert.equal(collector.collect(0), false);
  root.querySelector('#p200')!.setAttribute('hidden', '');
  root.querySelector('#p250')!.setAttribute('contenteditable', 'true');
  const added = root.ownerDocument.createElement('div');
  added.setAttribute('hidden', '');
  added.textContent = 'Added hidden';
  root.append(added);
  // Changes are reported to observers after the current task; slices run in later tasks.
  await new Promise((resolve) => setTimeout(resolve, 0));
  while (!collector.collect(0));
  const texts = collector.blocks.map((b) => b.text);
  assert.equal(texts.length, 298);
  assert.ok(!texts.includes('Paragraph 200 on Mount Hermon'));
  assert.ok(!texts.includes('Paragraph 250 on Mount Hermon'));
  assert.ok(!texts.includes('Added hidden'));
  assert.ok(texts.includes('Paragraph 299 on Mount Hermon'));
});

test('positions map block offsets back to text nodes, across inline elements', () => {
  const [block] = collectBlocks(body('<p>Mount <b>Her</b>mon and more</p>'));
  assert.ok(block);
  const start = positionOf(block, 0, false)!;
  const end = positionOf(block, 'Mount Hermon'.length, true)!;
  assert.equal(start.node.data, 'Mount ');
  assert.equal(start.offset, 0);
  assert.equal(end.node.data, 'mon and more');
  assert.equal(end.offset, 3);
  // A start on a node border belongs to the next node; an end to the previous one.
  assert.equal(positionOf(block, 6, false)!.node.data, 'Her');
  assert.equal(positionOf(block, 6, true)!.node.data, 'Mount ');
});

test('findings do not depend on how a text is split into nodes (random splits)', () => {
  const text = 'Israeli forces remain on Mount Hermon, Reuters reported from Damascus 😀 جبل الشيخ.';
  let seed = Number(process.env['SPLIT_SEED'] ?? 20261127);
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let round = 0; round < 200; round++) {
    // Cut the text at random places (never inside a surrogate pair) into nested inline elements.
    const cuts = new Set<number>();
    for (let i = 0; i < 1 + Math.floor(random() * 8); i++) {
      let at = Math.floor(random() * text.length);
      const c = text.charCodeAt(at);
      if (c >= 0xdc00 && c <= 0xdfff) at--;
      cuts.add(at);
    }
    const points = [0, ...Array.from(cuts).sort((a, b) => a - b), text.length];
    const p = body('<p></p>').querySelector('p')!;
    for (let i = 0; i + 1 < points.length; i++) {
      const span = p.ownerDocument.createElement(i % 2 === 0 ? 'span' : 'b');
      span.textContent = text.slice(points[i], points[i + 1]);
      p.append(span);
    }
    const blocks = collectBlocks(p.ownerDocument.body);
    assert.equal(blocks.length, 1, `seed ${seed}`);
    assert.equal(blocks[0]!.text, text);
    // Every offset maps to a node and back to the same character.
    for (const offset of [0, 8, 25, 37, text.length - 1]) {
      const pos = positionOf(blocks[0]!, offset, false)!;
      assert.equal(pos.node.data[pos.offset], text[offset]);
    }
  }
});

test('very long text is cut into blocks at white space', () => {
  const long = 'word '.repeat(30000); // 150,000 characters
  const blocks = collectBlocks(body(`<p>${long}</p>`));
  assert.ok(blocks.length >= 3);
  assert.ok(blocks.every((b) => b.text.length <= 64 * 1024));
  assert.equal(blocks.map((b) => b.text).join(''), long);
  assert.ok(blocks.slice(0, -1).every((b) => b.text.endsWith(' ')));
});

test('a page read in many short slices gives the same blocks as one read', () => {
  const html = Array.from({ length: 400 }, (_, i) => `<p>Paragraph ${i} about <b>Mount</b> Hermon<br>and <i>more</i></p>`).join('');
  const whole = collectBlocks(body(html));
  const collector = new BlockCollector(body(html));
  let calls = 0;
  // A deadline already past: each call walks its minimum (256 nodes) and stops.
  while (!collector.collect(0)) calls++;
  assert.ok(calls >= 5, `read in ${calls + 1} slices`);
  assert.ok(collector.done);
  assert.deepEqual(collector.blocks.map((b) => b.text), whole.map((b) => b.text));
  assert.equal(whole.length, 800);
});

test('a block whose text changed after it was read is known as changed', () => {
  const root = body('<p>Mount <b>Hermon</b> and Damascus</p>');
  const [block] = collectBlocks(root);
  assert.ok(block && isUnchanged(block));
  root.querySelector('b')!.firstChild!.textContent = 'Herm';
  assert.equal(isUnchanged(block), false);
  const [again] = collectBlocks(root);
  assert.ok(again && isUnchanged(again));
  root.querySelector('b')!.remove();
  assert.equal(isUnchanged(again), false, 'a removed node');
  // Same length, other letters; and in a block cut from a long text node.
  const [third] = collectBlocks(root);
  assert.ok(third && isUnchanged(third));
  root.querySelector('p')!.lastChild!.textContent = ' and Damascas';
  assert.equal(isUnchanged(third), false, 'a letter changed');
  const long = body(`<p>${'word '.repeat(20000)}</p>`);
  const cut = collectBlocks(long);
  assert.ok(cut.length >= 2 && cut.every(isUnchanged));
  const node = long.querySelector('p')!.firstChild as Text;
  node.data = node.data.slice(0, -10) + 'WORD word ';
  assert.deepEqual(cut.map(isUnchanged), [...cut.slice(0, -1).map(() => true), false]);
});
