// Functions the security tests run inside pages (the page's own world), through the drivers'
// evaluate(). Each is self-contained: it is sent as source text.

/**
 * Listeners standing for the page's own handlers, first (window, capture) and last (window,
 * bubble) in the event path: they record each event's type, target, whether its default was
 * prevented, and, for dblclick and copy, the selected text.
 */
export function installProbesInPage() {
  if (window.__probes) return;
  const log = [];
  const path = (node) => {
    const parts = [];
    for (let n = node; n && n.parentNode; n = n.parentNode) parts.push(`${n.nodeName}:${Array.prototype.indexOf.call(n.parentNode.childNodes, n)}`);
    return parts.reverse().join('/');
  };
  for (const type of ['pointerdown', 'mousedown', 'mouseup', 'click', 'dblclick', 'keydown', 'copy']) {
    window.addEventListener(type, (e) => log.push(`first ${type} ${path(e.target)} prevented=${e.defaultPrevented}`), true);
    window.addEventListener(type, (e) => {
      const selected = type === 'copy' || type === 'dblclick' ? ` selected=${JSON.stringify(String(getSelection()))}` : '';
      log.push(`last ${type} ${path(e.target)} prevented=${e.defaultPrevented}${selected}`);
    });
  }
  let selectionChanges = 0;
  document.addEventListener('selectionchange', () => selectionChanges++);
  window.__probes = {
    take() {
      const out = { log: log.splice(0), selectionChanged: selectionChanges > 0 };
      selectionChanges = 0;
      return out;
    },
  };
}

/**
 * Chooses an occurrence of one of `texts` (or, when none fits, of a word of the page) that a
 * reader could click and select: visible, not covered, not in a link, button or editable
 * region, and under the point `locateInPage` will give. Returns `{ text, nth, annotated }`
 * (`annotated`: one of `texts`), found again with window.find in both phases.
 */
export function chooseTermInPage(texts) {
  const selection = getSelection();
  const pageWords = [...new Set(document.body.innerText.match(/\p{L}{6,}/gu) ?? [])].slice(0, 40);
  const caretAt = (x, y) => {
    if (document.caretPositionFromPoint) {
      const p = document.caretPositionFromPoint(x, y);
      return p && { node: p.offsetNode, offset: p.offset };
    }
    const r = document.caretRangeFromPoint(x, y);
    return r && { node: r.startContainer, offset: r.startOffset };
  };
  const candidates = [...texts.map((t) => [t, true]), ...pageWords.map((w) => [w, false])];
  for (const [text, annotated] of candidates) {
    // A double click selects a word: the term's first word must be letters only ("U.S." is not).
    if (!/^\p{L}+$/u.test(text.split(/\s/)[0])) continue;
    selection.removeAllRanges();
    window.scrollTo(0, 0);
    for (let nth = 0; nth < 30 && window.find(text, true, false, false, false, false, false); nth++) {
      const range = selection.getRangeAt(0).cloneRange();
      const el = range.startContainer.parentElement;
      if (!el || range.startContainer !== range.endContainer) continue;
      if (el.closest('a, button, label, summary, select, textarea, [onclick], [role="button"], [role="link"], [contenteditable]')) continue;
      const first = range.getClientRects()[0];
      if (!first || first.width < 4 || first.height < 4) continue;
      // Where locateInPage will put it: the middle of the viewport.
      const y0 = scrollY;
      window.scrollBy(0, first.top - innerHeight / 2);
      // The middle of the first letter: a double click there selects the term's first word.
      const letter = document.createRange();
      letter.setStart(range.startContainer, range.startOffset);
      letter.setEnd(range.startContainer, range.startOffset + 1);
      const rect = letter.getBoundingClientRect();
      const x = Math.round(rect.left + rect.width / 2);
      const y = Math.round(rect.top + rect.height / 2);
      const hit = document.elementFromPoint(x, y);
      const caret = caretAt(x, y);
      window.scrollTo(0, y0);
      if (!hit || !(hit === el || el.contains(hit))) continue;
      if (!caret || caret.node !== range.startContainer || caret.offset < range.startOffset || caret.offset > range.endOffset) continue;
      selection.removeAllRanges();
      window.scrollTo(0, 0);
      return { text, nth, annotated };
    }
  }
  selection.removeAllRanges();
  window.scrollTo(0, 0);
  return null;
}

