import { createHash, randomUUID } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import {
  chatConfigSchema,
  type ChatConfig,
  type ConfigLayer,
  type ConfigSnapshot,
  type ToolName,
} from '../../../shared/config';
import type { EventName, EventPayload, WorkspaceInfo, WorkspaceSuggestion } from '../../../shared/contract';
import { UNTRUSTED, type WorkspaceTrust } from '../../../shared/workspace-trust';
import { NamedError } from '../../../shared/errors';
import { deepFreeze } from '../base/deep-freeze';
import { collectProblems, mergeLayers } from '../config/merge';
import { loadProjectLayers, PROJECT_FILES } from '../config/project-layer';
import { applyTrust, fingerprintOf, trustRequestOf } from '../config/workspace-trust';
import { redactSnapshot } from '../config/redact';
import { sanitizeLayer } from '../config/sanitize';
import type { ChatHost } from '../agent/chat-host';
import { ChatSession } from '../agent/chat-session';
import { builtinToolSource } from '../tools/builtin-tool-source';
import type { ShellSession } from '../tools/shell-session';
import type { ToolSource } from '../tools/tool-source';
import { EventBatcher } from './event-batcher';
import { DisposableStore, toDisposable, type Disposable } from '../base/disposable';
import type { EngineServices } from './engine-services';
import { watchProjectFiles } from './project-files-watcher';
import { throttle } from '../base/throttle';
import { WorkspaceShell } from './workspace-shell';
import { isFolder, knownFolder } from './known-folder';

const CONVERSATIONS_CHANGED_MS = 1000;

/** Delivers one event to the one client this context belongs to. */
export type EventSink = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export type ClientId = string;

/**
 * Everything one window (or browser tab) owns: workspace, config layers, the workspace's shell, the
 * chat session, and every resource it registers. Disposing it releases all of them; nothing it
 * holds is reachable from another context. The chat session sees it only as its ChatHost.
 */
export class WindowContext implements Disposable, ChatHost {
  readonly id = randomUUID();
  readonly clientId: ClientId;
  readonly #services: EngineServices;
  readonly #batcher: EventBatcher;
  readonly #store = new DisposableStore();
  readonly #abort = new AbortController();
  readonly chat: ChatSession;
  // The workspace's: reset with the folder or its trust, killed with the window.
  readonly #shell: WorkspaceShell;
  #workspace: string | null = null;
  #projectLayers: readonly ConfigLayer[] = [];
  #chatLayer: ConfigLayer = deepFreeze({ source: 'chat', values: {}, problems: [] });
  #snapshot: ConfigSnapshot;
  #trust: WorkspaceTrust = UNTRUSTED;
  // Trust given for this run only (the CLI's --trust), never saved.
  #trustedForRun: { folder: string; fingerprint: string } | undefined;
  // The fingerprint of the request the user declined in this window: asked again only for another.
  #declinedFingerprint: string | undefined;
  // Bumped by every workspace switch so a slow earlier load cannot overwrite a newer one.
  #workspaceGeneration = 0;
  // Folder opens under way (a conversation being opened switches folders too).
  #switching = 0;
  // The client is gone for now (a browser tab closed or reloading, its context waiting out the
  // grace period): another window may take its conversation without asking.
  #away = false;
  // Watches the open workspace's project files: an edit applies without reopening the folder.
  #projectWatch: Disposable | undefined;
  // A conversation's recorded folder the user has never opened here: offered, never adopted silently.
  #suggested: WorkspaceSuggestion | undefined;

