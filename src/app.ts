import type { Hono } from 'hono';
import { createWebApp } from './adapters/web/server.js';
import type { Config } from './config.js';
import { secretValues } from './config.js';
import type { Log } from './core/log.js';
import { Pipeline } from './core/pipeline.js';
import { RateLimiter } from './core/rate-limit.js';
import { createRedactor } from './core/redact.js';
import { ToolRegistry } from './core/registry.js';
import { Router } from './core/router.js';
import { RulesRouter } from './core/rules.js';
import type { Database } from './store/database.js';
import { HistoryStore } from './store/history-store.js';
import { builtinTools } from './tools/index.js';

export interface App {
  registry: ToolRegistry;
  history: HistoryStore;
  pipeline: Pipeline;
  web: Hono;
}

/** The composition root without I/O of its own: main, the tests and the benchmarks wire the bot the same way. */
export function createApp(config: Config, database: Database, log: Log): App {
  const registry = new ToolRegistry(builtinTools());
  const help = registry.get('help');
  if (!help) throw new Error('the help tool is missing from the built-in tools');
  const history = new HistoryStore(database);
  const limits = { maxTextChars: config.MAX_TEXT_CHARS, maxFileBytes: Math.round(config.MAX_FILE_MB * 1_048_576), maxFiles: config.MAX_FILES };
  const pipeline = new Pipeline({
    registry,
    router: new Router(registry, new RulesRouter(registry), help),
    history,
    limiter: new RateLimiter(config.RATE_LIMIT_PER_MINUTE, config.RATE_LIMIT_BURST),
    redact: createRedactor(secretValues(config)),
    log,
    options: { ...limits, toolTimeoutMs: config.TOOL_TIMEOUT_SECONDS * 1000, maxQueuedPerConversation: 20 },
  });
  const web = createWebApp({ pipeline, store: history, registry, ping: database.ping, log, limits });
  return { registry, history, pipeline, web };
}
