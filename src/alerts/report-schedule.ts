/**
 * When the next daily or weekly report is due (UTC wall-clock times from config), and the
 * scheduler that sends them. A report covers the period that just ended (the last 24 hours or
 * 7 days up to the scheduled time). A missed slot (process down) is not caught up: the next
 * report covers its own period, which keeps restarts from sending bursts of stale reports.
 */
import type { AlertsRuntime } from './alert-config.js';

const DAY = 86_400_000;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

function timeOfDay(at: string): number {
  const [h, m] = at.split(':').map(Number);
  return (h! * 60 + m!) * 60_000;
}

/** The first instant strictly after `now` at `at` (HH:MM UTC), on `day` when given. */
export function nextRun(now: number, at: string, day?: (typeof DAYS)[number]): number {
  let t = Math.floor(now / DAY) * DAY + timeOfDay(at);
  while (t <= now || (day !== undefined && DAYS[new Date(t).getUTCDay()] !== day)) t += DAY;
  return t;
}

export type ReportSender = (period: 'daily' | 'weekly', from: number, to: number, notify: readonly string[]) => Promise<void>;

export class ReportScheduler {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly config: AlertsRuntime, private readonly send: ReportSender, private readonly clock: () => number = Date.now) {}

  start(): void {
    const { daily, weekly } = this.config.reports;
    if (daily) this.schedule('daily', () => nextRun(this.clock(), daily.at), DAY, daily.notify);
    if (weekly) this.schedule('weekly', () => nextRun(this.clock(), weekly.at, weekly.day), 7 * DAY, weekly.notify);
  }

  stop(): void {
    for (const t of this.timers.splice(0)) clearTimeout(t);
  }

  private schedule(period: 'daily' | 'weekly', next: () => number, span: number, notify: readonly string[] | undefined): void {
    const at = next();
    // setTimeout caps at ~24.8 days; weekly delays are well inside it.
    const t = setTimeout(() => {
      this.timers.splice(this.timers.indexOf(t), 1);
      void this.send(period, at - span, at, notify ?? this.config.defaultNotify).finally(() => this.schedule(period, next, span, notify));
    }, Math.max(0, at - this.clock()));
    t.unref();
    this.timers.push(t);
  }
}
