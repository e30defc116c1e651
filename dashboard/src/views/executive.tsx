/**
 * Executive view: the range's requests, cost, cache hit rate, error rate and average latency
 * with trends against the previous period; requests over time, cache HIT vs MISS, cost by
 * operation, the error rate against its alert threshold, budget utilization and the monthly
 * cost projection.
 */
import { budgets, getJson, usage, type Alerts, type BudgetRow, type Session, type UsageRow } from '../api.js';
import { byKey, label, overTime, totals } from '../aggregate.js';
import { axes, Chart, STATUS_COLORS } from '../chart.js';
import { fmtInt, fmtMs, fmtPct, fmtTrend, fmtUsd, ratio } from '../format.js';
import { useLoad } from '../live.js';
import type { Range } from '../range.js';
import { Kpi, Kpis, Note, Section } from '../widgets.js';

interface Data {
  cur: UsageRow[];
  prev: UsageRow[];
  ops: UsageRow[];
  threshold: number | null;
  budgets: BudgetRow[] | null;
}

async function load(range: Range, session: Session): Promise<Data> {
  const [cur, prev, ops, alerts, b] = await Promise.all([
    usage(range.from, range.to, [range.bucket]),
    usage(range.prevFrom, range.from, [range.bucket]),
    usage(range.from, range.to, ['operation']),
    getJson<Alerts>('/api/alerts', { limit: 1 }),
    budgets(session),
  ]);
  const rule = alerts.rules.find((r) => r.signal === 'error_rate' && r.comparison === 'above');
  return { cur, prev, ops, threshold: rule ? rule.threshold : null, budgets: b };
}

function gauge(rate: number, threshold: number | null) {
  const max = Math.max(threshold ? threshold * 2 : 0.1, rate * 1.2, 0.01);
  const split = threshold ? Math.min(threshold / max, 1) : 1;
  return {
    series: [{
      type: 'gauge', min: 0, max: +(max * 100).toFixed(2), splitNumber: 4, radius: '88%', center: ['50%', '58%'],
      axisLine: { lineStyle: { width: 14, color: [[split, '#2e9d5b'], [1, '#d64545']] } },
      axisLabel: { distance: 20, fontSize: 10, formatter: (v: number) => `${+v.toFixed(1)}%` }, splitLine: { length: 10 }, axisTick: { length: 5 },
      title: { offsetCenter: [0, '82%'], fontSize: 12 },
      detail: { formatter: '{value}%', fontSize: 18, offsetCenter: [0, '55%'] }, progress: { show: false },
      data: [{ value: +(rate * 100).toFixed(2), name: threshold ? `alert above ${(threshold * 100).toFixed(1)}%` : 'error rate' }],
    }],
  };
}

function budgetChart(rows: BudgetRow[]) {
  const used = rows.filter((r) => r.window !== 'minute');
  return {
    ...axes(used.map((r) => `${r.name} ${r.window}`), '%'),
    series: [{ type: 'bar', name: 'used', data: used.map((r) => (r.limitUsd > 0 ? +(((r.spentUsd + r.reservedUsd) / r.limitUsd) * 100).toFixed(1) : 0)) }],
  };
}

function Body({ range, d }: { range: Range; d: Data }) {
  const t = totals(d.cur);
  const p = totals(d.prev);
  const hitRate = ratio(t.hits, t.hits + t.misses);
  const errRate = ratio(t.errors, t.requests);
  const days = (range.to - range.from) / 86_400_000;
  const projection = days > 0 ? Math.round((t.costMicros / days) * 30) : 0;
  const reqs = overTime(range, d.cur, () => 'requests', (r) => r.requests);
  const ops = byKey(d.ops, (r) => label(r.operation));
  return (
    <>
      <Kpis>
        <Kpi id="requests" label="Requests" value={t.requests} text={fmtInt(t.requests)} trend={fmtTrend(t.requests, p.requests)} />
        <Kpi id="cost" label="Cost" value={t.costMicros} text={fmtUsd(t.costMicros / 1e6)} trend={fmtTrend(t.costMicros, p.costMicros)} />
        <Kpi id="hit-rate" label="Cache hit rate" value={hitRate} text={fmtPct(hitRate)} trend={fmtTrend(hitRate ?? 0, ratio(p.hits, p.hits + p.misses) ?? 0)} />
        <Kpi id="error-rate" label="Error rate" value={errRate} text={fmtPct(errRate)} trend={fmtTrend(errRate ?? 0, ratio(p.errors, p.requests) ?? 0)} />
        <Kpi id="latency" label="Average latency" value={t.latencyAvgMs} text={fmtMs(t.latencyAvgMs)} trend={fmtTrend(t.latencyAvgMs ?? 0, p.latencyAvgMs ?? 0)} />
        <Kpi id="projection" label="Monthly cost projection" value={projection} text={fmtUsd(projection / 1e6)} />
      </Kpis>
      <div class="grid">
        <Chart title="Requests over time" option={{ ...axes(reqs.categories), series: reqs.series.map((s) => ({ ...s, type: 'line', areaStyle: {} })) }} />
        <Chart title="Cache HIT vs MISS" option={{ tooltip: {}, legend: { top: 0 }, series: [{ type: 'pie', radius: ['40%', '70%'], data: [
          { name: 'HIT', value: t.hits, itemStyle: { color: STATUS_COLORS.HIT } },
          { name: 'MISS', value: t.misses, itemStyle: { color: STATUS_COLORS.MISS } },
        ] }] }} />
        <Chart title="Cost by operation (USD)" option={{ ...axes(ops.map((o) => o.key)), series: [{ type: 'bar', name: 'cost', data: ops.map((o) => o.t.costMicros / 1e6) }] }} />
        <Chart title="Error rate against its alert threshold" option={gauge(errRate ?? 0, d.threshold)} />
        {d.budgets === null ? (
          <Note id="budgets-not-configured">Budget utilization: budgets not configured.</Note>
        ) : (
          <Chart title="Budget utilization (% of limit)" option={budgetChart(d.budgets)} />
        )}
      </div>
    </>
  );
}

export function Executive(props: { range: Range; session: Session }) {
  const state = useLoad(() => load(props.range, props.session), [props.range]);
  return <Section state={state}>{(d) => <Body range={props.range} d={d} />}</Section>;
}
