/**
 * Logs view: the request log filtered by time range (the page's range), cache status,
 * provider, model, status code, tenant, operation and request id; newest first, a page at a
 * time; the detail of one request (every UsageEvent field, attempts and fallback index); CSV or
 * JSON export of the filtered set through the gateway's own export endpoint.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { getJson, type LogPage, type LogRow } from '../api.js';
import { fmtInt, fmtMs, fmtTime, fmtUsd } from '../format.js';
import { useLoad } from '../live.js';
import type { Range } from '../range.js';
import { Section, Table } from '../widgets.js';

const FIELDS = ['cacheStatus', 'provider', 'model', 'status', 'tenant', 'operation', 'requestId'] as const;
type Filters = Partial<Record<(typeof FIELDS)[number], string>>;
const PAGE = 100;

function query(range: Range, f: Filters): Record<string, string> {
  const q: Record<string, string> = { from: String(range.from), to: String(range.to) };
  for (const k of FIELDS) if (f[k]) q[k] = f[k]!.trim();
  return q;
}

function exportHref(range: Range, f: Filters, format: 'csv' | 'json'): string {
  return `/api/logs/export?${new URLSearchParams({ ...query(range, f), format }).toString()}`;
}

function FilterForm(props: { initial: Filters; onApply: (f: Filters) => void }) {
  const text = (name: (typeof FIELDS)[number], labelText: string, extra: Record<string, string> = {}) => (
    <div class="field">
      <label for={`f-${name}`}>{labelText}</label>
      <input id={`f-${name}`} name={name} value={props.initial[name] ?? ''} {...extra} />
    </div>
  );
  const submit = (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const f: Filters = {};
    for (const k of FIELDS) {
      const v = data.get(k);
      if (typeof v === 'string' && v.trim()) f[k] = v.trim();
    }
    props.onApply(f);
  };
  return (
    <form class="card filters" onSubmit={submit} aria-label="Log filters">
      <div class="field">
        <label for="f-cacheStatus">Cache status</label>
        <select id="f-cacheStatus" name="cacheStatus" value={props.initial.cacheStatus ?? ''}>
          <option value="">any</option><option>HIT</option><option>MISS</option><option>BYPASS</option>
        </select>
      </div>
      {text('provider', 'Provider')}
      {text('model', 'Model')}
      {text('status', 'Status code', { inputMode: 'numeric', pattern: '[1-5][0-9][0-9]' })}
      {text('tenant', 'Tenant')}
      {text('operation', 'Operation')}
      {text('requestId', 'Request id')}
      <div class="field actions">
        <button type="submit">Apply filters</button>
        <button type="button" onClick={() => props.onApply({})}>Clear</button>
      </div>
    </form>
  );
}

function Detail(props: { row: LogRow; onClose: () => void }) {
  // Keyboard users land on the detail they opened instead of staying down in the table.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [props.row.requestId]);
  return (
    <section class="card detail" id="log-detail" aria-label={`Request ${props.row.requestId}`}>
      <h2 tabIndex={-1} ref={heading}>Request {props.row.requestId}</h2>
      <dl>
        {Object.entries(props.row).map(([k, v]) => (
          <div key={k} data-field={k}><dt>{k}</dt><dd>{k === 'time' ? `${fmtTime(v as number)} UTC` : v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd></div>
        ))}
      </dl>
      <button type="button" onClick={props.onClose}>Close</button>
    </section>
  );
}

export function Logs(props: { range: Range; initial: Filters }) {
  const [filters, setFilters] = useState<Filters>(props.initial);
  const [more, setMore] = useState<LogRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [open, setOpen] = useState<LogRow | null>(null);
  useEffect(() => setFilters(props.initial), [JSON.stringify(props.initial)]);
  const state = useLoad(() => getJson<LogPage>('/api/logs', { ...query(props.range, filters), limit: PAGE }), [props.range, JSON.stringify(filters)]);
  useEffect(() => { setMore([]); setCursor(state.data?.nextCursor ?? null); }, [state.data]);
  const loadMore = async () => {
    if (!cursor) return;
    const page = await getJson<LogPage>('/api/logs', { ...query(props.range, filters), limit: PAGE, cursor });
    setMore((m) => [...m, ...page.data]);
    setCursor(page.nextCursor);
  };
  return (
    <>
      <FilterForm initial={filters} onApply={(f) => { setFilters(f); setOpen(null); }} />
      <p class="toolbar">
        <a class="button" id="export-csv" href={exportHref(props.range, filters, 'csv')} download>Export CSV</a>
        <a class="button" id="export-json" href={exportHref(props.range, filters, 'json')} download>Export JSON</a>
      </p>
      {open ? <Detail row={open} onClose={() => setOpen(null)} /> : null}
      <Section state={state}>{(page) => {
        const rows = [...page.data, ...more];
        return (
          <>
            <Table id="log-table" caption={`Requests (${fmtInt(rows.length)} shown, newest first)`} rows={rows} rowKey={(r) => r.requestId} empty="No request matches these filters." columns={[
              { label: 'Time (UTC)', cell: (r) => fmtTime(r.time) },
              { label: 'Request id', cell: (r) => <button type="button" class="link" onClick={() => setOpen(r)}>{r.requestId}</button> },
              { label: 'Provider / model', cell: (r) => `${r.provider ?? '—'}/${r.model ?? '—'}` },
              { label: 'Operation', cell: (r) => r.operation ?? '—' },
              { label: 'Tenant', cell: (r) => r.tenant ?? '—' },
              { label: 'Status', numeric: true, cell: (r) => r.status },
              { label: 'Cache', cell: (r) => r.cacheStatus ?? '—' },
              { label: 'Latency', numeric: true, cell: (r) => fmtMs(r.latencyMs) },
              { label: 'Tokens', numeric: true, cell: (r) => fmtInt(r.tokensIn + r.tokensOut) },
              { label: 'Cost', numeric: true, cell: (r) => (r.costMicros === null ? 'unknown' : fmtUsd(r.costMicros / 1e6)) },
            ]} />
            {cursor ? <button type="button" onClick={loadMore}>Load more</button> : null}
          </>
        );
      }}</Section>
    </>
  );
}