/** Scrolls the chosen occurrence to the middle of the viewport; returns a point on it. */
export function locateInPage({ text, nth }) {
  // A page that shows no text (its body hidden until scripts that were blocked run): a point.
  if (text === null) return { x: 200, y: 200, scrollY };
  const selection = getSelection();
  selection.removeAllRanges();
  window.scrollTo(0, 0);
  for (let i = 0; i <= nth; i++) if (!window.find(text, true, false, false, false, false, false)) return null;
  const range = selection.getRangeAt(0).cloneRange();
  selection.removeAllRanges();
  const first = range.getClientRects()[0];
  window.scrollBy(0, first.top - innerHeight / 2);
  const letter = document.createRange();
  letter.setStart(range.startContainer, range.startOffset);
  letter.setEnd(range.startContainer, range.startOffset + 1);
  const r = letter.getBoundingClientRect();
  return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2), scrollY };
}

/** Keeps every element's box (viewport coordinates) as `phase`; returns how many. */
export function recordBoxesInPage(phase) {
  const elements = document.body.getElementsByTagName('*');
  const boxes = new Float64Array(elements.length * 4);
  for (let i = 0; i < elements.length; i++) {
    const r = elements[i].getBoundingClientRect();
    boxes.set([r.x, r.y, r.width, r.height], i * 4);
  }
  window.__boxes = { ...(window.__boxes ?? {}), [phase]: { boxes, scrollY } };
  return elements.length;
}

