/**
 * The long-lived services behind the request path, opened once at start: the event queue and
 * its sinks (log store with spool, stdout), and the log store the operator endpoints read.
 * Everything here is asynchronous to requests: the pipeline only ever pushes an event.
 */
import type { Logger } from 'pino';
import { AlertService } from './alerts/alert-service.js';
import type { RuntimeConfig } from './config/compile.js';
import { ConsoleSink } from './metering/console-sink.js';
import { EventQueue, type EventSink } from './metering/event-queue.js';
import { StoreSink } from './metering/store-sink.js';
import { LazyEventStore } from './stores/events/lazy-event-store.js';
import { openEventStore } from './stores/events/open-event-store.js';
import { openEventSpool } from './stores/spool/event-spool.js';
import { openStateConnection, type RedisConnection } from './stores/redis/redis-connection.js';
import { openCacheRuntime, type CacheRuntime } from './cache/cache-runtime.js';
import { GuardRuntime } from './guards/guard-runtime.js';
import { openAccessStore } from './guards/open-access-store.js';
import { stdoutDestination } from './logging/stdout.js';

export interface GatewayServices {
  readonly events: EventQueue;
  /** The request log; undefined with `storage: none://`. */
  readonly store: LazyEventStore | undefined;
  readonly storeSink: StoreSink | undefined;
  /** The shared Redis connection with `state: redis://…`; undefined with `memory://`. */
  readonly redis: RedisConnection | undefined;
  /** The response cache (in-process LRU over SQLite or Redis). */
  readonly cache: CacheRuntime;
  /** Keys, rate limits and budgets (src/guards/). */
  readonly guards: GuardRuntime;
  /** Alert rules over live traffic, their history and destinations. */
  readonly alerts: AlertService;
  close(): Promise<void>;
}

async function openStoreSink(config: RuntimeConfig, log: Logger): Promise<{ store: LazyEventStore; sink: StoreSink } | undefined> {
  if (config.source.storage.startsWith('none://')) return undefined;
  const logging = config.logging;
  const store = new LazyEventStore(() => openEventStore(config.source.storage));
  const spool = await openEventSpool(logging.spoolDir);
  const sink = new StoreSink(store, spool, {
    appendTimeoutMs: 2_000,
    replayEveryMs: 2_000,
    retentionDays: logging.retentionDays,
    onError: (what, err) => log.warn({ what, err: err instanceof Error ? err.message : String(err) }, 'log store problem; events are spooled'),
  });
  // Connect now so the first batches do not wait for migrations; failure is fine (spool).
  store.append([]).catch(() => undefined);
  void sink.replay();
  return { store, sink };
}

/** Where request lines go, as bytes. */
export type LineOut = (chunk: Buffer) => void;

/** Request lines share the logger's asynchronous stdout (logging/stdout.ts). */
const stdoutWrite: LineOut = (chunk) => { stdoutDestination().write(chunk); };

export async function openServices(config: RuntimeConfig, log: Logger, requestOut: LineOut = stdoutWrite): Promise<GatewayServices> {
  const logging = config.logging;
  const stored = await openStoreSink(config, log);
  const sinks: EventSink[] = stored ? [stored.sink] : [];
  // Request lines are info-level: a config at warn or above turns them off with the rest.
  const infoOn = logging.level === 'trace' || logging.level === 'debug' || logging.level === 'info';
  if (logging.requests && infoOn) sinks.push(new ConsoleSink(logging.format, requestOut));
  const alerts = new AlertService(config, () => stored?.store, log);
  sinks.push(alerts.sink);
  const events = new EventQueue(sinks, {
    ...logging.queue,
    onSinkError: (sink, err) => log.error({ sink, err: err instanceof Error ? err.message : String(err) }, 'event sink failed'),
  });
  const redis = openStateConnection(config.source.state);
  const cache = openCacheRuntime(config.cache, redis);
  const guards = new GuardRuntime(redis, openAccessStore(config.source.storage, log));
  alerts.engine.signals.budgetSource = () => guards.budgetUtilization(); // budget_utilization rules
  return {
    events,
    store: stored?.store,
    storeSink: stored?.sink,
    redis,
    cache,
    guards,
    alerts,
    close: async () => {
      await guards.close();
      await events.close();
      await alerts.close();
      await cache.cache.close();
      await redis?.close();
    },
  };
}
