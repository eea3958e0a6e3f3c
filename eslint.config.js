// Lint rules that keep the extension's layers apart and pages safe. Every exception is
// justified where it is made.
import js from '@eslint/js';
import nounsanitized from 'eslint-plugin-no-unsanitized';
import tseslint from 'typescript-eslint';

const noHtmlParsing = [
  { object: 'document', property: 'write', message: 'Never write markup into a page.' },
  { object: 'document', property: 'writeln', message: 'Never write markup into a page.' },
  { property: 'innerHTML', message: 'Page and knowledge-base text is never parsed as HTML: use textContent.' },
  { property: 'outerHTML', message: 'Page and knowledge-base text is never parsed as HTML: use textContent.' },
  { property: 'insertAdjacentHTML', message: 'Page and knowledge-base text is never parsed as HTML: build nodes.' },
  { property: 'createContextualFragment', message: 'Never parse strings as HTML.' },
  { property: 'parseFromString', message: 'Never parse strings as HTML.' },
];

/** Imports a layer may not make: content, popup and background share only extension/src/shared. */
function layer(forbidden, message) {
  return { 'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message })) }] };
}

export default tseslint.config(
  { ignores: ['target/**', 'pkg/**', 'dist/**', 'node_modules/**', 'extension/build/**', 'out/**'] },
  js.configs.recommended,
  {
    files: ['extension/src/**/*.ts', 'tests/unit/**/*.ts'],
    extends: [tseslint.configs.strict],
    plugins: { 'no-unsanitized': nounsanitized },
    rules: {
      'no-unsanitized/method': 'error',
      'no-unsanitized/property': 'error',
      'no-restricted-properties': ['error', ...noHtmlParsing],
      'no-restricted-globals': ['error', { name: 'eval', message: 'No code from strings.' }],
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
      '@typescript-eslint/no-non-null-assertion': 'off', // indexes checked just before, as noUncheckedIndexedAccess requires
    },
  },
  {
    files: ['extension/src/content/**/*.ts'],
    rules: layer(['**/background/**', '**/popup/**', '**/options/**', '**/pkg/**'], 'Content scripts talk to the background through messages only (shared/rpc.ts).'),
  },
  {
    files: ['extension/src/popup/**/*.ts', 'extension/src/options/**/*.ts'],
    rules: layer(['**/background/**', '**/content/**', '**/pkg/**'], 'Extension pages talk to the background through messages only (shared/rpc.ts).'),
  },
  {
    files: ['extension/src/shared/**/*.ts'],
    rules: layer(['**/background/**', '**/content/**', '**/popup/**', '**/options/**', '**/pkg/**'], 'shared/ is imported by every context and imports none.'),
  },
  {
    files: ['extension/src/background/**/*.ts'],
    ignores: ['extension/src/background/core.ts'],
    rules: layer(['**/pkg/**', '**/content/**', '**/popup/**', '**/options/**'], 'Only background/core.ts loads the WebAssembly core.'),
  },
  {
    files: ['scripts/**/*.mjs', 'tests/**/*.mjs', 'eslint.config.js'],
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', URLSearchParams: 'readonly',
        setTimeout: 'readonly', structuredClone: 'readonly',
        // Functions the tests run inside pages and extension contexts:
        document: 'readonly', window: 'readonly', location: 'readonly', innerHeight: 'readonly', CSS: 'readonly', Range: 'readonly',
        chrome: 'readonly', browser: 'readonly', globalThis: 'readonly', scrollY: 'readonly', NodeFilter: 'readonly',
        getSelection: 'readonly', performance: 'readonly', navigator: 'readonly', Document: 'readonly', fetch: 'readonly',
        self: 'readonly', Node: 'readonly', innerWidth: 'readonly', devicePixelRatio: 'readonly', getComputedStyle: 'readonly',
        Event: 'readonly',
      },
    },
    rules: { 'no-restricted-properties': ['error', ...noHtmlParsing] },
  },
);
