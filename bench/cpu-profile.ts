/**
 * Reads a V8 `.cpuprofile` (what node's `--cpu-prof` writes) into the figures a performance
 * pass works from: where the sampled time went, by function (self and total time) and by
 * kind of code (ours, undici, other dependencies, node's own JavaScript, native work, garbage
 * collection), as milliseconds and as microseconds per request when the request count is known.
 * flame-graph.ts draws the same tree.
 *
 * Caveat written into every summary: a sample is charged to whatever was on the stack, also
 * while the thread waited for a CPU on a busy machine, so calls that tend to be pre-empted
 * (writes, postMessage) look dearer than they are. CPU time per request from the scheduler
 * (`bench:compare`'s columns) is the figure to judge a change by; this says where to look.
 */
import { readFileSync } from 'node:fs';

export interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber?: number }
export interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
export interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** A node with its sampled time: self (on top of the stack) and total (self plus callees), in µs. */
export interface TimedNode { node: ProfileNode; selfUs: number; totalUs: number; children: TimedNode[] }

export const CATEGORIES = ['tollgate', 'undici', 'dependencies', 'node', 'garbage collector', 'native', 'idle'] as const;
export type Category = (typeof CATEGORIES)[number];

export function readCpuProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}

/** Which kind of code a frame is; "tollgate" is this repository's compiled source and bench. */
export function categoryOf(frame: CallFrame): Category {
  const { functionName: name, url } = frame;
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'garbage collector';
  if (url === '') return 'native';
  if (url.includes('/node_modules/undici/')) return 'undici';
  if (url.includes('/node_modules/')) return 'dependencies';
  if (url.startsWith('node:')) return 'node';
  if (url.includes('/dist/src/') || url.includes('/dist/bench/')) return 'tollgate';
  return 'dependencies';
}

/** "name file:line" with the path cut to its last two segments. */
export function frameLabel(frame: CallFrame): string {
  const file = frame.url.split('/').slice(-2).join('/');
  const name = frame.functionName || '(anonymous)';
  return file ? `${name} ${file}:${frame.lineNumber + 1}` : name;
}

/** The profile as a tree with each node's self and total sampled time. */
export function timedTree(profile: CpuProfile): TimedNode {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const childIds = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  const root = profile.nodes.find((n) => !childIds.has(n.id));
  if (!root) throw new Error('the profile has no root node');
  // Iterative post-order: profiles of deep recursion would overflow a recursive walk.
  const timed = new Map<number, TimedNode>();
  const stack: Array<{ id: number; visited: boolean }> = [{ id: root.id, visited: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    const node = byId.get(top.id)!;
    if (!top.visited) {
      stack.push({ id: top.id, visited: true });
      for (const c of node.children ?? []) stack.push({ id: c, visited: false });
      continue;
    }
    const children = (node.children ?? []).map((c) => timed.get(c)!);
    const selfUs = Math.max(0, self.get(node.id) ?? 0);
    timed.set(node.id, { node, selfUs, totalUs: selfUs + children.reduce((s, c) => s + c.totalUs, 0), children });
  }
  return timed.get(root.id)!;
}

export interface FunctionTime { label: string; category: Category; selfUs: number; totalUs: number }

export interface ProfileSummary {
  sampledUs: number;
  byCategory: Record<Category, number>;
  /** Per function (name, file, line), its self time and its total time counted once per stack. */
  functions: FunctionTime[];
}

export function summarize(tree: TimedNode): ProfileSummary {
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const fns = new Map<string, FunctionTime>();
  // A function's total is the time of the stacks it is on, so a recursive call is not counted twice.
  const walk = (t: TimedNode, onStack: ReadonlySet<string>): void => {
    const label = frameLabel(t.node.callFrame);
    const category = categoryOf(t.node.callFrame);
    byCategory[category] += t.selfUs;
    let f = fns.get(label);
    if (!f) fns.set(label, (f = { label, category, selfUs: 0, totalUs: 0 }));
    f.selfUs += t.selfUs;
    if (!onStack.has(label)) f.totalUs += t.totalUs;
    const next = onStack.has(label) ? onStack : new Set([...onStack, label]);
    for (const c of t.children) walk(c, next);
  };
  for (const c of tree.children) walk(c, new Set());
  return { sampledUs: tree.totalUs, byCategory, functions: [...fns.values()] };
}

const fmt = (us: number, requests: number | undefined): string =>
  requests ? `${(us / requests).toFixed(2).padStart(8)} us/req` : `${(us / 1000).toFixed(1).padStart(9)} ms`;

/** A plain-text report: time by category, then the top functions by self and by total time. */
export function renderSummary(s: ProfileSummary, title: string, requests?: number, top = 40): string {
  const busy = s.sampledUs - s.byCategory.idle;
  const pct = (us: number): string => `${((100 * us) / Math.max(1, busy)).toFixed(1).padStart(5)}%`;
  const lines = [
    title,
    `sampled ${(s.sampledUs / 1e6).toFixed(2)} s, busy ${(busy / 1e6).toFixed(2)} s${requests ? `, ${requests} requests answered` : ''}; % of busy time`,
    'samples include time spent waiting for a CPU; judge changes by scheduler CPU time (bench:compare), not by these',
    '',
    'by kind of code:',
    ...CATEGORIES.filter((c) => c !== 'idle').map((c) => `  ${fmt(s.byCategory[c], requests)} ${pct(s.byCategory[c])}  ${c}`),
  ];
  const list = (heading: string, key: 'selfUs' | 'totalUs'): void => {
    lines.push('', heading);
    const rows = s.functions.filter((f) => f.category !== 'idle' && f.label !== '(root)').sort((a, b) => b[key] - a[key]).slice(0, top);
    for (const f of rows) lines.push(`  ${fmt(f[key], requests)} ${pct(f[key])}  ${f.label}  [${f.category}]`);
  };
  list(`top ${top} functions by self time:`, 'selfUs');
  list(`top ${top} functions by total time:`, 'totalUs');
  return `${lines.join('\n')}\n`;
}
