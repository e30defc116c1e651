/**
 * How numbers are written on the page. Every figure is also kept raw in a `data-value`
 * attribute (see kpi.tsx), so what is shown can be checked against the data exactly.
 */

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** USD with enough digits for the small amounts single requests cost. */
export function fmtUsd(n: number): string {
  const a = Math.abs(n);
  if (a >= 100) return `$${n.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
  if (a >= 1) return `$${n.toFixed(2)}`;
  if (a === 0) return '$0';
  return `$${n.toFixed(6)}`;
}

export function fmtPct(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(1)}%`;
}

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

export function fmtTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** "▲ 12.0% vs previous" or a dash when the previous period had nothing to compare. */
export function fmtTrend(current: number, previous: number): string {
  if (!previous) return current ? 'new vs previous period' : 'no change';
  const delta = (current - previous) / previous;
  const arrow = delta > 0 ? '▲' : delta < 0 ? '▼' : '■';
  return `${arrow} ${Math.abs(delta * 100).toFixed(1)}% vs previous period`;
}

export const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
