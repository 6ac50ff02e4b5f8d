import { z } from 'zod';

/** Variables whose values are never printed, logged or stored. */
const SECRET_KEYS = new Set(['DATABASE_URL']);

const optionalText = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());
const withDefault = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);

const schema = z.object({
  PORT: withDefault(z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: withDefault(z.string().min(1).default('127.0.0.1')),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATA_DIR: withDefault(z.string().min(1).default('./data')),
  LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  MAX_TEXT_CHARS: withDefault(z.coerce.number().int().min(100).max(1_000_000).default(40_000)),
  MAX_FILE_MB: withDefault(z.coerce.number().positive().max(100).default(25)),
  MAX_FILES: withDefault(z.coerce.number().int().min(1).max(20).default(10)),
  RATE_LIMIT_PER_MINUTE: withDefault(z.coerce.number().int().min(1).default(30)),
  RATE_LIMIT_BURST: withDefault(z.coerce.number().int().min(1).default(10)),
  TOOL_TIMEOUT_SECONDS: withDefault(z.coerce.number().positive().max(600).default(60)),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The configuration has problems:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment; every wrong value is listed at once, and a secret's value never appears. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const shown = SECRET_KEYS.has(key) ? '(value hidden)' : `(got ${JSON.stringify(env[key])})`;
    return `${key}: ${issue.message} ${shown}`;
  });
  throw new ConfigError(problems);
}

/** Secret values in the configuration, for the redactor. A URL contributes its password. */
export function secretValues(config: Config): string[] {
  const values: string[] = [];
  if (config.DATABASE_URL) {
    try {
      const password = decodeURIComponent(new URL(config.DATABASE_URL).password);
      if (password) values.push(password);
    } catch {
      values.push(config.DATABASE_URL);
    }
  }
  return values;
}
