// Lint rules that guard the architecture: pure libs stay free of frameworks and I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const frameworkAndIo = ['@nestjs/*', 'typeorm', 'pg', 'bullmq', 'ioredis', 'dockerode', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'http', 'node:http', 'net', 'node:net', 'child_process', 'node:child_process'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['libs/pep440/src/**/*.ts', 'libs/pep508/src/**/*.ts', 'libs/wheel/src/**/*.ts', 'libs/resolver/src/**/*.ts', 'libs/lockfile/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: frameworkAndIo, patterns: ['@nestjs/*', '**/apps/**'] }],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/apps/**'] }],
    },
    ignores: ['libs/pep440/**', 'libs/pep508/**', 'libs/wheel/**', 'libs/resolver/**', 'libs/lockfile/**'],
  },
);
