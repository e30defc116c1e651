/**
 * The hot path: the three OpenAI-compatible POST endpoints are dispatched straight from node's
 * `request` event into the pipeline, reading the body with our own byte limit. Everything else
 * (pass-through, models, health, and every later admin or dashboard route) goes through Fastify.
 * Profiles showed Fastify's per-request machinery (request/reply objects, hook chains, its body
 * collector) as a measurable share of the gateway's CPU for the calls that are nearly all of
 * the traffic, while it buys nothing there: the pipeline owns validation and responses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';
import type { Operation } from '../providers/types.js';

const ROUTES: Readonly<Record<string, Operation>> = {
  '/v1/chat/completions': 'chat',
  '/v1/completions': 'completions',
  '/v1/embeddings': 'embeddings',
};

export const HOT_PATHS: readonly string[] = Object.keys(ROUTES);

/** The operation of a request that takes the hot path, or undefined for everything else. */
export function hotOperation(req: IncomingMessage): Operation | undefined {
  if (req.method !== 'POST') return undefined;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  return ROUTES[q === -1 ? url : url.slice(0, q)];
}

/**
 * Reads a request body up to `limit` bytes. A declared length over the limit is refused before
 * reading anything; an undeclared (chunked) body is refused as soon as it crosses the limit.
 */
export function readRequestBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(new GatewayError('payload_too_large'));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(new GatewayError('payload_too_large'));
        return;
      }
      parts.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(parts.length === 1 ? parts[0] : Buffer.concat(parts, size));
    };
    const onError = (): void => {
      cleanup();
      reject(new GatewayError('client_closed'));
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}

/** Whether an error response must close the connection (unread body bytes may remain). */
export function closesConnection(err: GatewayError): boolean {
  return err.code === 'payload_too_large';
}

export type HotHandler = (operation: Operation, req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void>;
