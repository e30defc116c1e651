/**
 * Azure OpenAI Service. Bodies, responses, streams and errors are OpenAI's, so the shared
 * OpenAI-format adapter does that work; this module only changes where calls go (per-deployment
 * URLs with an `api-version` query, see deployment-url.ts) and how they authenticate (the
 * `api-key` header). Microsoft Entra ID tokens are not supported here.
 *
 * `baseUrl` is the resource endpoint (`https://myres.openai.azure.com`) and is required.
 * Pass-through calls go to that endpoint plus the client's path unchanged (the client supplies
 * its own api-version there), which is exactly the shared adapter's pass-through.
 */
import { z } from 'zod';
import { createOpenAIFormatAdapter, requireOperation } from '../openai-shared/adapter.js';
import { openAIRequestBody } from '../openai-shared/request-body.js';
import { baseSettingsShape, joinUrl } from '../settings.js';
import type { Operation, ProviderAdapter } from '../types.js';
import { DEFAULT_API_VERSION, deploymentFor, deploymentUrl, passthroughDeployment } from './deployment-url.js';
import { callFor } from '../passthrough-call.js';
import { isResponsesPath, openAIOperationOf } from '../openai-shared/passthrough-call.js';
import { responsesCall } from '../openai-shared/responses-call.js';

const schema = z.object({
  type: z.literal('azure-openai'),
  ...baseSettingsShape,
  baseUrl: z.url({ protocol: /^https?$/ }),
  apiVersion: z.string().regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'apiVersion looks like 2024-10-21 or 2025-01-01-preview').optional(),
  /** Gateway model name → Azure deployment name; unmapped models use their own name. */
  deployments: z.record(z.string().min(1), z.string().min(1)).optional(),
}).strict();

export type AzureOpenAISettings = z.infer<typeof schema>;

const OPERATIONS: readonly Operation[] = ['chat', 'completions', 'embeddings'];

function apiKeyHeader(key: string | undefined): Record<string, string> {
  return key ? { 'api-key': key } : {};
}

const shared = createOpenAIFormatAdapter<AzureOpenAISettings>({
  type: 'azure-openai',
  settingsSchema: schema,
  operations: OPERATIONS,
  defaultModels: ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small'],
  authHeaders: (_settings, key) => apiKeyHeader(key),
  fromEnv(env): Record<string, AzureOpenAISettings> {
    const baseUrl = env.AZURE_OPENAI_ENDPOINT;
    const apiKey = env.AZURE_OPENAI_API_KEY;
    if (!baseUrl || !apiKey) return {};
    const s: AzureOpenAISettings = { type: 'azure-openai', baseUrl, apiKey };
    if (env.AZURE_OPENAI_API_VERSION) s.apiVersion = env.AZURE_OPENAI_API_VERSION;
    return { 'azure-openai': s };
  },
});

export const azureOpenAIAdapter: ProviderAdapter<AzureOpenAISettings> = {
  ...shared,
  buildRequest(settings, input) {
    requireOperation(OPERATIONS, input.operation);
    const deployment = deploymentFor(input.model, settings.deployments);
    return {
      method: 'POST',
      url: deploymentUrl(settings.baseUrl, deployment, input.operation, settings.apiVersion ?? DEFAULT_API_VERSION),
      headers: { 'content-type': 'application/json', ...settings.headers, ...apiKeyHeader(input.credential ?? settings.apiKey) },
      body: openAIRequestBody(input),
    };
  },
  passthroughCall(settings, path, body) {
    // Deployment paths name the model in the URL (mapped back through `deployments`); the
    // newer `/openai/v1/…` paths carry it in the body like OpenAI, as does the Responses API.
    if (isResponsesPath(path)) return responsesCall(body);
    const operation = openAIOperationOf(path);
    if (!operation) return undefined;
    const deployment = passthroughDeployment(path);
    return callFor(operation, body, deployment === undefined ? body.model : modelOfDeployment(deployment, settings.deployments));
  },
  probeRequest(settings) {
    // The resource's model list (not a deployment): authenticated with the key, free.
    const version = encodeURIComponent(settings.apiVersion ?? DEFAULT_API_VERSION);
    return { method: 'GET', url: `${joinUrl(settings.baseUrl, '/openai/models')}?api-version=${version}`, headers: { ...settings.headers, ...apiKeyHeader(settings.apiKey) } };
  },
};

function modelOfDeployment(deployment: string, deployments: Readonly<Record<string, string>> | undefined): string {
  for (const [model, name] of Object.entries(deployments ?? {})) if (name === deployment) return model;
  return deployment;
}
