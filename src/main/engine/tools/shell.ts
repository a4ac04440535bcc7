import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { NamedError } from '../../../shared/errors';
import { capOutput, needsCap } from './cap-output';
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
    if (result.restarted)
      notes.push('[the shell had exited and was restarted; exported variables were lost]');
    if (result.timedOut) {
      throw new NamedError(
        'ShellTimeout',
        `${output}\n[killed after ${Math.round(context.timeoutMs / 1000)} s; the shell restarts in ${result.cwd} on the next command]`,
      );
    }
    // The notes stay in the text: the model reads them, and a log read back without metadata
    // (gptme's, or an older Deskmate's) still says how the command ended.
    if (result.interrupted) notes.push('[interrupted by the user]');
    else notes.push(`[exit code ${result.exitCode}]`);
    return {
      output: [output.trimEnd(), ...notes].filter(Boolean).join('\n'),
      ...(result.interrupted ? { stopped: true as const } : {}),
      ...(result.exitCode !== null && !result.interrupted ? { exitCode: result.exitCode } : {}),
      ...(savedAt ? { artifact: path.basename(savedAt) } : {}),
    };
  },
});
