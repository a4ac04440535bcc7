import type { ChatConfig, EffectiveConfig, ToolName } from '../../../shared/config';
import type { EventName, EventPayload } from '../../../shared/contract';
import type { EngineServices } from '../context/engine-services';
import type { ShellSession } from '../tools/shell-session';
import type { ToolSource } from '../tools/tool-source';

/**
 * What a chat session needs from the window it lives in, and nothing more. The window
 * (`context/window-context.ts`) implements it and creates the session; the session never sees
 * the window itself. The workspace, its config and its shell are the window's: the session reads
 * them and records the conversation's own choices (its chat config), and the window tells the
 * session when the workspace changes under it, never the other way round.
 */
export interface ChatHost {
  /** The window's client, which claims the conversations this session attaches. */
  readonly clientId: string;
  readonly services: Pick<EngineServices, 'conversations' | 'owners' | 'tools' | 'dataDir' | 'baseEnv'>;
  /** Aborted when the window closes: every turn listens to it. */
  readonly signal: AbortSignal;
  readonly workspace: string | null;
  readonly config: { readonly effective: EffectiveConfig };
  /** True while the window opens a folder: a turn started now would begin in one and go on in another. */
  readonly switching: boolean;
  /** Where a grant given now applies (folder and trust); a saved grant holds again only there. */
  readonly grantScope: string;

  /** Sends an event to the window's client only. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;

  /** The conversation's own choices (the chat layer), as they stand. */
  readonly chatConfig: ChatConfig;
  /** Changes the chat layer and saves it with the attached conversation. */
  setChatConfig(values: ChatConfig, unset?: readonly string[]): void;
  /** Takes the chat layer as given, without saving it anywhere. */
  restoreChatConfig(values: ChatConfig): void;
  /**
   * Takes an opened conversation's saved choices as the window's: its chat layer, and its folder
   * if it was elsewhere and the user opened or trusted it before (any other is only offered; a
   * folder that cannot be opened leaves the window where it is).
   */
  adoptConversation(saved: { chat: ChatConfig; workspace: string | null }): Promise<void>;

  /** Reads the workspace's project files again: what they ask for now decides the next turn. */
  reloadProjectFiles(): Promise<void>;
  /** The workspace's persistent shell with this environment, started on first use. */
  shell(env: Readonly<Record<string, string>>): ShellSession;
  /** Where this window's tools come from: the built-in ones its config enables (MCP servers next). */
  toolSource(enabled: readonly ToolName[]): ToolSource;
}
