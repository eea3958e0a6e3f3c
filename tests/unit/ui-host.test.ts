// Footnote's UI parts share one shadow root; each part's stylesheet is scoped to its container.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scopeCss } from '../../extension/src/content/ui-host';

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

test('selectors are scoped to the part, :host becomes the part itself', () => {
  const css = ':host { all: initial; }\n.card, h2 { color: red; }\n.cat[data-category="term"] { color: blue; }';
  assert.equal(
    squash(scopeCss(css, 'fn-tooltip')),
    '.fn-tooltip { all: initial; } .fn-tooltip .card, .fn-tooltip h2 { color: red; } .fn-tooltip .cat[data-category="term"] { color: blue; }',
  );
});

test('rules inside @media are scoped and the condition is kept', () => {
  const css = '@media (prefers-color-scheme: dark) {\n  .panel { color: white; }\n  a { color: cyan; }\n}';
  assert.equal(
    squash(scopeCss(css, 'fn-nav')),
    '@media (prefers-color-scheme: dark) { .fn-nav .panel { color: white; } .fn-nav a { color: cyan; } }',
  );
});
