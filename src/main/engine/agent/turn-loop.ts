// The agent loop: one explicit do/while with named stop conditions (STYLE.md 6). Everything it
// calls is small: the model streams (llm/language-model.ts, in the agent's own messages and tool
// specs), the tool source lists (tools/tool-source.ts), tools execute, the gate waits, the store appends.
import { randomUUID } from 'node:crypto';
import type { EffectiveConfig } from '../../../shared/config';
import type { EventName, EventPayload } from '../../../shared/contract';
import type { Message, ToolCall, ToolResult, ToolRunFacts, TurnEndReason } from '../../../shared/domain';
import { NamedError, toErrorShape, type RpcErrorShape } from '../../../shared/errors';
import type { LanguageModel } from '../llm/language-model';
import { collectReply, ProviderStreamError, type StreamedToolCall } from '../llm/model-reply';
import type { ToolContext } from '../tools/tool';
import type { SourcedTool, ToolPlace, ToolSource } from '../tools/tool-source';
import { abandonOnAbort } from './abandon-on-abort';
import type { ApprovalGate } from './approval-gate';

export interface TurnDeps {
  turnId: string;
  conversationId: string;
  config: EffectiveConfig;
  model: LanguageModel;
  /** Where this turn's tools come from; listed once, at the start. */
  tools: ToolSource;
  gate: ApprovalGate;
  signal: AbortSignal;
  /** The conversation so far; the loop appends to it through `append`. */
  history: readonly Message[];
  systemPrompt: string;
  append(message: Message): Promise<void>;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  toolContext(callId: string, signal: AbortSignal): ToolContext;
  /** Where the file tools may work, for checks made before a call is approved; null without a folder. */
  workspace(): ToolPlace | null;
  now(): Date;
}

export interface TurnOutcome {
  reason: TurnEndReason | 'failed';
  error?: RpcErrorShape;
}

const isInterrupt = (signal: AbortSignal) => signal.aborted;
// How long a tool may take to stop on its own after Stop, well inside the one second Stop promises.
const TOOL_STOP_GRACE_MS = 300;

function parseArguments(call: StreamedToolCall): Record<string, unknown> | NamedError {
  if (!call.arguments.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(call.arguments);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through to the instruction below
  }
  return new NamedError(
    'InvalidToolArguments',
    `The arguments for ${call.name} were not a JSON object: ${call.arguments.slice(0, 200)}. Call the tool again with valid JSON.`,
  );
}

function toolMessageText(status: 'completed' | 'failed' | 'skipped', result: ToolResult): string {
  if (status === 'skipped')
    return 'The user skipped this tool call; it was not run. Ask or continue without it.';
  if (status === 'failed')
    // Stryker disable next-line OptionalChaining,LogicalOperator: a failed result always carries its error (fail() builds both), and its output is that error's message.
    return `Error (${result.error?.name ?? 'Error'}): ${result.error?.message ?? result.output}`;
  return result.output;
}

/**
 * The facts the log keeps beside a tool result's text, so a card read back from disk shows what
 * ran and how it ended without parsing the text.
 */
function runFacts(result: ToolResult): ToolRunFacts | undefined {
  const { args, edited, exitCode, stopped, artifact } = result;
  const facts: ToolRunFacts = {
    ...(edited ? { args, edited } : {}),
    ...(exitCode !== undefined ? { exitCode } : {}),
    ...(stopped ? { stopped } : {}),
    ...(artifact ? { artifact } : {}),
  };
  return Object.keys(facts).length ? facts : undefined;
}

/** The model is told when what ran is not what it asked for (the call it sees carries the args that ran). */
function editedNote(result: ToolResult): string {
  return result.edited
    ? `[edited by the user before it ran; it ran as: ${JSON.stringify(result.args)}]\n`
    : '';
}

export async function runTurn(deps: TurnDeps): Promise<TurnOutcome> {
  const { signal, emit, conversationId } = deps;
  const history: Message[] = [...deps.history];
  const tools = await deps.tools.list(signal);
  const toolsByName = new Map(tools.map((tool) => [tool.spec.name, tool]));
  const toolSpecs = tools.map((tool) => tool.spec);
  const available = tools.map((tool) => tool.spec.name).join(', ');
  const timestamp = () => deps.now().toISOString();
  const record = async (message: Message) => {
    history.push(message);
    await deps.append(message);
  };

  let step = 0;
  do {
    step++;
    // --- 1. Stream the assistant's reply.
    const messageId = randomUUID();
    const draft: Message = { id: messageId, role: 'assistant', content: '', timestamp: timestamp() };
    emit('message.added', { conversationId, message: draft });
    let result;
    try {
      result = await collectReply(
        deps.model.stream({ system: deps.systemPrompt, messages: history, tools: toolSpecs, signal }),
        (text) => emit('message.delta', { conversationId, messageId, text }),
      );
    } catch (error) {
      // Keep what was streamed: an interrupted or broken reply is still the user's to read.
      const partial = error instanceof ProviderStreamError ? error.partialText : '';
      const interrupted = isInterrupt(signal);
      const shape = toErrorShape(error);
      if (partial || interrupted) {
        const message: Message = {
          ...draft,
          content: partial,
          metadata: {
            model: deps.config.model,
            ...(interrupted ? { interrupted: true } : { error: shape.message }),
          },
        };
        await record(message);
        emit('message.completed', { conversationId, message });
      }
      return interrupted ? { reason: 'interrupted' } : { reason: 'failed', error: shape };
    }

    const calls: ToolCall[] = [];
    const badCalls = new Map<string, NamedError>();
    for (const call of result.toolCalls) {
      const args = parseArguments(call);
      if (args instanceof NamedError) badCalls.set(call.id, args);
      calls.push({ id: call.id, name: call.name, args: args instanceof NamedError ? {} : args });
    }
    const assistant: Message = {
      ...draft,
      content: result.text,
      ...(calls.length ? { tool_calls: calls } : {}),
      metadata: { model: deps.config.model, ...(result.usage ? { usage: result.usage } : {}) },
    };
    await record(assistant);
    emit('message.completed', { conversationId, message: assistant });
    if (calls.length === 0) return { reason: 'stop' };

    // --- 2. Run the tool calls in order, each after the user's approval where needed.
    for (const call of calls) {
      let status: 'completed' | 'failed' | 'skipped';
      let toolResult: ToolResult;
      if (isInterrupt(signal)) {
        // Every tool call needs a result for the conversation to be resumable.
        status = 'skipped';
        toolResult = { ok: false, output: 'Not run: the user interrupted the turn.' };
      } else {
        ({ status, toolResult } = await runToolCall(
          deps,
          call,
          toolsByName.get(call.name),
          badCalls.get(call.id),
          available,
        ));
      }
      const content =
        editedNote(toolResult) +
        (isInterrupt(signal) && status === 'skipped'
          ? toolResult.output
          : toolMessageText(status, toolResult));
      emit('tool.completed', { conversationId, callId: call.id, status, result: toolResult });
      const facts = runFacts(toolResult);
      await record({
        id: randomUUID(),
        role: 'tool',
        content,
        call_id: call.id,
        timestamp: timestamp(),
        ...(facts ? { metadata: facts } : {}),
      });
    }
    if (isInterrupt(signal)) return { reason: 'interrupted' };
  } while (step < deps.config.maxSteps);
  return { reason: 'max-steps' };
}

