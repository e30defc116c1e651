/**
 * Which client headers may travel upstream on native pass-through, and which upstream headers
 * may travel back. Hop-by-hop headers (RFC 9110 §7.6.1, plus any named in Connection) never
 * cross the proxy; gateway control headers stay here; client credentials are dropped in managed
 * mode so the provider only ever sees the gateway's key.
 */
import { bearerToken } from './bearer-token.js';
import { withoutSessionCookie } from './dashboard/session-store.js';

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection',
  'te', 'trailer', 'transfer-encoding', 'upgrade',
]);

/** Request framing belongs to each hop: undici recomputes these for the upstream call. */
const REQUEST_FRAMING = new Set(['host', 'content-length', 'expect']);

const CREDENTIALS = new Set(['authorization', 'x-api-key', 'api-key', 'cf-aig-authorization', 'cookie']);

function connectionTokens(value: string | string[] | undefined): Set<string> {
  const v = Array.isArray(value) ? value.join(',') : value ?? '';
  return new Set(v.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean));
}

function isGatewayHeader(name: string): boolean {
  // x-tenant-id names a Tollgate tenant (pass-through mode, trusted backends): not the provider's business.
  return name.startsWith('x-tollgate-') || name.startsWith('cf-aig-') || name === 'x-request-id' || name.startsWith('x-forwarded-') || name === 'forwarded' || name === 'x-tenant-id';
}

export function upstreamRequestHeaders(
  headers: Record<string, string | string[] | undefined>,
  keepCredentials: boolean,
): Record<string, string> {
  const named = connectionTokens(headers.connection);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || REQUEST_FRAMING.has(name) || named.has(name) || isGatewayHeader(name)) continue;
    if (!keepCredentials && CREDENTIALS.has(name)) continue;
    if (name === 'cookie') {
      const rest = withoutSessionCookie(Array.isArray(value) ? value.join('; ') : value);
      if (rest !== undefined) out[name] = rest;
      continue;
    }
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function clientResponseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const named = connectionTokens(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name) || name === 'set-cookie') continue;
    out[name] = value;
  }
  return out;
}

/** The credential a client sent, for pass-through auth mode. */
export function clientCredential(headers: Record<string, string | string[] | undefined>): string | undefined {
  const bearer = bearerToken(headers.authorization);
  if (bearer) return bearer;
  const k = headers['x-api-key'] ?? headers['api-key'];
  const key = Array.isArray(k) ? k[0] : k;
  const trimmed = key?.trim();
  return trimmed ? trimmed : undefined;
}
