import { randomUUID } from 'node:crypto';
import { toolNameSchema, type EffectiveConfig } from '../../../shared/config';
import type { ArtifactText, LiveTurn as LiveTurnView, PendingTool } from '../../../shared/contract';
import type { ContextView, SystemPromptView } from '../../../shared/context-view';
import type { ApprovalGrant, ConversationDetail, ConversationSummary, Message } from '../../../shared/domain';
import { NamedError, toErrorShape, type RpcErrorShape } from '../../../shared/errors';
import { readRegularFile } from '../base/fs/regular-file';
import { shownCountOf } from '../conversation-store/chat-meta';
import type { Disposable } from '../base/disposable';
import { Provider } from '../llm/provider';
import type { ToolContext } from '../tools/tool';
import { ApprovalGate, EVERY_TOOL, type ApprovalResponse } from './approval-gate';
import type { ChatHost } from './chat-host';
import { LiveTurn } from './live-turn';
import {
  formatContextOutput,
  runContextCommand,
  CONTEXT_CMD_TIMEOUT_MS,
  type ContextCommandResult,
} from './context-command';
import { composeSystemPrompt } from './system-prompt';
import { runTurn } from './turn-loop';

const MAX_ATTACHMENT_CHARS = 100_000;
// What "open full output" shows at most: far beyond what a card is for, well within one message.
const MAX_ARTIFACT_BYTES = 4 * 1024 * 1024;

