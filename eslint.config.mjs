// Lint rules that guard the architecture (ARCHITECTURE.md, STYLE.md): pure libs stay free of
// frameworks and I/O; only libs/queue touches BullMQ; only libs/upstream speaks HTTP to an
// upstream; only libs/db and repositories run SQL; a lib is used through its public entry
// (`@venvfarm/<lib>`, or `@venvfarm/<lib>/testing` for test helpers); apps never import each other.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const PURE_LIBS = ['pep440', 'pep508', 'wheel', 'resolver', 'lockfile'];
const pureFiles = PURE_LIBS.map((lib) => `libs/${lib}/src/**/*.ts`);

const restrict = (names, message) => names.map((name) => ({ name, message }));
const frameworkAndIo = restrict(
  ['typeorm', 'pg', 'pg-copy-streams', 'bullmq', 'ioredis', 'dockerode', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'http', 'node:http', 'https', 'node:https', 'net', 'node:net', 'child_process', 'node:child_process', 'undici'],
  'pure libs do no I/O: the app or a non-pure lib does it and hands them data',
);
const bullmq = restrict(['bullmq'], 'only libs/queue uses BullMQ: enqueue through its producers, register processors through it');
const httpClients = restrict(['http', 'node:http', 'https', 'node:https', 'undici', 'axios', 'got', 'node-fetch'], 'only libs/upstream speaks HTTP to an upstream: use UpstreamClient; type imports are fine').map((r) => ({ ...r, allowTypeImports: true }));
const sqlDriver = restrict(['pg', 'pg-copy-streams'], 'only libs/db and repositories (*.repository.ts) run SQL; type imports are fine').map((r) => ({ ...r, allowTypeImports: true }));

const publicEntryOnly = { group: ['@venvfarm/*/*', '!@venvfarm/*/testing'], message: 'import a lib through its public entry (@venvfarm/<lib>), or @venvfarm/<lib>/testing in tests' };
const noRelativeLibs = { group: ['**/libs/*/src/**', '**/libs/*/src'], message: 'import a lib through @venvfarm/<lib>' };
const noApps = { group: ['**/apps/**'], message: 'libs never import apps' };
const noOtherApps = (app) => ({ group: ['api', 'worker', 'cli'].filter((a) => a !== app).map((a) => `**/apps/${a}/**`), message: 'apps never import each other' });

const imports = (paths, patterns) => ({ '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] });

/** Where SQL may run: `.query(` calls are reserved to libs/db and repositories. */
const noQueryCalls = {
  'no-restricted-syntax': [
    'error',
    { selector: "CallExpression[callee.type='MemberExpression'][callee.property.name='query']", message: 'only libs/db and repositories (*.repository.ts) run SQL' },
  ],
};
const sqlAllowed = ['libs/db/**', '**/*.repository.ts', '**/*.spec.ts', '**/testing/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      ...imports([], [publicEntryOnly, noRelativeLibs]),
    },
  },
  { files: pureFiles, rules: imports(frameworkAndIo, [publicEntryOnly, noApps, { group: ['@nestjs/*'], message: 'pure libs know nothing of NestJS' }]) },
  { files: ['libs/db/src/**/*.ts'], rules: imports([...bullmq, ...httpClients], [publicEntryOnly, noApps]) },
  { files: ['libs/upstream/src/**/*.ts'], rules: imports([...bullmq, ...sqlDriver], [publicEntryOnly, noApps]) },
  { files: ['libs/queue/src/**/*.ts'], rules: imports([...httpClients, ...sqlDriver], [publicEntryOnly, noApps]) },
  {
    files: ['libs/**/*.ts'],
    ignores: [...pureFiles, 'libs/db/**', 'libs/upstream/**', 'libs/queue/**'],
    rules: imports([...bullmq, ...httpClients, ...sqlDriver], [publicEntryOnly, noApps]),
  },
  { files: ['libs/**/*.repository.ts'], ignores: pureFiles, rules: imports([...bullmq, ...httpClients], [publicEntryOnly, noApps]) },
  ...['api', 'worker', 'cli'].map((app) => ({
    files: [`apps/${app}/**/*.ts`],
    rules: imports([...bullmq, ...sqlDriver, ...(app === 'cli' ? [] : httpClients)], [publicEntryOnly, noRelativeLibs, noOtherApps(app)]),
  })),
  // The CLI's start-up (main.ts and the command definitions) loads commander and nothing of the
  // server: the actions import their implementations when they run (issue 9: `--help` in ~0.1 s).
  {
    files: ['apps/cli/src/main.ts', 'apps/cli/src/*.command.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...bullmq, ...sqlDriver],
          patterns: [
            publicEntryOnly,
            noRelativeLibs,
            noOtherApps('cli'),
            { group: ['@venvfarm/*', '@nestjs/*', 'typeorm', 'dockerode', 'ioredis', '@aws-sdk/*'], allowTypeImports: true, message: 'a command definition loads no server code: import it in the command\'s *.action.ts, which runs only when the command does' },
          ],
        },
      ],
    },
  },
  { files: ['apps/**/*.ts', 'libs/**/*.ts'], ignores: sqlAllowed, rules: noQueryCalls },
  // Only the upstream client fetches from libs; the API fetches nothing itself (the CLI is a client of a server).
  {
    files: ['libs/**/*.ts', 'apps/api/**/*.ts', 'apps/worker/**/*.ts'],
    ignores: ['libs/upstream/**', '**/*.spec.ts'],
    rules: { 'no-restricted-globals': ['error', { name: 'fetch', message: 'only libs/upstream speaks HTTP to an upstream: use UpstreamClient' }] },
  },
);
