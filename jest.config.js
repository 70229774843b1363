/** One Jest run covers every suite: pure libs, apps and the end-to-end suites in test/. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  // p-limit (and its queue) ship only as ES modules, which Jest on Node 20 cannot require: they are
  // compiled to CommonJS like our own files. Every other package in node_modules is left as it is.
  transform: { '^.+\\.ts$': swc, '/node_modules/(p-limit|yocto-queue)/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(p-limit|yocto-queue)/)'],
  moduleNameMapper: {
    '^@venvfarm/([^/]+)$': '<rootDir>/libs/$1/src',
    '^@venvfarm/([^/]+)/testing$': '<rootDir>/libs/$1/src/testing',
  },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
