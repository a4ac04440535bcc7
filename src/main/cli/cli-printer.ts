import { printable } from '../../shared/printable';
import type { EventName, EventPayload, RequestInput } from '../../shared/contract';
import type { EventSink } from '../engine/context/window-context';

/** The answer to an approval card, sent back as a window would (`tool.respond`). */
export type ToolResponder = (callId: string, response: RequestInput<'tool.respond'>['response']) => void;

const MAX_RESULT_LINES = 40;

/** The two streams the printer writes to: the CLI's io has them, and it imports this file. */
interface PrinterIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

function describeCall(tool: string, args: Record<string, unknown>): string {
  if (tool === 'shell' && typeof args.command === 'string') return `$ ${args.command}`;
  if (typeof args.path === 'string') return `${tool} ${args.path}`;
  return `${tool} ${JSON.stringify(args)}`;
}

function indent(text: string): string {
  const lines = text.split('\n');
  const shown =
    lines.length > MAX_RESULT_LINES
      ? [...lines.slice(0, MAX_RESULT_LINES), `… (${lines.length - MAX_RESULT_LINES} more lines)`]
      : lines;
  return shown.map((line) => `  ${line}`).join('\n');
}

/**
 * Prints a turn for a terminal: the reply as it streams, each tool call and its result. Tools
 * that need approval run only with --yes; otherwise they are skipped, and the output says so. A
 * command flagged as dangerous is skipped even with --yes, its reason printed.
 */
export function createCliPrinter(io: PrinterIo, options: { approve: boolean; respond: ToolResponder }) {
  let failed = false;
  let midLine = false;
  const line = (text: string) => {
    if (midLine) io.stdout.write('\n');
    midLine = false;
    io.stdout.write(`${printable(text, { lines: true })}\n`);
  };
  const sink: EventSink = <E extends EventName>(name: E, payload: EventPayload<E>) => {
    switch (name) {
      case 'message.delta': {
        const { text } = payload as EventPayload<'message.delta'>;
        // The model's text, like a command's output, may carry terminal escapes: shown, not obeyed.
        io.stdout.write(printable(text, { lines: true }));
        midLine = !text.endsWith('\n');
        break;
      }
      case 'message.completed': {
        const { message } = payload as EventPayload<'message.completed'>;
        if (message.metadata?.interrupted) line('[interrupted]');
        if (midLine) line('');
        break;
      }
      case 'tool.pending': {
        const { callId, tool, args, warning } = payload as EventPayload<'tool.pending'>;
        line(`⏺ ${describeCall(tool, args)}`);
        if (warning) {
          // The window asks about such a call again even under "always"; a terminal run has no one
          // to ask, so --yes does not cover it (gptme refuses these under auto-approve too).
          line(`  skipped: ${warning}`);
          line('  --yes does not cover a command like this one; run it yourself if you mean it');
          options.respond(callId, { action: 'skip' });
        } else if (options.approve) {
          options.respond(callId, { action: 'approve' });
        } else {
          line('  skipped: this tool needs approval (run with --yes to allow it)');
          options.respond(callId, { action: 'skip' });
        }
        break;
      }
      case 'tool.completed': {
        const { status, result } = payload as EventPayload<'tool.completed'>;
        if (status === 'skipped') break;
        const text = status === 'failed' ? `error: ${result.error?.message ?? result.output}` : result.output;
        line(indent(text));
        break;
      }
      case 'turn.failed': {
        const { error } = payload as EventPayload<'turn.failed'>;
        failed = true;
        if (midLine) line('');
        io.stderr.write(`deskmate: ${error.name}: ${printable(error.message, { lines: true })}\n`);
        break;
      }
      default:
        break;
    }
  };
  return {
    sink,
    get failed() {
      return failed;
    },
  };
}
