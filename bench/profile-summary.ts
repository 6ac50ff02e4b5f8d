import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a V8 .cpuprofile spent its time: self time by package or source file, biggest first. */
export async function profileSummary(file: string, top: number): Promise<string[]> {
  return summarize(JSON.parse(await readFile(file, 'utf8')) as CpuProfile, top);
}

function summarize(profile: CpuProfile, top: number): string[] {
  const owner = new Map(profile.nodes.map((node) => [node.id, place(node.callFrame)]));
  const profiler = profilerNodes(profile.nodes);
  const spent = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    // Starting the profiler through the inspector is sampled too; it is not the server's work.
    if (profiler.has(id)) return;
    const micros = profile.timeDeltas[index] ?? 0;
    total += micros;
    const where = owner.get(id) ?? '(unknown)';
    spent.set(where, (spent.get(where) ?? 0) + micros);
  });
  return [...spent]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, micros]) => `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${where}`);
}

/** The nodes under bench/profiler-routes.ts: the profiler's own start. */
function profilerNodes(nodes: ProfileNode[]): Set<number> {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const found = new Set<number>();
  const mark = (id: number): void => {
    found.add(id);
    for (const child of byId.get(id)?.children ?? []) mark(child);
  };
  for (const node of nodes) if (node.callFrame.url.endsWith('bench/profiler-routes.ts') && !found.has(node.id)) mark(node.id);
  return found;
}

/** A package name for dependencies, a path for our own files, the V8 bucket otherwise. */
function place({ url, functionName }: ProfileNode['callFrame']): string {
  if (!url) return `(${functionName || 'native'})`;
  if (url.startsWith('wasm://')) return '(WebAssembly: PGlite)';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1] ?? url;
  if (url.startsWith('node:')) return url;
  const own = /\/((?:src|bench)\/.*)$/.exec(url);
  return own?.[1] ?? url;
}
