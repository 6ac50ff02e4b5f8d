import type { Hono } from 'hono';
import { createWebApp } from './adapters/web/server.js';
import type { Config } from './config.js';
import { secretValues } from './config.js';
import type { Log } from './core/log.js';
import { BOT_USER } from './core/message.js';
import { ModelRouter } from './core/model-router.js';
import { Pipeline } from './core/pipeline.js';
import { RateLimiter } from './core/rate-limit.js';
import { createRedactor } from './core/redact.js';
import { ToolRegistry } from './core/registry.js';
import { Router } from './core/router.js';
import { RulesRouter } from './core/rules.js';
import type { Database } from './store/database.js';
import { HistoryStore } from './store/history-store.js';
import { createModels } from './models/index.js';
import { builtinTools } from './tools/index.js';

export interface App {
  registry: ToolRegistry;
  history: HistoryStore;
  pipeline: Pipeline;
  web: Hono;
  /** Which models serve which task, one line per task. */
  models: string[];
  /** Stops what runs beside the HTTP server (the OCR worker); the database is the caller's. */
  close: () => Promise<void>;
}

export interface AppOptions {
  /** The fetch the model clients use; tests point it at a fake inference server. */
  fetch?: typeof fetch;
}

/** The composition root without I/O of its own: main, the tests and the benchmarks wire the bot the same way. */
export function createApp(config: Config, database: Database, log: Log, options: AppOptions = {}): App {
  const historyChars = config.CHAT_HISTORY_TOKENS * 4;
  const registry = new ToolRegistry(builtinTools({ historyChars }));
  const help = registry.get('help');
  if (!help) throw new Error('the help tool is missing from the built-in tools');
  const history = new HistoryStore(database);
  const { models, summary } = createModels(config, log, options.fetch);
  const freeText = models.has('chat') ? new ModelRouter(registry, models, history, { historyChars, botName: BOT_USER.name }) : new RulesRouter(registry);
  const limits = { maxTextChars: config.MAX_TEXT_CHARS, maxFileBytes: Math.round(config.MAX_FILE_MB * 1_048_576), maxFiles: config.MAX_FILES };
  const pipeline = new Pipeline({
    registry,
    router: new Router(registry, freeText, help),
    history,
    models,
    limiter: new RateLimiter(config.RATE_LIMIT_PER_MINUTE, config.RATE_LIMIT_BURST),
    redact: createRedactor(secretValues(config)),
    log,
    options: { ...limits, toolTimeoutMs: config.TOOL_TIMEOUT_SECONDS * 1000, maxQueuedPerConversation: 20 },
  });
  const web = createWebApp({ pipeline, store: history, registry, ping: database.ping, log, limits });
  return { registry, history, pipeline, web, models: summary, close: () => models.close() };
}
