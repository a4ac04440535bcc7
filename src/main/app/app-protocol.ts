import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { protocol } from 'electron';
import { resolveAppRequest } from './app-files';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES } from './app-origin';

const RENDERER_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../renderer');

/** Before the app is ready: app:// becomes a standard, secure origin of its own. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

/**
 * After ready: app:// serves the built renderer, through resolveAppRequest (app-files.ts), which
 * decides which file, if any, a request gets. No page is ever loaded from file://.
 */
export function serveAppScheme(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const found = await resolveAppRequest(RENDERER_DIR, request);
    if (!found.ok) return new Response(found.reason, { status: found.status });
    const body = request.method === 'HEAD' ? null : await readFile(found.file);
    return new Response(body, { headers: found.headers });
  });
}
