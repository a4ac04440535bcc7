import path from 'node:path';
import { TomlError, parse } from 'smol-toml';
import { projectConfigSchema, type ConfigLayer, type ConfigProblem } from '../../../shared/config';
import { isNamedError } from '../../../shared/errors';
import { readWorkspaceFile } from '../tools/target-file';
import { sanitizeLayer } from './sanitize';
import { tomlProblem } from './toml-problem';
import { isShellHook } from './tool-environment';

const MAX_PROJECT_FILE_BYTES = 1024 * 1024;

/** Read in this order; a later file wins over an earlier one. */
export const PROJECT_FILES = Object.freeze(['gptme.toml', '.deskmate.toml']);

const PROVIDER_REFUSAL =
  'a project file cannot set the provider URL or API key (it would send your key elsewhere)';
const REFUSED_KEYS = Object.freeze(
  Object.fromEntries(
    ['provider', 'baseUrl', 'base_url', 'apiKey', 'api_key', 'openai_api_key', 'openai_base_url'].map(
      (key) => [key, PROVIDER_REFUSAL],
    ),
  ),
);
// Environment entries that configure a provider rather than a tool.
const PROVIDER_ENV = /(^|_)(API_KEY|BASE_URL|API_BASE)$/i;
const SHELL_HOOK_REFUSAL = 'bash would run it as code on its own; never applied, even in a trusted workspace';
// gptme.toml keys with meaning to gptme only; shared project files should not warn about them.
const GPTME_ONLY_KEYS = Object.freeze(['base_prompt', 'rag', 'agent', 'plugins', 'lessons']);
// gptme.toml keys that would run code: not run by Deskmate, and said so, since a user may expect them.
const NOT_RUN = Object.freeze({
  context_cmd: 'Deskmate does not run project commands; ignored',
  mcp: 'Deskmate does not start MCP servers from project files yet; ignored',
});

function stripRefusedEnv(
  raw: Record<string, unknown>,
  file: string,
  problems: ConfigProblem[],
): Record<string, unknown> {
  const env = raw.env;
  // Any other non-table env (text, a list) is refused whole by the schema either way: its entries
  // are not variable names.
  // Stryker disable next-line ConditionalExpression: TOML has no null, and see above
  if (typeof env !== 'object' || env === null || Array.isArray(env)) return raw;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    if (PROVIDER_ENV.test(key)) {
      problems.push({ path: file, message: `env.${key}: ${PROVIDER_REFUSAL}; ignored` });
    } else if (isShellHook(key)) {
      problems.push({ path: file, message: `env.${key}: ${SHELL_HOOK_REFUSAL}` });
    } else {
      Object.defineProperty(kept, key, { value, enumerable: true });
    }
  }
  return { ...raw, env: kept };
}

/** `files` name files inside the workspace: an absolute path or one that climbs out is dropped. */
function stripOutsideFiles(
  raw: Record<string, unknown>,
  file: string,
  problems: ConfigProblem[],
): Record<string, unknown> {
  if (!Array.isArray(raw.files)) return raw;
  const kept = raw.files.filter((entry: unknown) => {
    if (typeof entry !== 'string') return true; // the schema reports it
    const normal = path.posix.normalize(entry.replaceAll('\\', '/'));
    const outside = path.isAbsolute(entry) || /^[A-Za-z]:/.test(entry) || normal.split('/')[0] === '..';
    if (outside) problems.push({ path: file, message: `files: ${entry} is outside the workspace; ignored` });
    return !outside;
  });
  return { ...raw, files: kept };
}

export async function readProjectFile(file: string, signal?: AbortSignal): Promise<ConfigLayer | undefined> {
  let text: string;
  try {
    // A cloned repository chooses what these names are: a FIFO must not block, a symlink must not
    // lead out of the workspace, a huge file must not fill memory.
    const buffer = await readWorkspaceFile(path.dirname(file), path.basename(file), {
      maxBytes: MAX_PROJECT_FILE_BYTES,
      ...(signal ? { signal } : {}),
    });
    text = buffer.toString('utf8');
  } catch (error) {
    if (isNamedError(error, 'NotFound')) return undefined;
    const reason = error instanceof Error ? error.message : String(error);
    return sanitizeLayer(
      projectConfigSchema,
      {},
      {
        source: 'project',
        path: file,
        problems: [{ path: file, message: `cannot be read: ${reason}` }],
      },
    );
  }
  let raw: Record<string, unknown>;
  try {
    raw = parse(text);
  } catch (error) {
    const problem: ConfigProblem = {
      path: file,
      message: error instanceof Error ? error.message : String(error),
    };
    // Stryker disable next-line ConditionalExpression: smol-toml throws only TomlError (its nesting limit too)
    if (error instanceof TomlError) {
      const { line, column, reason, excerpt } = tomlProblem(text, error);
      Object.assign(problem, { line, column, excerpt });
      problem.message = `${file}:${line}:${column}: ${reason}`;
    }
    return sanitizeLayer(projectConfigSchema, {}, { source: 'project', path: file, problems: [problem] });
  }
  const problems: ConfigProblem[] = [];
  const cleaned = stripOutsideFiles(stripRefusedEnv(raw, file, problems), file, problems);
  return sanitizeLayer(projectConfigSchema, cleaned, {
    source: 'project',
    path: file,
    refused: { ...REFUSED_KEYS, ...NOT_RUN },
    foreign: GPTME_ONLY_KEYS,
    problems,
  });
}

/** The project layers found in a workspace, lowest precedence first. */
export async function loadProjectLayers(workspace: string, signal?: AbortSignal): Promise<ConfigLayer[]> {
  const layers = await Promise.all(
    PROJECT_FILES.map((name) => readProjectFile(path.join(workspace, name), signal)),
  );
  return layers.filter((layer): layer is ConfigLayer => layer !== undefined);
}
