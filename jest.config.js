// One jest run over every workspace. Tests talk to a real PostgreSQL started once by the
// global setup (embedded, or the server named by DATABASE_URL).
const esmPackages = [
  'node-pg-migrate', 'mercurius', 'cookie', 'content-disposition',
  'quick-lru', 'glob', 'minimatch', 'path-scurry', 'lru-cache', 'jackspeak', 'foreground-child',
  'signal-exit', '@isaacs', 'package-json-from-dist', 'minipass', 'yargs', 'yargs-parser',
  'cliui', 'string-width', 'strip-ansi', 'ansi-regex', 'wrap-ansi', 'emoji-regex', 'escalade',
  'get-caller-file', 'y18n', 'undici', '@noble', 'jose',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['<rootDir>/**/test/**/*.test.ts'],
  // HUB_TEST_SKIP: a pattern of test paths a run leaves out (.ci/run's second pass).
  testPathIgnorePatterns: ['/node_modules/', '/.data/', ...(process.env.HUB_TEST_SKIP ? [process.env.HUB_TEST_SKIP] : [])],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  globalSetup: '<rootDir>/test/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/test/src/jest-global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
