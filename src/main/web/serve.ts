import { existsSync } from 'node:fs';
import path from 'node:path';
import type { EnvironmentVariables } from '../engine/config/environment-layer';
import type { ContextRegistry } from '../engine/context/context-registry';
import { createEngine } from '../engine/create-engine';
import { preparePrivateDataDir } from '../engine/private-data-dir';
import { createToken } from './access-token';
import type { ServeOptions } from './serve-args';
import { startWebServer, type WebServer } from './web-server';

export interface ServeIo {
  env: EnvironmentVariables;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export interface RunningServe {
  server: WebServer;
  registry: ContextRegistry;
  /** Closes every connection, disposes every context (killing its shell), stops listening. */
  close(): Promise<void>;
}

/** Builds the engine as every host does, starts the web server, prints the one ready line. */
export async function serve(options: ServeOptions, io: ServeIo): Promise<RunningServe> {
  const token = createToken(io.env);
  preparePrivateDataDir(options.dataDir, (message) => io.stderr.write(`deskmate: warning: ${message}\n`));
  // No host hooks: a tab opens its own new tab, and there is no native folder dialog.
  const engine = createEngine({
    dataDir: options.dataDir,
    env: io.env,
    warn: (message) => io.stderr.write(`deskmate: ${message}\n`),
  });
  const { registry, router } = engine;
  if (!existsSync(path.join(options.staticDir, 'index.html'))) {
    io.stderr.write(`deskmate: warning: no built renderer in ${options.staticDir}; run \`npm run build\`\n`);
  }
  // Nothing to undo if this fails (a port in use): no context exists before the server does.
  const server = await startWebServer({
    registry,
    router,
    staticDir: options.staticDir,
    token,
    host: options.host,
    port: options.port,
    graceMs: options.graceMs,
  });
  if (options.remote) {
    io.stderr.write(
      `deskmate: warning: listening on ${options.host}, reachable from other machines over plain HTTP; ` +
        'anyone with the token can run commands as you\n',
    );
  }
  if (io.env.DESKMATE_TOKEN?.trim() && options.port !== 0) {
    // A tab left open reconnects (or reloads) with its token, to whoever holds its port by then.
    io.stderr.write(
      `deskmate: note: DESKMATE_TOKEN with a fixed --port: whoever listens on port ${options.port} ` +
        'while Deskmate is down gets the token from any tab left open on it; ' +
        'leave DESKMATE_TOKEN unset for a new random token each start\n',
    );
  }
  io.stderr.write(`deskmate: data in ${options.dataDir}\n`);
  io.stdout.write(`Deskmate is ready: ${server.url}\n`);
  return {
    server,
    registry,
    async close() {
      await server.close();
      engine.dispose();
    },
  };
}
