/**
 * Operator endpoints over the request log: `GET /api/logs` (filtered, newest first, cursor
 * pagination) and `GET /api/logs/export?format=csv|json` (streamed). Both require the admin
 * key, or a loopback peer when none is configured (admin-guard.ts).
 */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../errors/gateway-error.js';
import { InvalidCursorError } from '../stores/events/event-cursor.js';
import type { EventStore } from '../stores/events/event-store.js';
import { operatorRoute, type OperatorHandler } from './operator-route.js';
import type { ConfigHolder } from './config-holder.js';
import { streamExport } from './log-export.js';
import { parseLimit, parseLogFilter } from './log-query.js';
import { writeJson } from './response-writer.js';

type Query = Record<string, string | undefined>;

export interface LogsRouteOptions {
  holder: ConfigHolder;
  store(): EventStore | undefined;
}

function storeOrFail(opts: LogsRouteOptions): EventStore {
  const store = opts.store();
  if (!store) throw new GatewayError('log_store_unavailable');
  return store;
}

// Anything but our own errors here comes from the store (connection, timeout).
const guarded = (holder: ConfigHolder, handler: OperatorHandler) =>
  operatorRoute(holder, handler, (thrown) => new GatewayError('log_store_unavailable', { cause: thrown }));

export function registerLogsRoutes(app: FastifyInstance, opts: LogsRouteOptions): void {
  app.get('/api/logs', guarded(opts.holder, async (req, res, id) => {
    const q = req.query as Query;
    const page = await storeOrFail(opts).query(parseLogFilter(q), parseLimit(q.limit), q.cursor ?? null).catch((err: unknown) => {
      if (err instanceof InvalidCursorError) throw new GatewayError('invalid_request', { param: 'cursor', detail: 'cursor is not one this endpoint returned.' });
      throw err;
    });
    writeJson(res, 200, { 'x-request-id': id }, JSON.stringify({ data: page.rows, nextCursor: page.nextCursor }));
  }));
  app.get('/api/logs/export', guarded(opts.holder, async (req, res, id) => {
    const q = req.query as Query;
    const format = (q.format ?? 'csv').toLowerCase();
    if (format !== 'csv' && format !== 'json') throw new GatewayError('invalid_request', { param: 'format', detail: 'format is csv or json.' });
    await streamExport(res, storeOrFail(opts).scan(parseLogFilter(q)), format, id);
  }));
}
