// Reading the browsers' own network logs, for the check that Footnote makes no request.
//
// - Chromium's NetLog (`--log-net-log`): one JSON event per line. Every request appears (a
//   CORS_REQUEST with its URL, even when request interception aborts it), requests that reach
//   the network stack carry their `initiator` (a page origin, or the extension's), and every
//   host lookup appears with its host.
// - Firefox's HTTP log (MOZ_LOG nsHttp, nsHostResolver): a `uri=` line for every HTTP channel
//   and a "Resolving host [...]" line for every lookup. It does not say who asked, so the
//   check below asks where each host came from instead.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Every URL and host in a Chromium NetLog, with the initiator where the log gives one. */
export function readNetLog(path) {
  const out = [];
  if (!existsSync(path)) throw new Error(`no network log at ${path}`);
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf('"events": [');
  for (const line of text.slice(start + 11).split('\n')) {
    const json = line.trim().replace(/,$/, '');
    if (!json.startsWith('{')) continue;
    let event;
    try {
      event = JSON.parse(json);
    } catch {
      continue; // the last line of a log cut short
    }
    const p = event.params ?? {};
    if (typeof p.url === 'string') out.push({ url: p.url, initiator: p.initiator ?? null });
    if (typeof p.host === 'string') out.push({ host: p.host.replace(/^[a-z]+:\/\//, '').replace(/:\d+$/, '') });
  }
  return out;
}

/** Every URL and looked-up host in Firefox's HTTP log files (`<prefix>*`). */
export function readFirefoxLog(prefix) {
  const out = [];
  const dir = dirname(prefix);
  const files = readdirSync(dir).filter((f) => f.startsWith(basename(prefix)));
  if (files.length === 0) throw new Error(`no network log at ${prefix}`);
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const m of text.matchAll(/ uri=(\S+)/g)) out.push({ url: m[1], initiator: null });
    for (const m of text.matchAll(/Resolving host \[([^\]<>]+)\]/g)) out.push({ host: m[1] });
  }
  return out;
}

/** The host names a page's own markup names: the page asks for these itself. */
export function hostsNamedIn(html) {
  const hosts = new Set();
  for (const m of html.matchAll(/(?:https?:)?(?:\\?\/){2}([a-z0-9][a-z0-9.-]*\.[a-z]{2,})/gi)) hosts.add(m[1].toLowerCase());
  return hosts;
}

export function hostOf(record) {
  if (record.host) return record.host.toLowerCase();
  try {
    return new URL(record.url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
