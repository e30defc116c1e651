/**
 * The `metrics` and `tracing` sections of tollgate.yaml (strict zod, like the rest of the
 * schema). Kept here so the observability keys live with the code that reads them; schema.ts
 * only mounts them.
 */
import { z } from 'zod';
import { num } from '../resilience/resilience-config.js';

export const metricsConfigSchema = z.object({
  /** Off: no observation on the request path and GET /metrics answers 404. */
  enabled: z.boolean().default(true),
  /** A scrape-only credential; the admin key works too. Without either, loopback only. */
  token: z.string().min(16, 'metrics.token must be at least 16 characters').optional(),
  /** Distinct `operation` label values kept; later ones are reported as `other`. */
  maxOperations: num().int().min(1).max(1000).default(50),
}).strict();

const langfuse = z.object({
  publicKey: z.string().min(1),
  secretKey: z.string().min(1),
  /** Langfuse host; its OTLP endpoint is `<baseUrl>/api/public/otel/v1/traces`. */
  baseUrl: z.string().url().default('https://cloud.langfuse.com'),
}).strict();

export const tracingConfigSchema = z.object({
  enabled: z.boolean().default(false),
  serviceName: z.string().min(1).default('tollgate'),
  /** Share of new traces recorded (0..1); a sampled incoming traceparent is always followed. */
  sampleRatio: num().min(0).max(1).default(1),
  /** How long finished spans wait to be exported in a batch. */
  batchDelayMs: num().int().min(10).max(60_000).default(2_000),
  otlp: z.object({
    /** OTLP/HTTP traces URL, e.g. http://collector:4318/v1/traces. */
    endpoint: z.string().url(),
    headers: z.record(z.string(), z.string()).default({}),
    /**
     * OTLP/HTTP encoding: binary protobuf (the OTLP default, which every collector accepts;
     * about half the CPU and a third of the bytes of JSON per span) or JSON.
     */
    protocol: z.enum(['http/protobuf', 'http/json']).default('http/protobuf'),
  }).strict().optional(),
  langfuse: langfuse.optional(),
}).strict();

export type MetricsConfig = z.output<typeof metricsConfigSchema>;
export type TracingConfig = z.output<typeof tracingConfigSchema>;
