/**
 * Dashboard sessions: after a browser logs in with the admin key it holds a random 256-bit id
 * in an HttpOnly cookie, and the operator endpoints accept that cookie in place of the key
 * (admin-guard.ts). Sessions live in this process's memory only: a restart logs everyone out,
 * and each replica behind a load balancer keeps its own (use sticky sessions or log in again).
 *
 * A session remembers a digest of the admin key that opened it, so rotating the key ends every
 * session opened with the old one. Each session also carries a CSRF token that state-changing
 * calls must echo in a header (`x-tollgate-csrf`): SameSite=Strict already stops cross-site
 * sends, the header is the second lock. It does not store anything about the operator.
 */
import { randomBytes } from 'node:crypto';
import { hashKey, sameDigest } from '../../guards/api-key.js';

export const SESSION_COOKIE = 'tollgate_session';
export const CSRF_HEADER = 'x-tollgate-csrf';
export const SESSION_TTL_MS = 12 * 3600_000;
/** Bounds memory whatever the login rate: the oldest session is dropped beyond this. */
const MAX_SESSIONS = 1000;

export interface DashboardSession {
  csrf: string;
  expiresAt: number;
  keyDigest: Buffer;
}

/** The admin key's SHA-256 digest, compared in constant time (the API keys' own helpers). */
export const keyDigest = hashKey;

/** The value of one cookie in a Cookie header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * A Cookie header without the dashboard session (undefined when nothing else is left), for
 * pass-through calls that forward the client's cookies: the session never leaves the gateway.
 */
export function withoutSessionCookie(header: string): string | undefined {
  const rest = header.split(';').map((p) => p.trim()).filter((p) => p !== '' && !p.startsWith(`${SESSION_COOKIE}=`));
  return rest.length > 0 ? rest.join('; ') : undefined;
}

export class SessionStore {
  // Keyed by a digest of the id, so the map never holds the bearer value itself.
  private readonly sessions = new Map<string, DashboardSession>();

  constructor(private readonly now: () => number = Date.now) {}

  open(adminKey: string): { id: string; session: DashboardSession } {
    const id = randomBytes(32).toString('base64url');
    const session = { csrf: randomBytes(24).toString('base64url'), expiresAt: this.now() + SESSION_TTL_MS, keyDigest: keyDigest(adminKey) };
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    this.sessions.set(this.slot(id), session);
    return { id, session };
  }

  /** The live session for this cookie value under the current admin key, or undefined. */
  find(id: string | undefined, adminKey: string | undefined): DashboardSession | undefined {
    if (!id || !adminKey || id.length > 100) return undefined;
    const slot = this.slot(id);
    const s = this.sessions.get(slot);
    if (!s) return undefined;
    if (s.expiresAt <= this.now() || !sameDigest(s.keyDigest, keyDigest(adminKey))) {
      this.sessions.delete(slot);
      return undefined;
    }
    return s;
  }

  close(id: string | undefined): void {
    if (id) this.sessions.delete(this.slot(id));
  }

  get size(): number {
    return this.sessions.size;
  }

  private slot(id: string): string {
    return hashKey(id).toString('base64url');
  }
}

/** One store per process: the admin guard is a plain function shared by every operator route. */
export const dashboardSessions = new SessionStore();

/** Whether a CSRF header value matches the session's token (constant time). */
export function csrfMatches(session: DashboardSession, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string') return false;
  return sameDigest(keyDigest(presented), keyDigest(session.csrf));
}
