/**
 * Sites, as settings see them: a lowercase host name without a leading "www.". Settings for a
 * site apply to its subdomains unless they have their own (uBlock Origin does the same).
 */

/** The site key of a page URL, or null for pages Footnote does not run on. */
export function siteOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return normalizeSite(parsed.hostname);
}

/** Lowercases a host name and drops one leading "www."; null when it is not a host name. */
export function normalizeSite(host: string): string | null {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  if (h === '' || h.length > 253 || !/^[a-z0-9._\-[\]:]+$/.test(h)) return null;
  return h.startsWith('www.') && h.length > 4 ? h.slice(4) : h;
}

/** The site and its parents, nearest first: "a.b.example.com", "b.example.com", "example.com". */
export function siteAndParents(site: string): string[] {
  const out = [site];
  if (site.startsWith('[') || /^[0-9.]+$/.test(site)) return out; // IP addresses have no parents
  let rest = site;
  for (;;) {
    const dot = rest.indexOf('.');
    if (dot < 0) break;
    rest = rest.slice(dot + 1);
    if (!rest.includes('.')) break; // never a bare top-level domain
    out.push(rest);
  }
  return out;
}
