/**
 * `/dashboard/`: the web UI's files, its login, logout and session probe. Without a session the
 * only thing served is the login page (the entry URL answers it; any other file is 401). A
 * successful login sets an HttpOnly, SameSite=Strict cookie (Secure behind https) that the
 * operator APIs accept instead of the admin key; logout forgets it. With no admin key
 * configured, loopback browsers need no login, as for the APIs; other peers get nothing.
 *
 * This module reads no data itself: the page calls the same operator APIs as any other client.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors/gateway-error.js';
import { isLoopback } from '../admin-guard.js';
import type { ConfigHolder } from '../config-holder.js';
import { requestIdFrom } from '../request-id.js';
import { writeError, writeJson } from '../response-writer.js';
import { loginPage, type LoginMessage } from './login-page.js';
import { cookieValue, CSRF_HEADER, csrfMatches, dashboardSessions, keyDigest, SESSION_COOKIE, SESSION_TTL_MS, type DashboardSession } from './session-store.js';
import { defaultDashboardDir, loadStaticFiles, staticKey, type StaticFile } from './static-files.js';

export interface DashboardOptions {
  holder: ConfigHolder;
  /** Where the built files are; dist/dashboard by default. */
  dir?: string;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on the login post.
  'referrer-policy': 'same-origin',
  // Everything is bundled and same-origin; charts set inline styles, hence style 'unsafe-inline'.
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
};

type Access = { kind: 'session'; session: DashboardSession } | { kind: 'loopback' } | { kind: 'none'; noKey: boolean };

function access(req: IncomingMessage, adminKey: string | undefined): Access {
  if (!adminKey) return isLoopback(req.socket.remoteAddress) ? { kind: 'loopback' } : { kind: 'none', noKey: true };
  const session = dashboardSessions.find(cookieValue(req.headers.cookie, SESSION_COOKIE), adminKey);
  return session ? { kind: 'session', session } : { kind: 'none', noKey: false };
}

function isHttps(req: IncomingMessage): boolean {
  return Boolean((req.socket as TLSSocket).encrypted) || req.headers['x-forwarded-proto'] === 'https';
}

function sessionCookie(req: IncomingMessage, value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${isHttps(req) ? '; Secure' : ''}`;
}

function sendHtml(res: ServerResponse, status: number, html: string, extra: Record<string, string> = {}): void {
  const body = Buffer.from(html);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': body.length, ...extra });
  res.end(body);
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: StaticFile): void {
  const gzip = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? file.gzip! : file.body;
  const headers: Record<string, string | number> = { ...SECURITY_HEADERS, 'content-type': file.type, 'cache-control': file.cacheControl, 'content-length': body.length, vary: 'accept-encoding' };
  if (gzip) headers['content-encoding'] = 'gzip';
  res.writeHead(200, headers);
  res.end(body);
}

function redirect(res: ServerResponse, location: string, extra: Record<string, string> = {}): void {
  res.writeHead(303, { location, 'cache-control': 'no-store', 'content-length': 0, ...extra });
  res.end();
}

/** A cross-site form post carries a foreign Origin; browsers always send Origin on POST. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return origin === `${isHttps(req) ? 'https' : 'http'}://${req.headers.host ?? ''}`;
}

function presentedLoginKey(body: unknown): string | undefined {
  if (!Buffer.isBuffer(body) || body.length > 4096) return undefined;
  const key = new URLSearchParams(body.toString('utf8')).get('key');
  return key === null ? undefined : key;
}

function login(req: FastifyRequest, res: ServerResponse, adminKey: string | undefined): void {
  if (!adminKey) {
    if (isLoopback(req.raw.socket.remoteAddress)) return redirect(res, '/dashboard/');
    return sendHtml(res, 401, loginPage('no-key'));
  }
  const key = presentedLoginKey(req.body);
  if (key === undefined || !sameOrigin(req.raw) || !timingSafeEqual(keyDigest(key), keyDigest(adminKey))) {
    return sendHtml(res, 401, loginPage('wrong'));
  }
  const { id } = dashboardSessions.open(adminKey);
  redirect(res, '/dashboard/', { 'set-cookie': sessionCookie(req.raw, id, SESSION_TTL_MS / 1000) });
}

function serve(req: FastifyRequest, res: ServerResponse, files: () => Map<string, StaticFile>, adminKey: string | undefined): void {
  const key = staticKey(req.raw.url ?? '');
  if (key === undefined) return writeError(res, new GatewayError('route_not_found'), requestIdFrom(req.headers['x-request-id']));
  const who = access(req.raw, adminKey);
  if (who.kind === 'none') {
    if (key === 'index.html') {
      const expired = !who.noKey && cookieValue(req.headers.cookie, SESSION_COOKIE) !== undefined;
      return sendHtml(res, who.noKey ? 401 : 200, loginPage(who.noKey ? 'no-key' : expired ? 'expired' : 'none'));
    }
    return writeError(res, new GatewayError('admin_unauthorized'), requestIdFrom(req.headers['x-request-id']));
  }
  const file = files().get(key);
  if (!file) return writeError(res, new GatewayError('route_not_found'), requestIdFrom(req.headers['x-request-id']));
  sendFile(req.raw, res, file);
}

export function registerDashboardRoutes(app: FastifyInstance, opts: DashboardOptions): void {
  let cache: Map<string, StaticFile> | undefined;
  // Read on first use, not at start: a gateway that never serves the dashboard pays nothing.
  const files = (): Map<string, StaticFile> => (cache ??= loadStaticFiles(opts.dir ?? defaultDashboardDir()));
  const adminKey = (): string | undefined => opts.holder.current.source.admin.apiKey;

  app.get('/dashboard', async (_req, reply) => {
    reply.hijack();
    redirect(reply.raw, '/dashboard/');
  });
  app.get('/dashboard/*', async (req, reply) => {
    reply.hijack();
    serve(req, reply.raw, files, adminKey());
  });
  app.post('/dashboard/login', async (req, reply) => {
    reply.hijack();
    login(req, reply.raw, adminKey());
  });
  app.post('/dashboard/logout', async (req, reply) => {
    reply.hijack();
    const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const session = dashboardSessions.find(id, adminKey());
    if (session && !csrfMatches(session, req.headers[CSRF_HEADER])) {
      return writeError(reply.raw, new GatewayError('admin_unauthorized'), requestIdFrom(req.headers['x-request-id']));
    }
    dashboardSessions.close(id);
    reply.raw.writeHead(204, { 'set-cookie': sessionCookie(req.raw, '', 0), 'cache-control': 'no-store' });
    reply.raw.end();
  });
  app.get('/dashboard/session', async (req, reply) => {
    reply.hijack();
    const who = access(req.raw, adminKey());
    if (who.kind === 'none') return writeError(reply.raw, new GatewayError('admin_unauthorized'), requestIdFrom(req.headers['x-request-id']));
    // Optional APIs built on other branches: the page asks only for what this gateway serves.
    const features = {
      budgets: app.hasRoute({ method: 'GET', url: '/api/admin/budgets' }),
      cache: app.hasRoute({ method: 'GET', url: '/api/admin/cache' }),
    };
    const body = who.kind === 'session' ? { csrf: who.session.csrf, expiresAt: who.session.expiresAt, features } : { csrf: null, expiresAt: null, features };
    writeJson(reply.raw, 200, { 'cache-control': 'no-store' }, JSON.stringify(body));
  });
}
