/**
 * Azure OpenAI addresses models by deployment, not by model id: this maps a gateway model to
 * its deployment name (the `deployments` table, else the model name itself) and builds
 * `{endpoint}/openai/deployments/{deployment}/{operation path}?api-version=…`.
 *
 * The deployment name lands in a URL path carrying the gateway's key, so only names Azure
 * itself allows (letters, digits, `.`, `_`, `-`, not dots alone) are accepted.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import { OPERATION_PATHS } from '../openai-shared/adapter.js';
import { joinUrl } from '../settings.js';
import type { Operation } from '../types.js';

export const DEFAULT_API_VERSION = '2024-10-21';

const DEPLOYMENT_NAME = /^[A-Za-z0-9._-]+$/;

export function deploymentFor(model: string, deployments: Readonly<Record<string, string>> | undefined): string {
  const name = deployments?.[model] ?? model;
  if (!DEPLOYMENT_NAME.test(name) || /^\.+$/.test(name)) {
    throw new GatewayError('invalid_request', { detail: 'The model does not name a valid Azure deployment.', param: 'model' });
  }
  return name;
}

export function deploymentUrl(endpoint: string, deployment: string, operation: Operation, apiVersion: string): string {
  const path = `/openai/deployments/${deployment}${OPERATION_PATHS[operation]}`;
  return `${joinUrl(endpoint, path)}?api-version=${encodeURIComponent(apiVersion)}`;
}

const DEPLOYMENT_PATH = /^\/openai\/deployments\/([^/?]+)\//;

/** The deployment a native pass-through path addresses, if it is a deployment path. */
export function passthroughDeployment(path: string): string | undefined {
  const m = DEPLOYMENT_PATH.exec(path);
  if (!m) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
  return DEPLOYMENT_NAME.test(name) ? name : undefined;
}
