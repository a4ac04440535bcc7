/**
 * One logical client (a window that may be closed and reopened) driven through its seeded
 * schedule over the real Router. Each context it gets is one "generation" with its own event
 * sink; whatever that sink receives is checked against what this client owns.
 */
import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type {
  EventName,
  EventPayload,
  RequestInput,
  RequestName,
  RequestOutput,
} from '../src/shared/contract';
import type { RpcErrorShape } from '../src/shared/errors';
import type { EventSink } from '../src/main/engine/context/window-context';
import type { TestEngine } from '../test/support/engine';
import { checkEvent } from './event-check';
import type { Ownership } from './ownership';
import { ACTIONS, ANSWERS, MID_TURN, turnPlan, type MidTurn } from './schedule';
import { derive, type Random } from './seeded-random';
import type { StressStats } from './stress-stats';
import { deferred, sleep, within, type Deferred } from './timing';
import { editedArgs, encodeMessage, findTag, parseCallId } from './turn-plan';

/** Longer than any scripted turn takes, even with 50 contexts on two cores. */
const TURN_TIMEOUT_MS = 30_000;

export interface StressWorld {
  engine: TestEngine;
  ownership: Ownership;
  stats: StressStats;
  /** Where every client's workspace folders live, each named after its owner's secret. */
  root: string;
  seed: number;
  /** Calls waiting for approval, by call id: the targets of forged answers. */
  waitingCalls: Map<string, string>;
  /** Every shell process group seen, to check none outlives the run. */
  shellPids: Set<number>;
}

type TurnEnd = 'completed' | 'failed';

interface TurnRecord {
  generation: number;
  end: Deferred<TurnEnd>;
  ended: boolean;
  /** Its context was released before it ended: no end event is owed. */
  disposed: boolean;
  /** Already counted as hung. */
  hung: boolean;
}

/**
 * Errors that are answers, not faults: an approval that lost the race with an interrupt, a folder
 * switch refused while a turn runs (a turn's tools stay in the folder it started in).
 */
const EXPECTED_ERRORS: Partial<Record<RequestName, string[]>> = {
  'tool.respond': ['NotFound'],
  'workspace.open': ['Busy'],
};

export class StressClient {
  readonly id: string;
  readonly secret: string;
  /** Tags of files that a completed write reported written: each must be found in a workspace. */
  readonly expectedTags = new Set<string>();
  readonly conversations: string[] = [];
  /**
   * The first message this client wrote after opening a conversation, and the line it must be on:
   * a line before it that the window never saw means another writer was still appending.
   */
  readonly handovers: Array<{ conversationId: string; line: number; messageId: string }> = [];
  readonly #world: StressWorld;
  readonly #random: Random;
  readonly #answers: Random;
  readonly #workspaces: string[] = [];
  readonly #released = new Set<number>();
  readonly #turns = new Map<string, TurnRecord>();
  /** The tag of the arguments each call will run with (the model's, or the user's edit). */
  readonly #callTags = new Map<string, string>();
  readonly #disposedTurns: Array<Promise<void | 'timed-out'>> = [];
  #generation = 0;
  #turnNumber = 0;
  /** The conversation the current context has attached, as far as this client knows. */
  #attached: string | undefined;
  /** The last conversation opened, and how long its log was: where this window's next write goes. */
  #opened: { id: string; length: number; generation: number } | undefined;

  constructor(world: StressWorld, index: number) {
    this.#world = world;
    this.id = `client-${index}`;
    this.#random = derive(world.seed, `actions:${index}`);
    this.#answers = derive(world.seed, `answers:${index}`);
    // The index in the secret keeps secrets distinct; the rest makes them unguessable substrings.
    this.secret = `sec_${index.toString(16).padStart(3, '0')}${derive(world.seed, `secret:${index}`).hex(5)}`;
    world.ownership.addClient(this.id, this.secret);
  }

  async run(steps: number): Promise<void> {
    await this.#connect();
    for (let step = 0; step < steps; step++) {
      const action = this.#random.weighted(ACTIONS);
      switch (action) {
        case 'send':
          await this.#send();
          break;
        case 'config':
          await this.#setConfig();
          break;
        case 'workspace':
          await this.#switchWorkspace();
          break;
        case 'newConversation':
          await this.#newConversation();
          break;
        case 'openConversation':
          await this.#openConversation();
          break;
        case 'dispose':
          this.#release();
          await this.#connect();
          break;
        case 'probe':
          await this.#probe();
          break;
      }
    }
  }

