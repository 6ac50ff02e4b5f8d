import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's shared folder (official API specs, real-world image fixtures): SHARED_DIR when
 * set, else `shared/` beside the checkout, as the workspace lays it out.
 */
export const SHARED_DIR = process.env['SHARED_DIR'] ?? fileURLToPath(new URL('../../../shared', import.meta.url));

if (!existsSync(SHARED_DIR)) throw new Error(`the shared specs and fixtures are not at ${SHARED_DIR}; set SHARED_DIR to where they are`);

export const IMAGE_FIXTURES = join(SHARED_DIR, 'fixtures', 'images');

export const sharedFile = (...parts: string[]): string => join(SHARED_DIR, ...parts);
