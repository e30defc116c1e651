/**
 * `tollgate export grafana-dashboard`: Grafana dashboards (executive, performance, cost
 * optimisation, cache effectiveness) over the gateway's Prometheus metrics, as importable JSON
 * with a `DS_PROMETHEUS` data source input. Panels are data: a title, a kind and PromQL, laid
 * out two per row, so adding a panel is one line. Cost per operation is not a Prometheus label
 * (it would multiply series); the Tollgate dashboard and analytics API show it instead.
 */

interface PanelSpec {
  title: string;
  kind: 'stat' | 'timeseries' | 'gauge' | 'barchart';
  exprs: Array<[expr: string, legend: string]>;
  unit?: string;
}

const R = 'ai_gateway_requests_total';
const C = 'ai_gateway_cost_usd_total';
const K = 'ai_gateway_cache_requests_total';
const D = 'ai_gateway_request_duration_seconds_bucket';
const T = 'ai_gateway_time_to_first_token_seconds_bucket';

const q = (quantile: number, metric: string, by = ''): string =>
  `histogram_quantile(${quantile}, sum by (le${by ? `, ${by}` : ''}) (rate(${metric}[$__rate_interval])))`;

export const DASHBOARDS: Record<string, { title: string; panels: PanelSpec[] }> = {
  executive: {
    title: 'Tollgate — Executive',
    panels: [
      { title: 'Requests (range)', kind: 'stat', exprs: [[`sum(increase(${R}[$__range]))`, 'requests']] },
      { title: 'Cost (range)', kind: 'stat', unit: 'currencyUSD', exprs: [[`sum(increase(${C}[$__range]))`, 'cost']] },
      { title: 'Cache hit rate', kind: 'stat', unit: 'percentunit', exprs: [[`sum(increase(${K}{result="HIT"}[$__range])) / sum(increase(${K}{result=~"HIT|MISS"}[$__range]))`, 'hit rate']] },
      { title: 'Error rate', kind: 'gauge', unit: 'percentunit', exprs: [[`sum(rate(${R}{status=~"5.."}[$__rate_interval])) / sum(rate(${R}[$__rate_interval]))`, 'errors']] },
      { title: 'Requests over time', kind: 'timeseries', unit: 'reqps', exprs: [[`sum by (provider) (rate(${R}[$__rate_interval]))`, '{{provider}}']] },
      { title: 'Requests by operation', kind: 'timeseries', unit: 'reqps', exprs: [[`sum by (operation) (rate(${R}[$__rate_interval]))`, '{{operation}}']] },
      { title: 'Monthly cost projection', kind: 'stat', unit: 'currencyUSD', exprs: [[`sum(rate(${C}[1d])) * 86400 * 30`, 'projected']] },
    ],
  },
  performance: {
    title: 'Tollgate — Performance',
    panels: [
      { title: 'Latency p50 / p95 / p99', kind: 'timeseries', unit: 's', exprs: [[q(0.5, D), 'p50'], [q(0.95, D), 'p95'], [q(0.99, D), 'p99']] },
      { title: 'p95 by provider', kind: 'timeseries', unit: 's', exprs: [[q(0.95, D, 'provider'), '{{provider}}']] },
      { title: 'Time to first token p95', kind: 'timeseries', unit: 's', exprs: [[q(0.95, T), 'p95 TTFT']] },
      { title: 'Errors by status', kind: 'timeseries', unit: 'reqps', exprs: [[`sum by (status) (rate(${R}{status!~"2.."}[$__rate_interval]))`, '{{status}}']] },
      { title: 'Upstream attempts', kind: 'timeseries', unit: 'reqps', exprs: [['sum by (provider) (rate(ai_gateway_upstream_attempts_total[$__rate_interval]))', '{{provider}}']] },
      { title: 'Circuit breakers', kind: 'timeseries', exprs: [['max by (provider) (ai_gateway_circuit_breaker_state)', '{{provider}}']] },
      { title: 'Active connections', kind: 'timeseries', exprs: [['ai_gateway_active_connections', 'connections']] },
    ],
  },
  cost: {
    title: 'Tollgate — Cost optimization',
    panels: [
      { title: 'Cost by model', kind: 'timeseries', unit: 'currencyUSD', exprs: [[`sum by (provider, model) (increase(${C}[$__rate_interval]))`, '{{provider}}/{{model}}']] },
      { title: 'Cost by tenant', kind: 'timeseries', unit: 'currencyUSD', exprs: [[`sum by (tenant) (increase(${C}[$__rate_interval]))`, '{{tenant}}']] },
      { title: 'Tokens by direction', kind: 'timeseries', exprs: [['sum by (direction) (rate(ai_gateway_tokens_total[$__rate_interval]))', '{{direction}}']] },
      { title: 'Saved by cache', kind: 'stat', unit: 'currencyUSD', exprs: [['sum(increase(ai_gateway_cost_saved_usd_total[$__range]))', 'saved']] },
      { title: 'Budget rejections', kind: 'timeseries', exprs: [['sum(rate(ai_gateway_budget_rejections_total[$__rate_interval]))', 'rejections']] },
      { title: 'Top models by cost (range)', kind: 'barchart', unit: 'currencyUSD', exprs: [[`topk(10, sum by (model) (increase(${C}[$__range])))`, '{{model}}']] },
    ],
  },
  cache: {
    title: 'Tollgate — Cache effectiveness',
    panels: [
      { title: 'Hit rate over time', kind: 'timeseries', unit: 'percentunit', exprs: [[`sum(rate(${K}{result="HIT"}[$__rate_interval])) / sum(rate(${K}{result=~"HIT|MISS"}[$__rate_interval]))`, 'hit rate']] },
      { title: 'HIT / MISS / BYPASS', kind: 'timeseries', unit: 'reqps', exprs: [[`sum by (result) (rate(${K}[$__rate_interval]))`, '{{result}}']] },
      { title: 'Hit rate by operation', kind: 'barchart', unit: 'percentunit', exprs: [[`sum by (operation) (increase(${R}{cache_status="HIT"}[$__range])) / sum by (operation) (increase(${R}{cache_status=~"HIT|MISS"}[$__range]))`, '{{operation}}']] },
      { title: 'Saved cost over time', kind: 'timeseries', unit: 'currencyUSD', exprs: [['sum(increase(ai_gateway_cost_saved_usd_total[$__rate_interval]))', 'saved']] },
    ],
  },
};

