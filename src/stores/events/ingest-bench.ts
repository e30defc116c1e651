/**
 * Measures SQLite log-store ingest: rows per second appended in batches (500 by default, the
 * event queue's batch size) into a file store with WAL and every index in place. Only the
 * append calls are timed, not building the events. Prints one JSON line when run directly:
 *
 *   node dist/src/stores/events/ingest-bench.js [rows] [batchSize]
 *
 * A measurement to report, not a test with a threshold: machines differ too much for that.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSqliteEventStore } from './sqlite-event-store.js';
import { makeEvent } from './event-fixtures.js';

export interface IngestResult {
  rows: number;
  batchSize: number;
  seconds: number;
  rowsPerSecond: number;
}

export async function measureSqliteIngest(path: string, rows: number, batchSize: number): Promise<IngestResult> {
  const store = await openSqliteEventStore(path);
  const start = Date.now();
  let elapsedNs = 0n;
  try {
    for (let done = 0; done < rows; done += batchSize) {
      const batch = Array.from({ length: Math.min(batchSize, rows - done) }, (_, i) => makeEvent({
        requestId: `bench-${(done + i).toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
        time: start + done + i,
        tenant: `tenant-${i % 20}`,
        model: i % 3 === 0 ? 'gpt-4o' : 'claude-sonnet-4-5',
        cacheStatus: i % 4 === 0 ? 'HIT' : 'MISS',
      }));
      const t0 = process.hrtime.bigint();
      await store.append(batch);
      elapsedNs += process.hrtime.bigint() - t0;
    }
  } finally {
    await store.close();
  }
  const seconds = Number(elapsedNs) / 1e9;
  return { rows, batchSize, seconds, rowsPerSecond: Math.round(rows / seconds) };
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 200_000);
  const batchSize = Number(process.argv[3] ?? 500);
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-ingest-'));
  try {
    console.log(JSON.stringify(await measureSqliteIngest(join(dir, 'bench.db'), rows, batchSize)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
