/**
 * Footnote's UI on a page (the tooltip, the navigator, notices) lives in one element appended
 * to `<html>`: styled with inline `!important` declarations that page rules cannot beat, not
 * selectable, and holding one closed shadow root that page scripts and styles cannot reach.
 * Each part of the UI gets a container in that root, and its stylesheet is scoped to the
 * container's class (`scopeCss`), so the parts' styles stay apart. (One shadow root, not one
 * per part: find-in-page loops on text in nested closed shadow roots.) The page sees one
 * element, of size zero; what it holds is positioned `fixed`.
 */

let shared: { host: HTMLElement; root: ShadowRoot; sheets: string[] } | null = null;

/** The one element Footnote adds to the page, created on first use (and again if removed). */
function sharedHost(): { host: HTMLElement; root: ShadowRoot; sheets: string[] } {
  if (shared !== null && shared.host.isConnected) return shared;
  const host = document.createElement('div');
  const hostStyle: Array<[string, string]> = [
    ['all', 'initial'], ['display', 'block'], ['position', 'fixed'], ['top', '0'], ['left', '0'],
    ['width', '0'], ['height', '0'], ['overflow', 'visible'], ['z-index', '2147483647'],
    ['visibility', 'visible'], ['opacity', '1'], ['pointer-events', 'none'], ['contain', 'none'],
    ['user-select', 'none'], ['-webkit-user-select', 'none'],
  ];
  for (const [k, v] of hostStyle) host.style.setProperty(k, v, 'important');
  const root = host.attachShadow({ mode: 'closed' });
  document.documentElement.append(host);
  shared = { host, root, sheets: [] };
  return shared;
}

/** True for the element Footnote adds to the page (its text is never annotated). */
export function isUiHost(node: Node): boolean {
  return shared !== null && node === shared.host;
}

/**
 * A container for one part of the UI (`part` names it, and its class), in the shared shadow
 * root, with `css` scoped to it.
 */
export function createUiHost(css: string, part: string): { host: HTMLElement; root: ShadowRoot } {
  const outer = sharedHost();
  const cls = `fn-${part}`;
  const host = document.createElement('div');
  host.className = cls;
  // Its stylesheet starts with `all: initial`; the page's selection and find must still skip it.
  host.style.setProperty('user-select', 'none');
  host.style.setProperty('-webkit-user-select', 'none');
  if (!outer.sheets.includes(cls)) {
    outer.sheets.push(cls);
    addStyle(outer.root, scopeCss(css, cls));
  }
  outer.root.append(host);
  return { host, root: outer.root };
}

function addStyle(root: ShadowRoot, css: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    // Firefox content scripts cannot adopt sheets constructed in their own compartment.
    const style = document.createElement('style');
    style.textContent = css;
    root.prepend(style);
  }
}

/**
 * `css` with every selector scoped to `.cls`: `:host` becomes the container itself, any other
 * selector a descendant of it; at-rules (`@media`) keep their condition and have their rules
 * scoped. Only for Footnote's own stylesheets (plain rules, no strings with braces).
 */
export function scopeCss(css: string, cls: string): string {
  let out = '';
  let i = 0;
  while (i < css.length) {
    const open = css.indexOf('{', i);
    if (open < 0) break;
    let depth = 1;
    let j = open + 1;
    while (j < css.length && depth > 0) {
      if (css[j] === '{') depth++;
      else if (css[j] === '}') depth--;
      j++;
    }
    const prelude = css.slice(i, open).trim();
    const body = css.slice(open + 1, j - 1);
    if (prelude.startsWith('@')) out += `${prelude} {\n${scopeCss(body, cls)}}\n`;
    else {
      const selectors = prelude.split(',').map((s) => s.trim()).map((s) => (s.startsWith(':host') ? `.${cls}${s.slice(5)}` : `.${cls} ${s}`));
      out += `${selectors.join(', ')} {${body}}\n`;
    }
    i = j;
  }
  return out;
}

/** Puts a part's container after the others: it stacks above them, and Tab reaches it last. */
export function bringToEnd(host: HTMLElement): void {
  if (host.isConnected && host.nextSibling !== null) host.parentNode?.append(host);
}

/** Builds an element with a class, attributes and text or child nodes (never parsed as HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string | null>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) if (c !== null) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

/** Shared look of Footnote's panels, light and dark, matching the tooltip. */
export const PANEL_CSS = `
:host { all: initial; }
.panel {
  position: fixed; box-sizing: border-box; pointer-events: auto; z-index: 2147483647;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  color: #1f2328; background: #ffffff; border: 1px solid #d0d7de; border-radius: 8px;
  box-shadow: 0 8px 24px rgba(31, 35, 40, .18); text-align: start;
}
button { font: inherit; color: inherit; cursor: pointer; }
button:focus-visible, [tabindex]:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
@media (prefers-color-scheme: dark) {
  .panel { color: #e6edf3; background: #161b22; border-color: #3d444d; box-shadow: 0 8px 24px rgba(1, 4, 9, .6); }
}
`;
