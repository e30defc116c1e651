/**
 * Command-line options of `npm run bench -- …`: run length, warm-up, concurrency levels, which
 * targets to start, and where results go. `--quick` shortens runs for a smoke check; explicit
 * `--duration`/`--warmup`/`--prime`/`--rounds` still win over it.
 *
 * It does not validate that the machine can sustain the requested load.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_LEVELS, TARGET_IDS, type TargetId } from './scenarios.js';

export interface BenchOptions {
  durationSec: number;
  warmupSec: number;
  /**
   * Load on each target and mode before any row is measured, long enough for V8 to finish
   * optimizing the request path (see `prime` in bench.ts).
   */
  primeSec: number;
  /** Slices per row; the measured time is split between them. */
  rounds: number;
  levels: number[];
  targets: TargetId[];
  outDir: string | undefined;
  printJson: boolean;
}

export const USAGE = `usage: npm run bench -- [--duration S] [--warmup S] [--prime S] [--rounds N] [--quick] [--levels 1,16,64]
                     [--targets direct,floor,gateway,gateway-bare,gateway-cache,gateway-guards,gateway-guards-redis,gateway-obs,gateway-full] [--out DIR] [--no-json]`;

function positive(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${raw}\n${USAGE}`);
  return value;
}

function targetList(raw: string): TargetId[] {
  const ids = raw.split(',').map((s) => s.trim());
  for (const id of ids) {
    if (!(TARGET_IDS as readonly string[]).includes(id)) throw new Error(`unknown target ${id}; known: ${TARGET_IDS.join(', ')}`);
  }
  // Keep the canonical order so comparisons line up however the flag was written.
  return TARGET_IDS.filter((id) => ids.includes(id));
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      prime: { type: 'string' },
      rounds: { type: 'string' },
      quick: { type: 'boolean', default: false },
      levels: { type: 'string' },
      targets: { type: 'string' },
      out: { type: 'string' },
      'no-json': { type: 'boolean', default: false },
    },
  });
  return {
    durationSec: values.duration !== undefined ? positive('duration', values.duration) : values.quick ? 2 : 5,
    warmupSec: values.warmup !== undefined ? positive('warmup', values.warmup) : values.quick ? 0.5 : 1,
    primeSec: values.prime !== undefined ? positive('prime', values.prime) : values.quick ? 1 : 8,
    rounds: values.rounds !== undefined ? Math.round(positive('rounds', values.rounds)) : values.quick ? 2 : 5,
    levels: values.levels !== undefined ? values.levels.split(',').map((l) => Math.round(positive('levels', l))) : [...DEFAULT_LEVELS],
    targets: values.targets !== undefined ? targetList(values.targets) : [...TARGET_IDS],
    outDir: values.out,
    printJson: !values['no-json'],
  };
}
