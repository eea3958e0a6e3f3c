/**
 * The WebExtension API object: `browser` in Firefox (promise-based), `chrome` in Chromium (whose
 * MV3 APIs return promises too). The only place that asks which one exists.
 */
declare const browser: typeof chrome | undefined;

export const ext: typeof chrome =
  typeof browser !== 'undefined' && browser?.runtime !== undefined ? browser : chrome;

/** A UI string from `_locales/<lang>/messages.json`; the key itself if it is missing. */
export function t(key: string, substitutions?: string | string[]): string {
  const text = ext.i18n.getMessage(key, substitutions);
  return text === '' ? key : text;
}

/**
 * The language and direction of the UI strings actually shown. Each _locales file names its own
 * (`locale_code`, `locale_dir`), because the browser falls back to English for languages
 * Footnote has no translation for, and `@@ui_locale` / `@@bidi_dir` would then describe the
 * browser, not the text.
 */
export function uiLang(): string {
  return t('locale_code');
}

export function uiDir(): 'ltr' | 'rtl' {
  return t('locale_dir') === 'rtl' ? 'rtl' : 'ltr';
}
