import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPriceDir, readPriceFiles } from './price-files.js';

test('the shipped price data validates and covers every provider type', () => {
  const files = readPriceFiles();
  const names = files.map((f) => f.file);
  for (const type of ['openai', 'azure-openai', 'anthropic', 'workers-ai', 'openrouter', 'openai-compatible']) {
    assert.ok(names.includes(`${type}.json`), type);
  }
  const providers = new Set(files.flatMap((f) => f.data.entries.map((e) => e.provider)));
  for (const type of ['openai', 'anthropic', 'workers-ai', 'openrouter']) assert.ok(providers.has(type), type);
  const embeddings = files.flatMap((f) => f.data.entries).filter((e) => e.kind === 'embedding');
  assert.ok(embeddings.some((e) => e.provider === 'openai') && embeddings.some((e) => e.provider === 'workers-ai'));
  assert.ok(files.some((f) => (f.data.mirrors ?? []).some((m) => m.provider === 'azure-openai')));
});

test('defaultPriceDir finds data/prices above the code', () => {
  assert.match(defaultPriceDir(), /data[\\/]prices$/);
});

test('a broken file is reported with its name and the field at fault', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prices-'));
  try {
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ checked: '2026-01-01', entries: [] }));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({
      checked: '2026-01-01',
      entries: [{ provider: 'p', model: 'm', effectiveFrom: '2026-01-01', input: 1 }],
    }));
    assert.throws(() => readPriceFiles(dir), /bad\.json.*entries\.0\.output/);
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    assert.throws(() => readPriceFiles(dir), /bad\.json: not valid JSON/);
    rmSync(join(dir, 'bad.json'));
    assert.equal(readPriceFiles(dir).length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
