// Keeps docs/test-catalogue.md true: every table row names a catalogue case, and every test it
// cites exists — the file is there and contains the quoted test name — so a renamed or deleted
// test shows up here instead of leaving the map pointing at nothing. Rows marked "not covered"
// are allowed (they are the honest answer), but there must be no duplicate case ids, and every
// case id must appear exactly once. Paths are relative to the repository root (tests run there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = process.cwd();
const DOC = readFileSync(join(ROOT, 'docs', 'test-catalogue.md'), 'utf8');

interface Row {
  id: string;
  tests: string;
}

function rows(): Row[] {
  const out: Row[] = [];
  for (const line of DOC.split(/\r?\n/)) {
    const m = /^\|\s*([A-Z]\d{1,2})\s*\|[^|]*\|(.*)\|\s*$/.exec(line);
    if (m) out.push({ id: m[1], tests: m[2] });
  }
  return out;
}

/** `path` › "name" references; benchmark rows cite a path without a name. */
function references(cell: string): Array<{ path: string; name?: string }> {
  return [...cell.matchAll(/`([^`]+\.(?:ts|mjs|md))`(?:\s*›\s*"((?:[^"\\]|\\.)*)")?/g)].map((m) => ({ path: m[1], name: m[2] }));
}

test('every case appears once, with tests or an explicit "not covered"', () => {
  const all = rows();
  assert.ok(all.length >= 40, `only ${all.length} rows parsed from docs/test-catalogue.md`);
  const ids = all.map((r) => r.id);
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'duplicate case ids');
  for (const r of all) {
    const covered = references(r.tests).length > 0;
    assert.ok(covered || /not covered/.test(r.tests), `${r.id} cites no test and is not marked "not covered"`);
  }
});

test('every cited file exists and contains the cited test name', () => {
  const missing: string[] = [];
  for (const r of rows()) {
    for (const ref of references(r.tests)) {
      const path = join(ROOT, ref.path);
      if (!existsSync(path)) {
        missing.push(`${r.id}: ${ref.path} does not exist`);
        continue;
      }
      if (ref.name !== undefined && !readFileSync(path, 'utf8').includes(ref.name)) missing.push(`${r.id}: "${ref.name}" not found in ${ref.path}`);
    }
  }
  assert.deepEqual(missing, []);
});
