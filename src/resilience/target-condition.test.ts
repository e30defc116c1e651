// Unit tests for target-condition.ts, table-driven: no conditions serve everyone; tenant,
// operation and metadata conditions each narrow; all specified conditions must hold together;
// a condition on something the request lacks does not match; metadata compares exact string
// values and ignores inherited keys; internal/confidential requests reach trusted providers only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { targetAllowed, type RequestAttributes, type TargetCondition } from './target-condition.js';

const base: RequestAttributes = { tenant: 'acme', operation: 'resume_parsing', metadata: { team: 'hr', env: 'prod' }, sensitivity: 'public' };

const cases: Array<[string, TargetCondition | undefined, boolean, Partial<RequestAttributes>?]> = [
  ['no conditions', undefined, true],
  ['empty conditions', {}, true],
  ['tenant listed', { tenants: ['acme', 'globex'] }, true],
  ['tenant not listed', { tenants: ['globex'] }, false],
  ['tenant condition, anonymous request', { tenants: ['acme'] }, false, { tenant: null }],
  ['operation listed', { operations: ['resume_parsing'] }, true],
  ['operation not listed', { operations: ['chat'] }, false],
  ['operation condition, no operation label', { operations: ['chat'] }, false, { operation: null }],
  ['metadata subset matches', { metadata: { team: 'hr' } }, true],
  ['metadata value differs', { metadata: { team: 'sales' } }, false],
  ['metadata key missing', { metadata: { region: 'eu' } }, false],
  ['metadata condition, no metadata', { metadata: { team: 'hr' } }, false, { metadata: null }],
  ['metadata inherited key is not a match', { metadata: { toString: 'x' } }, false],
  ['all conditions hold', { tenants: ['acme'], operations: ['resume_parsing'], metadata: { env: 'prod' } }, true],
  ['one of several fails', { tenants: ['acme'], operations: ['chat'], metadata: { env: 'prod' } }, false],
];

for (const [name, when, expected, override] of cases) {
  test(`when: ${name}`, () => {
    assert.equal(targetAllowed({ providerTrusted: false, when }, { ...base, ...override }), expected);
  });
}

test('sensitivity: internal and confidential reach trusted providers only', () => {
  for (const sensitivity of ['internal', 'confidential'] as const) {
    assert.equal(targetAllowed({ providerTrusted: false }, { ...base, sensitivity }), false, sensitivity);
    assert.equal(targetAllowed({ providerTrusted: true }, { ...base, sensitivity }), true, sensitivity);
  }
  assert.equal(targetAllowed({ providerTrusted: false }, base), true);
  assert.equal(targetAllowed({ providerTrusted: true, when: { tenants: ['x'] } }, { ...base, sensitivity: 'internal' }), false, 'trust does not bypass conditions');
});
