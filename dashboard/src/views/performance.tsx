/**
 * Performance view: p50/p95/p99 by operation and by provider (from the hourly latency
 * sketches), a model comparison, and from the newest 1000 log rows of the range: cache-hit vs
 * cache-miss latency, a latency heatmap over time, errors by type over time and the ten slowest
 * requests (each links to its log entry). The log-based panels say they are a sample.
 */
import { getJson, usage, type LogPage, type LogRow, type UsageRow } from '../api.js';
import { byKey, label } from '../aggregate.js';
import { axes, Chart } from '../chart.js';
import { fmtInt, fmtMs, fmtPct, fmtTime, fmtUsd, ratio } from '../format.js';
import { useLoad } from '../live.js';
import { bucketLabel, bucketOf, bucketStarts, type Range } from '../range.js';
import { Section, Table } from '../widgets.js';

const SAMPLE = 1000;
const LATENCY_BANDS: Array<[string, number]> = [['<10 ms', 10], ['10–50 ms', 50], ['50–100 ms', 100], ['100–250 ms', 250], ['250–500 ms', 500], ['0.5–1 s', 1000], ['1–2.5 s', 2500], ['2.5–5 s', 5000], ['>5 s', Infinity]];

interface Data { ops: UsageRow[]; providers: UsageRow[]; models: UsageRow[]; logs: LogRow[] }

async function load(range: Range): Promise<Data> {
  const [ops, providers, models, logs] = await Promise.all([
    usage(range.from, range.to, ['operation']),
    usage(range.from, range.to, ['provider']),
    usage(range.from, range.to, ['provider', 'model']),
    getJson<LogPage>('/api/logs', { from: range.from, to: range.to, limit: SAMPLE }),
  ]);
  return { ops, providers, models, logs: logs.data };
}

