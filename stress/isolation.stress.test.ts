// N contexts driven at once through the real Router by a seeded random schedule; the scripted
// OpenAI-compatible server is the only fake. Everything a client receives, every request the
// model gets, every file and every conversation log is checked against who owns it.
import { realpath } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { createChatEngine, groupAlive } from '../test/support/engine';
import { processesInside } from '../test/support/process-scan';
import { startScriptedProvider } from '../test/support/scripted-provider';
import { tempDir } from '../test/support/temp-dir';
import { logProblem } from './log-check';
import { Ownership } from './ownership';
import { StressClient, type StressWorld } from './stress-client';
import { stressModel } from './stress-model';
import { stressOptions } from './stress-options';
import { newStressStats } from './stress-stats';
import { sleep } from './timing';
import { filesHolding } from '../test/support/secret-scan';
import { scanWorkspaces } from './workspace-scan';

const options = stressOptions();
// createChatEngine puts ENV_KEY in the host's environment, as a user's shell would.
const ENV_KEY = 'sk-test-key';
const USER_KEY = 'sk-stress-user-key';

it(
  `${options.contexts} contexts under a random schedule never see each other`,
  { timeout: 30_000 + options.contexts * options.steps * 200 },
  async () => {
    const { seed, contexts, steps } = options;
    console.log(
      `stress: seed=${seed} N=${contexts} steps=${steps} (replay with DESKMATE_STRESS_SEED=${seed} DESKMATE_STRESS_N=${contexts} DESKMATE_STRESS_STEPS=${steps})`,
    );
    const ownership = new Ownership();
    const stats = newStressStats();
    const provider = await startScriptedProvider({ respond: stressModel(ownership, stats) });
    try {
      // Two keys: one from the host's environment, one the user saved in settings (the secret store).
      const engine = await createChatEngine(provider, {
        requestTimeoutMs: 15_000,
        provider: { apiKey: USER_KEY },
      });
      const world: StressWorld = {
        engine,
        ownership,
        stats,
        root: await realpath(await tempDir('deskmate-stress-')),
        seed,
        waitingCalls: new Map(),
        shellPids: new Set(),
      };
      const clients = Array.from({ length: contexts }, (_, index) => new StressClient(world, index));
      const started = performance.now();
      await Promise.all(clients.map((client) => client.run(steps)));
      await Promise.all(clients.map((client) => client.finish()));
      const durationMs = Math.round(performance.now() - started);

      // Every context is gone, and with it everything it registered on shared services.
      const leftOver = {
        contexts: engine.registry.size,
        conversationOwners: engine.services.owners.size,
        settingsListeners: engine.settings.listenerCount,
      };
      await sleep(200); // SIGKILL is delivered asynchronously
      const liveShellGroups = [...world.shellPids].filter((pid) => groupAlive(pid));
      const processesInWorkspaces = processesInside(world.root);

      // Files landed only in their owner's workspaces, and every write reported done is there.
      const scan = await scanWorkspaces(world.root, ownership);
      let missingWrites = 0;
      for (const client of clients) {
        const found = scan.tags.get(client.secret) ?? new Set<string>();
        for (const tag of client.expectedTags) {
          if (found.has(tag)) continue;
          missingWrites++;
          ownership.violation(
            `${client.id}: the write ${tag} was reported done but is in none of its workspaces`,
          );
        }
      }

      // Each conversation log holds its owner's words only, and is still resumable.
      let conversations = 0;
      for (const client of clients) {
        for (const id of client.conversations) {
          conversations++;
          const log = await engine.services.conversations.open(id);
          ownership.checkText(client.id, JSON.stringify(log.messages), `log of ${id}`);
          const problem = logProblem(log.messages);
          if (problem) ownership.violation(`${client.id}: log of ${id}: ${problem}`);
          for (const handover of client.handovers.filter((h) => h.conversationId === id)) {
            const found = log.messages[handover.line]?.id;
            if (found !== handover.messageId)
              ownership.violation(
                `${client.id}: log of ${id}: line ${handover.line} is ${found}, not the first message written after opening it`,
              );
          }
        }
      }

      // Every `env` a shell printed went into logs and artifacts: no key may be in any of them.
      const keyFiles = [
        ...(await filesHolding(engine.dataDir, [ENV_KEY, USER_KEY])),
        ...(await filesHolding(world.root, [ENV_KEY, USER_KEY])).map((file) => `workspaces/${file}`),
      ];

      const { toolCalls, sends, approvals, skips, interrupts, disposals } = stats;
      const summary = {
        seed,
        N: contexts,
        steps,
        sends,
        toolCalls,
        approvals,
        skips,
        interrupts,
        disposals,
        crossTalk: ownership.crossTalk,
        durationMs,
        edits: stats.edits,
        autos: stats.autos,
        probes: stats.probes,
        configChanges: stats.configChanges,
        workspaceSwitches: stats.workspaceSwitches,
        conversationSwitches: stats.conversationSwitches,
        newConversations: stats.newConversations,
        requests: stats.requests,
        turnsCompleted: stats.turnsCompleted,
        turnsFailed: stats.turnsFailed,
        turnsDisposed: stats.turnsDisposed,
        hungTurns: stats.hungTurns,
        files: scan.files,
        expectedWrites: clients.reduce((sum, client) => sum + client.expectedTags.size, 0),
        missingWrites,
        conversations,
        shells: world.shellPids.size,
        unexpectedErrors: stats.unexpectedErrors,
        keyFiles,
      };
      console.log(JSON.stringify(summary));

      expect(keyFiles).toEqual(['secrets.json']);
      expect(leftOver).toEqual({ contexts: 0, conversationOwners: 0, settingsListeners: 0 });
      expect(liveShellGroups).toEqual([]);
      expect(processesInWorkspaces).toEqual([]);
      expect(ownership.violations.slice(0, 20)).toEqual([]);
      expect(stats.hungTurns).toBe(0);
      expect(stats.unexpectedErrors).toEqual({});
      // The schedule really exercised the engine: turns ran and tools were called and answered.
      expect(sends).toBeGreaterThan(0);
      expect(toolCalls).toBeGreaterThan(0);
      expect(stats.turnsCompleted).toBeGreaterThan(0);
      expect(scan.files).toBeGreaterThan(0);
    } finally {
      await provider.close();
    }
  },
);
