import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeAlertHttp, postJson } from './http-post.js';
import { PermanentDeliveryError } from './destination.js';
import { useResolverForTests } from '../../security/guarded-connect.js';

useResolverForTests((name, _opts, cb) => (name === 'hooks.tollgate.test'
  ? cb(null, [{ address: '169.254.169.254', family: 4 }])
  : cb(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), [])));
after(async () => {
  useResolverForTests(undefined);
  await closeAlertHttp();
});

test('S8: alert destinations at metadata addresses, literal or resolved, fail permanently without connecting', async () => {
  for (const url of ['http://169.254.169.254/hook', 'http://[::ffff:a9fe:a9fe]/hook', 'http://hooks.tollgate.test/hook', 'file:///etc/passwd']) {
    await assert.rejects(postJson(url, '{}', {}, AbortSignal.timeout(3000)), PermanentDeliveryError, url);
  }
});
