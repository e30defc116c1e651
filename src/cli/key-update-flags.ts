/**
 * The flags of `tollgate keys update <id>` turned into the body of an edit
 * (`PATCH /api/admin/keys/{id}`): the same body whether the CLI writes the local store or calls
 * a running gateway. Numbers are checked only for being numbers here; the admin API's strict
 * schema is the one judge of what a valid edit is, so both paths refuse the same things.
 *
 * Each group replaces the stored one whole (rate limits, budget, labels, models), as the API
 * does; `--clear models,budget` removes fields. It does not read or print keys.
 */
import { UsageError } from './usage-error.js';

export const UPDATE_FLAGS = {
  'per-second': { type: 'string' },
  'per-minute': { type: 'string' },
  'per-hour': { type: 'string' },
  'per-day': { type: 'string' },
  'tokens-per-minute': { type: 'string' },
  'per-request': { type: 'string' },
  daily: { type: 'string' },
  monthly: { type: 'string' },
  label: { type: 'string', multiple: true },
  clear: { type: 'string' },
} as const;

export interface UpdateFlagValues {
  name?: string;
  models?: string;
  tier?: string;
  'per-second'?: string;
  'per-minute'?: string;
  'per-hour'?: string;
  'per-day'?: string;
  'tokens-per-minute'?: string;
  'per-request'?: string;
  daily?: string;
  monthly?: string;
  label?: string[];
  clear?: string;
}

const CLEARABLE = new Set(['models', 'rateLimits', 'budget', 'labels']);
const LIMIT_FLAGS = [['per-second', 'perSecond'], ['per-minute', 'perMinute'], ['per-hour', 'perHour'], ['per-day', 'perDay'], ['tokens-per-minute', 'tokensPerMinute']] as const;
const BUDGET_FLAGS = [['per-request', 'perRequest'], ['daily', 'daily'], ['monthly', 'monthly']] as const;

function numberFlag(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a number`);
  return n;
}

function group(v: UpdateFlagValues, flags: ReadonlyArray<readonly [keyof UpdateFlagValues, string]>): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const [flag, field] of flags) {
    const raw = v[flag];
    if (typeof raw === 'string') out[field] = numberFlag(flag, raw);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function labels(list: string[] | undefined): Record<string, string> | undefined {
  if (!list) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--label takes name=value, got "${item}"`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export function updateBody(v: UpdateFlagValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (v.name !== undefined) body.name = v.name;
  if (v.models !== undefined) body.models = v.models.split(',').map((m) => m.trim()).filter(Boolean);
  const rateLimits = group(v, LIMIT_FLAGS);
  if (rateLimits) body.rateLimits = rateLimits;
  const custom = group(v, BUDGET_FLAGS);
  if (v.tier !== undefined && custom) throw new UsageError('use either --tier or --per-request/--daily/--monthly');
  if (v.tier !== undefined) body.budget = { tier: v.tier };
  if (custom) body.budget = custom;
  const l = labels(v.label);
  if (l) body.labels = l;
  for (const field of (v.clear ?? '').split(',').map((f) => f.trim()).filter(Boolean)) {
    if (!CLEARABLE.has(field)) throw new UsageError(`--clear takes ${[...CLEARABLE].join(', ')}; got "${field}"`);
    if (field in body) throw new UsageError(`--clear ${field} contradicts the flags that set it`);
    body[field] = null;
  }
  if (Object.keys(body).length === 0) throw new UsageError('keys update needs something to change (see tollgate --help)');
  return body;
}
