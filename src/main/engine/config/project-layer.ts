import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TomlError, parse } from 'smol-toml';
import { projectConfigSchema, type ConfigLayer, type ConfigProblem } from '../../../shared/config';
import { sanitizeLayer } from './sanitize';

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
// gptme.toml keys with meaning to gptme only; shared project files should not warn about them.
const GPTME_ONLY_KEYS = Object.freeze([
  'base_prompt',
  'context_cmd',
  'rag',
  'mcp',
  'agent',
  'plugins',
  'lessons',
]);

function stripProviderEnv(
  raw: Record<string, unknown>,
  file: string,
  problems: ConfigProblem[],
): Record<string, unknown> {
  const env = raw.env;
  if (typeof env !== 'object' || env === null || Array.isArray(env)) return raw;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    if (PROVIDER_ENV.test(key)) {
      problems.push({ path: file, message: `env.${key}: ${PROVIDER_REFUSAL}; ignored` });
    } else {
      Object.defineProperty(kept, key, { value, enumerable: true });
    }
  }
  return { ...raw, env: kept };
}

export async function readProjectFile(file: string, signal?: AbortSignal): Promise<ConfigLayer | undefined> {
  let text: string;
  try {
    text = await readFile(file, { encoding: 'utf8', signal });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
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
    if (error instanceof TomlError) {
      problem.line = error.line;
      problem.column = error.column;
      problem.message = `${file}:${error.line}:${error.column}: ${error.message.split('\n')[0]}`;
    }
    return sanitizeLayer(projectConfigSchema, {}, { source: 'project', path: file, problems: [problem] });
  }
  const problems: ConfigProblem[] = [];
  const cleaned = stripProviderEnv(raw, file, problems);
  return sanitizeLayer(projectConfigSchema, cleaned, {
    source: 'project',
    path: file,
    refused: REFUSED_KEYS,
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
