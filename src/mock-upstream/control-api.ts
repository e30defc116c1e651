/**
 * The mock's HTTP control API under `/__mock/`, for tests and benchmarks running in another
 * process than the mock (e.g. against `tollgate mock-upstream`):
 *
 * - `POST /__mock/scripts`: enqueue a script `{match?, steps, repeat?}` or an array of them;
 *   201 `{ok: true, scripts: <queued count>}`, or 400 `{error: {message}}` when invalid.
 * - `DELETE /__mock/scripts`: drop every queued script.
 * - `GET /__mock/attempts`: the attempt log as a JSON array, oldest first.
 * - `DELETE /__mock/attempts`: empty the log (numbering restarts at 1).
 *
 * It has no authentication: the mock is a test tool bound to loopback by default.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DirectiveError } from './directives.js';
import { readBody, type MockState } from './handle-request.js';
import { validateScript } from './script-queue.js';

export const CONTROL_PREFIX = '/__mock/';

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function addScripts(state: MockState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse((await readBody(req)).toString('utf8'));
  } catch {
    return send(res, 400, { error: { message: 'the body must be a JSON script or an array of scripts' } });
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  try {
    // Validate everything before queueing anything, so a bad array leaves the queue unchanged.
    const scripts = list.map(validateScript);
    for (const script of scripts) state.queue.add(script);
    return send(res, 201, { ok: true, scripts: state.queue.size });
  } catch (err) {
    if (!(err instanceof DirectiveError)) throw err;
    return send(res, 400, { error: { message: err.message } });
  }
}

/** Answers a `/__mock/…` request. */
export async function handleControl(state: MockState, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const what = `${req.method ?? 'GET'} ${pathname.slice(CONTROL_PREFIX.length)}`;
  switch (what) {
    case 'POST scripts':
      return addScripts(state, req, res);
    case 'DELETE scripts':
      state.queue.clear();
      return send(res, 200, { ok: true });
    case 'GET attempts':
      return send(res, 200, state.log.list());
    case 'DELETE attempts':
      state.log.reset();
      return send(res, 200, { ok: true });
    default:
      return send(res, 404, { error: { message: `no control endpoint ${what}` } });
  }
}
