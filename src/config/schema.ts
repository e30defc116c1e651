/**
 * The strict zod schema of tollgate.yaml. Unknown keys anywhere are errors, so a typo never
 * silently disables a feature. Provider entries are validated by their adapter's own schema
 * (discriminated on `type`), so this file stays free of provider names. Cross-references
 * (route targets naming providers) are checked here too, with the offending path.
 *
 * Parsing only: interpolation happens before (interpolate.ts), compilation after (compile.ts).
 */
import { z } from 'zod';
import { pricingOverridesSchema } from '../metering/pricing/price-schema.js';
import { ADAPTERS } from '../providers/registry.js';
import { authGuardShape, budgetsSchema, checkGuardRefs, keysSchema, rateLimitsSchema, tenantsSchema } from '../guards/guards-config.js';
import { metricsConfigSchema, tracingConfigSchema } from '../observability/observability-config.js';
import { alertsSchema } from '../alerts/alert-config.js';
import { MAX_TIMER_MS, num, resilienceConfigShape, targetConditionSchema } from '../resilience/resilience-config.js';
import { cacheConfigSchema, operationsConfigSchema } from '../cache/cache-config.js';
import { securityConfigSchema } from '../security/security-config.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

// Coerced numbers and the timer ceiling are shared with the resilience section's schema.

const providerEntry = z.discriminatedUnion(
  'type',
  ADAPTERS.map((a) => a.settingsSchema) as unknown as [z.ZodObject<{ type: z.ZodLiteral<string> }>, ...z.ZodObject<{ type: z.ZodLiteral<string> }>[]],
);

const server = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: num().int().min(0).max(65535).default(8787),
  bodyLimitMb: num().positive().max(512).default(20),
  trustedProxies: z.array(z.string()).default([]),
  /** How long SIGTERM waits for open requests and streams before closing them. */
  drainMs: num().int().min(0).max(600_000).default(10_000),
  /** Load shedding: requests in flight (OpenAI-compatible and pass-through) beyond this get 503 overloaded. */
  maxInFlight: num().int().min(1).max(1_000_000).default(4096),
  /** Load shedding on memory: resident set size above this many MiB (0 = only the V8 heap check). */
  maxRssMb: num().int().min(0).max(1_048_576).default(0),
  /** Slow clients: time to receive all request headers, and the whole request (headers and body). */
  headersTimeoutMs: num().int().min(1_000).max(600_000).default(15_000),
  requestTimeoutMs: num().int().min(1_000).max(3_600_000).default(60_000),
  /** V8's old-generation growth past its live size before a full collection (0 = V8's own choice). */
  heapGrowthPercent: num().int().min(0).max(400).default(50),
}).strict();

const timeouts = z.object({
  connectMs: num().int().positive().max(MAX_TIMER_MS).default(5_000),
  firstByteMs: num().int().positive().max(MAX_TIMER_MS).default(30_000),
  idleMs: num().int().positive().max(MAX_TIMER_MS).default(30_000),
  totalMs: num().int().positive().max(MAX_TIMER_MS).default(120_000),
}).strict();

const target = z.object({
  provider: z.string().regex(NAME),
  model: z.string().min(1),
  weight: num().positive().optional(),
  /** Request parameters forced for this target (e.g. a lower max_tokens). */
  params: z.record(z.string(), z.unknown()).optional(),
  /** Only requests matching all of these may use this target (tenant, operation, metadata). */
  when: targetConditionSchema.optional(),
}).strict();

const route = z.object({
  strategy: z.enum(['fallback', 'weighted', 'latency']).default('fallback'),
  targets: z.array(target).min(1),
}).strict();

export const configSchema = z.object({
  server: server.prefault({}),
  /** `none://` runs without a request log (metrics and stdout lines still work). */
  storage: z.string().regex(/^(sqlite|postgres|postgresql|none):\/\//, 'must start with sqlite://, postgres:// or none://').default('sqlite://./data/tollgate.db'),
  state: z.string().regex(/^(memory|redis|rediss):\/\//, 'must start with memory:// or redis://').default('memory://'),
  admin: z.object({ apiKey: z.string().min(16, 'admin.apiKey must be at least 16 characters').optional() }).strict().prefault({}),
  auth: z.object({ mode: z.enum(['managed', 'passthrough']).default('managed'), ...authGuardShape }).strict().prefault({}),
  providers: z.record(z.string().regex(NAME, 'provider names use letters, digits, . _ -'), providerEntry).default({}),
  routes: z.record(z.string().regex(NAME), route).default({}),
  resilience: z.object({ ...resilienceConfigShape, timeouts: timeouts.prefault({}) }).strict().prefault({}),
  pricing: pricingOverridesSchema,
  cache: cacheConfigSchema.prefault({}),
  operations: operationsConfigSchema.default({}),
  // Access control and spend guards (src/guards/guards-config.ts).
  tenants: tenantsSchema,
  keys: keysSchema,
  rateLimits: rateLimitsSchema,
  budgets: budgetsSchema,
  metrics: metricsConfigSchema.prefault({}),
  tracing: tracingConfigSchema.prefault({}),
  alerts: alertsSchema.prefault({}),
  // Outbound address policy, the SSRF guard (src/security/).
  security: securityConfigSchema.prefault({}),
  logging: z.object({
    format: z.enum(['json', 'pretty']).default('json'),
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    payloads: z.boolean().default(false),
    /** One line per request on stdout (JSON or pretty); the log store is separate. */
    requests: z.boolean().default(true),
    /** Request-log rows older than this are deleted (checked hourly). */
    retentionDays: num().int().min(1).max(3650).default(30),
    /** Where events wait when the log store is down; replayed when it returns. */
    spoolDir: z.string().min(1).default('./data/spool'),
    queue: z.object({
      capacity: num().int().min(100).max(10_000_000).default(100_000),
      batchSize: num().int().min(1).max(10_000).default(500),
      flushMs: num().int().min(1).max(60_000).default(250),
    }).strict().prefault({}),
  }).strict().prefault({}),
}).strict().superRefine((cfg, ctx) => {
  checkGuardRefs(cfg, (path, message) => ctx.addIssue({ code: 'custom', path, message }));
  for (const [alias, r] of Object.entries(cfg.routes)) {
    if (alias in cfg.providers) {
      ctx.addIssue({ code: 'custom', path: ['routes', alias], message: `route alias "${alias}" collides with a provider name` });
    }
    r.targets.forEach((t, i) => {
      if (!(t.provider in cfg.providers)) {
        ctx.addIssue({ code: 'custom', path: ['routes', alias, 'targets', i, 'provider'], message: `unknown provider "${t.provider}"` });
      }
    });
  }
});

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
