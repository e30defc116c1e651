/**
 * Alerting as a gateway service: opens the alert history next to the request log, runs the
 * engine's evaluation loop and the report schedule, and exposes the event sink that feeds the
 * live signals. gateway-services.ts opens it once; a config reload re-configures it in place.
 */
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config/compile.js';
import type { EventSink } from '../metering/event-queue.js';
import type { EventStore } from '../stores/events/event-store.js';
import { MemoryAlertHistory, type AlertHistoryStore } from './alert-history-store.js';
import { AlertEngine } from './alert-engine.js';
import { ReportScheduler } from './report-schedule.js';
import { openAlertHistory } from './sql-alert-history.js';
import { collectReport, reportNotification } from './summary-report.js';

const HOUR = 3_600_000;

export class AlertService {
  readonly engine: AlertEngine;
  private scheduler: ReportScheduler;
  private readonly pruneTimer: NodeJS.Timeout;

  constructor(private config: RuntimeConfig, private readonly store: () => EventStore | undefined, private readonly log: Logger) {
    this.engine = new AlertEngine(config.alerts, {
      history: openHistory(config.source.storage, log),
      onProblem: (what, err) => log.warn({ err: err instanceof Error ? err.message : String(err) }, what),
    });
    this.engine.start();
    this.scheduler = this.newScheduler();
    this.pruneTimer = setInterval(() => { void this.prune(); }, HOUR);
    this.pruneTimer.unref();
  }

  get sink(): EventSink {
    return this.engine.signals;
  }

  reload(next: RuntimeConfig): void {
    this.config = next;
    this.engine.configure(next.alerts);
    this.scheduler.stop();
    this.scheduler = this.newScheduler();
  }

  /** Builds and sends one report now (the scheduler and `tollgate alerts report` use this). */
  async sendReport(period: 'daily' | 'weekly', from: number, to: number, notify: readonly string[]): Promise<void> {
    const store = this.store();
    if (!store) {
      this.log.warn({ period }, 'summary report skipped: no request log (storage none://)');
      return;
    }
    const figures = await collectReport(store, from, to);
    this.engine.notify(notify, reportNotification(period, figures, this.config.alerts.dashboardUrl));
  }

  async close(): Promise<void> {
    clearInterval(this.pruneTimer);
    this.scheduler.stop();
    await this.engine.close();
  }

  private newScheduler(): ReportScheduler {
    const s = new ReportScheduler(this.config.alerts, (period, from, to, notify) =>
      this.sendReport(period, from, to, notify).catch((err: unknown) => this.log.warn({ err: String(err), period }, 'summary report failed')));
    if (this.config.alerts.enabled) s.start();
    return s;
  }

  private async prune(): Promise<void> {
    const before = Date.now() - this.config.logging.retentionDays * 24 * HOUR;
    await this.engine.history.prune(before).catch((err: unknown) => this.log.warn({ err: String(err) }, 'alert history prune failed'));
  }
}

function openHistory(storage: string, log: Logger): AlertHistoryStore {
  try {
    return openAlertHistory(storage);
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, 'alert history store unavailable; keeping alert history in memory');
    return new MemoryAlertHistory();
  }
}
