import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's shared folder (official API specs, real-world image fixtures): SHARED_DIR when
 * set, else `shared/` beside the checkout, as the workspace lays it out.
 */
export const SHARED_DIR = process.env['SHARED_DIR'] ?? fileURLToPath(new URL('../../../shared', import.meta.url));

if (!existsSync(SHARED_DIR)) throw new Error(`the shared specs and fixtures are not at ${SHARED_DIR}; set SHARED_DIR to where they are`);

export const IMAGE_FIXTURES = join(SHARED_DIR, 'fixtures', 'images');

/** The bytes of one of the shared image fixtures. */
export const fixture = async (name: string): Promise<Uint8Array> => new Uint8Array(await readFile(join(IMAGE_FIXTURES, name)));

export const sharedFile = (...parts: string[]): string => join(SHARED_DIR, ...parts);
