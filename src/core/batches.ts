/** Runs `jobs` `size` at a time, results in job order: long work finishes sooner without flooding a provider. */
export async function inBatches<T>(jobs: ReadonlyArray<() => Promise<T>>, size: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += size) results.push(...(await Promise.all(jobs.slice(i, i + size).map((job) => job()))));
  return results;
}
