// Keeps docs/pipeline.md true to the pipeline in src/pipeline/pipeline.ts: it reads the doc
// (resolved from the working directory, because tests run from the repository root) and splits
// it into `## ` sections. The `## Stage: <name>` headings must name exactly the STAGES entries,
// in the same order, so a renamed, added, removed or reordered stage shows up here; each stage's
// section must mention every error code in that stage's `emits` list in backticks; and the
// `## Edge` section must mention every code in EDGE_EMITS the same way.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EDGE_EMITS, STAGES } from './pipeline.js';

const DOC_PATH = join(process.cwd(), 'docs', 'pipeline.md');

interface Section {
  heading: string;
  body: string;
}

/** Level-2 sections in document order; text outside fenced code blocks only. */
function sections(markdown: string): Section[] {
  const out: Section[] = [];
  let current: Section | undefined;
  let fenced = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (line.trimStart().startsWith('```')) fenced = !fenced;
    if (!fenced && line.startsWith('## ')) {
      current = { heading: line.slice(3).trim(), body: '' };
      out.push(current);
    } else if (current) {
      current.body += `${line}\n`;
    }
  }
  return out;
}

const STAGE_PREFIX = 'Stage:';

function missingCodes(body: string, codes: readonly string[]): string[] {
  return codes.filter((code) => !body.includes(`\`${code}\``));
}

describe('docs/pipeline.md', () => {
  const all = sections(readFileSync(DOC_PATH, 'utf8'));
  const stageSections = all.filter((s) => s.heading.startsWith(STAGE_PREFIX));

  test('has one "## Stage: <name>" section per stage, in pipeline order', () => {
    const documented = stageSections.map((s) => s.heading.slice(STAGE_PREFIX.length).trim());
    assert.deepEqual(documented, STAGES.map((s) => s.name));
  });

  test('each stage section names every code the stage emits', () => {
    for (const stage of STAGES) {
      const section = stageSections.find((s) => s.heading.slice(STAGE_PREFIX.length).trim() === stage.name);
      assert.ok(section, `no "## Stage: ${stage.name}" section`);
      assert.deepEqual(missingCodes(section.body, stage.emits), [], `stage ${stage.name}: codes not named in its section`);
    }
  });

  test('the Edge section names every code the edge emits', () => {
    const edge = all.filter((s) => s.heading === 'Edge');
    assert.equal(edge.length, 1, 'expected exactly one "## Edge" section');
    assert.deepEqual(missingCodes(edge[0].body, EDGE_EMITS), [], 'edge codes not named in the Edge section');
  });
});
