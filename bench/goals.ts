/** The targets from the issues; printed beside the measurements, never asserted. */
export const GOALS = {
  /** summarize messages per second through POST /api/messages, per backend. */
  minMessagesPerSecond: 500,
  /** p99(summarize) − p99(echo) on the same server. */
  maxP99OverheadMs: 5,
  /** p99 of server time minus the time inside model HTTP calls, per model-routed message, one at a time. */
  maxRoutingP99OverheadMs: 2,
  /** This many messages at once, against a model that takes burstModelDelayMs, all answered within maxBurstSeconds. */
  burstRequests: 100,
  burstModelDelayMs: 500,
  maxBurstSeconds: 0.7,
  /** The local extractive summarizer's speed, MB of input per second. */
  minSummarizerMBps: 1,
  /** Streamed replies over which the server's memory must stay flat. */
  streamedReplies: 10_000,
} as const;
