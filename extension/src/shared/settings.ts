/**
 * Reader settings: one versioned object, owned and written by the background only. Pure
 * functions, so every rule here is tested without a browser.
 *
 * Stored shape (key "settings", in storage.sync where it fits, else storage.local; see
 * background/settings-storage.ts):
 *   { version: 2,
 *     defaults: { enabled: boolean, categories: { person: boolean, … } },
 *     sites: { "<site>": { enabled?: boolean, categories?: { <category>?: boolean } } },
 *     muted: ["<entry id>", …],
 *     tooltip: { trigger: "hover" | "modifier" | "keyboard", hoverDelay: <ms>, modifier: "Shift" | "Alt" | "Control" },
 *     firstMentionOnly: boolean }
 *
 * A site's settings override the defaults field by field; a site without settings uses its
 * nearest parent's (see site.ts). Muted entries, the tooltip trigger and "first mention only"
 * apply on every site.
 *
 * Reading never throws and never drops more than the broken part: whatever is wrong falls back
 * to its default for that field only and is reported as a `Problem`. Older versions are
 * brought up to date by ordered, append-only `MIGRATIONS` first.
 */

import { CATEGORIES, OFF_BY_DEFAULT, type Category, type PerCategory, isCategory, perCategory } from './categories';
import { normalizeSite, siteAndParents } from './site';

export const SCHEMA_VERSION = 2;

/** Everything that decides what Footnote does on one site. */
export interface SiteSettings {
  /** False when the reader paused Footnote on the site. */
  enabled: boolean;
  categories: PerCategory<boolean>;
}

/** What a site changes from the defaults. */
export interface SitePatch {
  enabled?: boolean;
  categories?: Partial<PerCategory<boolean>>;
}

/** What opens a tooltip: resting the pointer on a term, doing so with a key held, or the keyboard only. */
export const TRIGGERS = ['hover', 'modifier', 'keyboard'] as const;
export type Trigger = (typeof TRIGGERS)[number];
/** Keys that can be held to open tooltips with the pointer (`trigger: "modifier"`). */
export const MODIFIERS = ['Shift', 'Alt', 'Control'] as const;
export type Modifier = (typeof MODIFIERS)[number];

/** Shortest and longest hover delay the options allow (ms). */
export const HOVER_DELAY_MIN = 0;
export const HOVER_DELAY_MAX = 2000;

export interface TooltipSettings {
  trigger: Trigger;
  /** How long the pointer must rest on a term before its tooltip opens (ms). */
  hoverDelay: number;
  modifier: Modifier;
}

export interface Settings {
  version: typeof SCHEMA_VERSION;
  defaults: SiteSettings;
  sites: Record<string, SitePatch>;
  /** Entry ids the reader asked not to mark again, sorted. */
  muted: string[];
  tooltip: TooltipSettings;
  /** Mark only the first mention of each entry on a page. */
  firstMentionOnly: boolean;
}

/** What a content script needs besides its site's settings. */
export interface ReaderSettings {
  muted: string[];
  tooltip: TooltipSettings;
  firstMentionOnly: boolean;
}

export const DEFAULT_SITE_SETTINGS: SiteSettings = {
  enabled: true,
  categories: perCategory((c) => !OFF_BY_DEFAULT.includes(c)),
};

export const DEFAULT_TOOLTIP: TooltipSettings = { trigger: 'hover', hoverDelay: 300, modifier: 'Shift' };

export function defaultSettings(): Settings {
  return {
    version: SCHEMA_VERSION,
    defaults: cloneSite(DEFAULT_SITE_SETTINGS),
    sites: {},
    muted: [],
    tooltip: { ...DEFAULT_TOOLTIP },
    firstMentionOnly: false,
  };
}

/** Most sites with their own settings; more is treated as corrupt data. */
export const MAX_SITES = 10_000;
/** Most muted entries; more is treated as corrupt data. */
export const MAX_MUTED = 5_000;

/**
 * What was wrong in stored or imported settings: `field` is where (a path such as
 * `sites["a.com"].enabled`), `kind` what (the options page words it through _locales,
 * `problem_<kind>`).
 */
export interface Problem {
  field: string;
  kind:
    | 'not-object' // expected an object; its default is used
    | 'not-boolean' // expected true or false
    | 'not-list' // expected a list
    | 'unknown-field' // a field this version does not know; ignored
    | 'unknown-category'
    | 'unknown-value' // a value outside the allowed set
    | 'out-of-range'
    | 'invalid-site' // not a host name
    | 'not-entry-id'
    | 'too-many' // the rest of a list or map was ignored
    | 'bad-version' // read as the current version
    | 'newer-version'; // made by a newer Footnote; what is understood is read
}

