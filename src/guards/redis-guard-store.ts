/**
 * The Redis guard store, shared by every replica. Each method is ONE Lua script (registered
 * with ioredis `defineCommand`, sent as EVALSHA), so checking all windows and recording the
 * request, or checking all budgets and reserving on them, is a single atomic round trip that
 * no other replica can interleave with — and both together for one request (`admit`), so a
 * guarded request costs one round trip before its upstream call. Sliding windows are sorted sets scored by Redis' own
 * clock (TIME), so replicas with skewed clocks still agree; budgets are hashes {spent,reserved}.
 *
 * It opens no connection of its own: it runs on the gateway's shared RedisConnection and
 * throws when Redis is unreachable; the failure policy is the caller's (guard-runtime.ts).
 */
import type { Redis } from 'ioredis';
import { bucketWidthMs, EXACT_UP_TO } from './bucket-ring.js';
import { AdmitBasedStore, type AdmitResult, type BudgetCheck, type BudgetState, type GuardStore, type HitResult, type RateCheck } from './guard-store.js';

// KEYS: the rate windows, then the budgets. ARGV: member, number of rate windows, amount,
// then (windowMs, limit, bucketWidthMs) per window and (limit, ttlMs, amount) per budget.
// A window with bucketWidthMs 0 is a sorted set of one member per request (exact); one with a
// width is a hash of per-bucket counts plus n (total), o (oldest bucket) and l (newest bucket),
// the same rule as bucket-ring.ts: an entry counts until the last instant of its bucket.
// Returns {rateDenied, retryMs, refusedBudget (1-based, 0 = none), count/reset per window,
// spent/reserved per budget}.
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nr = tonumber(ARGV[2])
local out = {0, 0, 0}
local denied, retry = 0, 0
local function num(v) return tonumber(v) or 0 end
local function exact(key, w, lim)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - w)
  local c = redis.call('ZCARD', key)
  local reset, r = w, 0
  if c > 0 then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    reset = tonumber(oldest[2]) + w - now
  end
  if c >= lim then
    local e = redis.call('ZRANGE', key, c - lim, c - lim, 'WITHSCORES')
    r = tonumber(e[2]) + w - now
  end
  return c, reset, r
end
local function bucketed(key, w, lim, g)
  local n = num(redis.call('HGET', key, 'n'))
  if n > 0 then
    local o, l = num(redis.call('HGET', key, 'o')), num(redis.call('HGET', key, 'l'))
    local last = math.floor((now - w + 1) / g) - 1
    if last >= l then
      redis.call('DEL', key)
      n = 0
    elseif last >= o then
      for id = o, last do
        local v = redis.call('HGET', key, id)
        if v then n = n - tonumber(v); redis.call('HDEL', key, id) end
      end
      o = last + 1
      while o < l and redis.call('HEXISTS', key, o) == 0 do o = o + 1 end
      redis.call('HSET', key, 'n', n, 'o', o)
    end
  end
  if n == 0 then return 0, w, 0 end
  local o = num(redis.call('HGET', key, 'o'))
  local reset, r = (o + 1) * g - 1 + w - now, 0
  if n >= lim then
    local seen, id = 0, o
    while seen <= n - lim do
      seen = seen + num(redis.call('HGET', key, id))
      id = id + 1
    end
    r = id * g - 1 + w - now
  end
  return n, reset, r
