// The unit project alone, for mutation testing: the stress and leak runs measure the machine, not
// whether a changed line is caught, and would run once for every mutant.
import { isMainThread } from 'node:worker_threads';
import { defineConfig } from 'vitest/config';

// Stryker's vitest runner runs test files in worker threads, where Node refuses to change the umask
// (stryker-js#6223). The tests that prove file modes need umask 000 (test/support/permissive-umask.ts),
// so it is set here, once, for the process the workers share.
if (isMainThread) process.umask(0o000);

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    pool: 'forks',
    // `npm run test:mutation -- --tests=GLOB[,GLOB]` narrows the tests to, say, the mutated file's
    // own: on two cores nearly every engine test counts as related to an engine file, and a run
    // over one large file would take an hour. A score so measured is a lower bound.
    include: process.env.DESKMATE_MUTATION_TESTS?.split(',') ?? [
      'src/**/*.test.ts',
      'src/**/*.test.tsx',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**'],
  },
});
