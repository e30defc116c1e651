/**
 * Whose prompts and completions are logged: nobody by default. A tenant opts in with
 * `tenants.<name>.logPayloads: true` (or every request with `logging.payloads: true`, for
 * single-tenant setups), and what is logged is masked and bounded (payload.ts) before it
 * reaches an event, a log store, a stdout line or a trace. Decided once per config, so the
 * request path only does a set lookup.
 */
import type { RequestContext } from '../pipeline/context.js';
import { maskPayload } from './payload.js';

export interface PayloadPolicy {
  readonly all: boolean;
  /** Opted-in tenant names (a Map so the compiled config can be checked as deeply frozen). */
  readonly tenants: ReadonlyMap<string, true>;
}

export function compilePayloadPolicy(all: boolean, tenants: Record<string, { logPayloads?: boolean | undefined }>): PayloadPolicy {
  return Object.freeze({ all, tenants: new Map(Object.entries(tenants).filter(([, t]) => t.logPayloads === true).map(([n]) => [n, true] as const)) });
}

export function logsPayload(ctx: RequestContext): boolean {
  const p = ctx.config.payloads;
  return p.all || (ctx.tenant !== null && p.tenants.has(ctx.tenant));
}

/** The masked request and answer of an opted-in request, or null. */
export function eventPayload(ctx: RequestContext): { request: string | null; response: string | null } | null {
  if (!logsPayload(ctx)) return null;
  const request = maskPayload(ctx.rawBody ?? (ctx.body as unknown));
  const answer = ctx.responseText ?? (ctx.delivered.length > 0 ? ctx.delivered.join('\n') : null);
  return { request, response: maskPayload(answer) };
}
