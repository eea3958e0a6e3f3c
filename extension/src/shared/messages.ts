/**
 * The messages between Footnote's contexts, declared once. Every request names its `type`;
 * every reply is `{ ok: true, value }` or `{ ok: false, error }`.
 *
 * - `BackgroundApi`: requests to the background (`runtime.sendMessage`). The background is the
 *   only writer of settings; content scripts may only read what applies to their own page.
 * - `TabApi`: requests to a tab's content script (`tabs.sendMessage`), from the background and
 *   from extension pages. Pages themselves can send neither.
 *
 * Offsets in findings are UTF-16 code units relative to the block string they were found in.
 */

import type { Category } from './categories';
import type { ImportError, Problem, ReaderSettings, Settings, SitePatch, SiteSettings, TooltipSettings } from './settings';

/** One source of an entry, as the core returns it. */
export interface SourceView {
  key: string;
  title: string;
  publisher: string;
  date: string | null;
  url: string;
  kind: 'primary' | 'secondary';
  verified: 'seen' | 'cited' | 'pattern';
}

/** How one party uses a contested term. */
export interface UsageView {
  by: string;
  meaning: string;
  source: string;
}

/** What a tooltip shows of an entry. */
export interface EntryView {
  id: string;
  category: Category;
  name: string;
  summary: string;
  usages: UsageView[];
  alternatives: string[];
  sources: SourceView[];
  reviewed: string;
  /** For a quotation entry asked for with its quotation: how it compares with the source. */
  quote?: QuoteView;
  /**
   * For a name the knowledge base lacks (category `names`): what kind of name it looks like.
   * There is no verified background; `name` is the name as the page writes it.
   */
  unknown?: 'person' | 'organisation' | 'place';
}

/** A quotation compared with the stored text of its source (`Core.checkQuote`). */
export interface QuoteView {
  verdict: 'verbatim' | 'shortened' | 'joined' | 'partial' | 'not-found';
  /** The quotation's parts between ellipses, and whether the source has each. */
  parts: Array<{ text: string; found: boolean }>;
  /**
   * Sentences of the source: those holding the parts found, or the closest one when none
   * is; `marks` are half-open ranges in UTF-16 code units of `text`, flat.
   */
  original: Array<{ text: string; marks: number[] }>;
  /** The key of the entry's source the stored text was copied from. */
  source: string;
}

/** An entry as findings refer to it. */
export interface EntryRef {
  id: string;
  category: Category;
}

/** Findings of one `annotate` request. */
export interface AnnotateResult {
  /**
   * Flat `[block, start, end, entry]` quadruples: the block's index in the request, the span in
   * UTF-16 code units of that block (half-open), and an index into `entries`. Sorted by block
   * and start; never overlapping.
   */
  findings: number[];
  entries: EntryRef[];
}

/** Where settings are kept (see background/settings-storage.ts). */
export interface StorageStatus {
  area: 'sync' | 'local';
  reason: 'too-large' | 'write-failed' | 'unavailable' | null;
  bytes: number;
}

/** All settings, as the options page shows them. */
export interface SettingsView {
  settings: Settings;
  storage: StorageStatus;
  /** Stored values that could not be read and fell back to their defaults, until dismissed. */
  problems: Problem[];
}

export interface BackgroundApi {
  /** Content script → background: the settings of the sender's own page. */
  'page.settings': {
    params: Record<string, never>;
    result: { site: string; settings: SiteSettings; reader: ReaderSettings };
  };
  /** Content script or extension page → background: never mark entry `id` again (or again mark it). */
  'entry.mute': { params: { id: string; muted: boolean }; result: { muted: string[] } };
  /** Content script → background: find entries in blocks of text. */
  annotate: { params: { blocks: string[]; categories: Category[] }; result: AnnotateResult };
  /**
   * Content script → background: one entry for a tooltip. For a quotation entry
   * (`quote:<document id>`), `quotation` is the marked text, checked against the source.
   */
  'entry.get': { params: { id: string; quotation?: string }; result: EntryView | null };
  /** Extension page → background: how the core started and what it holds, for the benchmark. */
  diagnostics: { params: Record<string, never>; result: CoreDiagnostics };
  /** Extension page → background: a site's settings. */
  'settings.site.get': { params: { site: string }; result: { site: string; settings: SiteSettings; own: boolean } };
  /** Extension page → background: change a site's settings. */
  'settings.site.set': {
    params: { site: string; patch: SitePatch };
    result: { site: string; settings: SiteSettings; own: boolean };
  };
  /** Extension page → background: everything, for the options page. */
  'settings.get': { params: Record<string, never>; result: SettingsView };
  /** Extension page → background: forget a site's own settings. */
  'settings.site.remove': { params: { site: string }; result: SettingsView };
  /** Extension page → background: change what sites without their own settings get. */
  'settings.defaults.set': { params: { patch: SitePatch }; result: SettingsView };
  /** Extension page → background: change the tooltip trigger or "first mention only". */
  'settings.reader.set': {
    params: { tooltip?: Partial<TooltipSettings>; firstMentionOnly?: boolean };
    result: SettingsView;
  };
  /** Extension page → background: every setting back to its default. */
  'settings.reset': { params: Record<string, never>; result: SettingsView };
  /** Extension page → background: the settings as a file. */
  'settings.export': { params: Record<string, never>; result: { text: string } };
  /** Extension page → background: replace all settings with a file's; all or nothing. */
  'settings.import': {
    params: { text: string };
    result: { ok: true; view: SettingsView } | { ok: false; error: ImportError };
  };
  /**
   * Extension page → background: run a keyboard command (manifest `commands`) for tab `tabId`,
   * exactly as its shortcut does (the popup's "List the annotations" button).
   */
  'command.run': { params: { command: 'toggle-site' | 'open-navigator'; tabId: number }; result: null };
  /** Extension page → background: the reader has seen the report of repaired settings. */
  'settings.problems.dismiss': { params: Record<string, never>; result: SettingsView };
}