  /** Closes the last context and waits for every turn a release cut short to wind down. */
  async finish(): Promise<void> {
    this.#release();
    for (const outcome of await Promise.all(this.#disposedTurns)) {
      if (outcome === 'timed-out') this.#hung('a turn of a released context never finished');
    }
    for (const [turnId, turn] of this.#turns) {
      if (!turn.ended && !turn.disposed && !turn.hung) this.#hung(`turn ${turnId} never ended`);
    }
  }

  // --- the actions

  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    this.#world.engine.registry.create(this.id, this.#sink(generation));
    // A reloaded window restores its conversation at once, maybe while the closed one's turn
    // is still writing its last messages to it.
    if (this.#attached && this.#random.chance(0.5)) {
      if (await this.#openConversation(this.#attached)) return;
    }
    const reuse = this.#workspaces.length > 0 && this.#random.chance(0.6);
    const folder = reuse ? this.#random.pick(this.#workspaces) : await this.#newWorkspace();
    await this.#openWorkspace(folder);
    if (this.conversations.length > 0 && this.#random.chance(0.4)) await this.#openConversation();
  }

  #release(): void {
    const { registry } = this.#world.engine;
    const context = registry.get(this.id);
    if (!context) return;
    this.#noteShell();
    const running = context.chat.waitForTurn();
    this.#released.add(this.#generation);
    for (const turn of this.#turns.values()) {
      if (turn.generation === this.#generation && !turn.ended) {
        turn.disposed = true;
        this.#world.stats.turnsDisposed++;
      }
    }
    registry.release(this.id);
    for (const [callId, owner] of this.#world.waitingCalls) {
      if (owner === this.id) this.#world.waitingCalls.delete(callId);
    }
    this.#world.stats.disposals++;
    // A released context's turn must still end (its log written, its shell gone), only silently.
    this.#disposedTurns.push(within(running, TURN_TIMEOUT_MS));
  }

  async #send(): Promise<void> {
    const plan = turnPlan(this.#random);
    const mid = this.#random.weighted(MID_TURN);
    const delay = this.#random.int(0, 120);
    const turnNumber = ++this.#turnNumber;
    const generation = this.#generation;
    const sent = await this.#call('chat.send', { text: encodeMessage(this.secret, turnNumber, plan) });
    if (!sent) return;
    this.#world.stats.sends++;
    const turn = this.#turn(sent.turnId, generation);
    if (mid !== 'none') {
      await sleep(delay);
      await this.#midTurn(mid);
    }
    if (turn.disposed) return;
    const outcome = await within(turn.end.promise, TURN_TIMEOUT_MS);
    this.#noteShell();
    if (outcome === 'timed-out') {
      turn.hung = true;
      this.#hung(`turn ${sent.turnId} (turn ${turnNumber}) did not end within ${TURN_TIMEOUT_MS} ms`);
      await this.#call('chat.interrupt', {});
      await within(turn.end.promise, TURN_TIMEOUT_MS);
    }
  }

  async #midTurn(mid: Exclude<MidTurn, 'none'>): Promise<void> {
    switch (mid) {
      case 'interrupt': {
        const answer = await this.#call('chat.interrupt', {});
        if (answer?.interrupted) this.#world.stats.interrupts++;
        return;
      }
      case 'dispose':
        this.#release();
        return this.#connect();
      case 'workspace':
        return this.#switchWorkspace();
      case 'config':
        return this.#setConfig();
      case 'probe':
        return this.#probe();
    }
  }

