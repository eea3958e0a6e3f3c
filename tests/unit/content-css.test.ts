// The marks' underline colours stay readable on light and on dark pages: at least 3:1 (WCAG's
// contrast for non-text marks) against white and against black.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CATEGORIES } from '../../extension/src/shared/categories';

const css = readFileSync(join(import.meta.dirname, '..', '..', 'extension', 'content.css'), 'utf8');

function luminance([r, g, b]: number[]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

for (const category of CATEGORIES) {
  test(`${category}: the underline contrasts with white and with black pages`, () => {
    const rule = new RegExp(`::highlight\\(footnote-${category}\\)\\s*\\{([^}]*)\\}`).exec(css);
    assert.ok(rule, `content.css styles ::highlight(footnote-${category})`);
    const m = /text-decoration:[^;]*rgb\((\d+) (\d+) (\d+)(?: \/ ([\d.]+))?\)/.exec(rule[1]!);
    assert.ok(m, 'an rgb() underline colour');
    const alpha = m[4] === undefined ? 1 : Number(m[4]);
    const rgb = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (const [page, bg] of [['white', 255], ['black', 0]] as const) {
      const shown = rgb.map((c) => c * alpha + bg * (1 - alpha));
      const ratio = contrast(luminance(shown), luminance([bg, bg, bg]));
      assert.ok(ratio >= 3, `${category} on ${page}: ${ratio.toFixed(2)}:1`);
    }
  });
}