interface RunningTurn {
  id: string;
  /** ms since the epoch, for a window that reloads mid-turn. */
  startedAt: number;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * The conversation half of a window: its log, its approval gate and its running turn. Created by
 * its host (the window's context) and disposed with it; it sees the window only as a ChatHost.
 */
export class ChatSession implements Disposable {
  readonly #host: ChatHost;
  readonly #gate: ApprovalGate;
  readonly #live = new LiveTurn();
  #conversationId: string | null = null;
  #ownership: Disposable | undefined;
  #messages: Message[] = [];
  #turn: RunningTurn | undefined;
  #opening = false;
  #starting = false;
  #disposed = false;
  // The project's context_cmd output, run once per conversation (or again on request).
  #contextRun: { conversationId: string; workspace: string; result: ContextCommandResult } | undefined;
  // The system prompt of the attached conversation's last request, as it went: what the window's
  // context panel shows (a prompt is rebuilt for every turn and never logged).
  #sent: { conversationId: string; sentAt: string; prompt: SystemPromptView } | undefined;

  constructor(host: ChatHost) {
    this.#host = host;
    this.#gate = new ApprovalGate(() => {
      // Stryker disable next-line ConditionalExpression: a closed session changes no grant (its gate's dispose tells nobody).
      if (!this.#disposed) host.emit('grants.changed', { grants: this.#gate.grants });
    });
  }

  /** What runs without asking in this window now, per tool. */
  get grants(): ApprovalGrant[] {
    return this.#gate.grants;
  }

  get conversationId(): string | null {
    return this.#conversationId;
  }

  get messages(): readonly Message[] {
    return this.#messages;
  }

  get busy(): boolean {
    return this.#turn !== undefined || this.#starting;
  }

  get pendingApprovals(): string[] {
    return this.#gate.pending;
  }

  get turnId(): string | null {
    return this.#turn?.id ?? null;
  }

  pendingCalls() {
    return this.#gate.pendingCalls();
  }

  /** The attached conversation as it stands, for a window that (re)draws itself. */
  async detail(): Promise<ConversationDetail | null> {
    return (await this.snapshot()).conversation;
  }

  /**
   * The conversation, the running turn and what it has streamed so far, taken at one instant: the
   * events after it carry offsets past what it holds, the ones before it offsets within.
   */
  async snapshot(): Promise<{
    conversation: ConversationDetail | null;
    turnId: string | null;
    turnStartedAt: number | null;
    pending: PendingTool[];
    live: LiveTurnView | null;
  }> {
    const id = this.#conversationId;
    const meta = id ? await this.#host.services.conversations.readMeta(id) : undefined;
    // Everything below is read in one synchronous stretch, after the only await.
    const conversation =
      // Stryker disable next-line LogicalOperator: readMeta answers or throws, so meta is there whenever id is.
      id && meta && id === this.#conversationId
        ? {
            id,
            name: meta.name,
            messageCount: this.#messages.length,
            shownCount: shownCountOf(this.#messages),
            updatedAt: meta.updatedAt,
            workspace: meta.workspace,
            messages: [...this.#messages],
          }
        : null;
    return {
      conversation,
      turnId: this.turnId,
      turnStartedAt: this.#turn?.startedAt ?? null,
      pending: this.pendingCalls(),
      live: this.#turn ? this.#live.snapshot(this.#messages) : null,
    };
  }

  /**
   * A new conversation the user asked for: it keeps the window's choices (model, tools) but none of
   * the grants given to the conversation before it.
   */
  async create(name?: string): Promise<ConversationSummary> {
    this.#assertIdle();
    this.#forgetChatGrant();
    // Until it is attached, a message sent meanwhile would land in the conversation before it.
    this.#opening = true;
    try {
      return await this.#create(name);
    } finally {
      this.#opening = false;
    }
  }

  /**
   * The conversation a first message starts. The window's chat config, a grant included, was set
   * in this window, in this folder and under this trust, for exactly this conversation to come.
   */
  async #create(name?: string): Promise<ConversationSummary> {
    const { conversations } = this.#host.services;
    const summary = await conversations.create({
      ...(name ? { name } : {}),
      workspace: this.#host.workspace,
      chat: this.#host.chatConfig,
      grantScope: this.#host.grantScope,
    });
    this.#attach(summary.id, []);
    return summary;
  }

  async open(id: string): Promise<ConversationDetail> {
    this.#assertIdle();
    this.#opening = true;
    try {
      return await this.#open(id);
    } finally {
      this.#opening = false;
    }
  }

  async #open(id: string): Promise<ConversationDetail> {
    const { conversations, owners } = this.#host.services;
    // Re-opening the attached conversation keeps its claim: releasing the old one would drop both.
    const ownership =
      id === this.#conversationId && this.#ownership
        ? this.#ownership
        : owners.claim(id, this.#host.clientId);
    let detail: ConversationDetail;
    let meta;
    try {
      // A window closed mid-turn may still be appending to this log: read it once that is done.
      await owners.drained(id);
      detail = await conversations.open(id);
      meta = await conversations.readMeta(id);
    } catch (error) {
      if (this.#conversationId !== id) ownership.dispose();
      throw error;
    }
    this.#attach(id, detail.messages, ownership);
    const { autoApprove, ...chat } = meta.chat ?? {};
    // The window takes the conversation's choices and its folder; its grant is the session's own.
    await this.#host.adoptConversation({ chat, workspace: meta.workspace });
    // Its grant holds again only where it was given: the same folder under the same trust. Its
    // folder gone, another trust, or a grant saved without a scope: the user is asked again. A bare
    // `always` saved on disk predates per-tool grants (it meant every tool): asked again too.
    if (
      // Stryker disable next-line ConditionalExpression: restoring no grant onto a gate #attach just cleared changes nothing.
      autoApprove !== undefined &&
      autoApprove !== 'always' &&
      meta.grantScope === this.#host.grantScope
    ) {
      this.#host.restoreChatConfig({ ...chat, autoApprove });
      // Shown at once, not from the next turn on: the window lists what runs without asking.
      this.#gate.syncAlways(autoApprove);
    }
    return detail;
  }

  /** Starts a turn and returns at once; the turn reports through events. */
  async send(
    text: string,
    attachments: readonly string[] = [],
  ): Promise<{ turnId: string; done: Promise<void> }> {
    this.#assertIdle();
    // From here until the turn exists, the window counts as busy: no second send, no folder switch.
    this.#starting = true;
    try {
      return await this.#start(text, attachments);
    } finally {
      this.#starting = false;
    }
  }

  async #start(
    text: string,
    attachments: readonly string[],
  ): Promise<{ turnId: string; done: Promise<void> }> {
    const { config, provider } = await this.#prepare();
    const content = await withAttachments(text, attachments);
    if (this.#conversationId === null) await this.#create();
    const conversationId = this.#conversationId!;
    const user: Message = {
      id: randomUUID(),
      role: 'user',
      content,
      timestamp: new Date().toISOString(),
      ...(attachments.length ? { files: [...attachments] } : {}),
    };
    // Persist the user's message before anything can fail: it is never lost.
    await this.#append(user);
    this.#host.emit('message.added', { conversationId, message: user });
    return this.#run(conversationId, config, provider);
  }

  /**
   * Runs the last turn again from the same history, without a second copy of the user's message:
   * after a failure, from where it failed (a reply cut short goes); otherwise the last reply is
   * replaced by a new one.
   */
  async retry(): Promise<{ turnId: string; done: Promise<void> }> {
    this.#assertIdle();
    this.#starting = true;
    try {
      const conversationId = this.#conversationId;
      const last = this.#messages.at(-1);
      const failed = last?.metadata?.failure !== undefined;
      if (!conversationId || !last || (!failed && last.role !== 'assistant'))
        throw new NamedError('NothingToRetry', 'There is no reply to retry: send a message instead.');
      const { config, provider } = await this.#prepare();
      // A reply cut short, or the reply to replace, goes; a tool result that failed after it stays.
      const drop = last.role === 'assistant' && !(failed && last.tool_calls?.length);
      this.#messages = await this.#host.services.conversations.updateMessages(conversationId, (m) => {
        if (m.id !== last.id) return m;
        if (drop) return null;
        const { failure: _failure, ...metadata } = m.metadata ?? {};
        // The log's gptme form writes no empty metadata: none here either, so memory matches disk.
        const { metadata: _old, ...rest } = m;
        return Object.keys(metadata).length ? { ...rest, metadata } : rest;
      });
      if (drop) this.#host.emit('message.removed', { conversationId, messageIds: [last.id] });
      return await this.#run(conversationId, config, provider);
    } finally {
      this.#starting = false;
    }
  }

  /**
   * Deletes a message from the conversation and the log. A user message goes with its whole turn
   * (the replies and tool exchanges up to the next user message); a reply with tool calls goes with
   * their results. Either way no tool result is left without its call, so the log still resumes.
   */
  async deleteMessage(messageId: string): Promise<{ removed: string[] }> {
    this.#assertIdle();
    const conversationId = this.#conversationId;
    const index = this.#messages.findIndex((m) => m.id === messageId);
    const target = this.#messages[index];
    if (!conversationId || !target)
      throw new NamedError('NotFound', 'That message is not in this conversation (already deleted?)');
    const doomed = new Set<string>();
    if (target.role === 'user') {
      for (let i = index; i < this.#messages.length; i++) {
        const m = this.#messages[i]!;
        if (i > index && m.role === 'user') break;
        doomed.add(m.id);
      }
    } else {
      const calls = new Set(target.tool_calls?.map((c) => c.id));
      for (const m of this.#messages)
        if (m.id === messageId || (m.role === 'tool' && m.call_id && calls.has(m.call_id))) doomed.add(m.id);
    }
    this.#starting = true;
    try {
      this.#messages = await this.#host.services.conversations.updateMessages(conversationId, (m) =>
        doomed.has(m.id) ? null : m,
      );
    } finally {
      this.#starting = false;
    }
    const removed = [...doomed];
    this.#host.emit('message.removed', { conversationId, messageIds: removed });
    return { removed };
  }

  /** Throw (no provider) before anything is written. */
  async #prepare(): Promise<{ config: EffectiveConfig; provider: Provider }> {
    // What the project files ask for now decides this turn: an edit since the folder was opened
    // that asks for something else is untrusted until the user answers the prompt again.
    await this.#host.reloadProjectFiles();
    const config = this.#host.config.effective;
    return { config, provider: new Provider(config) };
  }

