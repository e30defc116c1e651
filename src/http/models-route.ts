/**
 * `GET /v1/models`: the OpenAI-shaped list of `provider/model` ids and route aliases, narrowed
 * to what the caller's key may use and refused without a valid key once keys are in use
 * (guards/model-listing.ts decides both). It does not go through the pipeline: no usage
 * event, no rate limit, no budget.
 */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../errors/gateway-error.js';
import type { GuardRuntime } from '../guards/guard-runtime.js';
import { visibleModels } from '../guards/model-listing.js';
import type { ConfigHolder } from './config-holder.js';
import { requestIdFrom } from './request-id.js';
import { writeError, writeJson } from './response-writer.js';

export function registerModelsRoute(app: FastifyInstance, holder: ConfigHolder, guards: GuardRuntime | undefined): void {
  app.get('/v1/models', async (req, reply) => {
    reply.hijack();
    const id = requestIdFrom(req.headers['x-request-id']);
    try {
      const ids = visibleModels(guards, holder.current, req.headers);
      const data = ids.map((m) => ({ id: m, object: 'model', created: 0, owned_by: m.includes('/') ? m.slice(0, m.indexOf('/')) : 'tollgate-route' }));
      writeJson(reply.raw, 200, { 'x-request-id': id }, JSON.stringify({ object: 'list', data }));
    } catch (thrown) {
      writeError(reply.raw, thrown instanceof GatewayError ? thrown : new GatewayError('internal_error', { cause: thrown }), id);
    }
  });
}