/** A problem in plain English, for logs and tests (the options page uses _locales). */
export function describeProblem(p: Problem): string {
  return `${p.field}: ${p.kind}`;
}

/**
 * Ordered migrations: `MIGRATIONS[n]` turns a version-n object into version n+1. Append only;
 * never edit a published step. They run before validation, so they may assume nothing about
 * field types: they only add, move or rename.
 */
const MIGRATIONS: ReadonlyArray<(old: Record<string, unknown>) => Record<string, unknown>> = [
  // 0 → 1: objects written before versioning had no `version` field; their shape is v1's.
  (old) => ({ ...old, version: 1 }),
  // 1 → 2: muted terms, the tooltip trigger and "first mention only" arrive, with the
  // behaviour version 1 had (nothing muted, hover after 300 ms, every mention marked).
  (old) => ({
    ...old,
    version: 2,
    muted: [],
    tooltip: { trigger: 'hover', hoverDelay: 300, modifier: 'Shift' },
    firstMentionOnly: false,
  }),
];

const TOP_LEVEL = new Set(['version', 'defaults', 'sites', 'muted', 'tooltip', 'firstMentionOnly']);

/**
 * Reads a stored value into valid settings. Whatever is wrong falls back to its default for
 * that field only, and is reported in `problems`; nothing else is lost.
 */
export function normalizeSettings(raw: unknown): { settings: Settings; problems: Problem[] } {
  const problems: Problem[] = [];
  const settings = defaultSettings();
  if (raw === undefined || raw === null) return { settings, problems };
  if (!isPlainObject(raw)) {
    problems.push({ field: 'settings', kind: 'not-object' });
    return { settings, problems };
  }
  let data: Record<string, unknown> = raw;
  const stored = data['version'];
  let version = 0;
  if (typeof stored === 'number' && Number.isInteger(stored) && stored >= 0) {
    version = stored;
  } else if (stored !== undefined) {
    problems.push({ field: 'version', kind: 'bad-version' });
    version = SCHEMA_VERSION;
  }
  const newer = version > SCHEMA_VERSION;
  if (newer) problems.push({ field: 'version', kind: 'newer-version' });
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (step !== undefined) data = step(data);
  }

  // Fields a newer version added are expected there; only this version's unknowns are reported.
  if (!newer) {
    for (const key of Object.keys(data)) {
      if (!TOP_LEVEL.has(key)) problems.push({ field: clip(key), kind: 'unknown-field' });
    }
  }
  if ('defaults' in data) {
    settings.defaults = readSite(data['defaults'], DEFAULT_SITE_SETTINGS, 'defaults', problems);
  }
  const sites = data['sites'];
  if (sites !== undefined) {
    if (!isPlainObject(sites)) {
      problems.push({ field: 'sites', kind: 'not-object' });
    } else {
      let count = 0;
      for (const [key, value] of Object.entries(sites)) {
        const site = normalizeSite(key);
        if (site === null || site !== key) {
          problems.push({ field: `sites["${clip(key)}"]`, kind: 'invalid-site' });
          continue;
        }
        if (++count > MAX_SITES) {
          problems.push({ field: 'sites', kind: 'too-many' });
          break;
        }
        const patch = readPatch(value, `sites["${site}"]`, problems);
        if (patch !== null && !isEmptyPatch(patch)) settings.sites[site] = patch;
      }
    }
  }
  if ('muted' in data) settings.muted = readMuted(data['muted'], problems);
  if ('tooltip' in data) settings.tooltip = readTooltip(data['tooltip'], problems);
  const first = data['firstMentionOnly'];
  if (typeof first === 'boolean') settings.firstMentionOnly = first;
  else if (first !== undefined) problems.push({ field: 'firstMentionOnly', kind: 'not-boolean' });
  return { settings, problems };
}

/** The settings that apply on `site` (a site key, see site.ts). */
export function effectiveFor(settings: Settings, site: string): SiteSettings {
  const out = cloneSite(settings.defaults);
  const own = siteAndParents(site)
    .map((s) => settings.sites[s])
    .find((p) => p !== undefined);
  if (own !== undefined) applyPatch(out, own);
  return out;
}

/** What every page needs besides its site's settings. */
export function readerSettings(settings: Settings): ReaderSettings {
  return { muted: [...settings.muted], tooltip: { ...settings.tooltip }, firstMentionOnly: settings.firstMentionOnly };
}

/** True when `site` itself (not a parent) has its own settings. */
export function hasOwnSettings(settings: Settings, site: string): boolean {
  return Object.hasOwn(settings.sites, site);
}

/**
 * Returns new settings in which `site` has `patch` applied on top of what applied to it before.
 * Only what differs from what the site would get without settings of its own (its parent's,
 * else the defaults) is stored; a site left with nothing of its own is removed.
 */
