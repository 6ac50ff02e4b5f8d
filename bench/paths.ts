import { fileURLToPath } from 'node:url';

/** The repository root, whatever directory the benchmark was started from. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const TARGET_SERVER = fileURLToPath(new URL('./target-server.ts', import.meta.url));
