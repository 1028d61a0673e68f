// @ts-check
// ESLint for the whole repository: typescript-eslint's recommended rules (not the type-checked set: it took about
// a minute on two cores and mostly repeats no-explicit-any as no-unsafe-*), with formatting left to Prettier.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // migrations/ and schema/ are generated; dist/ is build output.
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'migrations/', 'schema/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    languageOptions: { globals: globals.node },
  },
  {
    // The console page's plain ES modules, served as they are to the browser.
    files: ['src/api/console/public/**/*.js'],
    languageOptions: { sourceType: 'module', globals: globals.browser },
  },
  {
    rules: {
      // `if (x) (a(), b());` is a house idiom for two statements under one condition; the rule cannot allow
      // sequences alone, and the expressions it would otherwise catch are rare next to it.
      '@typescript-eslint/no-unused-expressions': 'off',
      // A leading underscore names what is left out on purpose (`{ reference: _r, ...view }`, unused parameters).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // The benchmark and fuzz tools read loosely typed answers: there it is a warning.
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // Product code: row types and unknown with narrowing, never any.
    files: ['src/**', 'worker/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    // Tests read GraphQL answers and raw rows loosely typed: an `any` there is an assertion's input, not a contract.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);
