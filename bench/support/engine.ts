import type { EventName, EventPayload } from '../../src/shared/contract';
import { openConfBackend } from '../../src/main/engine/config/conf-backend';
import type { EnvironmentVariables } from '../../src/main/engine/config/environment-layer';
import { openUserSettings } from '../../src/main/engine/config/open-settings';
import type { UserConfig } from '../../src/shared/config';
import { FileSecretStore } from '../../src/main/engine/config/secret-store';
import { ContextRegistry } from '../../src/main/engine/context/context-registry';
import type { EventSink } from '../../src/main/engine/context/window-context';
import { createEngineServices } from '../../src/main/engine/context/engine-services';
import type { Scope } from './scope';

/**
 * A real engine as a host builds it (settings file, services, registry) in a temp data dir; its
 * contexts are disposed (shells killed) when the scope closes.
 */
export async function createBenchEngine(
  scope: Scope,
  options: { env?: EnvironmentVariables; settings?: UserConfig } = {},
) {
  const dataDir = await scope.tempDir('data');
  const settings = openUserSettings(dataDir, openConfBackend, new FileSecretStore(dataDir));
  // What a shell needs to find bash and coreutils, and nothing else from the bench's environment.
  const env = { PATH: process.env.PATH, ...options.env };
  const services = createEngineServices({ dataDir, env, settings });
  const registry = new ContextRegistry(services);
  scope.defer(() => registry.dispose());
  if (options.settings) settings.update(options.settings);
  return { dataDir, settings, services, registry };
}

export type BenchEngine = Awaited<ReturnType<typeof createBenchEngine>>;

/** What a bench sink saw of one context's events. */
export interface EventTally {
  deltaChars: number;
  deltas: number;
  turnsCompleted: number;
  turnsFailed: number;
  toolsCompleted: number;
  toolsFailed: number;
  lastError: string | null;
  firstDeltaAt: number | null;
  /** When the last assistant message was announced: its stream is about to be requested. */
  assistantAddedAt: number | null;
  /** When the last assistant message was completed: its stream has ended. */
  assistantCompletedAt: number | null;
}

export function newTally(): EventTally {
  return {
    deltaChars: 0,
    deltas: 0,
    turnsCompleted: 0,
    turnsFailed: 0,
    toolsCompleted: 0,
    toolsFailed: 0,
    lastError: null,
    firstDeltaAt: null,
    assistantAddedAt: null,
    assistantCompletedAt: null,
  };
}

/** A client sink that only counts: the cheapest client there is, so the engine is what is measured. */
export function countingSink(tally: EventTally): EventSink {
  return <E extends EventName>(name: E, payload: EventPayload<E>) => {
    switch (name) {
      case 'message.delta':
        tally.deltas++;
        tally.deltaChars += (payload as EventPayload<'message.delta'>).text.length;
        tally.firstDeltaAt ??= performance.now();
        return;
      case 'message.added':
        if ((payload as EventPayload<'message.added'>).message.role === 'assistant')
          tally.assistantAddedAt = performance.now();
        return;
      case 'message.completed':
        if ((payload as EventPayload<'message.completed'>).message.role === 'assistant')
          tally.assistantCompletedAt = performance.now();
        return;
      case 'turn.completed':
        tally.turnsCompleted++;
        return;
      case 'turn.failed':
        tally.turnsFailed++;
        tally.lastError = (payload as EventPayload<'turn.failed'>).error.message;
        return;
      case 'tool.completed':
        if ((payload as EventPayload<'tool.completed'>).status === 'completed') tally.toolsCompleted++;
        else tally.toolsFailed++;
        return;
      default:
        return;
    }
  };
}
