import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'src/**/*.test.ts',
            'src/**/*.test.tsx',
            'eslint-rules/**/*.test.ts',
            'test/**/*.test.ts',
          ],
        },
      },
      {
        // The short stress and leak runs; `npm run test:stress` runs them full size (stress/vitest.config.ts).
        extends: true,
        test: { name: 'stress', include: ['stress/**/*.test.ts'], execArgv: ['--expose-gc'] },
      },
    ],
  },
});
