import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { disablePretenuring } from './pretenuring.js';

const MODULE = fileURLToPath(new URL('./pretenuring.js', import.meta.url));

/** What disablePretenuring answers in a fresh node started with `execArgv` (node refuses V8 flags in NODE_OPTIONS). */
function answerIn(execArgv: string[]): string {
  const script = `const { disablePretenuring } = await import(${JSON.stringify(MODULE)}); console.log(disablePretenuring());`;
  return execFileSync(process.execPath, [...execArgv, '--input-type=module', '-e', script], {
    encoding: 'utf8',
  }).trim();
}

describe('disablePretenuring', () => {
  it('applies the flag when node was not given it', () => {
    assert.equal(disablePretenuring(['--max-old-space-size=512', '']), true);
    assert.equal(answerIn([]), 'true');
  });

  it('steps aside for an operator flag either way, in any spelling', () => {
    for (const flag of ['--allocation-site-pretenuring', '--no-allocation-site-pretenuring', '--no_allocation_site_pretenuring']) {
      assert.equal(disablePretenuring([flag]), false, flag);
    }
    assert.equal(answerIn(['--allocation-site-pretenuring']), 'false');
    assert.equal(answerIn(['--no_allocation_site_pretenuring']), 'false');
  });
});
