import type { History } from '../../src/core/history.js';
import type { Models } from '../../src/core/models.js';
import { Pipeline, type PipelineOptions } from '../../src/core/pipeline.js';
import { RateLimiter } from '../../src/core/rate-limit.js';
import { createRedactor } from '../../src/core/redact.js';
import { ToolRegistry } from '../../src/core/registry.js';
import { Router } from '../../src/core/router.js';
import { RulesRouter } from '../../src/core/rules.js';
import type { Tool } from '../../src/core/tool.js';
import { recordingLog } from './log.js';
import { localModels } from './models.js';

const DEFAULTS: PipelineOptions = { maxTextChars: 1000, maxFileBytes: 1000, maxFiles: 2, toolTimeoutMs: 200, maxQueuedPerConversation: 2 };

/** A pipeline over test tools; the first tool is the fallback. */
export function buildPipeline(
  history: History,
  tools: [Tool, ...Tool[]],
  options: Partial<PipelineOptions> = {},
  secrets: string[] = [],
  models: Models = localModels(),
) {
  const registry = new ToolRegistry(tools);
  const log = recordingLog();
  const pipeline = new Pipeline({
    registry,
    router: new Router(registry, new RulesRouter(registry), tools[0]),
    history,
    models,
    limiter: new RateLimiter(1000, 1000),
    redact: createRedactor(secrets),
    log,
    options: { ...DEFAULTS, ...options },
  });
  return { pipeline, log };
}
