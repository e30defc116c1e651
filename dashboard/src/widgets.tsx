/**
 * Small building blocks shared by the views: KPI tiles (figure, raw value in `data-value`,
 * trend), plain tables with a caption, and the loading / error line. No data fetching here.
 */
import type { ComponentChildren } from 'preact';
import type { Loaded } from './live.js';
import { fmtTime } from './format.js';

export function Kpi(props: { id: string; label: string; value: number | null; text: string; trend?: string }) {
  return (
    <div class="card kpi" data-kpi={props.id} data-value={props.value === null ? '' : String(props.value)}>
      <dt>{props.label}</dt>
      <dd class="kpi-value">{props.text}</dd>
      {props.trend ? <dd class="kpi-trend">{props.trend}</dd> : null}
    </div>
  );
}

export function Kpis(props: { children: ComponentChildren }) {
  return <dl class="kpis">{props.children}</dl>;
}

export interface Column<R> {
  label: string;
  cell: (row: R) => ComponentChildren;
  numeric?: boolean;
}

export function Table<R>(props: { caption: string; columns: Column<R>[]; rows: R[]; id?: string; rowKey?: (r: R, i: number) => string; empty?: string }) {
  return (
    <div class="card table-card" id={props.id}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>{props.columns.map((c) => <th scope="col" class={c.numeric ? 'num' : undefined}>{c.label}</th>)}</tr>
        </thead>
        <tbody>
          {props.rows.length === 0 ? (
            <tr><td colSpan={props.columns.length} class="empty">{props.empty ?? 'No data in this range.'}</td></tr>
          ) : (
            props.rows.map((r, i) => (
              <tr key={props.rowKey ? props.rowKey(r, i) : String(i)}>
                {props.columns.map((c) => <td class={c.numeric ? 'num' : undefined}>{c.cell(r)}</td>)}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Loading and error line for a view; renders the body only once data has arrived. */
export function Section<T>(props: { state: Loaded<T>; children: (data: T) => ComponentChildren }) {
  const { data, error, updatedAt } = props.state;
  return (
    <>
      <p class="status" role="status" aria-live="polite">
        {error ? <span class="error">Could not load: {error}</span> : data === undefined ? 'Loading…' : `Updated ${fmtTime(updatedAt)} UTC`}
      </p>
      {data !== undefined ? props.children(data) : null}
    </>
  );
}

export function Note(props: { id?: string; children: ComponentChildren }) {
  return <p class="card note" id={props.id}>{props.children}</p>;
}