export function withSitePatch(settings: Settings, site: string, patch: SitePatch): Settings {
  const next = applyPatch(effectiveFor(settings, site), patch);
  const inherited = effectiveFor(withoutSite(settings, site), site);
  const stored: SitePatch = {};
  if (next.enabled !== inherited.enabled) stored.enabled = next.enabled;
  const categories: Partial<PerCategory<boolean>> = {};
  for (const c of CATEGORIES) {
    if (next.categories[c] !== inherited.categories[c]) categories[c] = next.categories[c];
  }
  if (Object.keys(categories).length > 0) stored.categories = categories;
  const sites = Object.fromEntries(Object.entries(settings.sites).filter(([s]) => s !== site));
  if (!isEmptyPatch(stored)) sites[site] = stored;
  return { ...settings, sites };
}

/** Returns new settings without `site`'s own settings: it follows its parent's or the defaults again. */
export function withoutSite(settings: Settings, site: string): Settings {
  const sites = Object.fromEntries(Object.entries(settings.sites).filter(([s]) => s !== site));
  return { ...settings, sites };
}

/**
 * Returns new settings whose defaults have `patch` applied. Sites keep what they changed
 * themselves; a site change that now equals the defaults is kept too, so that it stays the
 * site's own choice if the defaults change again.
 */
export function withDefaultsPatch(settings: Settings, patch: SitePatch): Settings {
  return { ...settings, defaults: applyPatch(cloneSite(settings.defaults), patch) };
}

/** Returns new settings with entry `id` muted (never marked again) or not. */
export function withMuted(settings: Settings, id: string, muted: boolean): Settings {
  const rest = settings.muted.filter((m) => m !== id);
  return { ...settings, muted: muted ? [...rest, id].sort() : rest };
}

/** Returns new settings with the tooltip settings changed. */
export function withTooltip(settings: Settings, patch: Partial<TooltipSettings>): Settings {
  return { ...settings, tooltip: { ...settings.tooltip, ...patch } };
}

/** The categories switched on in `s`, in the standard order; empty when Footnote is paused. */
export function activeCategories(s: SiteSettings): Category[] {
  return s.enabled ? CATEGORIES.filter((c) => s.categories[c]) : [];
}

/** Validates a patch sent by a settings page: null when it is not one. */
export function parsePatch(value: unknown): SitePatch | null {
  const problems: Problem[] = [];
  const patch = readPatch(value, 'patch', problems);
  return problems.length === 0 ? patch : null;
}

/** Validates tooltip settings sent by a settings page (some or all fields): null when invalid. */
export function parseTooltipPatch(value: unknown): Partial<TooltipSettings> | null {
  if (!isPlainObject(value)) return null;
  const problems: Problem[] = [];
  const full = readTooltip({ ...DEFAULT_TOOLTIP, ...value }, problems);
  if (problems.length > 0) return null;
  const out: Partial<TooltipSettings> = {};
  if ('trigger' in value) out.trigger = full.trigger;
  if ('hoverDelay' in value) out.hoverDelay = full.hoverDelay;
  if ('modifier' in value) out.modifier = full.modifier;
  return out;
}

/** True for a string shaped like a knowledge-base entry id (see data/README.md). */
export function isEntryId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 200 && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value);
}

// --- Export and import ----------------------------------------------------------------------

/** Marks a file as Footnote's settings. */
export const EXPORT_FORMAT = 'footnote-settings';
/** Largest import file read (bytes of text); settings are a few kilobytes. */
export const MAX_IMPORT_CHARS = 2 * 1024 * 1024;

/** The settings as a file: the stored object, marked as Footnote's. */
export function exportSettings(settings: Settings): string {
  return `${JSON.stringify({ format: EXPORT_FORMAT, ...settings }, null, 2)}\n`;
}

export type ImportError =
  | { kind: 'too-large' }
  | { kind: 'not-json'; detail: string }
  | { kind: 'not-footnote' }
  | { kind: 'newer-version'; version: number }
  | { kind: 'invalid'; problems: Problem[] };

/**
 * Reads an exported file. All or nothing: a file that is not complete, valid Footnote settings
 * is refused with the reason, so that a failed import never changes anything. Files from
 * earlier versions are migrated.
 */
