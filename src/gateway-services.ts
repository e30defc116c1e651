/**
 * The long-lived services behind the request path, opened once at start: the event queue and
 * its sinks (log store with spool, stdout), and the log store the operator endpoints read.
 * Everything here is asynchronous to requests: the pipeline only ever pushes an event.
 */
import type { Logger } from 'pino';
import type { RuntimeConfig } from './config/compile.js';
import { ConsoleSink } from './metering/console-sink.js';
import { EventQueue, type EventSink } from './metering/event-queue.js';
import { StoreSink } from './metering/store-sink.js';
import { LazyEventStore } from './stores/events/lazy-event-store.js';
import { openEventStore } from './stores/events/open-event-store.js';
import { openEventSpool } from './stores/spool/event-spool.js';

export interface GatewayServices {
  readonly events: EventQueue;
  readonly store: LazyEventStore;
  readonly storeSink: StoreSink;
  close(): Promise<void>;
}

export async function openServices(config: RuntimeConfig, log: Logger): Promise<GatewayServices> {
  const logging = config.logging;
  const store = new LazyEventStore(() => openEventStore(config.source.storage));
  const spool = await openEventSpool(logging.spoolDir);
  const storeSink = new StoreSink(store, spool, {
    appendTimeoutMs: 2_000,
    replayEveryMs: 2_000,
    retentionDays: logging.retentionDays,
    onError: (what, err) => log.warn({ what, err: err instanceof Error ? err.message : String(err) }, 'log store problem; events are spooled'),
  });
  const sinks: EventSink[] = [storeSink];
  if (logging.requests && logging.level !== 'silent') sinks.push(new ConsoleSink(log, logging.format));
  const events = new EventQueue(sinks, {
    ...logging.queue,
    onSinkError: (sink, err) => log.error({ sink, err: err instanceof Error ? err.message : String(err) }, 'event sink failed'),
  });
  // Connect now so the first requests do not wait for migrations; failure is fine (spool).
  void storeSink.replay();
  store.append([]).catch(() => undefined);
  return {
    events,
    store,
    storeSink,
    close: () => events.close(),
  };
}
