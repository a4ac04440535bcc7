import { startHost as startHeadlessHost } from '../../test/support/headless-host';
import type { Scope } from './scope';

/**
 * The headless host as a child process on 127.0.0.1 with a data dir of the scope's; stopped with the
 * scope (SIGTERM makes it dispose every context and its shell).
 */
export async function startHost(scope: Scope, env: Record<string, string>): Promise<{ url: string }> {
  const host = await startHeadlessHost(env, ['--host', '127.0.0.1'], {
    dataDir: await scope.tempDir('host'),
  });
  scope.defer(() => host.stop());
  return { url: host.url };
}
