/**
 * Test fixture for F16 (kill -9 during writes), run as a child process by
 * sqlite-crash.test.ts: appends numbered batches to a SQLite log store as fast as it can and
 * prints `ack <n>` after each batch committed. The parent kills it with SIGKILL at an arbitrary
 * moment and checks that every acknowledged batch survived. stdout is a pipe, and pipe writes are
 * synchronous on Linux, so an ack line is out before the next batch starts. Not used at runtime.
 *
 * Usage: node sqlite-crash-writer.js <db-path> <id-prefix> <batch-size>
 */
import { openSqliteEventStore } from './sqlite-event-store.js';
import { makeEvents } from './event-fixtures.js';

const [path, prefix, size] = process.argv.slice(2);
// If the parent dies without killing us, do not write forever.
setTimeout(() => process.exit(2), 15_000).unref();
process.stdout.on('error', () => process.exit(3));

const store = await openSqliteEventStore(path);
const batchSize = Number(size);
for (let batch = 0; ; batch++) {
  await store.append(makeEvents(batchSize, `${prefix}${batch}`, Date.now()));
  process.stdout.write(`ack ${batch}\n`);
}
