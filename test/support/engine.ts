import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EventName, EventPayload } from '../../src/shared/contract';
import { openConfBackend } from '../../src/main/engine/config/conf-backend';
import type { EnvironmentVariables } from '../../src/main/engine/config/environment-layer';
import { openUserSettings } from '../../src/main/engine/config/open-settings';
import { ContextRegistry } from '../../src/main/engine/context/context-registry';
import type { EventSink } from '../../src/main/engine/context/conversation-context';
import { createEngineServices } from '../../src/main/engine/context/engine-services';
import { createEngineHandlers } from '../../src/main/engine/rpc/engine-handlers';
import { Router } from '../../src/main/engine/rpc/router';
import { tempDir } from './temp-dir';

export interface RecordedEvent {
  name: EventName;
  payload: unknown;
}

/** A real engine (real settings file, real registry and router) in a temp data dir. */
export async function createTestEngine(env: EnvironmentVariables = {}) {
  const dataDir = await tempDir('deskmate-data-');
  const settings = openUserSettings(dataDir, openConfBackend);
  const services = createEngineServices({ dataDir, env, settings });
  const registry = new ContextRegistry(services);
  const router = new Router(registry, createEngineHandlers(registry));
  const events = new Map<string, RecordedEvent[]>();
  const connect = (clientId: string) => {
    const log: RecordedEvent[] = [];
    events.set(clientId, log);
    const sink: EventSink = <E extends EventName>(name: E, payload: EventPayload<E>) =>
      log.push({ name, payload });
    return registry.create(clientId, sink);
  };
  return { dataDir, settings, services, registry, router, events, connect };
}

/** A workspace folder with the given files (relative path -> content). */
export async function makeWorkspace(files: Record<string, string> = {}): Promise<string> {
  const dir = await tempDir('deskmate-ws-');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}
