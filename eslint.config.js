import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.dependency-cruiser.cjs', 'dist/**', 'coverage/**', 'node_modules/**', '.data/**', '.build/**', 'migrations/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    // Domain code is pure: no clock, no randomness, no I/O (DESIGN.md §3).
    files: ['src/contexts/*/domain/**/*.ts', 'src/shared/domain/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'use the Clock port' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'use the Clock port' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'use a port' },
      ],
    },
  },
  {
    // The one script a hosted page runs, in the browser.
    files: ['templates/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', navigator: 'readonly', fetch: 'readonly', PublicKeyCredential: 'readonly' },
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'bin/**/*.js'],
    rules: { 'no-console': 'off' },
  },
);