export function parseImport(text: string): { ok: true; settings: Settings } | { ok: false; error: ImportError } {
  if (text.length > MAX_IMPORT_CHARS) return { ok: false, error: { kind: 'too-large' } };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: { kind: 'not-json', detail: e instanceof Error ? e.message.slice(0, 200) : String(e) } };
  }
  if (!isPlainObject(data) || data['format'] !== EXPORT_FORMAT) return { ok: false, error: { kind: 'not-footnote' } };
  const version = data['version'];
  if (typeof version === 'number' && version > SCHEMA_VERSION) return { ok: false, error: { kind: 'newer-version', version } };
  const rest = Object.fromEntries(Object.entries(data).filter(([k]) => k !== 'format'));
  const { settings, problems } = normalizeSettings(rest);
  if (problems.length > 0) return { ok: false, error: { kind: 'invalid', problems } };
  return { ok: true, settings };
}

// --- Reading one field at a time ------------------------------------------------------------

function applyPatch(target: SiteSettings, patch: SitePatch): SiteSettings {
  if (patch.enabled !== undefined) target.enabled = patch.enabled;
  for (const c of CATEGORIES) {
    const v = patch.categories?.[c];
    if (v !== undefined) target.categories[c] = v;
  }
  return target;
}

function isEmptyPatch(p: SitePatch): boolean {
  return p.enabled === undefined && (p.categories === undefined || Object.keys(p.categories).length === 0);
}

function readSite(value: unknown, fallback: SiteSettings, where: string, problems: Problem[]): SiteSettings {
  const out = cloneSite(fallback);
  const patch = readPatch(value, where, problems);
  return patch === null ? out : applyPatch(out, patch);
}

function readPatch(value: unknown, where: string, problems: Problem[]): SitePatch | null {
  if (!isPlainObject(value)) {
    problems.push({ field: where, kind: 'not-object' });
    return null;
  }
  const patch: SitePatch = {};
  for (const key of Object.keys(value)) {
    if (key !== 'enabled' && key !== 'categories') problems.push({ field: `${where}.${clip(key)}`, kind: 'unknown-field' });
  }
  const enabled = value['enabled'];
  if (typeof enabled === 'boolean') patch.enabled = enabled;
  else if (enabled !== undefined) problems.push({ field: `${where}.enabled`, kind: 'not-boolean' });
  const categories = value['categories'];
  if (isPlainObject(categories)) {
    const cats: Partial<PerCategory<boolean>> = {};
    for (const [k, v] of Object.entries(categories)) {
      if (!isCategory(k)) problems.push({ field: `${where}.categories.${clip(k)}`, kind: 'unknown-category' });
      else if (typeof v !== 'boolean') problems.push({ field: `${where}.categories.${k}`, kind: 'not-boolean' });
      else cats[k] = v;
    }
    if (Object.keys(cats).length > 0) patch.categories = cats;
  } else if (categories !== undefined) {
    problems.push({ field: `${where}.categories`, kind: 'not-object' });
  }
  return patch;
}

function readMuted(value: unknown, problems: Problem[]): string[] {
  if (!Array.isArray(value)) {
    problems.push({ field: 'muted', kind: 'not-list' });
    return [];
  }
  const out = new Set<string>();
  for (const [i, id] of value.entries()) {
    if (out.size >= MAX_MUTED) {
      problems.push({ field: 'muted', kind: 'too-many' });
      break;
    }
    if (isEntryId(id)) out.add(id);
    else problems.push({ field: `muted[${i}]`, kind: 'not-entry-id' });
  }
  return [...out].sort();
}

function readTooltip(value: unknown, problems: Problem[]): TooltipSettings {
  const out = { ...DEFAULT_TOOLTIP };
  if (!isPlainObject(value)) {
    problems.push({ field: 'tooltip', kind: 'not-object' });
    return out;
  }
  for (const key of Object.keys(value)) {
    if (!(key in DEFAULT_TOOLTIP)) problems.push({ field: `tooltip.${clip(key)}`, kind: 'unknown-field' });
  }
  const trigger = value['trigger'];
  if ((TRIGGERS as readonly unknown[]).includes(trigger)) out.trigger = trigger as Trigger;
  else if (trigger !== undefined) problems.push({ field: 'tooltip.trigger', kind: 'unknown-value' });
  const delay = value['hoverDelay'];
  if (typeof delay === 'number' && Number.isInteger(delay) && delay >= HOVER_DELAY_MIN && delay <= HOVER_DELAY_MAX) {
    out.hoverDelay = delay;
  } else if (delay !== undefined) {
    problems.push({ field: 'tooltip.hoverDelay', kind: 'out-of-range' });
  }
  const modifier = value['modifier'];
  if ((MODIFIERS as readonly unknown[]).includes(modifier)) out.modifier = modifier as Modifier;
  else if (modifier !== undefined) problems.push({ field: 'tooltip.modifier', kind: 'unknown-value' });
  return out;
}

function cloneSite(s: SiteSettings): SiteSettings {
  return { enabled: s.enabled, categories: { ...s.categories } };
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
