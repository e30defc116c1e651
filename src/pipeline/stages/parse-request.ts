/**
 * Stage "parse": checks the content type, parses the JSON body exactly once (stripping
 * `__proto__`/`constructor` keys so nothing downstream can pollute prototypes), rejects
 * pathological nesting before parsing, and validates parameters (validate-body.ts). Nothing
 * here reserves budget or calls upstream, so a bad request costs nothing.
 */
import sjson from 'secure-json-parse';
import { GatewayError } from '../../errors/gateway-error.js';
import type { RequestContext } from '../context.js';
import { validateBody } from './validate-body.js';

const MAX_DEPTH = 64;

function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const semi = value.indexOf(';');
  const type = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** True when brackets nest deeper than `limit` outside strings; a linear scan, no recursion. */
export function exceedsDepth(buf: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

export function parseJsonObject(raw: Buffer | undefined): Record<string, unknown> {
  if (!raw || raw.length === 0) throw new GatewayError('invalid_json', { detail: 'The request body is empty.' });
  if (exceedsDepth(raw, MAX_DEPTH)) {
    throw new GatewayError('invalid_json', { detail: `The request body nests deeper than ${MAX_DEPTH} levels.` });
  }
  let parsed: unknown;
  try {
    parsed = sjson.parse(raw.toString('utf8'), undefined, { protoAction: 'remove', constructorAction: 'remove' });
  } catch {
    throw new GatewayError('invalid_json');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new GatewayError('invalid_json', { detail: 'The request body must be a JSON object.' });
  }
  return parsed as Record<string, unknown>;
}

export function parseRequest(ctx: RequestContext): void {
  if (!isJsonContentType(ctx.req.headers['content-type'])) throw new GatewayError('unsupported_media_type');
  const body = parseJsonObject(ctx.rawBody);
  validateBody(ctx.operation, body);
  ctx.body = body;
  ctx.stream = body.stream === true;
  ctx.requestedModel = body.model as string;
}