/** The elements whose box differs between two recorded phases (at most five). */
export function compareBoxesInPage([a, b]) {
  const x = window.__boxes[a];
  const y = window.__boxes[b];
  const elements = document.body.getElementsByTagName('*');
  if (x.boxes.length !== y.boxes.length) return [`${x.boxes.length / 4} elements, then ${y.boxes.length / 4}`];
  if (x.scrollY !== y.scrollY) return [`scrolled to ${x.scrollY}, then ${y.scrollY}`];
  const out = [];
  for (let i = 0; i < x.boxes.length && out.length < 5; i++) {
    // (Firefox balances columns to a fraction of a pixel differently from one layout to the
    // next: below half a pixel nothing visibly moves.)
    if (Math.abs(x.boxes[i] - y.boxes[i]) >= 0.5) {
      const e = elements[Math.floor(i / 4)];
      out.push(`<${e.tagName.toLowerCase()} ${e.id ? `#${e.id}` : ''}${e.className ? `.${String(e.className).slice(0, 30)}` : ''}>: ${Array.from(x.boxes.slice(i - (i % 4), i - (i % 4) + 4)).join(',')} → ${Array.from(y.boxes.slice(i - (i % 4), i - (i % 4) + 4)).join(',')}`);
      i += 3 - (i % 4);
    }
  }
  return out;
}

/**
 * A fingerprint of the document: a hash of every node's type, name, attributes and text, in
 * order, and the node count, leaving out the elements that are children of <html> other than
 * <head> and <body>, which are described instead (Footnote's one host is such an element).
 */
export function fingerprintInPage() {
  let hash = 2166136261;
  let nodes = 0;
  const mix = (s) => {
    for (let i = 0; i < s.length; i++) hash = Math.imul(hash ^ s.charCodeAt(i), 16777619) >>> 0;
  };
  const root = document.documentElement;
  const outside = [];
  const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL, {
    acceptNode(n) {
      if (n.parentNode === root && n.nodeType === 1 && n !== document.head && n !== document.body) {
        outside.push({
          tag: n.tagName.toLowerCase(),
          attributes: Array.from(n.attributes, (a) => a.name).sort(),
          children: n.childNodes.length,
          text: n.textContent,
        });
        return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    nodes++;
    mix(`${n.nodeType}${n.nodeName}`);
    if (n.nodeType === 1) for (const a of n.attributes) mix(`${a.name}=${a.value}`);
    else if (n.nodeValue !== null) mix(n.nodeValue);
    mix('\u0001');
  }
  return { hash, nodes, outside };
}

/** How many times window.find (find in page) finds each text, from the top. */
export function findCountsInPage(texts) {
  const out = {};
  for (const text of texts) {
    getSelection().removeAllRanges();
    window.scrollTo(0, 0);
    let n = 0;
    while (n < 300 && window.find(text, false, false, false, false, false, false)) n++;
    out[text] = n;
  }
  getSelection().removeAllRanges();
  window.scrollTo(0, 0);
  return out;
}

/** Starts measuring the longest gap between timer ticks: any task longer than that blocks them. */
export function startHeartbeatInPage() {
  const hb = { last: performance.now(), max: 0, long: [], lastSlow: performance.now(), on: true };
  const tick = () => {
    const now = performance.now();
    const gap = now - hb.last;
    hb.last = now;
    if (gap > hb.max) hb.max = gap;
    if (gap > 50) hb.lastSlow = now;
    if (gap > 200) hb.long.push(`${Math.round(gap)} ms ending at ${Math.round(now)}`);
    if (hb.on) setTimeout(tick, 4);
  };
  setTimeout(tick, 4);
  window.__heartbeat = hb;
}

/**
 * Resolves once the page has rendered a frame and run the task after it. Chromium does part of
 * a page's load in the first frame after the load event (seen in traces as a long
 * UpdateLifecycle with every lifecycle phase short), whenever that frame comes; a page that
 * changes nothing after loading renders none until something asks for one.
 */
export function renderFrameInPage() {
  return new Promise((resolve) => window.requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** The longest gap between ticks so far (ms). */
export function heartbeatMaxInPage() {
  return Math.round(window.__heartbeat.max);
}

/** Milliseconds since the last tick that came late (more than 50 ms after the one before). */
export function quietForInPage() {
  return performance.now() - window.__heartbeat.lastSlow;
}

/** Forgets what was measured so far (the page's own start). */
export function resetHeartbeatInPage() {
  const hb = window.__heartbeat;
  hb.max = 0;
  hb.long = [];
}

export function stopHeartbeatInPage() {
  const hb = window.__heartbeat;
  hb.on = false;
  return { max: Math.round(hb.max), long: hb.long };
}

/**
 * A point on the `nth` mark whose text is `text`, scrolled to the middle of the viewport, read
 * from Footnote's highlights. Uses the functions the page had before it replaced them
 * (`window.hostile.real`, on the page that overrides the DOM).
 */
/** True when the point (x, y) of the viewport is on text Footnote marked. */
export function isPointMarkedInPage({ x, y }) {
  const real = window.hostile?.real ?? {};
  const registry = real.highlights ?? CSS.highlights;
  for (const [name, highlight] of registry) {
    if (!name.startsWith('footnote-') || name === 'footnote-active') continue;
    for (const r of highlight) {
      const range = document.createRange();
      range.setStart(r.startContainer, r.startOffset);
      range.setEnd(r.endContainer, r.endOffset);
      for (const b of range.getClientRects()) if (x >= b.left && x <= b.right && y >= b.top && y <= b.bottom) return true;
    }
  }
  return false;
}

export function pointOfMarkInPage({ text, nth = 0 }) {
  const real = window.hostile?.real ?? {};
  const registry = real.highlights ?? CSS.highlights;
  const createRange = real.createRange ?? Document.prototype.createRange;
  const ranges = [];
  for (const [name, highlight] of registry) {
    if (!name.startsWith('footnote-')) continue;
    for (const r of highlight) {
      const range = createRange.call(document);
      range.setStart(r.startContainer, r.startOffset);
      range.setEnd(r.endContainer, r.endOffset);
      if (range.toString() === text) ranges.push(range);
    }
  }
  ranges.sort((a, b) => a.compareBoundaryPoints(Range.START_TO_START, b));
  const range = ranges[nth];
  if (!range) return null;
  window.scrollBy(0, range.getBoundingClientRect().top - innerHeight / 2);
  const r = range.getBoundingClientRect();
  return { x: Math.round(r.left + Math.min(r.width / 2, 10)), y: Math.round(r.top + r.height / 2) };
}
