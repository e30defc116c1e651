/**
 * Maps a request path to the wire dialect and operation the mock answers with. The paths are
 * the providers' own: OpenAI `/v1/…` (chat, completions, embeddings, responses), Azure
 * `/openai/deployments/{deployment}/…` (the model is the deployment) and its `/openai/v1/…`
 * paths (the model in the body), Anthropic `/v1/messages`, Cloudflare Workers AI
 * `/client/v4/accounts/{account}/ai/run/{model…}` (the model contains slashes, e.g.
 * `@cf/meta/llama-3.1-8b-instruct`) and its OpenAI-compatible `/ai/v1/…` endpoints.
 *
 * It does not look at bodies or methods beyond telling the GET model lists from the rest, and it
 * does not accept arbitrary prefixes: a path the real provider would not serve is a 404.
 */

export type Dialect = 'openai' | 'anthropic' | 'workers-ai';
export type RouteOperation = 'chat' | 'completions' | 'embeddings' | 'responses' | 'models';

export interface Route {
  dialect: Dialect;
  operation: RouteOperation;
  /** The model named by the path (Azure deployment, Workers AI model), already decoded. */
  pathModel?: string;
}

const OPENAI_PATHS: Readonly<Record<string, RouteOperation>> = {
  'chat/completions': 'chat',
  completions: 'completions',
  embeddings: 'embeddings',
  responses: 'responses',
};

const AZURE = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|completions|embeddings)$/;
const AZURE_V1 = /^\/openai\/v1\/(chat\/completions|completions|embeddings|responses)$/;
const CF_ACCOUNT = /^\/client\/v4\/accounts\/[^/]+\/ai\/(.+)$/;
const CF_EMBEDDING_MODEL = /bge|embedding/i;
const CF_MODELS = /^\/client\/v4\/accounts\/[^/]+\/ai\/models\/search$/;

function decodeSegment(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function workersAiRoute(rest: string): Route | undefined {
  if (rest.startsWith('run/')) {
    const model = decodeSegment(rest.slice(4));
    if (!model) return undefined;
    return { dialect: 'workers-ai', operation: CF_EMBEDDING_MODEL.test(model) ? 'embeddings' : 'chat', pathModel: model };
  }
  if (rest.startsWith('v1/')) {
    const operation = OPENAI_PATHS[rest.slice(3)];
    return operation ? { dialect: 'openai', operation } : undefined;
  }
  return undefined;
}

/** Returns the route for `method pathname`, or undefined for a 404. */
export function resolveRoute(method: string, pathname: string): Route | undefined {
  if (pathname.startsWith('/v1/')) {
    const rest = pathname.slice(4);
    if (rest === 'models') return method === 'GET' ? { dialect: 'openai', operation: 'models' } : undefined;
    if (method !== 'POST') return undefined;
    if (rest === 'messages') return { dialect: 'anthropic', operation: 'chat' };
    const operation = OPENAI_PATHS[rest];
    return operation ? { dialect: 'openai', operation } : undefined;
  }
  // The model lists the gateway's health probes read (Azure resource, Workers AI catalogue).
  if (method === 'GET' && pathname === '/openai/models') return { dialect: 'openai', operation: 'models' };
  if (method === 'GET' && CF_MODELS.test(pathname)) return { dialect: 'workers-ai', operation: 'models' };
  if (method !== 'POST') return undefined;
  const azure = AZURE.exec(pathname);
  if (azure) {
    const model = decodeSegment(azure[1]);
    return model ? { dialect: 'openai', operation: OPENAI_PATHS[azure[2]], pathModel: model } : undefined;
  }
  const azureV1 = AZURE_V1.exec(pathname);
  if (azureV1) return { dialect: 'openai', operation: OPENAI_PATHS[azureV1[1]] };
  const cf = CF_ACCOUNT.exec(pathname);
  return cf ? workersAiRoute(cf[1]) : undefined;
}
