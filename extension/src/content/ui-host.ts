/**
 * Footnote's UI on a page (the tooltip, the navigator, notices) lives in one element appended
 * to `<html>`: styled with inline `!important` declarations that page rules cannot beat, not
 * selectable, and holding a closed shadow root that page scripts and styles cannot reach. Each
 * part of the UI has its own host inside that root, with its own closed shadow root and
 * stylesheet, so the parts' styles stay apart. The page sees one element, of size zero; what
 * it holds is positioned `fixed`.
 */

let shared: { host: HTMLElement; root: ShadowRoot } | null = null;

const HOST_STYLE: Array<[string, string]> = [
  ['all', 'initial'], ['display', 'block'], ['position', 'fixed'], ['top', '0'], ['left', '0'],
  ['width', '0'], ['height', '0'], ['overflow', 'visible'], ['z-index', '2147483647'],
  ['visibility', 'visible'], ['opacity', '1'], ['pointer-events', 'none'], ['contain', 'none'],
  // Never part of the page's selection, copy or find-in-page.
  ['user-select', 'none'], ['-webkit-user-select', 'none'],
];

function styled(host: HTMLElement): HTMLElement {
  for (const [k, v] of HOST_STYLE) host.style.setProperty(k, v, 'important');
  return host;
}

/** The one element Footnote adds to the page, created on first use (and again if removed). */
function sharedHost(): { host: HTMLElement; root: ShadowRoot } {
  if (shared !== null && shared.host.isConnected) return shared;
  const host = styled(document.createElement('div'));
  const root = host.attachShadow({ mode: 'closed' });
  document.documentElement.append(host);
  shared = { host, root };
  return shared;
}

/** True for the element Footnote adds to the page (its text is never annotated). */
export function isUiHost(node: Node): boolean {
  return shared !== null && node === shared.host;
}

/** A host for one part of the UI, inside the shared element, with its own shadow root and `css`. */
export function createUiHost(css: string): { host: HTMLElement; root: ShadowRoot } {
  const host = styled(document.createElement('div'));
  const root = host.attachShadow({ mode: 'closed' });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    // Firefox content scripts cannot adopt sheets constructed in their own compartment.
    const style = document.createElement('style');
    style.textContent = css;
    root.append(style);
  }
  sharedHost().root.append(host);
  return { host, root };
}

/** Puts a part's host after the others: it stacks above them, and Tab reaches it last. */
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