async function runToolCall(
  deps: TurnDeps,
  call: ToolCall,
  tool: SourcedTool | undefined,
  argumentError: NamedError | undefined,
  available: string,
): Promise<{ status: 'completed' | 'failed' | 'skipped'; toolResult: ToolResult }> {
  const { emit, conversationId, signal } = deps;
  // Once the user changed the arguments, every result says so and carries what was run.
  let ran: Pick<ToolResult, 'args' | 'edited'> = {};
  const fail = (error: unknown) => {
    const shape = toErrorShape(error);
    return {
      status: 'failed' as const,
      toolResult: { ok: false, output: shape.message, error: shape, ...ran },
    };
  };
  if (!tool) {
    return fail(
      new NamedError('UnknownTool', `There is no tool named ${call.name}. Available: ${available}.`),
    );
  }
  if (argumentError) return fail(argumentError);
  let args = call.args;
  if (tool.needsApproval) {
    // What will be refused anyway (a path outside the workspace) is refused before the user is asked.
    const refused = await precheck(deps, tool, call);
    if (refused) return fail(refused);
  }
  const name = tool.spec.name;
  // A dangerous call (a shell command such as `git add .` or `curl … | sh`) is asked about even
  // under a grant, and uses none of a counted one: the grant was given for ordinary calls.
  const warning = warningOf(tool, call);
  if (tool.needsApproval && (warning !== undefined || !deps.gate.takeAutoApproval(name))) {
    // Wait first, then announce: a client may answer synchronously from its event handler.
    const answer = deps.gate.wait(call.id, name, args, signal, warning);
    emit('tool.pending', {
      conversationId,
      callId: call.id,
      tool: name,
      args,
      ...(warning === undefined ? {} : { warning }),
    });
    let decision;
    try {
      decision = await answer;
    } catch (error) {
      // Stryker disable next-line ConditionalExpression: the gate rejects only on the turn's abort, or on closing, which aborts the turn first.
      if (isInterrupt(signal))
        return {
          status: 'skipped',
          toolResult: { ok: false, output: 'Not run: the user interrupted the turn.' },
        };
      throw error;
    }
    if (!decision.run)
      return { status: 'skipped', toolResult: { ok: false, output: 'Skipped by the user.' } };
    args = decision.args;
    if (JSON.stringify(args) !== JSON.stringify(call.args)) ran = { args, edited: true };
  }
  const checked = tool.check(args);
  if (checked instanceof NamedError) return fail(checked);
  emit('tool.started', { conversationId, callId: call.id, ...ran });
  try {
    // Raced against the signal: one tool blocked on something it cannot cancel must not hold the
    // turn (Stop), the window, or the log, which needs a result for every call to be resumable.
    const output = await abandonOnAbort(checked.execute(deps.toolContext(call.id, signal)), signal, {
      graceMs: TOOL_STOP_GRACE_MS,
      abandoned: () =>
        new NamedError(
          'Interrupted',
          `Interrupted by the user while ${name} was running; it did not stop, so whether it finished is unknown`,
        ),
    });
    const result = typeof output === 'string' ? { output } : output;
    return { status: 'completed', toolResult: { ok: true, ...result, ...ran } };
  } catch (error) {
    return fail(error);
  }
}

/** Why the user should look at this call even under a grant, if the tool says so. */
function warningOf(tool: SourcedTool, call: ToolCall): string | undefined {
  const checked = tool.check(call.args);
  return checked instanceof NamedError ? undefined : checked.warning;
}

/** The tool's own check of the model's arguments before anyone is asked; the refusal, if any. */
async function precheck(deps: TurnDeps, tool: SourcedTool, call: ToolCall): Promise<unknown> {
  // Arguments that do not fit are reported after the user's answer, which may fix them (Edit).
  const checked = tool.check(call.args);
  if (checked instanceof NamedError || !checked.precheck) return undefined;
  const workspace = deps.workspace();
  if (!workspace)
    return new NamedError('NoWorkspace', 'No workspace folder is open; ask the user to open one.');
  try {
    await checked.precheck(workspace);
    return undefined;
  } catch (error) {
    return error;
  }
}
