/**
 * Handles one provider-API request to the mock: reads the body, resolves the route and the
 * model, picks the directives, logs the attempt, builds the answer and hands it to the writer.
 *
 * Directive precedence is by source, not per key: a matching queued script step wins, else the
 * `x-mock-script` header, else the model's `~` suffix, else none. So an empty step `{}` really
 * means a normal answer, even for a model whose name carries a suffix.
 *
 * Bad directives, unknown paths and unparsable JSON get a 4xx in the route's dialect (and are
 * logged as attempts with outcome `error`), so a gateway test sees them as upstream errors.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Attempt, AttemptLog } from './attempt-log.js';
import { buildReply, errorReply } from './build-reply.js';
import { DirectiveError, parseDirectiveList, splitModelSuffix, type Directives } from './directives.js';
import { contentPieces, DEFAULT_CHUNKS, DEFAULT_CONTENT, inputTokensFor, UTF8_CONTENT } from './mock-content.js';
import type { Reply } from './reply.js';
import { RequestLifetime } from './request-lifetime.js';
import { writeReply } from './response-writer.js';
import { resolveRoute, type Route } from './routes.js';
import type { ScriptQueue } from './script-queue.js';

export interface MockState {
  log: AttemptLog;
  queue: ScriptQueue;
  /** Lifetimes of requests still being answered; ended all at once on close(). */
  live: Set<RequestLifetime>;
  closing: boolean;
}

export interface RequestTarget {
  pathname: string;
  query: string;
}

interface Plan {
  route: Route | undefined;
  model: string | undefined;
  body: Record<string, unknown>;
  directives: Directives;
  /** A reply decided before routing normally (bad JSON, bad directive, unknown path). */
  early?: Reply;
}

/** The client went away before its request body was complete; nothing to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super('client closed during the request body');
    this.name = 'ClientGoneError';
  }
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', () => resolve(parts.length === 1 ? parts[0] : Buffer.concat(parts)));
    // A client that leaves mid-upload errors the stream or just closes it without 'end'.
    req.on('error', () => reject(new ClientGoneError()));
    req.on('close', () => {
      if (!req.complete) reject(new ClientGoneError());
    });
  });
}

function parseJson(bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

function pickDirectives(
  state: MockState, req: IncomingMessage, model: string | undefined, suffix: Directives | undefined, pathname: string,
): Directives {
  const step = state.queue.take(model, pathname);
  if (step) return step;
  // headersDistinct, because node joins repeated headers with ', ', which is not our separator.
  const header = req.headersDistinct['x-mock-script'];
  if (header !== undefined) return parseDirectiveList(header.join(';'), ';');
  return suffix ?? {};
}

function plan(state: MockState, req: IncomingMessage, target: RequestTarget, parsed: unknown): Plan {
  const route = resolveRoute(req.method ?? 'GET', target.pathname);
  const isObject = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
  const body = isObject ? (parsed as Record<string, unknown>) : {};
  const dialect = route?.dialect ?? 'openai';
  const rawModel = route?.pathModel ?? (typeof body.model === 'string' ? body.model : undefined);
  // The name before any `~` is known even when the suffix after it does not parse.
  const base: Plan = { route, model: rawModel?.split('~', 1)[0], body, directives: {} };
  // Requests the mock cannot route or read consume no script step and follow no directive.
  if (!route) return { ...base, early: errorReply(dialect, 404, `Mock upstream: no route for ${req.method} ${target.pathname}`, 'not_found') };
  if (route.operation !== 'models' && !isObject) {
    return { ...base, early: errorReply(dialect, 400, 'Mock upstream: the body is not a JSON object.', 'invalid_json') };
  }
  try {
    const suffix = rawModel === undefined ? undefined : splitModelSuffix(rawModel).directives;
    return { ...base, directives: pickDirectives(state, req, base.model, suffix, target.pathname) };
  } catch (err) {
    if (!(err instanceof DirectiveError)) throw err;
    return { ...base, early: errorReply(dialect, 400, `Mock upstream: ${err.message}`, 'mock_bad_directive') };
  }
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function replyFor(p: Plan, seq: number, stream: boolean, req: IncomingMessage): Reply {
  if (p.early || !p.route) return p.early ?? errorReply('openai', 404);
  const d = p.directives;
  const text = d.content ?? (d.splitUtf8 ? UTF8_CONTENT : DEFAULT_CONTENT);
  return buildReply(p.route, {
    seq,
    model: p.model ?? 'unknown',
    body: p.body,
    stream,
    directives: d,
    pieces: contentPieces(text, d.chunks ?? DEFAULT_CHUNKS),
    inputTokens: inputTokensFor(p.body),
    created: Math.floor(Date.now() / 1000),
    headers: req.headers,
  });
}

/** Answers one provider-API request; resolves when the mock has finished with it. */
export async function handleMockRequest(state: MockState, req: IncomingMessage, res: ServerResponse, target: RequestTarget): Promise<void> {
  const time = performance.timeOrigin + performance.now();
  const lifetime = new RequestLifetime();
  state.live.add(lifetime);
  let attempt: Attempt | undefined;
  let selfClosed = false;
  res.on('close', () => {
    if (attempt && !res.writableFinished && !selfClosed && !state.closing) attempt.closedByClient = true;
    lifetime.end();
    state.live.delete(lifetime);
  });
  const bytes = await readBody(req);
  const parsed = parseJson(bytes);
  const p = plan(state, req, target, parsed);
  const stream = p.body.stream === true;
  const seq = state.log.nextSeq();
  attempt = state.log.add({
    seq, time, method: req.method ?? 'GET', path: target.pathname, query: target.query, model: p.model,
    headers: headerRecord(req), bodyBytes: bytes.length, body: parsed, stream, directives: p.directives,
    outcome: 'ok', closedByClient: false,
  });
  const reply = replyFor(p, seq, stream, req);
  await writeReply({ res, lifetime, attempt, markSelfClosed: () => { selfClosed = true; } }, reply, p.directives);
}