  async #setConfig(): Promise<void> {
    const model = `m-${this.secret}-${this.#random.int(1, 3)}`;
    const unsetTemperature = this.#random.chance(0.3);
    const temperature = this.#random.int(0, 20) / 10;
    const snapshot = await this.#call('config.set', {
      scope: 'chat',
      values: unsetTemperature ? { model } : { model, temperature },
      ...(unsetTemperature ? { unset: ['temperature' as const] } : {}),
    });
    if (!snapshot) return;
    this.#world.stats.configChanges++;
    if (snapshot.effective.model !== model)
      this.#world.ownership.violation(`${this.id} set model ${model}, got ${snapshot.effective.model}`);
  }

  async #switchWorkspace(): Promise<void> {
    const fresh = this.#workspaces.length < 2 || this.#random.chance(0.35);
    const folder = fresh ? await this.#newWorkspace() : this.#random.pick(this.#workspaces);
    if (await this.#openWorkspace(folder)) this.#world.stats.workspaceSwitches++;
  }

  async #newConversation(): Promise<void> {
    const created = await this.#call('conversation.new', {
      name: `${this.secret} #${this.conversations.length}`,
    });
    if (!created) return;
    this.#world.stats.newConversations++;
    this.#world.ownership.claim('conversation', created.id, this.id, 'conversation.new');
    this.#own(created.id);
    this.#attached = created.id;
    this.#opened = undefined;
  }

  async #openConversation(chosen?: string): Promise<boolean> {
    if (this.conversations.length === 0) return false;
    const id = chosen ?? this.#random.pick(this.conversations);
    const detail = await this.#call('conversation.open', { id });
    if (!detail) return false;
    this.#attached = id;
    this.#opened = { id, length: detail.messages.length, generation: this.#generation };
    this.#world.stats.conversationSwitches++;
    if (detail.id !== id) this.#world.ownership.violation(`${this.id} opened ${id}, got ${detail.id}`);
    // Attached means claimed: while this window has it, no other window may open it.
    const owner = this.#world.engine.services.owners.ownerOf(id);
    if (owner !== this.id)
      this.#world.ownership.violation(`${this.id} has ${id} open, but its owner is ${owner}`);
    return true;
  }

  /** Answers another client's waiting tool call from this client: it must be refused. */
  async #probe(): Promise<void> {
    const target = [...this.#world.waitingCalls].find(([, owner]) => owner !== this.id)?.[0];
    if (!target) return;
    this.#world.stats.probes++;
    const answer = await this.#world.engine.router.handle(this.id, 'tool.respond', {
      callId: target,
      response: { action: 'approve' },
    });
    if (answer.ok)
      this.#world.ownership.violation(`${this.id} answered the call ${target} of another client`);
  }

  // --- events

  #sink(generation: number): EventSink {
    return <E extends EventName>(name: E, payload: EventPayload<E>) => {
      if (this.#released.has(generation)) {
        this.#world.ownership.violation(`${name} reached ${this.id} after its context was released`);
        return;
      }
      checkEvent(this.#world.ownership, this.id, name, payload);
      this.#track(generation, name, payload);
    };
  }

  #track<E extends EventName>(generation: number, name: E, payload: EventPayload<E>): void {
    const p = payload as Partial<EventPayload<'tool.completed'> & EventPayload<'message.completed'>> & {
      turnId?: string;
      tool?: string;
      args?: Record<string, unknown>;
    };
    if (typeof p.conversationId === 'string' && this.#own(p.conversationId))
      this.#attached = p.conversationId;
    switch (name) {
      case 'message.added': {
        const opened = this.#opened;
        if (p.message?.role !== 'user' || opened?.generation !== generation) return;
        if (opened.id === p.conversationId)
          this.handovers.push({ conversationId: opened.id, line: opened.length, messageId: p.message.id });
        this.#opened = undefined;
        return;
      }
      case 'turn.started':
        this.#turn(p.turnId!, generation);
        return;
      case 'turn.completed':
      case 'turn.failed': {
        const turn = this.#turn(p.turnId!, generation);
        turn.ended = true;
        this.#world.stats[name === 'turn.completed' ? 'turnsCompleted' : 'turnsFailed']++;
        turn.end.resolve(name === 'turn.completed' ? 'completed' : 'failed');
        return;
      }
      case 'message.completed':
        for (const call of p.message?.tool_calls ?? []) {
          const tag = findTag(JSON.stringify(call.args));
          if (tag) this.#callTags.set(call.id, tag);
        }
        return;
      case 'tool.pending':
        this.#world.waitingCalls.set(p.callId!, this.id);
        this.#answer(generation, p.callId!, p.tool!);
        return;
      case 'tool.completed': {
        this.#world.waitingCalls.delete(p.callId!);
        const output = p.result?.output ?? '';
        const wrote = /\[exit code 0\]$/.test(output) || output.startsWith('Saved ');
        const tag = this.#callTags.get(p.callId!);
        if (p.status === 'completed' && wrote && tag) this.expectedTags.add(tag);
        this.#checkShellState(output);
        return;
      }
    }
  }

  /** A `check` call prints the shell's env and cwd: both must be this client's. */
  #checkShellState(output: string): void {
    const state = /env=(\S+) pwd=(\S+)/.exec(output);
    if (!state) return;
    if (state[1] !== 'unset' && state[1] !== this.secret)
      this.#world.ownership.violation(`${this.id}'s shell had DM_OWNER=${state[1]}`);
    const top = path.relative(this.#world.root, state[2]!).split(path.sep)[0] ?? '';
    if (!this.#world.ownership.ownsWorkspace(this.id, path.join(this.#world.root, top)))
      this.#world.ownership.violation(`${this.id}'s shell was in ${state[2]}`);
  }

  #answer(generation: number, callId: string, tool: string): void {
    const choice = this.#answers.weighted(ANSWERS);
    const count = this.#answers.int(1, 3);
    const delay = this.#answers.int(0, 15);
    setTimeout(() => void this.#respond(generation, callId, tool, choice, count), delay);
  }

  async #respond(
    generation: number,
    callId: string,
    tool: string,
    choice: keyof typeof ANSWERS,
    count: number,
  ): Promise<void> {
    if (this.#released.has(generation)) return;
    const call = parseCallId(callId);
    const previousTag = this.#callTags.get(callId);
    let response: RequestInput<'tool.respond'>['response'];
    if (choice === 'edit' && call) {
      const args = editedArgs(tool, this.secret, call.turn, call.index);
      // Recorded before answering: the edited call may complete before the answer returns.
      this.#callTags.set(callId, findTag(JSON.stringify(args))!);
      response = { action: 'edit', args };
    } else if (choice === 'auto') response = { action: 'auto', count };
    else response = { action: choice === 'skip' ? 'skip' : 'approve' };
    const answer = await this.#call('tool.respond', { callId, response });
    if (!answer) {
      if (previousTag) this.#callTags.set(callId, previousTag);
      this.#world.stats.staleAnswers++;
      return;
    }
    const key = ({ approve: 'approvals', skip: 'skips', edit: 'edits', auto: 'autos' } as const)[choice];
    this.#world.stats[key]++;
  }

  // --- helpers

  async #call<M extends RequestName>(
    method: M,
    input: RequestInput<M>,
  ): Promise<RequestOutput<M> | undefined> {
    const result = await this.#world.engine.router.handle(this.id, method, input);
    if (result.ok) {
      // Answers too must carry nothing of another client.
      this.#world.ownership.checkText(this.id, JSON.stringify(result.value) ?? '', `answer to ${method}`);
      return result.value as RequestOutput<M>;
    }
    this.#error(method, result.error);
    return undefined;
  }

  #error(method: RequestName, error: RpcErrorShape): void {
    if (EXPECTED_ERRORS[method]?.includes(error.name)) return;
    const key = `${method}: ${error.name}`;
    const errors = this.#world.stats.unexpectedErrors;
    errors[key] = (errors[key] ?? 0) + 1;
    if (errors[key] === 1) console.warn(`stress: ${this.id} ${key}: ${error.message}`);
  }

  async #newWorkspace(): Promise<string> {
    const folder = path.join(this.#world.root, `ws-${this.secret}-${this.#workspaces.length}`);
    await mkdir(folder);
    const real = await realpath(folder);
    this.#world.ownership.addWorkspace(this.id, folder);
    this.#world.ownership.addWorkspace(this.id, real);
    this.#workspaces.push(real);
    return real;
  }

  async #openWorkspace(folder: string): Promise<boolean> {
    const info = await this.#call('workspace.open', { path: folder });
    if (info && info.workspace !== folder)
      this.#world.ownership.violation(`${this.id} opened ${folder}, got ${info.workspace}`);
    return info !== undefined;
  }

  #turn(turnId: string, generation: number): TurnRecord {
    let turn = this.#turns.get(turnId);
    if (!turn) {
      turn = { generation, end: deferred<TurnEnd>(), ended: false, disposed: false, hung: false };
      this.#turns.set(turnId, turn);
    }
    return turn;
  }

  /** Adds a conversation to this client's own; false if it is another's (seen by cross-talk). */
  #own(conversationId: string): boolean {
    if (this.#world.ownership.ownerOf('conversation', conversationId) !== this.id) return false;
    if (!this.conversations.includes(conversationId)) this.conversations.push(conversationId);
    return true;
  }

  #noteShell(): void {
    const pid = this.#world.engine.registry.get(this.id)?.shellPid;
    if (pid) this.#world.shellPids.add(pid);
  }

  #hung(message: string): void {
    this.#world.stats.hungTurns++;
    this.#world.ownership.violation(`${this.id}: ${message}`);
  }
}
