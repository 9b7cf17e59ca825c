import fs from 'node:fs';
import path from 'node:path';

/**
 * `npm run profile:summary -- <file.cpuprofile | folder> [--top 25] [--skip-ms 0]`: a text summary
 * of V8 CPU profiles (node --cpu-prof, e.g. the bench's worker with BENCH_WORKER_NODE_OPTIONS):
 * for each profile, its sampled time by package (node_modules/<pkg>, our src/<dir>, node's own),
 * the functions with the most self time, and the most inclusive (self plus callees, each sample
 * counted once per function on its stack). `--skip-ms` leaves out the first milliseconds (start-up).
 */
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

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
};
const TOP = opt('--top', 25);
const SKIP_MS = opt('--skip-ms', 0);

/** Where a frame's code lives: an npm package, a folder of ours, node's internals, or V8's pseudo-frames. */
function owner(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const ours = /\/(src|scripts)\/((?:[^/]+\/)?[^/]+)\//.exec(url);
  if (ours) return `${ours[1]}/${ours[2]}`;
  if (url.startsWith('node:')) return 'node:internal';
  return path.basename(url);
}

const frameName = (n: ProfileNode) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(src|scripts)\//, '$1/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
};

/** Sampled milliseconds per node id (after the skipped start), and the total. */
function sampleTimes(profile: CpuProfile) {
  const ms = new Map<number, number>();
  let t = 0;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    t += (profile.timeDeltas[i] ?? 0) / 1000;
    if (t < SKIP_MS) return;
    ms.set(id, (ms.get(id) ?? 0) + dt);
    total += dt;
  });
  return { ms, total };
}

function top(map: Map<string, number>, total: number, n: number): string[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${v.toFixed(0).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}

function summarise(file: string) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const { ms, total } = sampleTimes(profile);
  const self = new Map<string, number>();
  const byOwner = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, t] of ms) {
    const node = byId.get(id)!;
    const name = frameName(node);
    self.set(name, (self.get(name) ?? 0) + t);
    const o = owner(node.callFrame.url, node.callFrame.functionName);
    byOwner.set(o, (byOwner.get(o) ?? 0) + t);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = frameName(byId.get(at)!);
      if (seen.has(f)) continue;
      seen.add(f);
      inclusive.set(f, (inclusive.get(f) ?? 0) + t);
    }
  }
  const idle = byOwner.get('(idle)') ?? 0;
  const lines = [
    `## ${path.basename(file)}: ${total.toFixed(0)} ms sampled${SKIP_MS ? ` after the first ${SKIP_MS} ms` : ''}, ${(total - idle).toFixed(0)} ms not idle`,
    '',
    'self time by package / folder:',
    ...top(byOwner, total, TOP),
    '',
    'self time by function:',
    ...top(self, total, TOP),
    '',
    'inclusive time by function:',
    ...top(inclusive, total, TOP),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

const files = args.flatMap((a) =>
  fs.statSync(a).isDirectory()
    ? fs
        .readdirSync(a)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(a, f))
    : [a],
);
if (!files.length) {
  process.stderr.write('usage: npm run profile:summary -- <file.cpuprofile | folder> [--top 25] [--skip-ms 0]\n');
  process.exit(64);
}
files.forEach(summarise);
