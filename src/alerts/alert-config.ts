/**
 * The `alerts` config section: destinations (Slack, webhook, PagerDuty, email), the built-in
 * rules' overrides, custom rules, provider quotas and scheduled summary reports. Parsing only;
 * compileAlerts() turns it into the frozen list of rules the engine evaluates, with every
 * built-in's defaults filled in, so the engine never looks at raw config.
 *
 * It deliberately knows no provider names: quotas name providers as the config names them.
 */
import { z } from 'zod';
import { durationMs } from '../config/duration.js';
import { BUILTIN_RULES } from './builtin-rules.js';
import { SIGNALS, type AlertRule, type Dimension } from './alert-rule.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const httpUrl = z.string().url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');
const severity = z.enum(['critical', 'warning', 'info']);
const dimension = z.enum(['global', 'provider', 'model', 'tenant', 'operation']);
const match = z.object({
  provider: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  tenant: z.string().min(1).optional(),
  operation: z.string().min(1).optional(),
}).strict();

const destination = z.discriminatedUnion('type', [
  z.object({ type: z.literal('slack'), webhookUrl: httpUrl }).strict(),
  z.object({
    type: z.literal('webhook'),
    url: httpUrl,
    /** HMAC-SHA256 key; the signature goes in `x-tollgate-signature`. */
    secret: z.string().min(16, 'webhook secrets must be at least 16 characters').optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }).strict(),
  z.object({
    type: z.literal('pagerduty'),
    routingKey: z.string().min(1),
    url: httpUrl.default('https://events.pagerduty.com/v2/enqueue'),
  }).strict(),
  z.object({
    type: z.literal('email'),
    smtp: z.object({
      host: z.string().min(1),
      port: z.coerce.number().int().min(1).max(65535).default(587),
      secure: z.boolean().default(false),
      user: z.string().optional(),
      pass: z.string().optional(),
    }).strict(),
    from: z.string().min(3),
    to: z.array(z.string().min(3)).min(1),
  }).strict(),
]);

const ruleFields = {
  above: z.number().optional(),
  below: z.number().optional(),
  window: durationMs(60_000, 86_400_000).optional(),
  for: durationMs(0, 86_400_000).optional(),
  cooldown: durationMs(0, 7 * 86_400_000).optional(),
  severity: severity.optional(),
  notify: z.array(z.string().regex(NAME)).optional(),
  minRequests: z.number().int().min(0).optional(),
  /** daily_cost_usd only: fire only while at least this many hours of the UTC day remain. */
  minHoursRemaining: z.number().min(0).max(24).optional(),
  /** cost_anomaly_ratio only: ignore hours cheaper than this, USD. */
  minUsd: z.number().min(0).optional(),
  enabled: z.boolean().optional(),
};

const customRule = z.object({
  name: z.string().regex(NAME),
  signal: z.enum(SIGNALS),
  scope: dimension.optional(),
  match: match.optional(),
  ...ruleFields,
}).strict().refine((r) => (r.above === undefined) !== (r.below === undefined), 'a rule needs exactly one of above / below');

const builtinOverride = z.union([z.literal(false), z.object(ruleFields).strict()]);

const report = z.object({
  /** UTC time of day, HH:MM. */
  at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (UTC)').default('08:00'),
  notify: z.array(z.string().regex(NAME)).optional(),
});