end
for i = 1, nr do
  local w = tonumber(ARGV[1 + 3 * i])
  local lim = tonumber(ARGV[2 + 3 * i])
  local g = tonumber(ARGV[3 + 3 * i])
  local c, reset, r
  if g > 0 then c, reset, r = bucketed(KEYS[i], w, lim, g) else c, reset, r = exact(KEYS[i], w, lim) end
  if c >= lim then
    denied = 1
    if r > retry then retry = r end
  end
  out[#out + 1] = c
  out[#out + 1] = reset
end
out[1] = denied
out[2] = retry
if denied == 1 then return out end
local base = 3 + 3 * nr
local refused = 0
for j = nr + 1, #KEYS do
  local v = redis.call('HMGET', KEYS[j], 'spent', 'reserved')
  local spent = tonumber(v[1]) or 0
  local reserved = tonumber(v[2]) or 0
  out[#out + 1] = spent
  out[#out + 1] = reserved
  if refused == 0 and spent + reserved + tonumber(ARGV[base + 3 * (j - nr)]) > tonumber(ARGV[base + 3 * (j - nr) - 2]) then refused = j - nr end
end
out[3] = refused
if refused > 0 then return out end
for i = 1, nr do
  local w, g = tonumber(ARGV[1 + 3 * i]), tonumber(ARGV[3 + 3 * i])
  if g > 0 then
    local id = math.floor(now / g)
    if redis.call('HINCRBY', KEYS[i], 'n', 1) == 1 then redis.call('HSET', KEYS[i], 'o', id) end
    redis.call('HINCRBY', KEYS[i], id, 1)
    redis.call('HSET', KEYS[i], 'l', id)
    redis.call('PEXPIRE', KEYS[i], w + g)
  else
    redis.call('ZADD', KEYS[i], now, ARGV[1])
    redis.call('PEXPIRE', KEYS[i], w)
  end
end
for j = nr + 1, #KEYS do
  redis.call('HINCRBY', KEYS[j], 'reserved', tonumber(ARGV[base + 3 * (j - nr)]))
  redis.call('PEXPIRE', KEYS[j], tonumber(ARGV[base + 3 * (j - nr) - 1]))
end
return out`;

const SETTLE = `
local out = {}
for i = 1, #KEYS do
  out[#out + 1] = redis.call('HINCRBY', KEYS[i], 'spent', tonumber(ARGV[2]))
  out[#out + 1] = redis.call('HINCRBY', KEYS[i], 'reserved', -tonumber(ARGV[1]))
  if redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[3])) end
end
return out`;

type Scripted = Redis & {
  tollgateGuardAdmit(n: number, ...args: Array<string | number>): Promise<number[]>;
  tollgateGuardSettle(n: number, ...args: Array<string | number>): Promise<number[]>;
};

function scripted(client: Redis): Scripted {
  const c = client as Scripted;
  // defineCommand is per client; the shared connection may already carry them.
  if (typeof c.tollgateGuardAdmit !== 'function') {
    client.defineCommand('tollgateGuardAdmit', { lua: ADMIT });
    client.defineCommand('tollgateGuardSettle', { lua: SETTLE });
  }
  return c;
}

export class RedisGuardStore extends AdmitBasedStore implements GuardStore {
  private readonly redis: Scripted;

  /** `prefix` namespaces every key (per deployment; tests use a unique one). */
  constructor(client: Redis, private readonly prefix: string = 'tollgate:g:', private readonly exactUpTo = EXACT_UP_TO) {
    super();
    this.redis = scripted(client);
  }

  /** Bucket width of a window, 0 for an exact one (memory-guard-store.ts has the same rule). */
  private widthOf(c: RateCheck): number {
    return c.limit > this.exactUpTo ? bucketWidthMs(c.windowMs) : 0;
  }

  async admit(rates: readonly RateCheck[], member: string, budgets: readonly BudgetCheck[], amount: number): Promise<AdmitResult> {
    // Bucketed windows live under their own key: a sorted set and a hash never share one.
    const rateKeys = rates.map((c) => this.prefix + c.key + (this.widthOf(c) > 0 ? ':b' : ''));
    const args: Array<string | number> = [...rateKeys, ...budgets.map((c) => this.prefix + c.key)];
    args.push(member, rates.length, amount);
    for (const c of rates) args.push(c.windowMs, c.limit, this.widthOf(c));
    for (const c of budgets) args.push(c.limit, c.ttlMs, c.amount ?? amount);
    const r = (await this.redis.tollgateGuardAdmit(rates.length + budgets.length, ...args)).map(Number);
    const counts: number[] = [];
    const resetMs: number[] = [];
    for (let i = 0; i < rates.length; i++) {
      counts.push(r[3 + 2 * i]);
      resetMs.push(r[4 + 2 * i]);
    }
    const rate: HitResult = { allowed: r[0] === 0, counts, resetMs, retryAfterMs: r[1] };
    if (!rate.allowed) return { rate, budget: undefined };
    const states: BudgetState[] = [];
    const base = 3 + 2 * rates.length;
    for (let j = 0; j < budgets.length; j++) states.push({ spent: r[base + 2 * j], reserved: r[base + 2 * j + 1] });
    return { rate, budget: { ok: r[2] === 0, refused: r[2] - 1, states } };
  }

  async settle(keys: readonly string[], reserved: number, actual: number, ttlMs: number): Promise<BudgetState[]> {
    if (keys.length === 0) return [];
    const r = (await this.redis.tollgateGuardSettle(keys.length, ...keys.map((k) => this.prefix + k), reserved, actual, ttlMs)).map(Number);
    return keys.map((_, i) => ({ spent: r[2 * i], reserved: r[2 * i + 1] }));
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
