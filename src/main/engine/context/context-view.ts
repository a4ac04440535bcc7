import { configSources } from '../../../shared/config-sources';
import type { ContextCommandView, ContextView } from '../../../shared/context-view';
import type { WindowContext } from './window-context';

/** The project's context command as this window stands: withheld, waiting for its first turn, or run. */
function contextCommandOf(context: WindowContext): ContextCommandView {
  // Set in the effective config only once the folder is trusted.
  const command = context.config.effective.contextCmd;
  if (command) {
    const run = context.chat.contextRun;
    return run?.command === command ? { state: 'ran', run } : { state: 'pending', command };
  }
  const asked = context.trust.request.settings.find((setting) => setting.key === 'context_cmd');
  return asked ? { state: 'untrusted', command: asked.value } : { state: 'none' };
}

/**
 * What the model sees from this window (`context.get`): the system prompt as sent (or as the next
 * request would send it), the context command, and each config value with its layer. The config
 * is the one a client may see, and the rows never carry the API key even in its redacted form.
 */
export async function contextViewOf(context: WindowContext): Promise<ContextView> {
  return {
    prompt: await context.chat.promptView(),
    contextCmd: contextCommandOf(context),
    config: configSources(context.publicConfig()),
  };
}