function panel(p: PanelSpec, i: number): Record<string, unknown> {
  return {
    id: i + 1,
    type: p.kind,
    title: p.title,
    datasource: { type: 'prometheus', uid: '${DS_PROMETHEUS}' },
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    fieldConfig: { defaults: p.unit ? { unit: p.unit } : {}, overrides: [] },
    targets: p.exprs.map(([expr, legendFormat], j) => ({ refId: String.fromCharCode(65 + j), expr, legendFormat })),
  };
}

export function grafanaDashboard(name: string): Record<string, unknown> {
  const d = DASHBOARDS[name];
  if (!d) throw new Error(`no dashboard "${name}" (have: ${Object.keys(DASHBOARDS).join(', ')})`);
  return {
    __inputs: [{ name: 'DS_PROMETHEUS', label: 'Prometheus', type: 'datasource', pluginId: 'prometheus', pluginName: 'Prometheus' }],
    uid: `tollgate-${name}`,
    title: d.title,
    tags: ['tollgate', 'ai-gateway'],
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    refresh: '1m',
    time: { from: 'now-24h', to: 'now' },
    panels: d.panels.map(panel),
  };
}

/** Every expression of every dashboard (tests validate them with promtool). */
export function dashboardExpressions(): string[] {
  return Object.values(DASHBOARDS).flatMap((d) => d.panels.flatMap((p) => p.exprs.map(([e]) => e)));
}