/** A rectangle in viewport pixels. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** How the background's core started (ms since the background started) and its memory. */
/**
 * How the background's core started: `performance.now()` times of the background (ms since
 * the worker or event page itself started), null until reached.
 */
export interface StartTimes {
  /** The background's script began to run. */
  scriptAt: number;
  /** The core's start began (at once when the background starts). */
  startedAt: number | null;
  /** The WebAssembly was fetched and compiled. */
  compiledAt: number | null;
  /** The knowledge base was read and the matcher built (`new Core()`). */
  coreAt: number | null;
  /** Ready to answer: entry table read, a first short text annotated. */
  readyAt: number | null;
  /** When the first annotate request arrived and was answered. */
  firstRequestAt: number | null;
  firstReplyAt: number | null;
}

export interface CoreDiagnostics extends StartTimes {
  /** Size of the WebAssembly memory (bytes). */
  wasmMemoryBytes: number;
  entries: number;
}

/** A summary of the annotations on a page, for the popup and for tests. */
export interface PageState {
  /** The page's address. */
  url: string;
  site: string | null;
  /** False when Footnote is paused on this site. */
  enabled: boolean;
  /** Annotations currently shown, in reading order; `at`: when painted (`performance.now()`). */
  annotations: Array<{ text: string; category: Category; entry: string; at: number }>;
  /** The open tooltip, read back from what it renders. */
  tooltip: {
    entry: string;
    text: string;
    links: Array<{ text: string; href: string; box: Box }>;
    /** Its buttons (close, "Don't mark this again"): accessible name, text and where. */
    buttons: Array<{ label: string; text: string; box: Box }>;
    /** Where it is, in viewport pixels. */
    box: Box;
    /** Its computed text and background colours and font size (CSS values). */
    colors: { text: string; background: string };
    fontSize: string;
    /** The accessible name or text of the element focused inside it, if any. */
    focus: string | null;
  } | null;
  /** The reader's settings the page follows (trigger, muted entries, first mention only). */
  reader: ReaderSettings;
  /** The annotation navigator: open, its items' text, the active one, whether its list has focus, where. */
  navigator: { open: boolean; items: string[]; active: number; focused: boolean; box: Box | null };
  /** What the live region last said, and the visible notice (null when none). */
  notice: { announced: string; shown: string | null };
  /**
   * What annotating the page cost, for the benchmark (never sent anywhere): when each stage
   * was reached (`performance.now()`, ms), main-thread time and slices, text sent.
   */
  work: {
    scriptStart: number;
    readStart: number;
    read: number;
    firstMarks: number;
    allMarks: number;
    busyMs: number;
    longestMs: number;
    slices: number;
    sentChars: number;
    marks: number;
    /** How many of them are painted now (all shown ones, or on a page with many, those near the viewport). */
    painted: number;
    /** How long the page's latest changes (up to 500 reads) waited to be marked (ms). */
    changeLatencies: number[];
    /** Why Footnote stays out of this page (too large to mark without blocking it), or null. */
    stayedOut: string | null;
    /**
     * When the early content script asked for this page's settings (at document start) and
     * when the answer arrived (`performance.now()`, ms; 0: not asked early, or not answered).
     */
    settingsAskedAt: number;
    settingsAnsweredAt: number;
  };
}

export interface TabApi {
  /** Background → content script: settings changed; ask again. */
  'settings.changed': { params: Record<string, never>; result: null };
  /** Background → content script: the reader pressed the navigator's shortcut. */
  'navigator.open': { params: Record<string, never>; result: null };
  /** Background → content script: the reader switched Footnote on or off here with the shortcut; say so. */
  'site.toggled': { params: { enabled: boolean; shortcut: string }; result: null };
  /** Extension page → content script: what Footnote shows on this page. */
  'page.state': { params: Record<string, never>; result: PageState };
}

type RequestOf<Api> = { [K in keyof Api]: { type: K } & (Api[K] extends { params: infer P } ? P : never) }[keyof Api];

export type BackgroundRequest = RequestOf<BackgroundApi>;
export type TabRequest = RequestOf<TabApi>;

export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

export type ResultOf<Api, K extends keyof Api> = Api[K] extends { result: infer R } ? R : never;

/** Largest request, in UTF-16 code units of text, that a content script sends at once. */
export const MAX_BATCH_CHARS = 256 * 1024;
/** Longest quotation, in UTF-16 code units, that a tooltip asks to check. */
export const MAX_QUOTATION_CHARS = 8 * 1024;
/** Largest block of text; longer runs of text are cut (at white space where possible). */
export const MAX_BLOCK_CHARS = 64 * 1024;
