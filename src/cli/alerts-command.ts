/**
 * `tollgate alerts test --destination NAME` sends a sample notification to one configured
 * destination and reports the outcome (exit 1 when it failed), so an operator can check a
 * webhook URL or SMTP settings before relying on them. `tollgate alerts report --period
 * daily|weekly [--destination NAME]` builds a summary report from the local request log now.
 */
import { AlertEngine } from '../alerts/alert-engine.js';
import { MemoryAlertHistory } from '../alerts/alert-history-store.js';
import { collectReport, reportNotification } from '../alerts/summary-report.js';
import { loadConfig } from '../config/load.js';
import { openEventStore } from '../stores/events/open-event-store.js';
import { resolveConfigPath } from './config-path.js';
import { parseFlags, UsageError } from './usage-error.js';

const USAGE = 'usage: tollgate alerts test --destination NAME [--config FILE] | tollgate alerts report --period daily|weekly [--destination NAME] [--config FILE]';

export async function runAlerts(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseFlags(rest, { destination: { type: 'string', short: 'd' }, config: { type: 'string', short: 'c' }, period: { type: 'string' } });
  const config = loadConfig(resolveConfigPath(values.config), process.env);
  const engine = new AlertEngine(config.alerts, { history: new MemoryAlertHistory() });
  try {
    if (sub === 'test') {
      if (!values.destination) throw new UsageError(`--destination is required (configured: ${engine.destinationNames().join(', ') || 'none'})`);
      await engine.sendTest(values.destination);
      process.stdout.write(`sent a test notification to ${values.destination}\n`);
      return 0;
    }
    if (sub === 'report') {
      const period = values.period === 'weekly' ? 'weekly' : values.period === 'daily' ? 'daily' : undefined;
      if (!period) throw new UsageError('--period must be daily or weekly');
      const to = Date.now();
      const store = await openEventStore(config.source.storage);
      try {
        const n = reportNotification(period, await collectReport(store, to - (period === 'daily' ? 1 : 7) * 86_400_000, to), config.alerts.dashboardUrl);
        if (!values.destination) {
          process.stdout.write(`${n.title}\n${n.body}\n`);
          return 0;
        }
        await engine.sendNow(values.destination, n);
        process.stdout.write(`sent the ${period} report to ${values.destination}\n`);
        return 0;
      } finally {
        await store.close();
      }
    }
    throw new UsageError(USAGE);
  } finally {
    await engine.close();
  }
}
