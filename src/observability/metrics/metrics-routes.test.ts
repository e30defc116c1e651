import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { requireScraper } from './metrics-routes.js';

function req(headers: Record<string, string>, address = '10.0.0.5'): IncomingMessage {
  return { headers, socket: { remoteAddress: address } } as unknown as IncomingMessage;
}

const TOKEN = 'metrics-token-0123456789';
const ADMIN = 'admin-key-0123456789abcdef';
const denied = (f: () => void) => assert.throws(f, (e: unknown) => (e as { code?: string }).code === 'admin_unauthorized');

test('the metrics token or the admin key; with neither configured, loopback only', () => {
  requireScraper(req({ authorization: `Bearer ${TOKEN}` }), TOKEN, ADMIN);
  requireScraper(req({ authorization: `Bearer ${ADMIN}` }), TOKEN, ADMIN);
  denied(() => requireScraper(req({ authorization: 'Bearer nope' }), TOKEN, ADMIN));
  // A token without an admin key: the token is required even from loopback.
  requireScraper(req({ authorization: `Bearer ${TOKEN}` }), TOKEN, undefined);
  denied(() => requireScraper(req({}, '127.0.0.1'), TOKEN, undefined));
  requireScraper(req({}, '127.0.0.1'), undefined, undefined);
  denied(() => requireScraper(req({}), undefined, undefined));
});
