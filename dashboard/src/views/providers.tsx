/**
 * Providers & alerts view: each provider's health, breaker states and latency (from /health,
 * which is passive: derived from real traffic), budgets per tenant when this gateway has
 * budgets, and the alerts firing now and recently.
 */
import { budgets, getJson, type Alerts, type BudgetRow, type Health, type Session } from '../api.js';
import { axes, Chart } from '../chart.js';
import { fmtInt, fmtMs, fmtPct, fmtTime, fmtUsd } from '../format.js';
import { useLoad } from '../live.js';
import { Kpi, Kpis, Note, Section, Table } from '../widgets.js';

interface Data { health: Health; alerts: Alerts; budgets: BudgetRow[] | null }

async function load(session: Session): Promise<Data> {
  const [health, alerts, b] = await Promise.all([getJson<Health>('/health'), getJson<Alerts>('/api/alerts', { limit: 50 }), budgets(session)]);
  return { health, alerts, budgets: b };
}

function Body({ d }: { d: Data }) {
  const providers = d.health.providers;
  return (
    <>
      <Kpis>
        <Kpi id="gateway-status" label="Gateway" value={null} text={d.health.status} />
        <Kpi id="served" label="Requests since start" value={d.health.requests} text={fmtInt(d.health.requests)} />
        <Kpi id="firing" label="Alerts firing" value={d.alerts.firing.length} text={fmtInt(d.alerts.firing.length)} />
      </Kpis>
      <div class="grid">
        <Chart title="Provider latency (recent mean, ms)" option={{ ...axes(providers.map((p) => p.name), 'ms'), series: [{ type: 'bar', name: 'latency', data: providers.map((p) => (p.latencyMs === null ? 0 : +p.latencyMs.toFixed(1))) }] }} />
      </div>
      <Table id="providers" caption="Providers" rows={providers} rowKey={(p) => p.name} columns={[
        { label: 'Provider', cell: (p) => p.name },
        { label: 'Status', cell: (p) => <span class={`pill ${p.status}`}>{p.status}</span> },
        { label: 'Last answer', cell: (p) => (p.lastCheck ? `${fmtTime(p.lastCheck)} (${p.lastStatus ?? '—'})` : 'no traffic yet') },
        { label: 'Latency', numeric: true, cell: (p) => fmtMs(p.latencyMs) },
        { label: 'Breakers', cell: (p) => (p.targets.length ? p.targets.map((t) => `${t.id}: ${t.breaker}, ${fmtPct(t.errorRate)} errors`).join('; ') : '—') },
      ]} />
      {d.budgets === null ? (
        <Note id="budgets-not-configured">Budgets per tenant: budgets not configured.</Note>
      ) : (
        <Table id="budgets" caption="Budgets" rows={d.budgets} rowKey={(b) => `${b.kind}:${b.id}:${b.window}`} columns={[
          { label: 'Owner', cell: (b) => `${b.kind} ${b.name}` },
          { label: 'Tenant', cell: (b) => b.tenant },
          { label: 'Window', cell: (b) => b.window },
          { label: 'Spent', numeric: true, cell: (b) => fmtUsd(b.spentUsd) },
          { label: 'Reserved', numeric: true, cell: (b) => fmtUsd(b.reservedUsd) },
          { label: 'Limit', numeric: true, cell: (b) => fmtUsd(b.limitUsd) },
          { label: 'Used', numeric: true, cell: (b) => <span class={b.approaching ? 'warn' : undefined}>{fmtPct(b.limitUsd > 0 ? (b.spentUsd + b.reservedUsd) / b.limitUsd : null)}</span> },
          { label: 'Resets', cell: (b) => b.resetsAt },
        ]} />
      )}
      <Table id="alerts-firing" caption="Alerts firing now" rows={d.alerts.firing} rowKey={(a) => `${a.rule}|${a.scope}`} empty="Nothing is firing." columns={[
        { label: 'Rule', cell: (a) => a.rule },
        { label: 'Scope', cell: (a) => a.scope ?? '—' },
        { label: 'Since', cell: (a) => fmtTime(a.since) },
        { label: 'Value', numeric: true, cell: (a) => String(a.value ?? '—') },
      ]} />
      <Table id="alerts-recent" caption="Recent alert transitions" rows={d.alerts.history} rowKey={(a, i) => `${a.rule}|${a.at}|${i}`} empty="No alerts recorded." columns={[
        { label: 'At', cell: (a) => fmtTime(a.at) },
        { label: 'Rule', cell: (a) => a.rule },
        { label: 'State', cell: (a) => a.state ?? '—' },
        { label: 'Value / threshold', numeric: true, cell: (a) => `${a.value ?? '—'} / ${a.threshold ?? '—'}` },
      ]} />
      <Table id="alert-rules" caption="Alert rules" rows={d.alerts.rules} rowKey={(r) => r.name} columns={[
        { label: 'Rule', cell: (r) => r.name },
        { label: 'Signal', cell: (r) => r.signal },
        { label: 'Fires when', cell: (r) => `${r.comparison} ${r.threshold}` },
        { label: 'Severity', cell: (r) => r.severity },
      ]} />
    </>
  );
}

export function Providers(props: { session: Session }) {
  const state = useLoad(() => load(props.session), []);
  return <Section state={state}>{(d) => <Body d={d} />}</Section>;
}
