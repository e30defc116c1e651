/**
 * `POST /graphql`: a small graphql-js schema over the hourly rollups with one field,
 * `aiGatewayUsage(filter, orderBy: [datetimeHour_DESC], limit)`, grouped by hour × provider ×
 * model. Cost is USD as a float here (micro-USD inside). Queries are depth-limited by the
 * schema itself (no nested types) and rows by `limit` (at most 10,000).
 */
import type { GraphQLSchema } from 'graphql';
import { lazyRequire } from '../runtime/lazy-require.js';

/** graphql-js is loaded on the first `/graphql` request (lazy-require.ts). */
const graphqlJs = lazyRequire<typeof import('graphql')>('graphql');
import type { AnalyticsStore, UsageQuery } from './analytics-store.js';
import { MAX_USAGE_ROWS } from './analytics-sql.js';
import { toUsageView } from './usage-view.js';

const SDL = `
  "Hourly usage of the gateway, one row per hour, provider and model."
  type Query {
    aiGatewayUsage(filter: AiGatewayUsageFilter, orderBy: [AiGatewayUsageOrder!], limit: Int): [AiGatewayUsageGroup!]!
  }
  input AiGatewayUsageFilter {
    "ISO date-time, inclusive (rounded down to its hour); default 7 days ago."
    datetimeHour_geq: String
    "ISO date-time, exclusive; default now."
    datetimeHour_lt: String
    provider: String
    model: String
    tenant: String
    operation: String
  }
  enum AiGatewayUsageOrder { datetimeHour_DESC datetimeHour_ASC cost_DESC requests_DESC }
  type AiGatewayUsageGroup {
    datetimeHour: String!
    provider: String
    model: String
    requests: Int!
    "Floats: hourly token totals can exceed a 32-bit GraphQL Int."
    tokensIn: Float!
    tokensOut: Float!
    errors: Int!
    cacheHits: Int!
    cacheMisses: Int!
    "USD; requests with unknown prices add nothing (see unpricedRequests)."
    cost: Float!
    unpricedRequests: Int!
    savedCost: Float!
    latencyP50Ms: Float
    latencyP95Ms: Float
    latencyP99Ms: Float
  }
`;

interface Args {
  filter?: { datetimeHour_geq?: string; datetimeHour_lt?: string; provider?: string; model?: string; tenant?: string; operation?: string };
  orderBy?: string[];
  limit?: number;
}

function timeArg(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const t = Date.parse(value);
  if (!Number.isFinite(t)) throw new Error(`${name} is not an ISO date-time`);
  return t;
}

function queryOf(args: Args, now: number): UsageQuery {
  const f = args.filter ?? {};
  const order = args.orderBy?.[0] ?? 'datetimeHour_DESC';
  const limit = args.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_USAGE_ROWS) throw new Error(`limit is 1–${MAX_USAGE_ROWS}`);
  const filter: UsageQuery['filter'] = {};
  for (const k of ['provider', 'model', 'tenant', 'operation'] as const) if (f[k] != null) filter[k] = f[k];
  return {
    from: timeArg('datetimeHour_geq', f.datetimeHour_geq, now - 7 * 86_400_000),
    to: timeArg('datetimeHour_lt', f.datetimeHour_lt, now + 1),
    groupBy: ['hour', 'provider', 'model'],
    filter,
    orderBy: order === 'cost_DESC' ? 'cost' : order === 'requests_DESC' ? 'requests' : order === 'datetimeHour_ASC' ? 'timeAsc' : 'time',
    limit,
  };
}

let schema: GraphQLSchema | undefined;

export async function runGraphql(store: AnalyticsStore, body: { query?: unknown; variables?: unknown; operationName?: unknown }): Promise<unknown> {
  schema ??= graphqlJs().buildSchema(SDL);
  const root = {
    aiGatewayUsage: async (args: Args) => {
      const q = queryOf(args, Date.now());
      const rows = (await store.usage(q)).map(toUsageView);
      return rows.map((r) => ({ ...r, datetimeHour: r.hour, cost: r.costUsd, savedCost: r.savedUsd }));
    },
  };
  return graphqlJs().graphql({
    schema,
    source: typeof body.query === 'string' ? body.query : '',
    rootValue: root,
    variableValues: body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : undefined,
    operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
  });
}