  constructor(clientId: ClientId, services: EngineServices, sink: EventSink) {
    this.clientId = clientId;
    this.#services = services;
    this.#batcher = new EventBatcher(sink);
    this.#snapshot = this.#compute();
    this.#store.add(
      toDisposable(() => this.#abort.abort(new NamedError('Disposed', 'The window was closed'))),
    );
    this.#store.add(services.settings.onDidChange(() => this.#refresh()));
    // Every window's list follows changes made anywhere; a streaming turn sends one a second at most.
    const listChanged = this.#store.add(
      throttle(() => this.emit('conversations.changed', {}), CONVERSATIONS_CHANGED_MS),
    );
    this.#store.add(services.conversations.onDidChange(() => listChanged.schedule()));
    this.#store.add(toDisposable(() => this.#projectWatch?.dispose()));
    // Before the session, so the session (and its turn) goes first and the shell after it.
    this.#shell = this.#store.add(new WorkspaceShell());
    this.chat = this.#store.add(new ChatSession(this));
    this.#store.add(this.#batcher);
  }

  get services(): EngineServices {
    return this.#services;
  }

  get chatConfig(): ChatConfig {
    return this.#chatLayer.values;
  }

  get disposed(): boolean {
    return this.#store.isDisposed;
  }

  /** Aborted when the context is disposed: everything long-running it starts listens to this. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get workspace(): string | null {
    return this.#workspace;
  }

  /** The full effective config, keys included: for the engine's own use, never sent to a client. */
  get config(): ConfigSnapshot {
    return this.#snapshot;
  }

  /** What a client may see of the config: API keys redacted. */
  publicConfig(): ConfigSnapshot {
    return redactSnapshot(this.#snapshot);
  }

  /** Whether this workspace's project files apply in full, and what trust would add. */
  get trust(): WorkspaceTrust {
    return this.#trust;
  }

  get away(): boolean {
    return this.#away;
  }

  /** Set by the host when its client goes (true) and comes back (false). */
  setAway(away: boolean): void {
    this.#away = away;
  }

  get resourceCount(): number {
    return this.#store.size;
  }

  register<T extends Disposable>(resource: T): T {
    return this.#store.add(resource);
  }

  /** Sends an event to this context's client only; streamed text is batched (EventBatcher). */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    if (this.disposed) return;
    this.#batcher.emit(name, payload);
  }

  /**
   * Opens a folder as this window's workspace. A different folder resets every approval grant: a
   * grant never carries into another workspace. Refused while a turn runs.
   */
  async openWorkspace(folder: string): Promise<WorkspaceInfo> {
    this.#assertAlive();
    this.#assertNoTurn();
    this.#switching++;
    try {
      return await this.#openWorkspace(folder);
    } finally {
      this.#switching--;
    }
  }

  /** True while a folder is being opened: a turn started now would begin in one folder and go on in another. */
  get switching(): boolean {
    return this.#switching > 0;
  }

  #assertNoTurn(): void {
    if (this.chat.busy) {
      throw new NamedError('Busy', 'A turn is running in this window; stop it before opening another folder');
    }
  }

  async #openWorkspace(folder: string): Promise<WorkspaceInfo> {
    // Stryker disable next-line UpdateOperator: counting down makes each generation as distinct as counting up
    const generation = ++this.#workspaceGeneration;
    let resolved: string;
    try {
      resolved = await realpath(folder);
      if (!(await stat(resolved)).isDirectory()) {
        throw new NamedError('InvalidRequest', `Not a folder: ${folder}`, { path: folder });
      }
    } catch (error) {
      if (error instanceof NamedError) throw error;
      throw new NamedError('NotFound', `Folder not found: ${folder}`, { path: folder });
    }
    const layers = await loadProjectLayers(resolved, this.signal);
    if (this.disposed || generation !== this.#workspaceGeneration) {
      throw new NamedError('Cancelled', 'Another workspace was opened meanwhile');
    }
    const changed = this.#workspace !== resolved;
    this.#workspace = resolved;
    this.#projectLayers = layers;
    this.#suggested = undefined;
    if (changed) {
      this.#declinedFingerprint = undefined;
      this.#watchProjectFiles(resolved);
      this.#services.settings.addRecentWorkspace(resolved);
      this.#resetShellAndGrants();
      const id = this.chat.conversationId;
      if (id) await this.#services.conversations.setWorkspace(id, resolved);
    }
    // The same folder read again may ask for something else: #refresh then ends trust and grants.
    this.#refresh({ announce: true });
    return this.workspaceInfo();
  }

  workspaceInfo(): WorkspaceInfo {
    const suggested = this.#suggested;
    return {
      workspace: this.#workspace,
      projectFiles: this.#projectLayers.flatMap((layer) => (layer.path ? [layer.path] : [])),
      trust: this.#trust,
      // Only while its conversation is the one open here: a new chat or another one drops it.
      ...(suggested && suggested.conversationId === this.chat.conversationId ? { suggested } : {}),
    };
  }

  /**
   * The user's answer to the trust prompt. Trusting saves the folder with exactly what its project
   * files ask for now; declining (or revoking) forgets any trust and closes the prompt in this window.
   */
  setTrust(trusted: boolean, seen?: string): WorkspaceInfo {
    this.#assertAlive();
    const workspace = this.#workspace;
    if (!workspace) throw new NamedError('NoWorkspace', 'No workspace folder is open');
    const fingerprint = this.#trust.fingerprint;
    // The user answered a list on screen: if the files asked for something else meanwhile, that
    // answer is not for this request.
    if (trusted && seen !== undefined && seen !== fingerprint) {
      throw new NamedError(
        'TrustRequestChanged',
        "This folder's project files changed while you were deciding; review the new list",
        { trust: this.#trust },
      );
    }
    this.#declinedFingerprint = trusted ? undefined : fingerprint;
    // Saving notifies every context (this one included) through the settings listener.
    if (!this.#services.settings.setTrust(workspace, trusted ? fingerprint : undefined)) this.#refresh();
    return this.workspaceInfo();
  }

  /**
   * Trusts the open workspace, as its project files ask now, for this context's lifetime only and
   * never saved: the CLI's `--trust`. A conversation that moves the context elsewhere leaves it behind.
   */
  trustForThisRun(): void {
    this.#assertAlive();
    if (!this.#workspace) throw new NamedError('NoWorkspace', 'No workspace folder is open');
    this.#trustedForRun = { folder: this.#workspace, fingerprint: this.#trust.fingerprint };
    this.#refresh();
  }

  // Stryker disable next-line ArrayDeclaration: unsetting a key no config has changes nothing
  setChatConfig(values: ChatConfig, unset: readonly string[] = []): ConfigSnapshot {
    this.#assertAlive();
    const next: Record<string, unknown> = { ...this.#chatLayer.values };
    for (const key of unset) delete next[key];
    Object.assign(next, values);
    this.#chatLayer = sanitizeLayer(chatConfigSchema, next, { source: 'chat' });
    this.#refresh();
    const id = this.chat.conversationId;
    if (id) {
      const saving = this.#services.conversations.setChat(id, this.#chatLayer.values, this.grantScope);
      saving.catch((error: unknown) => {
        console.warn(`deskmate: could not save the chat config of ${id}:`, error);
      });
    }
    return this.publicConfig();
  }

  /**
   * Where an approval grant given now applies: this folder, under this trust. A grant saved with a
   * conversation is honoured again only under the same scope.
   */
  get grantScope(): string {
    const trust = this.#trust.trusted ? this.#trust.fingerprint : 'untrusted';
    return createHash('sha256')
      .update(`${this.#workspace ?? ''}\0${trust}`)
      .digest('hex');
  }

  /**
   * Reads the workspace's project files again: a pull or an edit may have changed what they ask
   * for, and a changed request is untrusted until answered. Called before each turn and on reload.
   */
  async reloadProjectFiles(options: { announce?: boolean } = {}): Promise<void> {
    this.#assertAlive();
    const workspace = this.#workspace;
    if (!workspace) return;
    const generation = this.#workspaceGeneration;
    const layers = await loadProjectLayers(workspace, this.signal);
    if (this.disposed || generation !== this.#workspaceGeneration || workspace !== this.#workspace) return;
    this.#projectLayers = layers;
    this.#refresh(options);
  }

  /**
   * From now on, an edit of the folder's project files reloads them: a fixed file's problem goes,
   * and a file that now asks for more is untrusted until answered (the same check as on open).
   */
  #watchProjectFiles(folder: string): void {
    this.#projectWatch?.dispose();
    this.#projectWatch = watchProjectFiles(folder, PROJECT_FILES, () => {
      // Stryker disable next-line ConditionalExpression: closed, the reload refuses (NoContext) and nothing is said
      if (this.disposed) return;
      // Announced: the files listed in the header may have come or gone.
      this.reloadProjectFiles({ announce: true }).catch((error: unknown) => {
        if (!this.disposed) console.warn(`deskmate: could not reload the project files of ${folder}:`, error);
      });
    });
  }

  /** The workspace's persistent shell with this environment, for a tool of this window's turn. */
  shell(env: Readonly<Record<string, string>>): ShellSession {
    const workspace = this.#workspace;
    if (!workspace)
      throw new NamedError('NoWorkspace', 'No workspace folder is open; ask the user to open one.');
    return this.#shell.get(workspace, env);
  }

  /** The built-in tools this window's config enables; an MCP source will join them here. */
  toolSource(enabled: readonly ToolName[]): ToolSource {
    return builtinToolSource(this.services.tools, enabled);
  }

  /** The workspace shell's process id; undefined until a command has started it. */
  get shellPid(): number | undefined {
    return this.#shell.pid;
  }

  /**
   * A conversation opened in this window brings its chat config, and its folder when it was made
   * elsewhere, but only a folder the user has opened in Deskmate (a recent or a trusted one): a
   * log can come from a stranger (an import), and `read` needs no approval inside the workspace,
   * so a recorded `/home/user` must not become the workspace by itself. Any other folder is
   * offered (`suggested`, opened only through workspace.open); a folder that is gone leaves the
   * window where it is.
   */
  async adoptConversation(saved: { chat: ChatConfig; workspace: string | null }): Promise<void> {
    this.restoreChatConfig(saved.chat);
    const hadSuggestion = this.#suggested !== undefined;
    this.#suggested = undefined;
    const recorded = saved.workspace;
    if (recorded && recorded !== this.#workspace) {
      const known = await knownFolder(recorded, this.#knownFolders());
      if (known) {
        await this.openWorkspace(known).catch(() => undefined);
        return;
      }
      const conversationId = this.chat.conversationId;
      if (conversationId && (await isFolder(recorded))) {
        this.#suggested = { folder: recorded, conversationId };
      }
    }
    if (hadSuggestion || this.#suggested) this.emit('workspace.changed', this.workspaceInfo());
  }

  /** The folders the user opened or trusted here: the ones a conversation may bring without asking. */
  #knownFolders(): string[] {
    const { settings } = this.#services;
    return [...settings.recentWorkspaces(), ...settings.trustedFolders().map((record) => record.path)];
  }

  /**
   * Another folder, or another trust in the same one: the shell starts anew (its cwd, files and env
   * belong to what was) and every approval grant ends, the chat-level auto-approve included.
   */
  #resetShellAndGrants(): void {
    this.#shell.reset();
    this.chat.clearGrants();
    if (this.chatConfig.autoApprove !== undefined) this.setChatConfig({}, ['autoApprove']);
  }

  /** Takes a resumed conversation's chat config as this context's chat layer. */
  restoreChatConfig(values: ChatConfig): void {
    this.#assertAlive();
    this.#chatLayer = sanitizeLayer(chatConfigSchema, values, { source: 'chat' });
    this.#refresh();
  }

  dispose(): void {
    this.#store.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #assertAlive(): void {
    if (this.disposed) throw new NamedError('NoContext', 'This window has been closed');
  }

  #trustOf(): WorkspaceTrust {
    const request = trustRequestOf(this.#projectLayers);
    const fingerprint = fingerprintOf(request);
    const record = this.#workspace ? this.#services.settings.trustOf(this.#workspace) : undefined;
    return {
      trusted:
        // Stryker disable next-line ConditionalExpression: with no folder, neither the run's trust nor a record matches
        this.#workspace !== null &&
        ((this.#trustedForRun?.folder === this.#workspace &&
          this.#trustedForRun.fingerprint === fingerprint) ||
          record?.fingerprint === fingerprint),
      request,
      changed: record !== undefined && record.fingerprint !== fingerprint,
      declined: this.#declinedFingerprint === fingerprint,
      fingerprint,
    };
  }

  /** Precedence, lowest first: defaults < environment < user < project (as trust allows) < chat. */
  #layers(): ConfigLayer[] {
    const { defaults, environment, settings } = this.#services;
    const below = [defaults, environment, settings.layer()];
    // Lists replace whole, so the tools below are the last list set; the defaults always set one.
    const toolsBelow = below.findLast((layer) => layer.values.tools)?.values.tools ?? [];
    const project = applyTrust(this.#projectLayers, { trusted: this.#trust.trusted, toolsBelow });
    return [...below, ...project, this.#chatLayer];
  }

  #compute(): ConfigSnapshot {
    this.#trust = this.#trustOf();
    const layers = this.#layers();
    return deepFreeze({
      workspace: this.#workspace,
      effective: mergeLayers(layers),
      layers,
      warnings: collectProblems(layers),
    });
  }

  #refresh(options: { announce?: boolean } = {}): void {
    // Stryker disable next-line ConditionalExpression: every caller is refused or unsubscribed once closed; emit drops the rest
    if (this.disposed) return;
    const before = this.#trust;
    const beforeWorkspace = this.#snapshot.workspace;
    this.#snapshot = this.#compute();
    this.emit('config.changed', this.publicConfig());
    const after = this.#trust;
    const flipped = before.trusted !== after.trusted;
    const answered = before.declined !== after.declined || before.changed !== after.changed;
    if (options.announce || flipped || answered) this.emit('workspace.changed', this.workspaceInfo());
    // A switch to another folder has reset everything already (openWorkspace); this is one folder's trust.
    if (flipped && beforeWorkspace === this.#workspace) {
      // What was approved under one trust never carries into the other; the shell's env changes too.
      this.#resetShellAndGrants();
    }
  }
}
