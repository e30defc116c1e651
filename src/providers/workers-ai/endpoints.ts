/**
 * Where Workers AI calls go and how they authenticate: the native run URL, the base of the
 * OpenAI-compatible endpoints, the pass-through URL, and the bearer header.
 *
 * Model ids and pass-through paths come from clients and are spliced into a URL that carries
 * the gateway's Cloudflare token, so dot segments (plain or percent-encoded) are refused: URL
 * normalisation would otherwise let `../../` climb out of `ai/` into the rest of the account API.
 * It does not check that a model exists; Cloudflare answers that.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import { joinUrl } from '../settings.js';
import { WORKERS_AI_DEFAULT_BASE_URL, type WorkersAISettings } from './settings.js';

const MODEL_ID = /^@?[A-Za-z0-9][A-Za-z0-9._:@/~=-]*$/;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

function hasDotSegment(path: string): boolean {
  return path.split('/').some((segment) => DOT_SEGMENT.test(segment));
}

/** Refuses model ids that could not be a Workers AI model or could escape the run path. */
export function assertModelPath(model: string): void {
  if (!MODEL_ID.test(model) || model.includes('//') || hasDotSegment(model)) {
    throw new GatewayError('invalid_request', { detail: 'The model id is not a valid Workers AI model name.', param: 'model' });
  }
}

function assertPassthroughPath(path: string): void {
  const pathOnly = path.split('?', 1)[0];
  if (hasDotSegment(pathOnly)) {
    throw new GatewayError('invalid_request', { detail: 'The path may not contain "." or ".." segments.' });
  }
}

/** `{baseUrl}/accounts/{id}/ai`: the root every Workers AI endpoint hangs off. */
export function accountAIBase(settings: WorkersAISettings): string {
  return joinUrl(settings.baseUrl ?? WORKERS_AI_DEFAULT_BASE_URL, `/accounts/${settings.accountId}/ai`);
}

export function runUrl(settings: WorkersAISettings, model: string): string {
  assertModelPath(model);
  return `${accountAIBase(settings)}/run/${model}`;
}

/** Base URL (with `/v1`) of Cloudflare's OpenAI-compatible endpoints for this account. */
export function openAIModeBase(settings: WorkersAISettings): string {
  return `${accountAIBase(settings)}/v1`;
}

/**
 * `/v1/...` paths go to the OpenAI-compatible API; anything else is taken as a model id for the
 * run API, which is the shape Cloudflare AI Gateway uses (`/workers-ai/@cf/...`).
 */
export function passthroughUrl(settings: WorkersAISettings, path: string): string {
  assertPassthroughPath(path);
  const base = accountAIBase(settings);
  return path.startsWith('/v1/') ? joinUrl(base, path) : joinUrl(`${base}/run`, path);
}

export function authHeaders(settings: WorkersAISettings, credential: string | undefined): Record<string, string> {
  const token = credential ?? settings.apiToken;
  return token ? { authorization: `Bearer ${token}` } : {};
}
