// `npm run test:mutation [-- FILE...]`: Stryker over the configured scope, or only the files given
// (each path as written, globs allowed), so a module and its tests can be worked on alone.
// `--tests=GLOB[,GLOB]` runs only those test files (see vitest.mutation.config.ts); other flags go to
// Stryker as they are, in their `--name=value` form (e.g. `--concurrency=1`).
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const tests = args.find((arg) => arg.startsWith('--tests='))?.slice('--tests='.length);
const files = args.filter((arg) => !arg.startsWith('-'));
const flags = args.filter((arg) => arg.startsWith('-') && !arg.startsWith('--tests='));
const strykerArgs = ['stryker', 'run', ...(files.length ? ['--mutate', files.join(',')] : []), ...flags];
const env = tests ? { ...process.env, DESKMATE_MUTATION_TESTS: tests } : process.env;
const result = spawnSync('npx', strykerArgs, { stdio: 'inherit', env });
process.exit(result.status ?? 1);
