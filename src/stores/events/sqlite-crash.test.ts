/**
 * F16: a writer killed with SIGKILL mid-write leaves a SQLite file that passes its integrity
 * check, holds every batch it acknowledged, holds whole batches only (at most one committed but
 * not yet acknowledged), and takes a replay of the acknowledged batches without duplicates.
 * What a kill can lose is what the writer had not yet committed: for the gateway, the event
 * queue's buffer, at most one flush interval.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openSqliteEventStore } from './sqlite-event-store.js';
import { makeEvents } from './event-fixtures.js';

const WRITER = fileURLToPath(new URL('./sqlite-crash-writer.js', import.meta.url));
const BATCH = 200;

/** Runs the writer until it acknowledged at least `minAcks` batches, then SIGKILLs it. */
function runAndKill(path: string, prefix: string, minAcks: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, path, prefix, String(BATCH)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked: number[] = [];
    let buffered = '';
    let killScheduled = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) acked.push(Number(line.replace('ack ', '')));
      // A random extra delay lands the kill at a different point of a transaction each time.
      if (acked.length >= minAcks && !killScheduled) {
        killScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 5);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited with ${code ?? signal} before being killed`));
      else resolve(acked);
    });
  });
}

test('F16: SIGKILL during batched writes loses no acknowledged row and corrupts nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-crash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'tollgate.db');
  const acknowledged: string[] = [];
  for (const round of ['r0b', 'r1b', 'r2b']) {
    const acked = await runAndKill(path, round, 10);
    acknowledged.push(...acked.map((n) => `${round}${n}`));
    assert.ok(acked.length >= 10);
    const db = new Database(path);
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const perBatch = db.prepare(`SELECT substr(request_id, 1, instr(request_id, '-') - 1) AS batch, count(*) AS n
        FROM usage_events WHERE request_id LIKE ? GROUP BY batch`).all(`${round}%`) as Array<{ batch: string; n: number }>;
      const counts = new Map(perBatch.map((r) => [r.batch, r.n]));
      for (const n of acked) assert.equal(counts.get(`${round}${n}`), BATCH, `acknowledged batch ${n} is complete`);
      assert.ok(perBatch.every((r) => r.n === BATCH), 'batches are all-or-nothing');
      assert.ok(perBatch.length - acked.length <= 1, 'at most the in-flight batch committed without an ack');
      const { rows, ids } = db.prepare('SELECT count(*) AS rows, count(DISTINCT request_id) AS ids FROM usage_events')
        .get() as { rows: number; ids: number };
      assert.equal(rows, ids);
    } finally {
      db.close();
    }
  }
  // Replaying every acknowledged batch (as a spool would) adds nothing.
  const countRows = (): number => {
    const db = new Database(path, { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM usage_events').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  const rowsBefore = countRows();
  const store = await openSqliteEventStore(path);
  for (const prefix of acknowledged) assert.equal(await store.append(makeEvents(BATCH, prefix, 0)), 0, prefix);
  await store.close();
  assert.equal(countRows(), rowsBefore);
});
