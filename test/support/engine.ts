import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EventName, EventPayload } from '../../src/shared/contract';
import { openConfBackend } from '../../src/main/engine/config/conf-backend';
import type { EnvironmentVariables } from '../../src/main/engine/config/environment-layer';
import { openUserSettings } from '../../src/main/engine/config/open-settings';
import { FileSecretStore } from '../../src/main/engine/config/secret-store';
import { ContextRegistry } from '../../src/main/engine/context/context-registry';
import type { EventSink } from '../../src/main/engine/context/window-context';
import { createEngineServices } from '../../src/main/engine/context/engine-services';
import { createEngineHandlers } from '../../src/main/engine/rpc/engine-handlers';
import { Router } from '../../src/main/engine/rpc/router';
import type { Tool } from '../../src/main/engine/tools/tool';
import { tempDir } from './temp-dir';

export interface RecordedEvent {
  name: EventName;
  payload: unknown;
}

/** A real engine (real settings file, real registry and router) in a temp data dir. */
export async function createTestEngine(
  extraEnv: EnvironmentVariables = {},
  options: { tools?: readonly Tool[]; dataDir?: string } = {},
) {
  // A test may put the data folder where a user might (inside the workspace, as a home folder holds it).
  const dataDir = options.dataDir ?? (await tempDir('deskmate-data-'));
  const settings = openUserSettings(dataDir, openConfBackend, new FileSecretStore(dataDir));
  // Only what a shell needs to find bash and coreutils; nothing else leaks in from the test runner.
  const env = { PATH: process.env.PATH, ...extraEnv };
  const built = createEngineServices({ dataDir, env, settings });
  // A test may bring tools of its own (one that never settles, say): they run through the real loop.
  const services = options.tools ? Object.freeze({ ...built, tools: options.tools }) : built;
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

export type TestEngine = Awaited<ReturnType<typeof createTestEngine>>;

/** An engine whose provider is the scripted server, with short timeouts for tests. */
export async function createChatEngine(
  provider: { url: string },
  settings: Record<string, unknown> = {},
  options: { tools?: readonly Tool[]; dataDir?: string } = {},
) {
  const engine = await createTestEngine(
    { OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: 'sk-test-key' },
    options,
  );
  engine.settings.update({ model: 'scripted-model', requestTimeoutMs: 2_000, ...settings });
  return engine;
}

/** A chat engine on `provider` with one window, `w`, open on a fresh workspace holding `files`. */
export async function openChatWindow(
  provider: { url: string },
  files: Record<string, string> = {},
  settings: Record<string, unknown> = {},
  options: { tools?: readonly Tool[]; dataDir?: string } = {},
) {
  const engine = await createChatEngine(provider, settings, options);
  const workspace = await makeWorkspace(files);
  const context = engine.connect('w');
  await context.openWorkspace(workspace);
  return { engine, workspace, context, log: engine.events.get('w')! };
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

/** Resolves with the first recorded event of that name (and matching `where`), polling the log. */
export async function waitForEvent<E extends EventName>(
  log: RecordedEvent[] | undefined,
  name: E,
  where: (payload: EventPayload<E>) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<EventPayload<E>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = log?.find((event) => event.name === name && where(event.payload as EventPayload<E>));
    if (found) return found.payload as EventPayload<E>;
    if (Date.now() > deadline) {
      throw new Error(`No ${name} event within ${timeoutMs} ms; saw: ${log?.map((e) => e.name).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The live (not zombie) processes of a process group, read from /proc. A killed process whose
 * parent died is a zombie until init reaps it; it holds no resources and is not "left behind".
 */
export function groupMembers(pgid: number | undefined): number[] {
  if (!pgid) return [];
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // Fields after the parenthesised command name: state, ppid, pgrp, ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
  }
  return members;
}

export function groupAlive(pgid: number | undefined): boolean {
  return groupMembers(pgid).length > 0;
}
