// The unit project alone, for mutation testing: the stress and leak runs measure the machine, not
// whether a changed line is caught, and would run once for every mutant.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    pool: 'forks',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    // Stryker's vitest runner runs tests in worker threads, where process.umask() cannot be set:
    // these set a permissive umask to prove file modes, and run only under `npm test` for now.
    exclude: [
      '**/node_modules/**',
      'src/main/web/serve.test.ts',
      'src/main/engine/private-data-dir.test.ts',
      'src/main/engine/data-at-rest.test.ts',
      'src/main/cli/run-cli.test.ts',
    ],
  },
});
