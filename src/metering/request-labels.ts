/**
 * Reads the request-level labels clients attach through headers — operation, end user,
 * metadata (Tollgate names and their Cloudflare AI Gateway aliases) — and whether the request
 * may be logged at all. Values are bounded here; masking happens when the UsageEvent is built.
 * Malformed metadata is ignored rather than failing the request: labels must never cost a call.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface RequestLabels {
  operation: string | null;
  user: string | null;
  metadata: Record<string, string> | null;
  /** False when the client sent `x-tollgate-collect-log: false` (or the cf-aig alias). */
  collectLog: boolean;
  customCost: string | null;
}

const MAX_KEYS = 16;
const MAX_USER = 256;
const LABEL = /^[A-Za-z0-9_.:-]{1,64}$/;

function header(headers: IncomingHttpHeaders, ...names: string[]): string | undefined {
  for (const name of names) {
    const v = headers[name];
    const s = Array.isArray(v) ? v[0] : v;
    if (s !== undefined && s !== '') return s;
  }
  return undefined;
}

/** Flat string map from a metadata header: at most 16 keys, scalar values, bounded lengths. */
export function parseMetadata(raw: string | undefined): Record<string, string> | null {
  if (!raw || raw.length > 8192) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const out: Record<string, string> = {};
  let n = 0;
  for (const [k, v] of Object.entries(parsed)) {
    if (n >= MAX_KEYS) break;
    if (k === '__proto__' || k === 'constructor' || k === 'prototype' || k.length > 64) continue;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    // Not cut here: masking must see whole values (a cut can split an email or a key);
    // maskMetadata bounds them after masking. The header itself is bounded above.
    out[k] = String(v);
    n++;
  }
  return n > 0 ? out : null;
}

/** The client's choice of `x-tollgate-collect-log` / `cf-aig-collect-log`: only `false` opts out. */
function wantsLog(headers: IncomingHttpHeaders): boolean {
  const collect = header(headers, 'x-tollgate-collect-log', 'cf-aig-collect-log');
  return collect === undefined || collect.trim().toLowerCase() !== 'false';
}

const LOGGED: RequestLabels = Object.freeze({ operation: null, user: null, metadata: null, collectLog: true, customCost: null });
const NOT_LOGGED: RequestLabels = Object.freeze({ ...LOGGED, collectLog: false });

/**
 * Labels known before the body is read: only the logging choice. They stand until the label
 * stage runs, so a request refused earlier (auth, parsing) still honours the opt-out.
 */
export function edgeLabels(headers: IncomingHttpHeaders): RequestLabels {
  return wantsLog(headers) ? LOGGED : NOT_LOGGED;
}

export function readLabels(headers: IncomingHttpHeaders, body: Record<string, unknown>): RequestLabels {
  const metadata = parseMetadata(header(headers, 'x-tollgate-metadata', 'cf-aig-metadata'));
  const op = header(headers, 'x-tollgate-operation') ?? metadata?.operation;
  const user = header(headers, 'x-tollgate-user') ?? (typeof body.user === 'string' ? body.user : undefined) ?? metadata?.user;
  return {
    operation: op !== undefined && LABEL.test(op) ? op : null,
    user: user !== undefined ? user.slice(0, MAX_USER) : null,
    metadata,
    collectLog: wantsLog(headers),
    customCost: header(headers, 'x-tollgate-custom-cost', 'cf-aig-custom-cost') ?? null,
  };
}
