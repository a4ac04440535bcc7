// `npm run test:stress`: the stress and leak runs at full size (50 contexts). Sizes and the seed
// can still be set one by one: DESKMATE_STRESS_N, _STEPS, _CYCLES, _SEED.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['stress/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // One file at a time: the leak figures must not count the stress run's processes and sockets.
    fileParallelism: false,
    execArgv: ['--expose-gc'],
    testTimeout: 600_000,
    env: { DESKMATE_STRESS_PROFILE: 'full' },
  },
});
