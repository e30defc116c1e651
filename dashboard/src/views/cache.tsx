/**
 * Cache view: hits, misses, hit rate and savings; hit rate by operation and over time;
 * HIT / MISS / not-cached requests by hour; operations that are cacheable but rarely hit. A
 * MISS is only recorded for a request the cache could have served, so an operation with misses
 * is one configured as cacheable. Live cache counters show when this gateway has a cache API.
 */
import { cacheStats, getJson, usage, type Alerts, type CacheStats, type Session, type UsageRow } from '../api.js';
import { byKey, label, overTime, totals } from '../aggregate.js';
import { axes, Chart, STATUS_COLORS } from '../chart.js';
import { fmtInt, fmtPct, fmtUsd, ratio } from '../format.js';
import { useLoad } from '../live.js';
import type { Range } from '../range.js';
import { Kpi, Kpis, Note, Section, Table } from '../widgets.js';

/** Below this hit rate a cacheable operation is listed, unless an alert rule on the hit rate says otherwise. */
const LOW_HIT_RATE = 0.3;

interface Data { hours: UsageRow[]; ops: UsageRow[]; stats: CacheStats | null; low: number }

async function load(range: Range, session: Session): Promise<Data> {
  const [hours, ops, stats, alerts] = await Promise.all([
    usage(range.from, range.to, [range.bucket]),
    usage(range.from, range.to, ['operation']),
    cacheStats(session),
    getJson<Alerts>('/api/alerts', { limit: 1 }),
  ]);
  const rule = alerts.rules.find((r) => r.signal === 'cache_hit_rate' && r.comparison === 'below');
  return { hours, ops, stats, low: rule ? rule.threshold : LOW_HIT_RATE };
}

function Body({ range, d }: { range: Range; d: Data }) {
  const t = totals(d.hours);
  const hitRate = ratio(t.hits, t.hits + t.misses);
  const ops = byKey(d.ops, (r) => label(r.operation)).filter((o) => o.t.hits + o.t.misses > 0);
  const low = ops.filter((o) => (ratio(o.t.hits, o.t.hits + o.t.misses) ?? 0) < d.low);
  const hits = overTime(range, d.hours, () => 'HIT', (r) => r.cacheHits);
  const misses = overTime(range, d.hours, () => 'MISS', (r) => r.cacheMisses);
  const other = overTime(range, d.hours, () => 'BYPASS / not cached', (r) => r.requests - r.cacheHits - r.cacheMisses);
  const zero = hits.categories.map(() => 0);
  const h = hits.series[0]?.data ?? zero;
  const m = misses.series[0]?.data ?? zero;
  return (
    <>
      <Kpis>
        <Kpi id="hits" label="Hits" value={t.hits} text={fmtInt(t.hits)} />
        <Kpi id="misses" label="Misses" value={t.misses} text={fmtInt(t.misses)} />
        <Kpi id="hit-rate" label="Hit rate" value={hitRate} text={fmtPct(hitRate)} />
        <Kpi id="saved" label="Saved" value={t.savedMicros} text={fmtUsd(t.savedMicros / 1e6)} />
      </Kpis>
      <div class="grid">
        <Chart title="Hit rate by operation (%)" option={{ ...axes(ops.map((o) => o.key), '%'), series: [{ type: 'bar', name: 'hit rate', data: ops.map((o) => +((ratio(o.t.hits, o.t.hits + o.t.misses) ?? 0) * 100).toFixed(1)) }] }} />
        <Chart title="Hit rate over time (%)" option={{ ...axes(hits.categories, '%'), series: [{ type: 'line', name: 'hit rate', connectNulls: true, data: h.map((x, i) => (x + m[i] > 0 ? +((x / (x + m[i])) * 100).toFixed(1) : null)) }] }} />
        <Chart title={`HIT / MISS / BYPASS by ${range.bucket}`} option={{ ...axes(hits.categories), series: [
          { type: 'bar', stack: 'c', name: 'HIT', data: h, itemStyle: { color: STATUS_COLORS.HIT } },
          { type: 'bar', stack: 'c', name: 'MISS', data: m, itemStyle: { color: STATUS_COLORS.MISS } },
          { type: 'bar', stack: 'c', name: 'BYPASS / not cached', data: other.series[0]?.data ?? zero, itemStyle: { color: STATUS_COLORS.BYPASS } },
        ] }} />
      </div>
      <Table id="low-hit-rate" caption={`Cacheable operations with a hit rate under ${+(d.low * 100).toFixed(1)}%`} rows={low} rowKey={(o) => o.key} empty="None: every cacheable operation hits often enough." columns={[
        { label: 'Operation', cell: (o) => o.key },
        { label: 'Hits', numeric: true, cell: (o) => fmtInt(o.t.hits) },
        { label: 'Misses', numeric: true, cell: (o) => fmtInt(o.t.misses) },
        { label: 'Hit rate', numeric: true, cell: (o) => fmtPct(ratio(o.t.hits, o.t.hits + o.t.misses)) },
        { label: 'Saved', numeric: true, cell: (o) => fmtUsd(o.t.savedMicros / 1e6) },
      ]} />
      {d.stats === null ? (
        <Note id="cache-not-configured">Live cache counters: cache not configured on this gateway.</Note>
      ) : (
        <Table id="cache-stats" caption="Cache counters since start" rows={Object.entries(d.stats)} rowKey={([k]) => k} columns={[
          { label: 'Counter', cell: ([k]) => k },
          { label: 'Value', numeric: true, cell: ([, v]) => String(v) },
        ]} />
      )}
    </>
  );
}

export function Cache(props: { range: Range; session: Session }) {
  const state = useLoad(() => load(props.range, props.session), [props.range]);
  return <Section state={state}>{(d) => <Body range={props.range} d={d} />}</Section>;
}
