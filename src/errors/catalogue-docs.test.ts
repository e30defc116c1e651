// Keeps docs/errors.md true to the error catalogue: it reads the doc (resolved from the working
// directory, because tests run from the repository root), finds the one catalogue table, whose
// header starts `| code | status | type | retryable | expose | when |`, and parses each row. The
// set of documented codes must equal the catalogue's keys exactly (no missing, stale or
// duplicated rows), and every row's status, OpenAI type and yes/no flags must match its
// catalogue entry, with a non-empty "when" explanation. A failure message says which row to fix.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CATALOGUE, type ErrorCode } from './catalogue.js';

const DOC_PATH = join(process.cwd(), 'docs', 'errors.md');
const HEADER = ['code', 'status', 'type', 'retryable', 'expose', 'when'];

interface DocRow {
  code: string;
  status: string;
  type: string;
  retryable: string;
  expose: string;
  when: string;
}

/** Cells of one markdown table line, outer pipes removed and each cell trimmed. */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split('|').map((c) => c.trim());
}

function unquote(cell: string): string {
  return cell.replace(/^`(.*)`$/, '$1');
}

/** Rows of the catalogue table; throws when the table is missing. */
function parseCatalogueTable(markdown: string): DocRow[] {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim().startsWith('|') && cells(l).join('|') === HEADER.join('|'));
  if (start === -1) throw new Error(`no table with header | ${HEADER.join(' | ')} | in ${DOC_PATH}`);
  const rows: DocRow[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.trim().startsWith('|')) break;
    const c = cells(line);
    // The "when" column is prose; should it ever contain a pipe, keep the rest together.
    const when = c.slice(5).join('|').trim();
    rows.push({ code: unquote(c[0] ?? ''), status: c[1] ?? '', type: unquote(c[2] ?? ''), retryable: c[3] ?? '', expose: c[4] ?? '', when });
  }
  return rows;
}

function yesNo(flag: boolean): string {
  return flag ? 'yes' : 'no';
}

describe('docs/errors.md', () => {
  const rows = parseCatalogueTable(readFileSync(DOC_PATH, 'utf8'));
  const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

  test('documents exactly the catalogue codes, once each', () => {
    const documented = rows.map((r) => r.code);
    const duplicated = documented.filter((c, i) => documented.indexOf(c) !== i);
    assert.deepEqual(duplicated, [], 'codes listed more than once in docs/errors.md');
    const missing = codes.filter((c) => !documented.includes(c));
    const stale = documented.filter((c) => !(codes as string[]).includes(c));
    assert.deepEqual(missing, [], 'catalogue codes missing from docs/errors.md');
    assert.deepEqual(stale, [], 'docs/errors.md lists codes that are not in the catalogue');
  });

  test('each row matches its catalogue entry', () => {
    for (const row of rows) {
      if (!Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, row.code)) continue; // reported above
      const spec = ERROR_CATALOGUE[row.code as ErrorCode];
      assert.equal(row.status, String(spec.status), `${row.code}: status`);
      assert.equal(row.type, spec.type, `${row.code}: type`);
      assert.equal(row.retryable, yesNo(spec.retryable), `${row.code}: retryable`);
      assert.equal(row.expose, yesNo(spec.expose), `${row.code}: expose`);
      assert.ok(row.when.length > 0, `${row.code}: the "when" column is empty`);
    }
  });
});
