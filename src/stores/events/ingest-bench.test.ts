import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureSqliteIngest } from './ingest-bench.js';

test('the ingest benchmark appends every row and reports a rate (no threshold)', async () => {
  const result = await measureSqliteIngest(':memory:', 1234, 500);
  assert.equal(result.rows, 1234);
  assert.equal(result.batchSize, 500);
  assert.ok(result.seconds > 0 && Number.isFinite(result.rowsPerSecond) && result.rowsPerSecond > 0);
});
