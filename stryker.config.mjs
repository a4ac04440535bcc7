// Mutation testing (issue 11): `npm run test:mutation [-- FILE...]`. Each mutant is a small change
// to the code (a condition flipped, a check deleted); a test should fail for it. Not part of
// `npm test`: on two cores a full run takes hours. Incremental: a rerun mutates only what changed
// since the last report (kept in reports/mutation/).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  plugins: ['@stryker-mutator/vitest-runner'],
  coverageAnalysis: 'perTest',
  // The modules that guard the user: the engine, the headless host, and the decisions of the
  // Electron host and the shared contract. Tests, test support and type-only files are not code
  // under test.
  mutate: [
    'src/main/engine/**/*.ts',
    'src/main/web/**/*.ts',
    // The Electron host's decisions, as plain functions; the rest of it is wiring that needs Electron.
    'src/main/app/{app-files,app-origin,permission-policy,secret-backend,trusted-sender}.ts',
    'src/shared/**/*.ts',
    '!**/*.test.ts',
  ],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  concurrency: 2,
  timeoutMS: 30_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
