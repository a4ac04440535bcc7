import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import deskmate from './eslint-rules/index.js';

const testFiles = ['**/*.test.ts', '**/*.test.tsx', 'e2e/**', 'bench/**', 'test/**'];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.stryker-tmp/**',
      'reports/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { deskmate },
    rules: {
      'deskmate/layers': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      'deskmate/no-cycle': 'error',
      // cwd and env belong to a context; the process's are shared by every window.
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='process'][callee.property.name='chdir']",
          message: 'process.chdir changes the cwd of every window: pass a cwd in the tool context instead.',
        },
        {
          selector:
            "AssignmentExpression > MemberExpression.left[object.object.name='process'][object.property.name='env']",
          message: 'Writing process.env changes every window: pass env in the tool context instead.',
        },
        {
          selector:
            "AssignmentExpression > MemberExpression.left[object.name='process'][property.name='env']",
          message: 'Replacing process.env changes every window: pass env in the tool context instead.',
        },
        {
          selector:
            "UnaryExpression[operator='delete'] > MemberExpression[object.object.name='process'][object.property.name='env']",
          message: 'Deleting from process.env changes every window: pass env in the tool context instead.',
        },
        {
          selector:
            "CallExpression[callee.object.name='Object'][callee.property.name=/^(assign|defineProperty|defineProperties)$/] > MemberExpression.arguments:first-child[object.name='process'][property.name='env']",
          message: 'Writing process.env changes every window: pass env in the tool context instead.',
        },
      ],
    },
  },
  {
    files: ['src/main/engine/**/*.ts'],
    ignores: testFiles,
    rules: { 'deskmate/no-module-state': 'error' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
