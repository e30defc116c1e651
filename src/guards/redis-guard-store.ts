/**
 * The Redis guard store, shared by every replica. Each method is ONE Lua script (registered
 * with ioredis `defineCommand`, sent as EVALSHA), so checking all windows and recording the
 * request, or checking all budgets and reserving on them, is a single atomic round trip that
 * no other replica can interleave with. Sliding windows are sorted sets scored by Redis' own
 * clock (TIME), so replicas with skewed clocks still agree; budgets are hashes {spent,reserved}.
 *
 * It opens no connection of its own: it runs on the gateway's shared RedisConnection and
 * throws when Redis is unreachable; the failure policy is the caller's (guard-runtime.ts).
 */
import type { Redis } from 'ioredis';
import type { BudgetCheck, BudgetState, GuardStore, HitResult, RateCheck, ReserveResult } from './guard-store.js';

const HIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {0, 0}
local denied, retry = 0, 0
for i = 1, #KEYS do
  local w = tonumber(ARGV[2 * i])
  local lim = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - w)
  local c = redis.call('ZCARD', KEYS[i])
  local reset = w
  if c > 0 then
    local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    reset = tonumber(oldest[2]) + w - now
  end
  if c >= lim then
    denied = 1
    local e = redis.call('ZRANGE', KEYS[i], c - lim, c - lim, 'WITHSCORES')
    local r = tonumber(e[2]) + w - now
    if r > retry then retry = r end
  end
  out[2 * i + 1] = c
  out[2 * i + 2] = reset
end
if denied == 0 then
  for i = 1, #KEYS do
    redis.call('ZADD', KEYS[i], now, ARGV[1])
    redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 * i]))
  end
end
out[1] = denied
out[2] = retry
return out`;

const RESERVE = `
local amt = tonumber(ARGV[1])
local out = {1, 0}
local refused = 0
for i = 1, #KEYS do
  local v = redis.call('HMGET', KEYS[i], 'spent', 'reserved')
  local spent = tonumber(v[1]) or 0
  local reserved = tonumber(v[2]) or 0
  out[2 * i + 1] = spent
  out[2 * i + 2] = reserved
  if refused == 0 and spent + reserved + amt > tonumber(ARGV[2 * i]) then refused = i end
end
if refused > 0 then
  out[1] = 0
  out[2] = refused
  return out
end
for i = 1, #KEYS do
  redis.call('HINCRBY', KEYS[i], 'reserved', amt)
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 * i + 1]))
end
return out`;

const SETTLE = `
for i = 1, #KEYS do
  redis.call('HINCRBY', KEYS[i], 'reserved', -tonumber(ARGV[1]))
  redis.call('HINCRBY', KEYS[i], 'spent', tonumber(ARGV[2]))
  if redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[3])) end
end
return 1`;

type Scripted = Redis & {
  tollgateGuardHit(n: number, ...args: Array<string | number>): Promise<number[]>;
  tollgateGuardReserve(n: number, ...args: Array<string | number>): Promise<number[]>;
  tollgateGuardSettle(n: number, ...args: Array<string | number>): Promise<number>;
};

function scripted(client: Redis): Scripted {
  const c = client as Scripted;
  // defineCommand is per client; the shared connection may already carry them.
  if (typeof c.tollgateGuardHit !== 'function') {
    client.defineCommand('tollgateGuardHit', { lua: HIT });
    client.defineCommand('tollgateGuardReserve', { lua: RESERVE });
    client.defineCommand('tollgateGuardSettle', { lua: SETTLE });
  }
  return c;
}

export class RedisGuardStore implements GuardStore {
  private readonly redis: Scripted;

  /** `prefix` namespaces every key (per deployment; tests use a unique one). */
  constructor(client: Redis, private readonly prefix: string = 'tollgate:g:') {
    this.redis = scripted(client);
  }

  async hit(checks: readonly RateCheck[], member: string): Promise<HitResult> {
    const args: Array<string | number> = checks.map((c) => this.prefix + c.key);
    args.push(member);
    for (const c of checks) args.push(c.windowMs, c.limit);
    const r = await this.redis.tollgateGuardHit(checks.length, ...args);
    const counts: number[] = [];
    const resetMs: number[] = [];
    for (let i = 0; i < checks.length; i++) {
      counts.push(Number(r[2 * i + 2]));
      resetMs.push(Number(r[2 * i + 3]));
    }
    return { allowed: Number(r[0]) === 0, counts, resetMs, retryAfterMs: Number(r[1]) };
  }

  async reserve(checks: readonly BudgetCheck[], amount: number): Promise<ReserveResult> {
    const args: Array<string | number> = checks.map((c) => this.prefix + c.key);
    args.push(amount);
    for (const c of checks) args.push(c.limit, c.ttlMs);
    const r = await this.redis.tollgateGuardReserve(checks.length, ...args);
    const states: BudgetState[] = [];
    for (let i = 0; i < checks.length; i++) states.push({ spent: Number(r[2 * i + 2]), reserved: Number(r[2 * i + 3]) });
    return { ok: Number(r[0]) === 1, refused: Number(r[1]) - 1, states };
  }

  async settle(keys: readonly string[], reserved: number, actual: number, ttlMs: number): Promise<void> {
    if (keys.length === 0) return;
    await this.redis.tollgateGuardSettle(keys.length, ...keys.map((k) => this.prefix + k), reserved, actual, ttlMs);
  }

  async budgets(keys: readonly string[]): Promise<BudgetState[]> {
    if (keys.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const k of keys) pipe.hmget(this.prefix + k, 'spent', 'reserved');
    const results = (await pipe.exec()) ?? [];
    return results.map(([err, v]) => {
      if (err) throw err;
      const [spent, reserved] = v as Array<string | null>;
      return { spent: Number(spent ?? 0), reserved: Number(reserved ?? 0) };
    });
  }
}
