import { eq } from 'drizzle-orm';
import { toolRuns } from '../../src/store/schema.js';
import type { Database } from '../../src/store/database.js';
import type { PostResult } from './http.js';

/** The tool runs recorded for a message, in the order they were recorded. */
export async function runsOf(database: Pick<Database, 'db'>, messageId: string | null | undefined) {
  return database.db
    .select()
    .from(toolRuns)
    .where(eq(toolRuns.messageId, Number(messageId)))
    .orderBy(toolRuns.id);
}

/** A tool's error is answered as a stored reply; its code is recorded with the run. */
export async function toolFailure(database: Pick<Database, 'db'>, result: PostResult): Promise<{ code: string | null | undefined; text: string }> {
  const runs = await runsOf(database, result.body.message);
  return { code: runs.at(-1)?.errorCode, text: result.body.replies?.[0]?.text ?? '' };
}
