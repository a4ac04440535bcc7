import { z } from 'zod';
import type { ConfigLayer, ConfigProblem, ConfigValues, LayerSource } from '../../../shared/config';
import { deepFreeze } from '../base/deep-freeze';

type ObjectSchema = z.ZodObject<z.ZodRawShape>;

export interface SanitizeOptions {
  source: LayerSource;
  path?: string;
  /** Keys this layer may not set, with the reason given when one is found. */
  refused?: Readonly<Record<string, string>>;
  /** Known keys from other tools' files (gptme.toml) that Deskmate does not use. */
  foreign?: readonly string[];
  problems?: ConfigProblem[];
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/**
 * Turns untrusted data (a TOML file, a settings file, the environment) into a layer. Each key is
 * checked on its own so one bad value costs that key only; everything dropped is reported.
 */
export function sanitizeLayer(schema: ObjectSchema, raw: unknown, options: SanitizeOptions): ConfigLayer {
  const problems: ConfigProblem[] = [...(options.problems ?? [])];
  const at = options.path === undefined ? {} : { path: options.path };
  const values: Record<string, unknown> = {};
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    for (const [key, value] of Object.entries(raw)) {
      const refusal = options.refused?.[key];
      if (refusal !== undefined) {
        problems.push({ ...at, message: `${key}: ${refusal}` });
        continue;
      }
      const field = Object.hasOwn(schema.shape, key) ? schema.shape[key] : undefined;
      if (field === undefined) {
        if (!options.foreign?.includes(key))
          problems.push({ ...at, message: `${key}: unknown setting, ignored` });
        continue;
      }
      const parsed = z.safeParse(field, value);
      if (parsed.success) {
        if (parsed.data !== undefined)
          Object.defineProperty(values, key, { value: parsed.data, enumerable: true });
      } else {
        problems.push({ ...at, message: `${key}: ${describe(parsed.error)}; ignored` });
      }
    }
  } else if (raw !== undefined) {
    problems.push({ ...at, message: 'expected a table of settings; ignored' });
  }
  return deepFreeze({ source: options.source, ...at, values: values as ConfigValues, problems });
}
