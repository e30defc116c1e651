/**
 * Who may call the operator endpoints (logs, analytics, admin API, metrics, dashboard): the
 * holder of `admin.apiKey` (as `Authorization: Bearer …` or `x-tollgate-admin-key`), compared
 * in constant time over digests so neither content nor length leaks through timing. With no
 * admin key configured, only loopback peers are allowed — never the open network. A dashboard
 * session cookie (opened by logging in with the key) is accepted in place of the key.
 *
 * The socket's address is what counts; X-Forwarded-For is not consulted here.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';
import { bearerToken } from './bearer-token.js';
import { cookieValue, CSRF_HEADER, csrfMatches, dashboardSessions, SESSION_COOKIE } from './dashboard/session-store.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function presentedKey(req: IncomingMessage): string | undefined {
  const bearer = bearerToken(req.headers.authorization);
  if (bearer) return bearer;
  const h = req.headers['x-tollgate-admin-key'];
  return typeof h === 'string' ? h.trim() : undefined;
}

/** Throws `admin_unauthorized` unless the request may use operator endpoints. */
export function requireAdmin(req: IncomingMessage, adminKey: string | undefined): void {
  if (!adminKey) {
    if (isLoopback(req.socket.remoteAddress)) return;
    throw new GatewayError('admin_unauthorized', { detail: 'No admin key is configured: operator endpoints answer only on loopback.' });
  }
  const key = presentedKey(req);
  if (key === undefined && dashboardSessionAllows(req, adminKey)) return;
  if (key === undefined || !timingSafeEqual(digest(key), digest(adminKey))) {
    throw new GatewayError('admin_unauthorized');
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * A dashboard session cookie stands in for the key; calls that change state must also echo the
 * session's CSRF token in a header (see dashboard/session-store.ts).
 */
function dashboardSessionAllows(req: IncomingMessage, adminKey: string): boolean {
  const session = dashboardSessions.find(cookieValue(req.headers.cookie, SESSION_COOKIE), adminKey);
  if (!session) return false;
  return SAFE_METHODS.has(req.method ?? 'GET') || csrfMatches(session, req.headers[CSRF_HEADER]);
}
