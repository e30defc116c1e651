/**
 * Renders the benchmark report as plain-text tables for the terminal: one row per load run,
 * then memory per process, what the gateways wrote to their request logs, then the targets with
 * PASS/MISS. Hand-rolled (a dozen lines) rather
 * than a table dependency, since the only need is padded columns.
 *
 * It does not compute figures; report.ts does.
 */
import { rowVerdict, type ProcessMemory, type RequestLogFigures, type Row, type TargetCheck } from './report.js';

/** The first `textColumns` columns are left-aligned (text reads better so), the rest right-aligned. */
export function table(headers: readonly string[], body: readonly (readonly string[])[], textColumns = 2): string {
  const widths = headers.map((h, col) => Math.max(h.length, ...body.map((cells) => (cells[col] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, col) => (col < textColumns ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(headers), rule, ...body.map(line)].join('\n');
}

function percent(ratio: number | null): string {
  return ratio === null ? '' : `${(ratio * 100).toFixed(1)}%`;
}

function ms(value: number | null, digits = 3): string {
  return value === null || Number.isNaN(value) ? '' : value.toFixed(digits);
}

function signedUs(valueMs: number | null): string {
  if (valueMs === null) return '';
  const us = Math.round(valueMs * 1000);
  return `${us >= 0 ? '+' : ''}${us}`;
}

function loadTable(rows: readonly Row[]): string {
  const headers = ['target', 'mode', 'c', 'req/s', 'p50 ms', 'p99 ms', 'non2xx', 'errors', 'vs floor', 'vs bare', '+p50 us vs direct', '+p50 us vs floor', 'ok %', 'vs base', '+p99 us vs base', 'check'];
  const body = rows.map((row) => [
    row.target,
    row.mode,
    String(row.connections),
    row.result.requestsPerSec.toFixed(0),
    ms(row.result.p50Ms),
    ms(row.result.p99Ms),
    String(row.result.non2xx),
    String(row.result.errors + row.result.timeouts),
    percent(row.throughputVsFloor),
    percent(row.throughputVsBare),
    signedUs(row.addedP50VsDirectMs),
    signedUs(row.addedP50VsFloorMs),
    row.successRate === null ? '' : (row.successRate * 100).toFixed(row.successRate === 1 ? 0 : 3),
    percent(row.throughputVsBaseline),
    signedUs(row.addedP99VsBaselineMs),
    rowVerdict(row),
  ]);
  return table(headers, body);
}

function memoryTable(memory: readonly ProcessMemory[]): string {
  const body = memory.map((m) => [m.name, String(m.pid), ms(m.peakRssMiB, 1), ms(m.rssAtEndMiB, 1)]);
  return table(['process', 'pid', 'peak RSS MiB', 'RSS at end MiB'], body);
}

function requestLogTable(figures: readonly RequestLogFigures[]): string {
  const body = figures.map((f) => [f.target, String(f.stdoutLines), String(f.answeredRequests), String(f.measuredRequests), f.storeRows === null ? '' : String(f.storeRows), ms(f.storeMiB, 1)]);
  return table(['request log of', 'stdout lines', 'responses (all slices)', 'responses (measured)', 'SQLite rows', 'SQLite MiB'], body, 1);
}

function targetTable(targets: readonly TargetCheck[]): string {
  const verdict = (pass: boolean | null): string => (pass === null ? 'n/a' : pass ? 'PASS' : 'MISS');
  return table(['target', 'result', 'value', 'limit'], targets.map((t) => [t.name, verdict(t.pass), t.value, t.limit]));
}

/** The parts of a bench report that are printed; `BenchReport` has this shape. */
export interface Printable {
  rows: readonly Row[];
  memory: readonly ProcessMemory[];
  requestLog: readonly RequestLogFigures[];
  targets: readonly TargetCheck[];
  notes: readonly string[];
}

export function renderReport(report: Printable): string {
  const parts = [loadTable(report.rows), '', memoryTable(report.memory), ''];
  if (report.requestLog.length > 0) parts.push(requestLogTable(report.requestLog), '');
  parts.push(targetTable(report.targets), '', ...report.notes.map((n) => `note: ${n}`));
  return parts.join('\n');
}
