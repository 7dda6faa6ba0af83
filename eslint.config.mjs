// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      '.tools/**',
      '.test-runs/**',
      'test/fixtures/**',
      'examples/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  prettier,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // The core is shared with the CLI and plain-Node tests: it must never reach for the editor.
    // Neither may the CLI, nor the pure helpers the adapters keep their logic in.
    files: [
      'src/core/**/*.ts',
      'src/cli.ts',
      'src/cli/**/*.ts',
      'src/describe.ts',
      'src/contextKeys.ts',
      'src/detectOptions.ts',
      'src/views/crateTreeModel.ts',
      'src/views/derivationTreeModel.ts',
      'src/devShell/{status,summary,processEnv,reconciler,handOff}.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core is shared with the CLI: keep vscode out of it.' }],
          patterns: [
            {
              group: [
                '**/../commands/**',
                '**/../views/**',
                '**/../devShell/**',
                '**/../lsp/**',
                '**/../extension',
                '**/../ctx',
              ],
              message: 'src/core must not depend on the VS Code adapters.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'URL',
          'URLSearchParams',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'Buffer',
          'fetch',
          'AbortSignal',
          'AbortController',
          '__dirname',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
);
