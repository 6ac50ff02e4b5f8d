import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const platformSdks = [
  'discord.js',
  '@discordjs/*',
  '@slack/*',
  'pg',
  'pg-*',
  '@electric-sql/*',
  'drizzle-orm',
  'drizzle-orm/*',
  'hono',
  'hono/*',
  '@hono/*',
  '@huggingface/*',
  'undici',
  'sharp',
  'node:http',
  'node:https',
  'node:net',
];

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'node_modules/', 'coverage/', 'migrations/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The core stays pure: no platform SDK, no database driver, no HTTP stack.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: platformSdks.map((group) => ({ group: [group], message: 'src/core imports no SDK, driver or HTTP client; inject it.' })) },
      ],
    },
  },
  {
    files: ['web/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'module' },
  },
  {
    files: ['*.js', '.ci/**/*.js'],
    languageOptions: { globals: globals.node },
  },
);
