/** A span of time in ms on one process's performance.now() clock. */
export interface Interval {
  start: number;
  end: number;
}

/**
 * Total time covered by some intervals inside a window: each is clipped to the window and
 * overlapping ones count once, so two model calls in flight together are not subtracted twice.
 */
export function coveredWithin(intervals: readonly Interval[], window: Interval): number {
  const clipped = intervals
    .map(({ start, end }) => ({ start: Math.max(start, window.start), end: Math.min(end, window.end) }))
    .filter(({ start, end }) => end > start)
    .sort((a, b) => a.start - b.start);
  let covered = 0;
  let runStart = Number.NaN;
  let runEnd = Number.NEGATIVE_INFINITY;
  for (const { start, end } of clipped) {
    if (start > runEnd) {
      if (runEnd > runStart) covered += runEnd - runStart;
      runStart = start;
      runEnd = end;
    } else {
      runEnd = Math.max(runEnd, end);
    }
  }
  if (runEnd > runStart) covered += runEnd - runStart;
  return covered;
}

/** The most intervals open at one moment (an interval ending as another starts does not overlap it). */
export function maxOverlap(intervals: readonly Interval[]): number {
  const edges = intervals.flatMap(({ start, end }) => [
    { at: start, step: 1 },
    { at: end, step: -1 },
  ]);
  // Ends before starts at the same instant.
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let open = 0;
  let most = 0;
  for (const { step } of edges) {
    open += step;
    most = Math.max(most, open);
  }
  return most;
}
