/**
 * Command line of `npm run bench:compare -- …` (compare.ts): the load shape and the variants to
 * compare. A variant is `label=target[+feature…][:arg,…][@checkout]`:
 *
 * - `target`: a benchmark target whose generated config it starts from (`gateway`,
 *   `gateway-bare`, `gateway-cache`, `gateway-obs`, `gateway-guards`, `gateway-full`), or
 *   `floor`, the bare pass-through proxy;
 * - `+feature`: config lines added to that config: `cache`, `guards`, `tracing`, `metrics`,
 *   `no-metrics`, `heap-growth-N` (server.heapGrowthPercent N), and for splitting the metering
 *   sinks' cost: `no-lines` (no request lines on stdout) and `no-store` (no log store);
 * - `:arg,…`: node flags (`--max-semi-space-size=8`) or environment variables (`NAME=value`);
 * - `@checkout`: another checkout of Tollgate (built), e.g. a worktree of an older commit.
 *
 * It does not check that a feature combination makes a valid config; the gateway's own loader
 * refuses one that does not, and compare.ts shows its message.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const COMPARE_TARGETS = ['floor', 'gateway', 'gateway-bare', 'gateway-cache', 'gateway-obs', 'gateway-guards', 'gateway-full'] as const;
export type CompareTarget = (typeof COMPARE_TARGETS)[number];

export interface Variant {
  label: string;
  target: CompareTarget;
  features: string[];
  nodeFlags: string[];
  env: Record<string, string>;
  /** Root of the Tollgate checkout that runs it; undefined: this one. */
  checkout: string | undefined;
}

export interface CompareOptions {
  /** Requests per second sent to each variant; 0 with `saturate`. */
  rate: number;
  seconds: number;
  rounds: number;
  connections: number;
  stream: boolean;
  /** One variant at a time, as fast as it answers, instead of all at once at a fixed rate. */
  saturate: boolean;
  /**
   * Where each variant's CPU profile goes (`--cpu-prof` into `<dir>/<label>/`), with its flame
   * graph and summary (`<dir>/<label>.svg`, `.txt`); undefined: no profiling.
   */
  profileDir: string | undefined;
  variants: Variant[];
}

export const COMPARE_USAGE = `usage: npm run bench:compare -- [--rate R] [--seconds S] [--rounds N] [--connections C] [--stream] [--saturate] [--profile DIR]
       label=target[+feature...][:node-flag|NAME=value,...][@checkout] ...
  target:  ${COMPARE_TARGETS.join(', ')}
  feature: cache, guards, tracing, metrics, no-metrics, no-lines, no-store, heap-growth-N`;

const FEATURE = /^(cache|guards|tracing|metrics|no-metrics|no-lines|no-store|heap-growth-\d{1,3})$/;
const SPEC = /^([\w.-]+)=([\w-]+)((?:\+[\w-]+)*)(?::([^@]*))?(?:@(.+))?$/;

export function parseVariant(spec: string): Variant {
  const m = SPEC.exec(spec);
  if (!m) throw new Error(`cannot read variant "${spec}"\n${COMPARE_USAGE}`);
  const [, label, target, plus, args, checkout] = m;
  if (!(COMPARE_TARGETS as readonly string[]).includes(target)) throw new Error(`unknown target "${target}" in "${spec}"; known: ${COMPARE_TARGETS.join(', ')}`);
  const features = plus ? plus.slice(1).split('+') : [];
  for (const f of features) if (!FEATURE.test(f)) throw new Error(`unknown feature "${f}" in "${spec}"\n${COMPARE_USAGE}`);
  if (target === 'floor' && features.length > 0) throw new Error(`the floor takes no features ("${spec}")`);
  const nodeFlags: string[] = [];
  const env: Record<string, string> = {};
  for (const arg of args ? args.split(',').filter((a) => a !== '') : []) {
    if (arg.startsWith('-')) nodeFlags.push(arg);
    else if (/^[A-Za-z_]\w*=/.test(arg)) env[arg.slice(0, arg.indexOf('='))] = arg.slice(arg.indexOf('=') + 1);
    else throw new Error(`"${arg}" in "${spec}" is neither a node flag nor NAME=value`);
  }
  return { label, target: target as CompareTarget, features, nodeFlags, env, checkout };
}

function count(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number ≥ ${min}, got ${raw}`);
  return value;
}

export function parseCompareOptions(argv: string[]): CompareOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rate: { type: 'string' },
      seconds: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      stream: { type: 'boolean', default: false },
      saturate: { type: 'boolean', default: false },
      profile: { type: 'string' },
    },
  });
  const variants = positionals.map(parseVariant);
  if (variants.length < 2) throw new Error(`compare needs at least two variants\n${COMPARE_USAGE}`);
  const labels = new Set(variants.map((v) => v.label));
  if (labels.size !== variants.length) throw new Error('variant labels must differ');
  const profileDir = values.profile === undefined ? undefined : resolve(values.profile);
  if (profileDir !== undefined) {
    for (const v of variants) v.nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${join(profileDir, v.label)}`);
  }
  return {
    rate: values.saturate ? 0 : count('rate', values.rate, 1000, 1),
    seconds: count('seconds', values.seconds, 5, 0.5),
    rounds: Math.round(count('rounds', values.rounds, 6, 1)),
    connections: Math.round(count('connections', values.connections, 16, 1)),
    stream: values.stream,
    saturate: values.saturate,
    profileDir,
    variants,
  };
}
