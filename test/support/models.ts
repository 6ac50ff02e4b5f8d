import { loadConfig } from '../../src/config.js';
import { createModels } from '../../src/models/index.js';
import type { ModelService } from '../../src/models/model-service.js';
import { silentLog } from './log.js';

/** The models a bot has with nothing configured: the in-process engines only. Close it after use. */
export function localModels(): ModelService {
  return createModels(loadConfig({}), silentLog).models;
}
