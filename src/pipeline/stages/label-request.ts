/**
 * Stage "label": reads the operation, end user and metadata a client attached (headers, or the
 * body's `user`) and whether this request may be logged. Labels feed metering, per-operation
 * policy and analytics; they never change what is sent upstream.
 */
import { readLabels } from '../../metering/request-labels.js';
import type { RequestContext } from '../context.js';

export function labelRequest(ctx: RequestContext): void {
  ctx.labels = readLabels(ctx.req.headers, ctx.body);
}
