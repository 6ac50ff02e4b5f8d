import { PROVIDERS_OR_POLICIES } from '@huggingface/inference';
import { z } from 'zod';
import type { ModelTask } from './core/models.js';
import { parseChain, TASKS } from './models/plan.js';

/** Variables whose values are never printed, logged or stored. */
const SECRET_KEYS = new Set(['DATABASE_URL', 'HF_TOKEN', 'MODEL_ENDPOINT_TOKEN']);
const CHAIN_KEYS: Record<ModelTask, 'MODEL_CHAT' | 'MODEL_TRANSLATE' | 'MODEL_SUMMARIZE' | 'MODEL_CAPTION'> = {
  chat: 'MODEL_CHAT',
  translate: 'MODEL_TRANSLATE',
  summarize: 'MODEL_SUMMARIZE',
  caption: 'MODEL_CAPTION',
};

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
  DATABASE_POOL_SIZE: withDefault(z.coerce.number().int().min(1).max(500).default(20)),
  DATA_DIR: withDefault(z.string().min(1).default('./data')),
  LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  MAX_TEXT_CHARS: withDefault(z.coerce.number().int().min(100).max(1_000_000).default(40_000)),
  MAX_FILE_MB: withDefault(z.coerce.number().positive().max(100).default(25)),
  MAX_FILES: withDefault(z.coerce.number().int().min(1).max(20).default(10)),
  RATE_LIMIT_PER_MINUTE: withDefault(z.coerce.number().int().min(1).default(30)),
  RATE_LIMIT_BURST: withDefault(z.coerce.number().int().min(1).default(10)),
  TOOL_TIMEOUT_SECONDS: withDefault(z.coerce.number().positive().max(600).default(60)),
  HF_TOKEN: optionalText,
  HF_PROVIDER: withDefault(z.enum(PROVIDERS_OR_POLICIES).default('auto')),
  MODEL_ENDPOINT_URL: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional()),
  MODEL_ENDPOINT_TOKEN: optionalText,
  MODEL_CHAT: optionalText,
  MODEL_TRANSLATE: optionalText,
  MODEL_SUMMARIZE: optionalText,
  MODEL_CAPTION: optionalText,
  MODEL_TIMEOUT_SECONDS: withDefault(z.coerce.number().positive().max(600).default(60)),
  MODEL_RETRIES: withDefault(z.coerce.number().int().min(0).max(5).default(2)),
  CHAT_HISTORY_TOKENS: withDefault(z.coerce.number().int().min(0).max(100_000).default(3000)),
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
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues).map((issue) => {
      const key = String(issue.path[0] ?? '');
      const shown = SECRET_KEYS.has(key) ? '(value hidden)' : `(got ${JSON.stringify(env[key])})`;
      return `${key}: ${issue.message} ${shown}`;
    }),
    ...chainProblems(env),
  ];
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  return parsed.data;
}

/** Checked apart from the schema so that they are listed together with every other problem. */
function chainProblems(env: Record<string, string | undefined>): string[] {
  const available = { hfToken: Boolean(env['HF_TOKEN']), endpointUrl: Boolean(env['MODEL_ENDPOINT_URL']) };
  return TASKS.flatMap((task) => {
    const key = CHAIN_KEYS[task];
    const chain = env[key];
    if (!chain) return [];
    try {
      parseChain(task, chain, available);
      return [];
    } catch (error) {
      return [`${key}: ${error instanceof Error ? error.message : String(error)}`];
    }
  });
}

/** The chains as configured, by task. */
export function configuredChains(config: Config): Partial<Record<ModelTask, string>> {
  return Object.fromEntries(TASKS.flatMap((task) => (config[CHAIN_KEYS[task]] ? [[task, config[CHAIN_KEYS[task]]]] : [])));
}

/** Secret values in the configuration, for the redactor. A URL contributes its password. */
export function secretValues(config: Config): string[] {
  const values: string[] = [config.HF_TOKEN, config.MODEL_ENDPOINT_TOKEN].filter((value): value is string => Boolean(value));
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
