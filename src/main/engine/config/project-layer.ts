import path from 'node:path';
import { TomlError, parse } from 'smol-toml';
import { projectConfigSchema, type ConfigLayer, type ConfigProblem } from '../../../shared/config';
import { isNamedError } from '../../../shared/errors';
import { readWorkspaceFile } from '../tools/target-file';
import { sanitizeLayer } from './sanitize';
import { tomlProblem } from './toml-problem';
import { isShellHook } from './tool-environment';

const MAX_PROJECT_FILE_BYTES = 1024 * 1024;

/**
 * The project files, lowest precedence first, as gptme finds them: `gptme.toml` in the workspace,
 * else `.github/gptme.toml`; `gptme.local.toml` beside whichever was found (a user's own overrides,
 * usually not committed); then Deskmate's own `.deskmate.toml`.
 */
const GPTME_FILES = Object.freeze(['gptme.toml', path.join('.github', 'gptme.toml')]);
const GPTME_LOCAL = 'gptme.local.toml';
const DESKMATE_FILE = '.deskmate.toml';
/** The names watched in the workspace folder itself; `.github/gptme.toml` is read again each turn. */
export const PROJECT_FILES = Object.freeze(['gptme.toml', GPTME_LOCAL, DESKMATE_FILE]);

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
// gptme.toml keys with meaning to gptme only: listed once as ignored, not warned about one by one.
const GPTME_ONLY_KEYS: readonly string[] = Object.freeze([
  'rag',
  'agent',
  'plugins',
  'plugin',
  'lessons',
  'hooks',
  'context',
  'context_selector',
  'architect',
  'subagent',
  'settings',
]);
// What gptme's `[prompt]` table holds besides the keys that may also stand at the top level.
const GPTME_ONLY_PROMPT_KEYS: readonly string[] = Object.freeze(['system', 'exclude']);
const PROMPT_TABLE_KEYS: readonly string[] = Object.freeze(['prompt', 'base_prompt', 'files', 'context_cmd']);
// gptme's spelling in the file, Deskmate's in the config.
const RENAMED: Readonly<Record<string, string>> = Object.freeze({
  base_prompt: 'basePrompt',
  context_cmd: 'contextCmd',
});

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * gptme's file as Deskmate's keys: a `[prompt]` table lifted to the top level (its keys win over
 * flat ones, as in gptme), gptme's spellings renamed, and gptme's own settings set aside and named
 * once in a single notice.
 */
function fromGptmeKeys(
  raw: Record<string, unknown>,
  file: string,
  problems: ConfigProblem[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const ignored: string[] = [];
  const put = (key: string, value: unknown) =>
    Object.defineProperty(out, RENAMED[key] ?? key, { value, enumerable: true, configurable: true });
  for (const [key, value] of Object.entries(raw)) {
    if (GPTME_ONLY_KEYS.includes(key)) ignored.push(key);
    else if (key !== 'prompt' || !isTable(value)) put(key, value);
  }
  if (isTable(raw.prompt)) {
    for (const [key, value] of Object.entries(raw.prompt)) {
      if (PROMPT_TABLE_KEYS.includes(key)) put(key, value);
      else if (GPTME_ONLY_PROMPT_KEYS.includes(key)) ignored.push(`prompt.${key}`);
      else problems.push({ path: file, message: `prompt.${key}: unknown setting, ignored` });
    }
  }
  if (ignored.length > 0) {
    problems.push({
      path: file,
      message: `gptme settings Deskmate does not use, ignored: ${ignored.join(', ')}`,
    });
  }
  return out;
}

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
  return readProjectFileIn(path.dirname(file), path.basename(file), signal);
}

/** Reads `relative` below `workspace` as a project layer; undefined when there is no such file. */
async function readProjectFileIn(
  workspace: string,
  relative: string,
  signal?: AbortSignal,
): Promise<ConfigLayer | undefined> {
  const file = path.join(workspace, relative);
  let text: string;
  try {
    // A cloned repository chooses what these names are: a FIFO must not block, a symlink must not
    // lead out of the workspace, a huge file must not fill memory.
    const buffer = await readWorkspaceFile(workspace, relative, {
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
  const gptme = fromGptmeKeys(raw, file, problems);
  const cleaned = stripOutsideFiles(stripRefusedEnv(gptme, file, problems), file, problems);
  return sanitizeLayer(projectConfigSchema, cleaned, {
    source: 'project',
    path: file,
    refused: REFUSED_KEYS,
    problems,
  });
}

/** The project layers found in a workspace, lowest precedence first. */
export async function loadProjectLayers(workspace: string, signal?: AbortSignal): Promise<ConfigLayer[]> {
  const layers: Array<ConfigLayer | undefined> = [];
  for (const name of GPTME_FILES) {
    const main = await readProjectFileIn(workspace, name, signal);
    if (!main) continue;
    // As in gptme, the local file counts only beside a gptme.toml it overrides.
    layers.push(main, await readProjectFileIn(workspace, path.join(path.dirname(name), GPTME_LOCAL), signal));
    break;
  }
  layers.push(await readProjectFileIn(workspace, DESKMATE_FILE, signal));
  return layers.filter((layer): layer is ConfigLayer => layer !== undefined);
}
