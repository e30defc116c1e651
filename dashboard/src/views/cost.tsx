/**
 * Cost view: cost over time stacked by operation, model or provider; tokens by operation;
 * savings from the cache; daily cost against the daily budgets; the highest-cost operations
 * and tenants. Amounts are summed in micro-USD, as the gateway keeps them.
 */
import { useState } from 'preact/hooks';
import { budgets, usage, type BudgetRow, type Dimension, type Session, type UsageRow } from '../api.js';
import { byKey, label, overTime, totals } from '../aggregate.js';
import { axes, Chart } from '../chart.js';
import { fmtInt, fmtUsd } from '../format.js';
import { useLoad } from '../live.js';
import type { Range } from '../range.js';
import { Kpi, Kpis, Section, Table } from '../widgets.js';

type Stack = 'operation' | 'model' | 'provider';

interface Data { stacked: UsageRow[]; ops: UsageRow[]; tenants: UsageRow[]; daily: UsageRow[]; budgets: BudgetRow[] | null }

async function load(range: Range, stack: Stack, session: Session): Promise<Data> {
  const [stacked, ops, tenants, daily, b] = await Promise.all([
    usage(range.from, range.to, [range.bucket, stack as Dimension]),
    usage(range.from, range.to, ['operation'], { orderBy: 'cost' }),
    usage(range.from, range.to, ['tenant'], { orderBy: 'cost' }),
    usage(range.from, range.to, ['day']),
    budgets(session),
  ]);
  return { stacked, ops, tenants, daily, budgets: b };
}

function dailyBudget(rows: BudgetRow[] | null): number | null {
  if (!rows) return null;
  const daily = rows.filter((r) => r.kind === 'tenant' && r.window === 'daily');
  return daily.length ? daily.reduce((a, r) => a + r.limitUsd, 0) : null;
}

function Body({ range, stack, d }: { range: Range; stack: Stack; d: Data }) {
  const t = totals(d.stacked);
  const series = overTime(range, d.stacked, (r) => label(r[stack]), (r) => r.costUsd);
  const saved = overTime(range, d.stacked, () => 'saved', (r) => r.savedUsd);
  const limit = dailyBudget(d.budgets);
  const days = d.daily.map((r) => r.day ?? '').sort();
  const costByDay = new Map(d.daily.map((r) => [r.day ?? '', r.costUsd]));
  const ops = byKey(d.ops, (r) => label(r.operation));
  const top = (rows: UsageRow[], key: (r: UsageRow) => string) => rows.slice(0, 10).map((r) => ({ key: key(r), micros: Math.round(r.costUsd * 1e6), requests: r.requests }));
  return (
    <>
      <Kpis>
        <Kpi id="cost" label="Cost" value={t.costMicros} text={fmtUsd(t.costMicros / 1e6)} />
        <Kpi id="saved" label="Saved by the cache" value={t.savedMicros} text={fmtUsd(t.savedMicros / 1e6)} />
        <Kpi id="tokens" label="Tokens (in + out)" value={t.tokensIn + t.tokensOut} text={fmtInt(t.tokensIn + t.tokensOut)} />
      </Kpis>
      <div class="grid">
        <Chart title={`Cost over time by ${stack} (USD)`} option={{ ...axes(series.categories, 'USD'), series: series.series.map((s) => ({ ...s, type: 'bar', stack: 'cost' })) }} />
        <Chart title="Tokens by operation" option={{ ...axes(ops.map((o) => o.key)), series: [
          { type: 'bar', stack: 't', name: 'input', data: ops.map((o) => o.t.tokensIn) },
          { type: 'bar', stack: 't', name: 'output', data: ops.map((o) => o.t.tokensOut) },
        ] }} />
        <Chart title="Savings from the cache (USD)" option={{ ...axes(saved.categories, 'USD'), series: saved.series.map((s) => ({ ...s, type: 'line', areaStyle: {} })) }} />
        <Chart title={limit === null ? 'Daily cost (budgets not configured)' : 'Daily cost vs daily budget (USD)'} option={{ ...axes(days, 'USD'), series: [{
          type: 'bar', name: 'cost', data: days.map((day) => costByDay.get(day) ?? 0),
          markLine: limit === null ? undefined : { symbol: 'none', data: [{ yAxis: limit, name: 'budget' }], label: { formatter: 'budget' } },
        }] }} />
      </div>
      <div class="grid">
        <Table id="top-operations" caption="Highest-cost operations" rows={top(d.ops, (r) => label(r.operation))} rowKey={(r) => r.key} columns={[
          { label: 'Operation', cell: (r) => r.key },
          { label: 'Requests', numeric: true, cell: (r) => fmtInt(r.requests) },
          { label: 'Cost', numeric: true, cell: (r) => <span data-value={r.micros}>{fmtUsd(r.micros / 1e6)}</span> },
        ]} />
        <Table id="top-tenants" caption="Highest-cost tenants" rows={top(d.tenants, (r) => label(r.tenant))} rowKey={(r) => r.key} columns={[
          { label: 'Tenant', cell: (r) => r.key },
          { label: 'Requests', numeric: true, cell: (r) => fmtInt(r.requests) },
          { label: 'Cost', numeric: true, cell: (r) => <span data-value={r.micros}>{fmtUsd(r.micros / 1e6)}</span> },
        ]} />
      </div>
    </>
  );
}

export function Cost(props: { range: Range; session: Session }) {
  const [stack, setStack] = useState<Stack>('operation');
  const state = useLoad(() => load(props.range, stack, props.session), [props.range, stack]);
  return (
    <>
      <div class="toolbar">
        <label for="cost-stack">Stack cost by</label>
        <select id="cost-stack" value={stack} onChange={(e) => setStack((e.currentTarget as HTMLSelectElement).value as Stack)}>
          <option value="operation">operation</option>
          <option value="model">model</option>
          <option value="provider">provider</option>
        </select>
      </div>
      <Section state={state}>{(d) => <Body range={props.range} stack={stack} d={d} />}</Section>
    </>
  );
}
