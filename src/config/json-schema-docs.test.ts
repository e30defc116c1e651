// Keeps docs/tollgate.schema.json current: the committed file (resolved from the working
// directory, because tests run from the repository root) must deep-equal what
// configJsonSchema() generates from the zod config schema today, compared as JSON since the file
// is JSON. When a config key changes, this fails until the doc is regenerated with
// `node bin/tollgate config schema --out docs/tollgate.schema.json` (after a build), so editors
// never validate against a stale schema.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema } from './json-schema.js';

const DOC_PATH = join(process.cwd(), 'docs', 'tollgate.schema.json');

describe('docs/tollgate.schema.json', () => {
  test('equals the generated JSON Schema', () => {
    const documented: unknown = JSON.parse(readFileSync(DOC_PATH, 'utf8'));
    const generated: unknown = JSON.parse(JSON.stringify(configJsonSchema()));
    assert.deepEqual(documented, generated, 'docs/tollgate.schema.json is stale: run `node bin/tollgate config schema --out docs/tollgate.schema.json`');
  });
});
