/**
 * The exported Prometheus rules and Grafana dashboards are checked by Prometheus' own tool:
 * `promtool check rules` (syntax and PromQL) and `promtool test rules` (the alerts fire on
 * series that cross them and stay silent below). Needs Debian's `prometheus` package (CI
 * installs it); the test fails, never skips, without it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { stringify } from 'yaml';
import { alertsSchema, compileAlerts } from './alert-config.js';
import { dashboardExpressions, DASHBOARDS, grafanaDashboard } from './grafana-dashboards.js';
import { prometheusRules, prometheusRulesYaml } from './prometheus-rules.js';

const dir = mkdtempSync(join(tmpdir(), 'tollgate-promtool-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function promtool(...args: string[]): string {
  try {
    return execFileSync('promtool', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`promtool ${args.join(' ')} failed: ${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

type Rule = { alert: string; labels: Record<string, string>; annotations: Record<string, string> };
const rules = (prometheusRules().groups as Array<{ rules: Rule[] }>)[0]!.rules;
const byName = (name: string): Rule => rules.find((r) => r.labels.tollgate_rule === name)!;

function expectAlert(name: string, evalTime: string, fires: boolean): Record<string, unknown> {
  const r = byName(name);
  return { eval_time: evalTime, alertname: r.alert, exp_alerts: fires ? [{ exp_labels: r.labels, exp_annotations: r.annotations }] : [] };
}

test('promtool check rules accepts the exported rules (defaults and a tuned config)', () => {
  writeFileSync(join(dir, 'rules.yml'), prometheusRulesYaml());
  assert.match(promtool('check', 'rules', 'rules.yml'), /SUCCESS: \d+ rules found/);
  const tuned = compileAlerts(alertsSchema.parse({ builtins: { 'hourly-cost': { above: 50, window: '2h' }, 'high-p95-latency': { above: 2500 } } }));
  const text = prometheusRulesYaml(tuned.rules);
  assert.match(text, /increase\(ai_gateway_cost_usd_total\[2h\]\)\) > 50/);
  assert.match(text, /> 2\.5/);
  writeFileSync(join(dir, 'tuned.yml'), text);
  assert.match(promtool('check', 'rules', 'tuned.yml'), /SUCCESS/);
});

test('promtool test rules: built-in equivalents fire when crossed and stay silent below', () => {
  writeFileSync(join(dir, 'rules.yml'), prometheusRulesYaml());
  const cost = 'ai_gateway_cost_usd_total{provider="p",model="m",tenant="t"}';
  const tests = [
    { interval: '1m', input_series: [{ series: cost, values: '0+0.2x120' }], alert_rule_test: [expectAlert('hourly-cost', '70m', true)] },
    { interval: '1m', input_series: [{ series: cost, values: '0+0.05x120' }], alert_rule_test: [expectAlert('hourly-cost', '70m', false)] },
    {
      interval: '1m',
      input_series: [
        { series: 'ai_gateway_requests_total{status="200"}', values: '0+100x30' },
        { series: 'ai_gateway_requests_total{status="503"}', values: '0+10x30' },
      ],
      alert_rule_test: [expectAlert('high-error-rate', '20m', true)],
    },
    {
      interval: '1m',
      input_series: [
        { series: 'ai_gateway_requests_total{status="200"}', values: '0+100x30' },
        { series: 'ai_gateway_requests_total{status="503"}', values: '0+1x30' },
      ],
      alert_rule_test: [expectAlert('high-error-rate', '20m', false)],
    },
    {
      interval: '1m',
      input_series: [{ series: 'ai_gateway_circuit_breaker_state{provider="p"}', values: '1x20' }],
      alert_rule_test: [expectAlert('circuit-breaker-open', '3m', false), { ...expectAlert('circuit-breaker-open', '10m', true), exp_alerts: [{ exp_labels: { ...byName('circuit-breaker-open').labels, provider: 'p' }, exp_annotations: byName('circuit-breaker-open').annotations }] }],
    },
    {
      interval: '1m',
      input_series: [
        { series: 'ai_gateway_cache_requests_total{result="HIT"}', values: '0+1x120' },
        { series: 'ai_gateway_cache_requests_total{result="MISS"}', values: '0+9x120' },
      ],
      alert_rule_test: [expectAlert('low-cache-hit-rate', '70m', true)],
    },
  ];
  writeFileSync(join(dir, 'rules.test.yml'), stringify({ rule_files: ['rules.yml'], evaluation_interval: '1m', tests }));
  assert.match(promtool('test', 'rules', 'rules.test.yml'), /SUCCESS/);
});

test('every Grafana panel query is valid PromQL over our metric names', () => {
  const exprs = dashboardExpressions();
  assert.ok(exprs.length >= 20);
  // Grafana's own variables are not PromQL; substitute plausible values for the check.
  const groups = [{ name: 'dashboards', rules: exprs.map((e, i) => ({ record: `tollgate:dashboard_check:${i}`, expr: e.replaceAll('$__rate_interval', '5m').replaceAll('$__range', '1d') })) }];
  writeFileSync(join(dir, 'dash.yml'), stringify({ groups }));
  assert.match(promtool('check', 'rules', 'dash.yml'), /SUCCESS/);
  for (const e of exprs) assert.match(e, /ai_gateway_|hour\(\)/);
  for (const name of Object.keys(DASHBOARDS)) {
    const d = grafanaDashboard(name) as { uid: string; panels: Array<{ targets: unknown[]; gridPos: { x: number; y: number } }> };
    assert.equal(d.uid, `tollgate-${name}`);
    const spots = new Set(d.panels.map((p) => `${p.gridPos.x},${p.gridPos.y}`));
    assert.equal(spots.size, d.panels.length, 'panels do not overlap');
  }
});