export const alertsSchema = z.object({
  enabled: z.boolean().default(true),
  evaluateEvery: durationMs(1_000, 300_000).default(15_000),
  /** Linked from messages, e.g. https://tollgate.internal/dashboard/ */
  dashboardUrl: httpUrl.optional(),
  /** Destinations of rules that name none (default: every destination). */
  notify: z.array(z.string().regex(NAME)).optional(),
  destinations: z.record(z.string().regex(NAME), destination).default({}),
  builtins: z.record(z.string(), builtinOverride).default({}),
  rules: z.array(customRule).default([]),
  quotas: z.array(z.object({
    provider: z.string().regex(NAME),
    neuronsPerDay: z.number().positive(),
  }).strict()).default([]),
  delivery: z.object({
    maxAttempts: z.number().int().min(1).max(20).default(5),
    timeout: durationMs(100, 60_000).default(10_000),
    queueCapacity: z.number().int().min(10).max(100_000).default(1_000),
  }).strict().prefault({}),
  reports: z.object({
    daily: report.strict().optional(),
    weekly: report.extend({ day: z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']).default('mon') }).strict().optional(),
  }).strict().prefault({}),
}).strict().superRefine((a, ctx) => {
  const known = new Set(Object.keys(a.destinations));
  const check = (names: string[] | undefined, path: (string | number)[]): void => {
    names?.forEach((n, i) => { if (!known.has(n)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `unknown destination "${n}"` }); });
  };
  check(a.notify, ['notify']);
  a.rules.forEach((r, i) => check(r.notify, ['rules', i, 'notify']));
  for (const [name, o] of Object.entries(a.builtins)) {
    if (!BUILTIN_RULES.some((b) => b.name === name)) ctx.addIssue({ code: 'custom', path: ['builtins', name], message: `no built-in rule "${name}"` });
    if (o !== false) check(o.notify, ['builtins', name, 'notify']);
  }
  check(a.reports.daily?.notify, ['reports', 'daily', 'notify']);
  check(a.reports.weekly?.notify, ['reports', 'weekly', 'notify']);
  const names = new Set(BUILTIN_RULES.map((b) => b.name));
  a.rules.forEach((r, i) => {
    if (names.has(r.name)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'name'], message: `rule name "${r.name}" is taken (built-in or duplicate)` });
    names.add(r.name);
  });
});

export type AlertsConfig = z.output<typeof alertsSchema>;
export type DestinationConfig = AlertsConfig['destinations'][string];

export interface AlertsRuntime {
  readonly enabled: boolean;
  readonly evaluateEveryMs: number;
  readonly dashboardUrl: string | undefined;
  readonly rules: readonly AlertRule[];
  readonly destinations: Readonly<Record<string, DestinationConfig>>;
  readonly quotas: ReadonlyMap<string, number>;
  readonly delivery: AlertsConfig['delivery'];
  readonly reports: AlertsConfig['reports'];
  readonly defaultNotify: readonly string[];
}

type Override = Exclude<AlertsConfig['builtins'][string], false>;

function withOverride(base: AlertRule, o: Override | undefined, notify: readonly string[]): AlertRule {
  const pick = <T>(v: T | undefined, d: T): T => (v === undefined ? d : v);
  const direction = o?.above !== undefined ? { above: o.above, below: undefined } : o?.below !== undefined ? { above: undefined, below: o.below } : {};
  return Object.freeze({
    ...base,
    ...direction,
    window: pick(o?.window, base.window),
    for: pick(o?.for, base.for),
    cooldown: pick(o?.cooldown, base.cooldown),
    severity: pick(o?.severity, base.severity),
    notify: o?.notify ?? notify,
    minRequests: pick(o?.minRequests, base.minRequests),
    minHoursRemaining: pick(o?.minHoursRemaining, base.minHoursRemaining),
    minUsd: pick(o?.minUsd, base.minUsd),
  });
}

export function compileAlerts(a: AlertsConfig): AlertsRuntime {
  const defaultNotify = Object.freeze(a.notify ?? Object.keys(a.destinations));
  const rules: AlertRule[] = [];
  for (const base of BUILTIN_RULES) {
    const o = a.builtins[base.name];
    if (o === false || o?.enabled === false) continue;
    if (base.signal === 'neurons_daily_ratio' && a.quotas.length === 0) continue; // nothing to measure against
    rules.push(withOverride(base, o, defaultNotify));
  }
  for (const r of a.rules) {
    if (r.enabled === false) continue;
    rules.push(withOverride({
      name: r.name, signal: r.signal, builtin: false, scope: (r.scope ?? 'global') as Dimension, match: r.match,
      above: undefined, below: undefined, window: 300_000, for: 0, cooldown: 900_000, severity: 'warning',
      notify: defaultNotify, minRequests: 10, minHoursRemaining: 0, minUsd: 0,
    }, r, defaultNotify));
  }
  return Object.freeze({
    enabled: a.enabled,
    evaluateEveryMs: a.evaluateEvery,
    dashboardUrl: a.dashboardUrl,
    rules: Object.freeze(rules),
    destinations: Object.freeze({ ...a.destinations }),
    quotas: new Map(a.quotas.map((q) => [q.provider, q.neuronsPerDay])),
    delivery: a.delivery,
    reports: a.reports,
    defaultNotify,
  });
}
