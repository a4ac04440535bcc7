import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { NamedError } from '../../../shared/errors';
import { exitCodeNote } from '../../../shared/tool-notes';
import { capOutput, needsCap } from './cap-output';
import { dangerousCommand } from './dangerous-command';
import { defineTool } from './tool';

export const shellTool = defineTool({
  name: 'shell',
  description:
    'Run a bash command in the workspace. The shell persists between calls: `cd` and exported variables carry over. ' +
    'stdin is empty (no interactive programs); stdout and stderr are combined; the exit code is reported. ' +
    'Long outputs are cut to their start and end.',
  schema: z.strictObject({
    command: z.string().min(1).max(100_000).describe('The bash command to run'),
  }),
  needsApproval: true,
  // gptme refuses these outright; Deskmate asks the user again, even under "auto" or "always".
  warning: (args) => {
    const reason = dangerousCommand(args.command);
    return reason === undefined ? undefined : `This command ${reason}.`;
  },
  async execute({ command }, context) {
    const result = await context.shell().run(command, {
      signal: context.signal,
      timeoutMs: context.timeoutMs,
      onOutput: (chunk) => context.onOutput(chunk),
    });
    const savedAt = needsCap(result.output)
      ? await context.saveArtifact(`shell-${randomUUID().slice(0, 8)}.txt`, result.output)
      : undefined;
    const output = capOutput(result.output, savedAt);
    const notes: string[] = [];
    // Each note is said with the command it is about: the one that ended the shell says so, and
    // the next command's result is not blamed for it.
    if (result.restarted && !result.restartExplained)
      notes.push(
        '[the shell had ended since the previous command; this command ran in a new shell, without the exported variables]',
      );
    const fresh = `the next command starts a new shell in ${result.cwd}, without the exported variables`;
    if (result.timedOut) {
      throw new NamedError(
        'ShellTimeout',
        `${output}\n[killed after ${Math.round(context.timeoutMs / 1000)} s, and the shell with it; ${fresh}]`,
      );
    }
    if (result.endedShell)
      notes.push(
        result.interrupted
          ? `[stopping it ended the shell; ${fresh}]`
          : `[this command exited the shell; ${fresh}]`,
      );
    // The notes stay in the text: the model reads them, and a log read back without metadata
    // (gptme's, or an older Deskmate's) still says how the command ended.
    if (result.interrupted) notes.push('[interrupted by the user]');
    else notes.push(exitCodeNote(result.exitCode));
    return {
      output: [output.trimEnd(), ...notes].filter(Boolean).join('\n'),
      ...(result.interrupted ? { stopped: true as const } : {}),
      // A stopped command has none: the session reports null for it.
      ...(result.exitCode !== null ? { exitCode: result.exitCode } : {}),
      ...(savedAt ? { artifact: path.basename(savedAt) } : {}),
    };
  },
});
