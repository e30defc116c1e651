/**
 * The shape every read-side operator endpoint shares (logs, analytics, alerts): take the reply
 * over, check the admin key (or dashboard session), run the handler, and answer any failure in
 * the error shape with the request id. What a non-catalogue failure means differs per endpoint
 * (usually its store being unavailable), so the caller maps it. Admin routes with their own
 * status and body conventions (keys, cache) keep their own wrappers.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors/gateway-error.js';
import { requireAdmin } from './admin-guard.js';
import type { ConfigHolder } from './config-holder.js';
import { requestIdFrom } from './request-id.js';
import { writeError } from './response-writer.js';

export type OperatorHandler = (req: FastifyRequest, res: ServerResponse, id: string) => Promise<void>;

export function operatorRoute(holder: ConfigHolder, handler: OperatorHandler, mapError: (thrown: unknown) => GatewayError) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    reply.hijack();
    const id = requestIdFrom(req.headers['x-request-id']);
    try {
      requireAdmin(req.raw, holder.current.source.admin.apiKey);
      await handler(req, reply.raw, id);
    } catch (thrown) {
      const err = thrown instanceof GatewayError ? thrown : mapError(thrown);
      // A streamed export may already have started: cut it rather than append an error body.
      if (reply.raw.headersSent) reply.raw.destroy();
      else writeError(reply.raw, err, id);
    }
  };
}
