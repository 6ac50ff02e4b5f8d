/** The targets from the issue; printed beside the measurements, never asserted. */
export const GOALS = {
  /** summarize messages per second through POST /api/messages, per backend. */
  minMessagesPerSecond: 500,
  /** p99(summarize) − p99(echo) on the same server. */
  maxP99OverheadMs: 5,
} as const;
