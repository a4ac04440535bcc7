// `npm run test:mutation [-- FILE...]`: Stryker over the configured scope, or only the files given
// (each path as written, globs allowed), so a module and its tests can be worked on alone.
import { spawnSync } from 'node:child_process';

const files = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const flags = process.argv.slice(2).filter((arg) => arg.startsWith('-'));
const args = ['stryker', 'run', ...(files.length ? ['--mutate', files.join(',')] : []), ...flags];
const result = spawnSync('npx', args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
