import { eq } from 'drizzle-orm';
import { toolRuns } from '../../src/store/schema.js';
import type { Database } from '../../src/store/database.js';
import type { PostResult } from './http.js';

/** A tool's error is answered as a stored reply; its code is recorded with the run. */
export async function toolFailure(database: Pick<Database, 'db'>, result: PostResult): Promise<{ code: string | null | undefined; text: string }> {
  const runs = await database.db
    .select()
    .from(toolRuns)
    .where(eq(toolRuns.messageId, Number(result.body.message)));
  return { code: runs.at(-1)?.errorCode, text: result.body.replies?.[0]?.text ?? '' };
}
