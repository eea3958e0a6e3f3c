/**
 * Reader settings: one versioned object, owned and written by the background only. Pure
 * functions, so every rule here is tested without a browser.
 *
 * Stored shape (key "settings" in storage.local):
 *   { version: 1,
 *     defaults: { enabled: boolean, categories: { person: boolean, … } },
 *     sites: { "<site>": { enabled?: boolean, categories?: { <category>?: boolean } } } }
 *
 * A site's settings override the defaults field by field; a site without settings uses its
 * nearest parent's (see site.ts).
 */

import { CATEGORIES, OFF_BY_DEFAULT, type Category, type PerCategory, isCategory, perCategory } from './categories';
import { normalizeSite, siteAndParents } from './site';

export const SCHEMA_VERSION = 1;

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

export interface Settings {
  version: typeof SCHEMA_VERSION;
  defaults: SiteSettings;
  sites: Record<string, SitePatch>;
}

export const DEFAULT_SITE_SETTINGS: SiteSettings = {
  enabled: true,
  categories: perCategory((c) => !OFF_BY_DEFAULT.includes(c)),
};

export function defaultSettings(): Settings {
  return { version: SCHEMA_VERSION, defaults: cloneSite(DEFAULT_SITE_SETTINGS), sites: {} };
}

/** Most sites with their own settings; more is treated as corrupt data. */
const MAX_SITES = 10_000;

/**
 * Ordered migrations: `MIGRATIONS[n]` turns a version-n object into version n+1. Append only;
 * never edit a published step.
 */
const MIGRATIONS: ReadonlyArray<(old: Record<string, unknown>) => Record<string, unknown>> = [
  // 0 → 1: objects written before versioning had no `version` field; their shape is v1's.
  (old) => ({ ...old, version: 1 }),
];

/**
 * Reads a stored value into valid settings. Whatever is wrong falls back to its default for
 * that field only, and is reported in `problems`; nothing else is lost.
 */
export function normalizeSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const settings = defaultSettings();
  if (raw === undefined || raw === null) return { settings, problems };
  if (!isPlainObject(raw)) {
    problems.push('stored settings were not an object; defaults are used');
    return { settings, problems };
  }
  let data: Record<string, unknown> = raw;
  let version = typeof data['version'] === 'number' ? data['version'] : 0;
  if (!Number.isInteger(version) || version < 0) {
    problems.push(`unknown settings version ${String(data['version'])}; read as version ${SCHEMA_VERSION}`);
    version = SCHEMA_VERSION;
  }
  if (version > SCHEMA_VERSION) {
    problems.push(`settings version ${version} is newer than this Footnote (${SCHEMA_VERSION}); unknown fields are ignored`);
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (step !== undefined) data = step(data);
  }

  if ('defaults' in data) {
    settings.defaults = readSite(data['defaults'], DEFAULT_SITE_SETTINGS, 'defaults', problems);
  }
  const sites = data['sites'];
  if (sites !== undefined) {
    if (!isPlainObject(sites)) {
      problems.push('`sites` was not an object; per-site settings were reset');
    } else {
      let count = 0;
      for (const [key, value] of Object.entries(sites)) {
        const site = normalizeSite(key);
        if (site === null || site !== key) {
          problems.push(`ignored settings for an invalid site name "${key.slice(0, 80)}"`);
          continue;
        }
        if (++count > MAX_SITES) {
          problems.push(`more than ${MAX_SITES} sites; the rest were ignored`);
          break;
        }
        const patch = readPatch(value, `sites["${site}"]`, problems);
        if (patch !== null) settings.sites[site] = patch;
      }
    }
  }
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

/** True when `site` itself (not a parent) has its own settings. */
export function hasOwnSettings(settings: Settings, site: string): boolean {
  return Object.hasOwn(settings.sites, site);
}

/**
 * Returns new settings in which `site` has `patch` applied on top of what applied to it before.
 * Fields equal to the defaults are dropped; a site left with nothing of its own is removed.
 */
export function withSitePatch(settings: Settings, site: string, patch: SitePatch): Settings {
  const next = applyPatch(effectiveFor(settings, site), patch);
  const stored: SitePatch = {};
  if (next.enabled !== settings.defaults.enabled) stored.enabled = next.enabled;
  const categories: Partial<PerCategory<boolean>> = {};
  for (const c of CATEGORIES) {
    if (next.categories[c] !== settings.defaults.categories[c]) categories[c] = next.categories[c];
  }
  if (Object.keys(categories).length > 0) stored.categories = categories;
  const sites = Object.fromEntries(Object.entries(settings.sites).filter(([s]) => s !== site));
  if (Object.keys(stored).length > 0) sites[site] = stored;
  return { ...settings, sites };
}

/** The categories switched on in `s`, in the standard order; empty when Footnote is paused. */
export function activeCategories(s: SiteSettings): Category[] {
  return s.enabled ? CATEGORIES.filter((c) => s.categories[c]) : [];
}

/** Validates a patch sent by a settings page: null when it is not one. */
export function parsePatch(value: unknown): SitePatch | null {
  const problems: string[] = [];
  const patch = readPatch(value, 'patch', problems);
  return problems.length === 0 ? patch : null;
}

function applyPatch(target: SiteSettings, patch: SitePatch): SiteSettings {
  if (patch.enabled !== undefined) target.enabled = patch.enabled;
  for (const c of CATEGORIES) {
    const v = patch.categories?.[c];
    if (v !== undefined) target.categories[c] = v;
  }
  return target;
}

function readSite(value: unknown, fallback: SiteSettings, where: string, problems: string[]): SiteSettings {
  const out = cloneSite(fallback);
  if (!isPlainObject(value)) {
    problems.push(`\`${where}\` was not an object; defaults are used`);
    return out;
  }
  const patch = readPatch(value, where, problems);
  return patch === null ? out : applyPatch(out, patch);
}

function readPatch(value: unknown, where: string, problems: string[]): SitePatch | null {
  if (!isPlainObject(value)) {
    problems.push(`\`${where}\` was not an object; ignored`);
    return null;
  }
  const patch: SitePatch = {};
  const enabled = value['enabled'];
  if (typeof enabled === 'boolean') patch.enabled = enabled;
  else if (enabled !== undefined) problems.push(`\`${where}.enabled\` was not true or false; ignored`);
  const categories = value['categories'];
  if (isPlainObject(categories)) {
    const cats: Partial<PerCategory<boolean>> = {};
    for (const [k, v] of Object.entries(categories)) {
      if (!isCategory(k)) problems.push(`\`${where}.categories\` has an unknown category "${k.slice(0, 40)}"; ignored`);
      else if (typeof v !== 'boolean') problems.push(`\`${where}.categories.${k}\` was not true or false; ignored`);
      else cats[k] = v;
    }
    if (Object.keys(cats).length > 0) patch.categories = cats;
  } else if (categories !== undefined) {
    problems.push(`\`${where}.categories\` was not an object; ignored`);
  }
  return patch;
}

function cloneSite(s: SiteSettings): SiteSettings {
  return { enabled: s.enabled, categories: { ...s.categories } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