function percentiles(rows: UsageRow[], key: (r: UsageRow) => string) {
  const names = rows.map(key);
  return {
    ...axes(names, 'ms'),
    series: (['latencyP50Ms', 'latencyP95Ms', 'latencyP99Ms'] as const).map((f) => ({ type: 'bar', name: f.slice(7, 10).toLowerCase(), data: rows.map((r) => +r[f].toFixed(1)) })),
  };
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

function heatmap(range: Range, logs: LogRow[]) {
  const starts = bucketStarts(range);
  const index = new Map(starts.map((t, i) => [t, i]));
  const counts = new Map<string, number>();
  for (const r of logs) {
    const x = index.get(bucketOf(range, r.time));
    if (x === undefined) continue;
    const y = LATENCY_BANDS.findIndex(([, max]) => r.latencyMs < max);
    counts.set(`${x}:${y}`, (counts.get(`${x}:${y}`) ?? 0) + 1);
  }
  const data = [...counts].map(([k, v]) => [...k.split(':').map(Number), v]);
  return {
    tooltip: {}, grid: { left: 80, right: 16, top: 16, bottom: 84 },
    xAxis: { type: 'category', data: starts.map((t) => bucketLabel(range, t)) },
    yAxis: { type: 'category', data: LATENCY_BANDS.map(([l]) => l) },
    visualMap: { min: 0, max: Math.max(1, ...data.map((d) => d[2])), calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, text: ['more', 'fewer'] },
    series: [{ type: 'heatmap', name: 'requests', data }],
  };
}

function errorsOverTime(range: Range, logs: LogRow[]) {
  const starts = bucketStarts(range);
  const index = new Map(starts.map((t, i) => [t, i]));
  const series = new Map<string, number[]>();
  for (const r of logs) {
    if (r.status < 400) continue;
    const i = index.get(bucketOf(range, r.time));
    if (i === undefined) continue;
    const code = r.errorCode ?? String(r.status);
    let data = series.get(code);
    if (!data) series.set(code, (data = starts.map(() => 0)));
    data[i]++;
  }
  return { ...axes(starts.map((t) => bucketLabel(range, t))), series: [...series].map(([name, data]) => ({ type: 'bar', stack: 'e', name, data })) };
}

function Body({ range, d }: { range: Range; d: Data }) {
  const hit = d.logs.filter((r) => r.cacheStatus === 'HIT').map((r) => r.latencyMs);
  const miss = d.logs.filter((r) => r.cacheStatus === 'MISS').map((r) => r.latencyMs);
  const slowest = [...d.logs].sort((a, b) => b.latencyMs - a.latencyMs).slice(0, 10);
  const models = byKey(d.models, (r) => `${label(r.provider)}/${label(r.model)}`);
  return (
    <>
      <div class="grid">
        <Chart title="Latency p50 / p95 / p99 by operation" option={percentiles(d.ops, (r) => label(r.operation))} />
        <Chart title="Latency p50 / p95 / p99 by provider" option={percentiles(d.providers, (r) => label(r.provider))} />
        <Chart title={`Cache hit vs miss latency (mean, newest ${SAMPLE} requests)`} option={{ ...axes(['HIT', 'MISS'], 'ms'), series: [{ type: 'bar', name: 'mean latency', data: [+mean(hit).toFixed(1), +mean(miss).toFixed(1)] }] }} />
        <Chart title={`Latency heatmap (newest ${SAMPLE} requests)`} option={heatmap(range, d.logs)} height={300} />
        <Chart title={`Errors by type over time (newest ${SAMPLE} requests)`} option={errorsOverTime(range, d.logs)} />
        <Chart title="Models: p50 latency (ms) and cost per 1k tokens (USD)" option={{
          ...axes(models.map((m) => m.key)),
          yAxis: [{ type: 'value', name: 'ms' }, { type: 'value', name: 'USD / 1k' }],
          series: [
            { type: 'bar', name: 'p50 ms', data: models.map((m) => +(m.rows[0]?.latencyP50Ms ?? 0).toFixed(1)) },
            { type: 'bar', name: 'USD / 1k tokens', yAxisIndex: 1, data: models.map((m) => (m.t.tokensIn + m.t.tokensOut > 0 ? (m.t.costMicros / 1e6 / (m.t.tokensIn + m.t.tokensOut)) * 1000 : 0)) },
          ],
        }} />
      </div>
      <Table id="model-comparison" caption="Model comparison" rows={models} rowKey={(m) => m.key} columns={[
        { label: 'Model', cell: (m) => m.key },
        { label: 'Requests', numeric: true, cell: (m) => <span data-value={m.t.requests}>{fmtInt(m.t.requests)}</span> },
        { label: 'p50', numeric: true, cell: (m) => fmtMs(m.rows[0]?.latencyP50Ms) },
        { label: 'p95', numeric: true, cell: (m) => fmtMs(m.rows[0]?.latencyP95Ms) },
        { label: 'Cost / 1k tokens', numeric: true, cell: (m) => (m.t.tokensIn + m.t.tokensOut > 0 ? fmtUsd((m.t.costMicros / 1e6 / (m.t.tokensIn + m.t.tokensOut)) * 1000) : '—') },
        { label: 'Error rate', numeric: true, cell: (m) => <span data-value={m.t.errors}>{fmtPct(ratio(m.t.errors, m.t.requests))}</span> },
        { label: 'Cache hit rate', numeric: true, cell: (m) => fmtPct(ratio(m.t.hits, m.t.hits + m.t.misses)) },
      ]} />
      <Table id="slowest" caption={`10 slowest requests (newest ${SAMPLE} in range)`} rows={slowest} rowKey={(r) => r.requestId} columns={[
        { label: 'Request id', cell: (r) => <a href={`#/logs?requestId=${encodeURIComponent(r.requestId)}`}>{r.requestId}</a> },
        { label: 'Time (UTC)', cell: (r) => fmtTime(r.time) },
        { label: 'Model', cell: (r) => `${label(r.provider)}/${label(r.model)}` },
        { label: 'Status', numeric: true, cell: (r) => r.status },
        { label: 'Latency', numeric: true, cell: (r) => fmtMs(r.latencyMs) },
      ]} />
    </>
  );
}

export function Performance(props: { range: Range }) {
  const state = useLoad(() => load(props.range), [props.range]);
  return <Section state={state}>{(d) => <Body range={props.range} d={d} />}</Section>;
}
