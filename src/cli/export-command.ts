/**
 * `tollgate export prometheus-rules [--config FILE] [--out FILE]` writes Prometheus alerting
 * rules equivalent to the built-in alerts (with the config's thresholds);
 * `tollgate export grafana-dashboard [--name executive|performance|cost|cache] [--out DIR]`
 * writes Grafana dashboards over the same metrics (all four into DIR, or one to stdout).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARDS, grafanaDashboard } from '../alerts/grafana-dashboards.js';
import { prometheusRulesYaml } from '../alerts/prometheus-rules.js';
import { loadConfig } from '../config/load.js';
import { resolveConfigPath } from './config-path.js';
import { parseFlags, UsageError } from './usage-error.js';

const USAGE = 'usage: tollgate export prometheus-rules [--config FILE] [--out FILE] | tollgate export grafana-dashboard [--name NAME] [--out DIR]';

export async function runExport(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseFlags(rest, { out: { type: 'string', short: 'o' }, config: { type: 'string', short: 'c' }, name: { type: 'string' } });
  if (sub === 'prometheus-rules') {
    const config = loadConfig(resolveConfigPath(values.config), process.env);
    const text = prometheusRulesYaml(config.alerts.rules);
    if (values.out) writeFileSync(values.out, text);
    else process.stdout.write(text);
    return 0;
  }
  if (sub === 'grafana-dashboard') {
    const names = values.name ? [values.name] : Object.keys(DASHBOARDS);
    if (!values.out) {
      if (names.length !== 1) throw new UsageError('writing to stdout needs --name (one dashboard); use --out DIR for all');
      process.stdout.write(`${JSON.stringify(grafanaDashboard(names[0]!), null, 2)}\n`);
      return 0;
    }
    mkdirSync(values.out, { recursive: true });
    for (const n of names) writeFileSync(join(values.out, `tollgate-${n}.json`), `${JSON.stringify(grafanaDashboard(n), null, 2)}\n`);
    process.stdout.write(`wrote ${names.length} dashboard(s) to ${values.out}\n`);
    return 0;
  }
  throw new UsageError(USAGE);
}
