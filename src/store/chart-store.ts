import { desc, eq } from 'drizzle-orm';
import type { StoredChart } from '../core/history.js';
import type { Db } from './database.js';
import { charts } from './schema.js';
import { guarded } from './unavailable.js';

/** The specs of drawn charts, newest last per conversation; each goes with the message it answered. */
export class ChartStore {
  constructor(private readonly db: Db) {}

  save(chart: { conversation: string; messageId: string; spec: Record<string, unknown> }): Promise<void> {
    return guarded('saveChart', async () => {
      await this.db.insert(charts).values({ conversationId: chart.conversation, messageId: Number(chart.messageId), spec: chart.spec });
    });
  }

  last(conversation: string): Promise<StoredChart | undefined> {
    return guarded('lastChart', async () => {
      const [row] = await this.db
        .select({ messageId: charts.messageId, spec: charts.spec, createdAt: charts.createdAt })
        .from(charts)
        .where(eq(charts.conversationId, conversation))
        .orderBy(desc(charts.id))
        .limit(1);
      return row && { messageId: String(row.messageId), spec: row.spec, createdAt: row.createdAt };
    });
  }
}