  #run(
    conversationId: string,
    config: EffectiveConfig,
    provider: Provider,
  ): { turnId: string; done: Promise<void> } {
    const turnId = randomUUID();
    const startedAt = Date.now();
    const controller = new AbortController();
    const signal = AbortSignal.any([controller.signal, this.#host.signal]);
    // The chat config decides "always" each turn: unsetting it takes effect on the next turn.
    this.#gate.syncAlways(config.autoApprove);
    this.#host.emit('turn.started', { conversationId, turnId });
    const done = (async () => {
      try {
        const outcome = await runTurn({
          turnId,
          conversationId,
          config,
          model: provider.languageModel(config),
          tools: this.#host.toolSource(config.tools),
          gate: this.#gate,
          signal,
          history: this.#messages,
          systemPrompt: await this.#promptFor(conversationId, config, signal),
          append: (message) => this.#append(message),
          emit: (name, payload) => this.#host.emit(name, this.#live.observe(name, payload)),
          toolContext: (callId, toolSignal) => this.#toolContext(conversationId, callId, toolSignal),
          workspace: () => {
            const workspace = this.#host.workspace;
            return workspace ? { workspace, offLimits: [this.#host.services.dataDir] } : null;
          },
          now: () => new Date(),
        });
        if (outcome.reason === 'failed') await this.#failed(conversationId, turnId, outcome.error!);
        else this.#host.emit('turn.completed', { conversationId, turnId, reason: outcome.reason });
      } catch (error) {
        await this.#failed(conversationId, turnId, toErrorShape(error));
      } finally {
        this.#turn = undefined;
        this.#live.clear();
      }
    })();
    this.#turn = { id: turnId, startedAt, controller, done };
    return { turnId, done };
  }

  /** This turn's system prompt, kept as it goes out for the window to see. */
  async #promptFor(conversationId: string, config: EffectiveConfig, signal: AbortSignal): Promise<string> {
    const prompt = await composeSystemPrompt(
      config,
      this.#host.workspace,
      [this.#host.services.dataDir],
      await this.#contextFor(conversationId, config, signal),
    );
    this.#sent = { conversationId, sentAt: new Date().toISOString(), prompt };
    return prompt.text;
  }

  /**
   * The system prompt this conversation's last request carried; before its first one here (or after
   * a restart: prompts are never logged), the one the next request would carry, labelled as such.
   */
  async promptView(): Promise<ContextView['prompt']> {
    const sent = this.#sent;
    if (sent && sent.conversationId === this.#conversationId)
      return { ...sent.prompt, kind: 'sent', sentAt: sent.sentAt };
    const config = this.#host.config.effective;
    const run = this.contextRun;
    // Only an output the next turn would reuse; otherwise that turn runs the command first.
    const computed = run && run.command === config.contextCmd ? formatContextOutput(run) : undefined;
    const prompt = await composeSystemPrompt(
      config,
      this.#host.workspace,
      [this.#host.services.dataDir],
      computed,
    );
    return { ...prompt, kind: 'next' };
  }

  /** The context command's last run for the attached conversation in the open folder, if any. */
  get contextRun(): ContextCommandResult | undefined {
    const last = this.#contextRun;
    return last?.conversationId === this.#conversationId && last.workspace === this.#host.workspace
      ? last.result
      : undefined;
  }

  /** The context command's output for this conversation's turn: run at its first turn, then kept. */
  async #contextFor(
    conversationId: string,
    config: EffectiveConfig,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    // Set only in a trusted workspace: an untrusted one's command is withheld, and never run.
    if (!config.contextCmd) return undefined;
    const last = this.#contextRun;
    const fresh =
      last?.conversationId === conversationId &&
      last.workspace === this.#host.workspace &&
      last.result.command === config.contextCmd
        ? last.result
        : await this.refreshContext(signal);
    return fresh ? formatContextOutput(fresh) : undefined;
  }

  /**
   * Runs the workspace's context_cmd now (trusted workspaces only), in the workspace with the tool
   * environment, bounded; the conversation's next turns see this output.
   */
  async refreshContext(signal?: AbortSignal): Promise<ContextCommandResult | undefined> {
    const config = this.#host.config.effective;
    const workspace = this.#host.workspace;
    const conversationId = this.#conversationId;
    if (!config.contextCmd || !workspace || !conversationId) return undefined;
    const result = await runContextCommand(config.contextCmd, {
      cwd: workspace,
      env: { ...this.#host.services.baseEnv, ...config.env },
      timeoutMs: Math.min(CONTEXT_CMD_TIMEOUT_MS, config.shellTimeoutMs),
      signal: signal ? AbortSignal.any([signal, this.#host.signal]) : this.#host.signal,
    });
    this.#contextRun = { conversationId, workspace, result };
    return result;
  }

  /**
   * Notes the failure on the turn's last message in the log, so a reload or a later visit still
   * says so and offers a retry; then tells the window.
   */
  async #failed(conversationId: string, turnId: string, error: RpcErrorShape): Promise<void> {
    const last = this.#messages.at(-1);
    const failure = { name: error.name, message: error.message };
    if (last && this.#conversationId === conversationId) {
      try {
        this.#messages = await this.#host.services.conversations.updateMessages(conversationId, (m) =>
          m.id === last.id ? { ...m, metadata: { ...m.metadata, failure } } : m,
        );
      } catch {
        // The log cannot be written (the disk, the folder gone): the window still hears of it.
      }
    }
    this.#host.emit('turn.failed', { conversationId, turnId, error });
  }

  /** Forgets the attached conversation (it was deleted); the window starts a new one on next send. */
  detach(): void {
    this.#assertIdle();
    this.#ownership?.dispose();
    this.#ownership = undefined;
    this.#conversationId = null;
    this.#messages = [];
    // Its grants went with it: the next conversation starts without them.
    this.#gate.clear();
    this.#forgetChatGrant();
  }

  /** Drops a chat-level auto-approve from the window, without writing it to any conversation. */
  #forgetChatGrant(): void {
    const { autoApprove, ...chat } = this.#host.chatConfig;
    if (autoApprove !== undefined) this.#host.restoreChatConfig(chat);
  }

  interrupt(): boolean {
    if (!this.#turn) return false;
    // Stryker disable next-line StringLiteral: the reason is never shown; a stopped turn ends as "interrupted".
    this.#turn.controller.abort(new NamedError('Interrupted', 'Interrupted by the user'));
    return true;
  }

  respond(callId: string, response: ApprovalResponse): void {
    const tool = this.#gate.toolOf(callId);
    this.#gate.respond(callId, response);
    // Saved with the conversation, for this tool only: "always" on shell never approves save.
    const name = toolNameSchema.safeParse(tool);
    if (response.action === 'always' && name.success) {
      const current = this.#host.chatConfig.autoApprove;
      const grants = typeof current === 'object' ? current : {};
      this.#host.setChatConfig({ autoApprove: { ...grants, [name.data]: 'always' } });
    }
  }

  /** Takes one grant back (`*`: the every-tool one); the next call of that tool asks again. */
  revokeGrant(tool: string): boolean {
    const revoked = this.#gate.revoke(tool);
    const current = this.#host.chatConfig.autoApprove;
    if (current === 'always' && tool === EVERY_TOOL) {
      this.#host.setChatConfig({}, ['autoApprove']);
    } else if (typeof current === 'object' && Object.hasOwn(current, tool)) {
      const rest = Object.fromEntries(Object.entries(current).filter(([name]) => name !== tool));
      if (Object.keys(rest).length) this.#host.setChatConfig({ autoApprove: rest });
      else this.#host.setChatConfig({}, ['autoApprove']);
      return true;
    }
    return revoked;
  }

  /** A full tool output kept beside the attached conversation's log, as text; no other file. */
  async readArtifact(name: string): Promise<ArtifactText> {
    if (!this.#conversationId) throw new NamedError('NotFound', 'No conversation is open in this window');
    const { data, bytes, truncated } = await this.#host.services.conversations.readArtifact(
      this.#conversationId,
      name,
      MAX_ARTIFACT_BYTES,
    );
    return { name, text: data.toString('utf8'), bytes, truncated };
  }

  /**
   * Forgets the grants given in this window ("auto next N", "always"). The host calls it on a
   * workspace switch and a change of trust, and drops a chat-level auto-approve itself, so a grant
   * never outlives the folder it was given in.
   */
  clearGrants(): void {
    this.#gate.clear();
  }

  async waitForTurn(): Promise<void> {
    await this.#turn?.done;
  }

  dispose(): void {
    // Stryker disable next-line ConditionalExpression: closing again aborts nothing, and each disposal below is idempotent.
    if (this.#disposed) return;
    this.#disposed = true;
    // Stryker disable next-line StringLiteral: the reason is never shown; the window is gone.
    this.#turn?.controller.abort(new NamedError('Disposed', 'The window was closed'));
    if (this.#turn && this.#conversationId)
      this.#host.services.owners.drain(this.#conversationId, this.#turn.done);
    // Stryker disable next-line CallExpression: the turn's signal is aborted above, so nothing waits at the gate, and nothing can wait after.
    this.#gate.dispose();
    this.#ownership?.dispose();
  }

  #assertIdle(): void {
    if (this.#disposed) throw new NamedError('NoContext', 'This window has been closed');
    if (this.busy) throw new NamedError('Busy', 'A turn is running in this window; stop it first');
    // A turn started now would begin in one folder (or conversation) and go on in another.
    if (this.#opening || this.#host.switching)
      throw new NamedError('Busy', 'A folder or conversation is being opened in this window; try again');
  }

  #attach(id: string, messages: Message[], ownership?: Disposable): void {
    const claim = ownership ?? this.#host.services.owners.claim(id, this.#host.clientId);
    if (this.#ownership !== claim) this.#ownership?.dispose();
    this.#ownership = claim;
    this.#conversationId = id;
    this.#messages = [...messages];
    this.#gate.clear();
  }

  async #append(message: Message): Promise<void> {
    this.#messages.push(message);
    await this.#host.services.conversations.append(this.#conversationId!, message);
  }

  #toolContext(conversationId: string, callId: string, signal: AbortSignal): ToolContext {
    const workspace = this.#host.workspace;
    if (!workspace)
      throw new NamedError('NoWorkspace', 'No workspace folder is open; ask the user to open one.');
    const config = this.#host.config.effective;
    const env = { ...this.#host.services.baseEnv, ...config.env };
    return {
      workspace,
      offLimits: [this.#host.services.dataDir],
      env,
      signal,
      timeoutMs: config.shellTimeoutMs,
      onOutput: (chunk) =>
        this.#host.emit('tool.output', this.#live.observe('tool.output', { conversationId, callId, chunk })),
      saveArtifact: (name, content) =>
        this.#host.services.conversations.saveArtifact(conversationId, name, content),
      shell: () => this.#host.shell(env),
    };
  }
}

/** Text files attached to a message are included in it, bounded; other files are named only. */
async function withAttachments(text: string, attachments: readonly string[]): Promise<string> {
  const parts = [text];
  for (const file of attachments) {
    try {
      // A FIFO is refused, not waited on. 4 bytes a character: a cut file still has more than the cap.
      const bytes = await readRegularFile(file, { maxBytes: 4 * MAX_ATTACHMENT_CHARS, truncate: true });
      const body = bytes.toString('utf8');
      if (body.includes('\0')) {
        parts.push(`[attached ${file}: binary file, not included]`);
        continue;
      }
      const cut =
        body.length > MAX_ATTACHMENT_CHARS ? `${body.slice(0, MAX_ATTACHMENT_CHARS)}\n[… cut]` : body;
      parts.push(`Attached file ${file}:\n\`\`\`\n${cut}\n\`\`\``);
    } catch (error) {
      throw new NamedError(
        'InvalidRequest',
        `Cannot attach ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return parts.join('\n\n');
}
