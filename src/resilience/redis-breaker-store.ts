/**
 * The Redis BreakerStore, shared by every replica. All breaker records live in ONE hash
 * (`<prefix>records`, field = target key, value = "state failures openedAt probeAt touchedAt")
 * so a replica can fetch every non-pristine breaker with a single HGETALL (see
 * shared-breaker-store.ts, which keeps the local mirror). Each transition is one Lua script
 * (EVALSHA through ioredis `defineCommand`): read, apply the rules, write — atomically, so two
 * replicas admitting "the one half-open probe" at the same instant cannot both win.
 *
 * The script is a line-for-line port of breaker-state.ts (the contract suite holds both to
 * the same behaviour). Timestamps are the caller's epoch ms, not Redis TIME: the interface
 * passes `now` so tests drive time, and replica clock skew (NTP: milliseconds) is small next
 * to a cooldown. A pristine record (closed, no failures) is deleted, as in the memory store.
 *
 * It opens no connection and has no failure policy: it throws when Redis is unreachable.
 */
import type { Redis } from 'ioredis';
import { CLOSED, type Admission, type BreakerConfig, type BreakerRecord, type BreakerStateName } from './breaker-state.js';
import type { BreakerAdmission, BreakerChange, BreakerStore } from './breaker-store.js';

// KEYS[1]: the hash. ARGV: field, op (admit|success|failure), now, threshold, cooldownMs.
// Returns {admission, before, state, failures, openedAt, probeAt} as strings.
const STEP = `
local f, op = ARGV[1], ARGV[2]
local now, threshold, cooldown = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local state, failures, openedAt, probeAt = 'closed', 0, 0, 0
local v = redis.call('HGET', KEYS[1], f)
if v then
  local s, a, b, c = string.match(v, '^(%S+) (%d+) (%d+) (%d+)')
  state, failures, openedAt, probeAt = s, tonumber(a), tonumber(b), tonumber(c)
end
local before, admission = state, 'closed'
if op == 'admit' then
  if state ~= 'closed' then
    local since = openedAt
    if state == 'half-open' then since = probeAt end
    if now - since >= cooldown then
      admission, state, probeAt = 'half-open-probe', 'half-open', now
    else
      admission = 'open'
    end
  end
elseif op == 'success' then
  if state ~= 'open' then state, failures, openedAt, probeAt = 'closed', 0, 0, 0 end
elseif op == 'failure' then
  if state == 'half-open' then
    state, openedAt, probeAt = 'open', now, 0
  elseif state == 'closed' then
    failures = failures + 1
    if failures >= threshold then state, openedAt, probeAt = 'open', now, 0 end
  end
end
if state == 'closed' and failures == 0 then
  if v then redis.call('HDEL', KEYS[1], f) end
elseif op ~= 'admit' or admission == 'half-open-probe' then
  redis.call('HSET', KEYS[1], f, string.format('%s %d %d %d %d', state, failures, openedAt, probeAt, now))
end
return {admission, before, state, string.format('%d', failures), string.format('%d', openedAt), string.format('%d', probeAt)}`;

// Deletes a field only if it still holds the value the caller saw (pruning must not erase a
// record another replica has just updated).
const FORGET = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;

type Scripted = Redis & {
  tollgateBreakerStep(n: number, ...args: Array<string | number>): Promise<string[]>;
  tollgateBreakerForget(n: number, ...args: string[]): Promise<number>;
};

function scripted(client: Redis): Scripted {
  const c = client as Scripted;
  // defineCommand is per client; the shared connection may already carry them.
  if (typeof c.tollgateBreakerStep !== 'function') {
    client.defineCommand('tollgateBreakerStep', { lua: STEP });
    client.defineCommand('tollgateBreakerForget', { lua: FORGET });
  }
  return c;
}

/** One stored breaker as fetched by `all`, with the raw value (for compare-and-delete). */
export interface StoredBreaker {
  readonly record: BreakerRecord;
  /** When a replica last wrote it (epoch ms). */
  readonly touchedAt: number;
  readonly raw: string;
}

export function parseRecord(raw: string): { record: BreakerRecord; touchedAt: number } | undefined {
  const m = /^(closed|open|half-open) (\d+) (\d+) (\d+) (\d+)$/.exec(raw);
  if (!m) return undefined;
  return { record: { state: m[1] as BreakerStateName, failures: Number(m[2]), openedAt: Number(m[3]), probeAt: Number(m[4]) }, touchedAt: Number(m[5]) };
}

export class RedisBreakerStore implements BreakerStore {
  private readonly redis: Scripted;
  private readonly hash: string;

  /** `prefix` namespaces the hash (per deployment; tests use a unique one). */
  constructor(client: Redis, prefix = 'tollgate:cb:') {
    this.redis = scripted(client);
    this.hash = `${prefix}records`;
  }

  async admit(key: string, now: number, config: BreakerConfig): Promise<BreakerAdmission> {
    return this.step(key, 'admit', now, config);
  }

  async recordSuccess(key: string, now: number, config: BreakerConfig): Promise<BreakerChange> {
    const { before, record } = await this.step(key, 'success', now, config);
    return { before, record };
  }

  async recordFailure(key: string, now: number, config: BreakerConfig): Promise<BreakerChange> {
    const { before, record } = await this.step(key, 'failure', now, config);
    return { before, record };
  }

  async read(key: string): Promise<BreakerRecord> {
    const raw = await this.redis.hget(this.hash, key);
    return (raw === null ? undefined : parseRecord(raw)?.record) ?? CLOSED;
  }

  /** Every non-pristine breaker of the deployment (one round trip; the mirror's refresh). */
  async all(): Promise<Map<string, StoredBreaker>> {
    const out = new Map<string, StoredBreaker>();
    for (const [key, raw] of Object.entries(await this.redis.hgetall(this.hash))) {
      const parsed = parseRecord(raw);
      if (parsed) out.set(key, { ...parsed, raw });
    }
    return out;
  }

  /** Removes `key` if it still holds `raw`; true when it did. */
  async forget(key: string, raw: string): Promise<boolean> {
    return (await this.redis.tollgateBreakerForget(1, this.hash, key, raw)) === 1;
  }

  private async step(key: string, op: 'admit' | 'success' | 'failure', now: number, config: BreakerConfig): Promise<BreakerAdmission> {
    const r = await this.redis.tollgateBreakerStep(1, this.hash, key, op, Math.floor(now), config.failureThreshold, config.cooldownMs);
    const record: BreakerRecord = { state: r[2] as BreakerStateName, failures: Number(r[3]), openedAt: Number(r[4]), probeAt: Number(r[5]) };
    return { admission: r[0] as Admission, before: r[1] as BreakerStateName, record: record.state === 'closed' && record.failures === 0 ? CLOSED : record };
  }
}
