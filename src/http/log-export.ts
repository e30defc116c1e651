/**
 * Streams log rows out as CSV or as a JSON array, row by row with backpressure, so exporting a
 * month of traffic never holds the result in memory. CSV columns are a fixed allowlist in a
 * stable order; cells are quoted per RFC 4180 and cells that a spreadsheet would run as a
 * formula are prefixed with an apostrophe.
 */
import type { ServerResponse } from 'node:http';
import type { UsageEvent } from '../metering/usage-event.js';

export const CSV_COLUMNS = [
  'requestId', 'time', 'tenant', 'keyId', 'user', 'operation', 'endpoint', 'provider', 'model', 'routeAlias',
  'status', 'errorCode', 'cacheStatus', 'attempts', 'fallbackIndex', 'latencyMs', 'ttftMs', 'tokensIn', 'tokensOut',
  'tokensCached', 'tokensCacheWrite', 'neurons', 'costMicros', 'savedMicros', 'stream', 'partial', 'estimated',
] as const satisfies readonly (keyof UsageEvent)[];

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(event: UsageEvent): string {
  return `${CSV_COLUMNS.map((c) => (c === 'time' ? new Date(event.time).toISOString() : csvCell(event[c]))).join(',')}\r\n`;
}

async function writeAll(res: ServerResponse, chunk: string): Promise<void> {
  if (res.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => { res.off('drain', done); res.off('close', done); resolve(); };
    res.on('drain', done);
    res.on('close', done);
  });
}

export async function streamExport(res: ServerResponse, rows: AsyncIterable<UsageEvent>, format: 'csv' | 'json', requestId: string): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  res.writeHead(200, {
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
    'content-disposition': `attachment; filename="tollgate-logs-${stamp}.${format}"`,
    'x-request-id': requestId,
  });
  let first = true;
  await writeAll(res, format === 'csv' ? `${CSV_COLUMNS.join(',')}\r\n` : '[');
  for await (const row of rows) {
    if (res.destroyed) return;
    await writeAll(res, format === 'csv' ? csvRow(row) : `${first ? '' : ','}\n${JSON.stringify(row)}`);
    first = false;
  }
  res.end(format === 'csv' ? '' : '\n]\n');
}
